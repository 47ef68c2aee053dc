"""The link reopens the view: every widget that changes a chart, on every page, is changed in one session; a
fresh session opened with only that session's link parameters draws every chart the same."""

import json
from urllib.parse import parse_qsl, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from gmlp_core.ui.samples import SAMPLE_DIR
from tests.helpers import ROOT
from tests.test_pages import LM_PAGE, TIMEOUT, charts, ok

ATTENTION, PATCHES, W = "pages/1_attention.py", "pages/2_patches.py", "pages/3_spatial-w.py"
START = {"checkpoint": "tiny.safetensors"}  # the vision pages' small checkpoint, in both sessions' links


def opened(page_file: str, link: dict, **state) -> AppTest:
    """A fresh session whose address carries `link` (plus the state a test sets up), on page_file, with the sidebar's
    link to the view open."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params.update(link)
    at.session_state["share_link_open"] = True
    for key, value in state.items():
        at.session_state[key] = value
    ok(at.run())
    at.switch_page(page_file).run()
    return ok(at)


def shown(at: AppTest) -> dict:
    """Everything a view draws from the model: its charts, and the texts the models write."""
    return {"charts": charts(at), "written": [c.value for c in at.main.code]}


def link_of(at: AppTest) -> dict:
    """The parameters of the link the sidebar hands out for this view."""
    return dict(parse_qsl(urlsplit(at.sidebar.code[0].value).query, keep_blank_values=True))


# (page, state set up first, the widget: (kind, key), the value it is changed to)
CHANGES = [
    (ATTENTION, {}, ("radio", "embedding_source"), "table"),
    (ATTENTION, {}, ("slider", "embedding_dim"), 12),
    (ATTENTION, {}, ("text_input", "sentence"), "Learning never exhausts the mind"),
    (ATTENTION, {"variant": "trainable"}, ("number_input", "d_out"), 8),
    (ATTENTION, {"variant": "multi"}, ("selectbox", "heads"), 4),
    (ATTENTION, {}, ("number_input", "seed"), 7),
    (ATTENTION, {"variant": "trainable"}, ("toggle", "scale"), False),
    (ATTENTION, {"variant": "trainable"}, ("toggle", "causal"), True),
    (ATTENTION, {"variant": "trainable"}, ("select_slider", "dropout"), 0.3),
    (ATTENTION, {"shared_scale": True}, ("toggle", "shared_scale"), False),
    (ATTENTION, {}, ("radio", "variant"), "causal"),
    (ATTENTION, {"variant": "multi"}, ("multiselect", "avg_heads"), [1]),
    (ATTENTION, {}, ("selectbox", "lang"), "vi"),
    (PATCHES, {}, ("selectbox", "sample"), SAMPLE_DIR / "ship_0002.jpg"),
    (PATCHES, {}, ("selectbox", "checkpoint_widget"), "s16.safetensors"),
    (W, {}, ("select_slider", "layer"), 1),
    (W, {}, ("multiselect", "w_heads"), [1]),
    (W, {}, ("toggle", "w_shared"), False),
    (W, {}, ("segmented_control", "w_view"), "kernel"),
    (W, {"w_view": "training"}, ("select_slider", "snapshot"), "init"),
    (W, {"w_view": "attention", "w_sample": SAMPLE_DIR / "cat_0000.jpg"}, ("radio", "w_image_source"), "sample"),
    (W, {"w_view": "picture", "w_image_source": "sample"}, ("selectbox", "w_sample"), SAMPLE_DIR / "frog_0000.jpg"),
    (W, {"w_view": "picture"}, ("selectbox", "query"), 3),
    (LM_PAGE, {}, ("segmented_control", "lm_set"), "vi-help/input.txt"),
    (LM_PAGE, {}, ("text_area", "lm_text"), "ROMEO:\nWhat says my love?"),
    (LM_PAGE, {}, ("segmented_control", "lm_view"), "attention"),
    (LM_PAGE, {"lm_view": "attention"}, ("select_slider", "lm_attention_layer"), 0),
    (LM_PAGE, {"lm_view": "attention"}, ("multiselect", "lm_attention_heads"), [0]),
    (LM_PAGE, {}, ("select_slider", "lm_gmlp_layer"), 0),
    (LM_PAGE, {}, ("multiselect", "lm_gmlp_heads"), [1]),
    (LM_PAGE, {"lm_view": "amlp"}, ("select_slider", "lm_amlp_layer"), 0),
    (LM_PAGE, {"lm_view": "training"}, ("select_slider", "lm_snapshot"), "init"),
    (LM_PAGE, {"lm_view": "training"}, ("select_slider", "lm_snapshot_layer"), 1),
    (LM_PAGE, {"lm_view": "generate", "lm_length": 20}, ("select_slider", "lm_temperature"), 1.5),
    (LM_PAGE, {"lm_view": "generate", "lm_length": 20}, ("slider", "lm_top_k"), 3),
    (LM_PAGE, {"lm_view": "generate", "lm_length": 20}, ("number_input", "lm_seed"), 5),
    (LM_PAGE, {"lm_view": "generate"}, ("slider", "lm_length"), 20),
]


@pytest.mark.parametrize("page_file, setup, widget, value", CHANGES,
                         ids=[f"{p.split('/')[-1][:-3]}-{w[1]}" for p, _, w, _ in CHANGES])
def test_a_changed_widget_travels_in_the_link_and_reopens_every_chart(page_file, setup, widget, value):
    kind, key = widget
    at = opened(page_file, START, **setup)
    before = shown(at)
    getattr(at, kind)(key=key).set_value(value).run()
    after = shown(ok(at))
    assert after != before, f"{key} changes nothing drawn here: the case proves nothing"
    reopened = opened(page_file, link_of(at))
    assert not reopened.toast, [t.value for t in reopened.toast]
    assert shown(reopened) == after


def test_a_hand_typed_table_travels_in_the_link_with_its_decimal_commas():
    rows = [["Tôi", "0,5", "1"], ["a_b~c", "-2", "0.25"], ["<b>x</b>", "1,5", "3e-1"]]
    at = opened(ATTENTION, START, embedding_source="table", embedding_table_rows=rows)
    assert charts(at)["simplified_scores"]["data"][0]["z"][0][0] == pytest.approx(0.5 ** 2 + 1)
    drawn = json.dumps(charts(at)["simplified_scores"])
    assert "&lt;b&gt;x&lt;/b&gt;" in drawn and "<b>x" not in drawn  # a typed token is drawn as text
    link = link_of(at)
    assert len(link["table"]) < 60
    reopened = opened(ATTENTION, link)
    assert shown(reopened) == shown(at)
    assert reopened.session_state["embedding_table_rows"] == rows


def test_a_table_cell_that_is_not_a_number_is_named_and_never_read_as_another_number():
    for typed in ("1e9", "0,5x", "1,000"):
        at = opened(ATTENTION, START, embedding_source="table", lang="vi",
                    embedding_table_rows=[["a", "1", "2"], ["b", typed, "3"]])
        assert not charts(at), typed
        errors = [e.value for e in at.error]
        assert len(errors) == 1 and "hàng 2, cột d1" in errors[0] and typed in errors[0]


def test_a_bad_table_in_a_link_is_ignored_with_a_notice():
    at = opened(ATTENTION, {**START, "embedding": "table", "table": "a_1~b"})
    assert any("table" in t.value for t in at.toast)
    assert at.session_state["embedding_table_rows"][0][0] == "Your"  # the example table instead


def test_the_vietnamese_table_example_is_the_vietnamese_sentence_with_decimal_commas():
    at = opened(ATTENTION, START, embedding_source="table", lang="vi")
    rows = at.session_state["embedding_table_rows"]
    assert " ".join(row[0] for row in rows) == "Hành trình vạn dặm bắt đầu từ một bước chân"
    assert rows[0][1:] == ["0,43", "0,15", "0,89"]
    assert len(charts(at)["simplified_scores"]["data"][0]["z"]) == 10


@pytest.mark.parametrize("source", ["upload", "camera"])
def test_a_link_from_an_uploaded_or_camera_picture_opens_the_sample_and_says_so(source):
    at = opened(PATCHES, {**START, "source": source, "sample": "cat_0000"})
    assert at.radio(key="image_source").value == "sample" and at.selectbox(key="sample").value.stem == "cat_0000"
    assert any("source" in t.value for t in at.toast)
    w = opened(W, {**START, "source": source, "sample": "cat_0000", "w_source": "current", "w_view": "picture"})
    assert any("cat" in c.value for c in w.caption)  # the picture the link names, not the first sample


def test_a_shared_link_carries_what_its_page_shows_and_nothing_from_other_pages():
    """The sidebar's link carried every page's settings (about 330 characters: a dense QR code on a projector); it
    carries the frame's and this page's, and the Spatial W picture view's picture chosen on Patches."""
    at = opened(PATCHES, START)
    at.selectbox(key="sample").set_value(SAMPLE_DIR / "ship_0002.jpg").run()
    at.switch_page(ATTENTION).run()
    attention = link_of(ok(at))
    assert {"lang", "sentence", "variant"} <= attention.keys()
    assert not attention.keys() & {"checkpoint", "sample", "source", "layer", "w_view"}
    at.session_state["w_view"] = "picture"
    at.switch_page(W).run()
    w = link_of(ok(at))
    assert {"checkpoint": "tiny.safetensors", "sample": "ship_0002", "source": "sample", "w_view": "picture"}.items() \
        <= w.items()
    assert not w.keys() & {"sentence", "variant"}
    assert shown(opened(W, w)) == shown(at)  # the picture view of the ship, on another device
