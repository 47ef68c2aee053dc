"""The Attention page's position step: shuffled words move attention's weights with them, W stays with the
places, and the sinusoidal encoding makes the shuffled map another map."""

import numpy as np
from streamlit.testing.v1 import AppTest

from gmlp_core.lessons.position import shuffle_order
from tests.helpers import ROOT
from tests.test_pages import charts, ok


def open_position(**state) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "1_attention.py"), default_timeout=60)
    at.session_state["variant"] = "position"
    for key, value in state.items():
        at.session_state[key] = value
    return ok(at.run())


def z(figures, key):
    return np.array(figures[key]["data"][0]["z"], dtype=float)


def test_shuffled_words_carry_their_weights_and_w_stays_with_the_places():
    at = open_position(sentence="the cat sat on the warm mat")
    figures = charts(at)
    order = shuffle_order(7, 0)
    original, shuffled = z(figures, "position_original"), z(figures, "position_shuffled")
    np.testing.assert_allclose(shuffled, original[order][:, order], atol=1e-6)
    words = "the cat sat on the warm mat".split()
    columns = figures["position_shuffled"]["data"][0]["x"]  # "position: word" categories
    assert [c.split(": ", 1)[1] for c in columns] == [words[i] for i in order]
    np.testing.assert_array_equal(z(figures, "position_w"), z(figures, "position_w_shuffled"))
    pe_original, pe_shuffled = z(figures, "position_pe_original"), z(figures, "position_pe_shuffled")
    assert np.abs(pe_shuffled - pe_original[order][:, order]).max() > 1e-3
    assert z(figures, "position_encoding").shape == (7, 8)  # positions x the embedding's 8 dimensions
    assert any("10⁻" in s.value or s.value.endswith(" 0.") for s in at.success)


def test_shuffle_again_draws_another_order_and_it_travels_in_the_link():
    at = open_position(sentence="one two three four five six")
    first = z(charts(at), "position_shuffled")
    at.button(key="shuffle_button").click().run()
    assert not np.array_equal(first, z(charts(ok(at)), "position_shuffled"))
    assert at.session_state["shuffle"] == 1
    linked = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    linked.query_params.update(variant="position", sentence="one two three four five six", shuffle="1")
    ok(linked.run())
    linked.switch_page("pages/1_attention.py").run()
    np.testing.assert_array_equal(z(charts(ok(linked)), "position_shuffled"), z(charts(at), "position_shuffled"))
