from streamlit.testing.v1 import AppTest

from tests.helpers import ROOT


def test_the_attention_numbers_are_made_only_while_their_expander_is_open():
    at = AppTest.from_file(str(ROOT / "pages" / "1_attention.py"), default_timeout=60)
    at.run()
    assert not at.exception and [e.label for e in at.expander] == ["The numbers"] and len(at.dataframe) == 0
    at.session_state["numbers_simplified_weights"] = True  # the learner opens it
    at.run()
    assert not at.exception and len(at.dataframe) == 3  # weights, scores, context
    assert at.dataframe[0].value.shape == at.dataframe[1].value.shape  # token x token


def test_the_share_link_is_drawn_only_while_its_expander_is_open():
    """Its copyable box loads Streamlit's code highlighter, about 0.45 s of a fresh browser's main thread before
    the page's first chart can show: a closed expander draws nothing inside it."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception and "Link to this view" in [e.label for e in at.sidebar.expander]
    assert len(at.sidebar.code) == 0
    at.session_state["share_link_open"] = True  # the teacher opens it
    at.run()
    assert not at.exception and len(at.sidebar.code) == 1 and at.sidebar.code[0].value.startswith("http")
