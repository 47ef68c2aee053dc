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
