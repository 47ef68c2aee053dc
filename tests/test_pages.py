import base64
import re
import io
import json
from types import SimpleNamespace

import numpy as np
import pytest
import streamlit as st
import torch
from PIL import Image
from streamlit.testing.v1 import AppTest

from gmlp_core.formats.checkpoints import load_checkpoint, read_metadata
from gmlp_core.analysis.inference import predict
from gmlp_core.analysis.language import generate
from gmlp_core.ui.markdown import literal
from gmlp_core.ui.state import URL_AT_START
from gmlp_core.ui.samples import sample_paths
from tests.helpers import ROOT, chart_elements, chart_key, chart_spec
from tests.helpers import Hostile
from tests.helpers.hostile import hostile_files

DEFAULT_META = read_metadata(ROOT / "checkpoints" / "s16.safetensors")[1]

TIMEOUT = 60
HOSTILE = hostile_files()


def page(name: str, checkpoint: str | None = "tiny.safetensors", **state) -> AppTest:
    at = AppTest.from_file(str(ROOT / name), default_timeout=TIMEOUT)
    if checkpoint:
        at.session_state["checkpoint"] = checkpoint
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def decode(value):
    """Plotly's base64 typed arrays -> nested lists, NaN (a hidden cell) -> None."""
    if isinstance(value, dict) and "bdata" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        if "shape" in value:
            array = array.reshape([int(s) for s in str(value["shape"]).split(",")])
        return np.where(np.isnan(array), None, array).tolist() if array.dtype.kind == "f" else array.tolist()
    if isinstance(value, dict):
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def charts(at: AppTest) -> dict[str, dict]:
    """Plotly figures on the page by their widget key -> figure spec, arrays decoded."""
    return {chart_key(chart): decode(chart_spec(chart)) for chart in chart_elements(at)}


def z(at: AppTest, key: str):
    return charts(at)[key]["data"][0]["z"]


def rendered(element) -> str:
    """What a Markdown element shows: its text with the escapes that keep user text literal removed."""
    return re.sub(r"\\(.)", r"\1", element.value)


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture(autouse=True)
def _fresh_caches():
    st.cache_data.clear()
    yield


# ---- Home
def test_home_shows_the_default_model_card():
    at = ok(page("app.py", checkpoint=None))
    labels = [m.label for m in at.metric]
    assert "Parameters" in labels and "Test top-1" in labels
    preset = next(m.value for m in at.metric if m.label == "Preset")
    assert preset == DEFAULT_META["preset"]  # the shipped s16.safetensors says which preset made it


def test_home_describes_the_checkpoint_chosen_in_its_sidebar():
    """Home's sidebar chooses the checkpoint the image pages use; its card described s16 whatever was chosen."""
    at = ok(page("app.py", checkpoint="s64.safetensors"))
    assert "The chosen model" in [h.value for h in at.subheader]
    assert next(m.value for m in at.metric if m.label == "Patches") == "64 (8×8)"


# ---- Attention
def test_attention_renders_every_variant_with_defaults_one_at_a_time():
    at = ok(page("pages/1_attention.py"))
    expected = {"simplified": {"simplified_scores", "simplified_weights"},
                "trainable": {"trainable_scores", "trainable_weights"},
                "causal": {"causal_mask", "causal_masked_scores", "causal_weights", "causal_renorm"},
                "multi": {"multi_head_0", "multi_head_1", "multi_average"}}
    assert set(charts(at)) == expected["simplified"]
    assert len(z(at, "simplified_weights")) == 6
    for variant, keys in expected.items():
        at.radio(key="variant").set_value(variant).run()
        assert set(charts(ok(at))) == keys
    assert "6 tokens:  Your  ·  journey" in " ".join(c.value for c in at.caption)


def test_changing_the_sentence_changes_the_heatmaps():
    at = ok(page("pages/1_attention.py"))
    at.text_input(key="sentence").input("Death is like the wind, always by my side").run()
    figure = charts(ok(at))["simplified_weights"]
    assert len(figure["data"][0]["z"]) == 10
    assert list(figure["layout"]["xaxis"]["labelalias"].values())[:2] == ["Death", "is"]


def test_causal_toggle_hides_the_future():
    at = ok(page("pages/1_attention.py", variant="trainable"))
    assert all(v is not None for row in z(at, "trainable_weights") for v in row)
    at.toggle(key="causal").set_value(True).run()
    weights = z(ok(at), "trainable_weights")
    assert weights[0][1] is None and weights[0][0] == pytest.approx(1.0)
    assert all(weights[i][j] is None for i in range(6) for j in range(i + 1, 6))


def test_the_causal_switch_shows_only_on_the_steps_it_acts_on():
    """Step 1 is never causal and step 3 always is: a switch there would do nothing."""
    at = ok(page("pages/1_attention.py"))
    shown = {}
    for variant in ("simplified", "trainable", "causal", "multi"):
        at.radio(key="variant").set_value(variant).run()
        shown[variant] = any(toggle.key == "causal" for toggle in ok(at).toggle)
    assert shown == {"simplified": False, "trainable": True, "causal": False, "multi": True}


def test_causal_tab_shows_both_methods_agree():
    at = ok(page("pages/1_attention.py", variant="causal"))
    by_mask, by_renormalising = z(at, "causal_weights"), z(at, "causal_renorm")
    assert all((a is None and b is None) or a == pytest.approx(b, abs=1e-6)
               for row_a, row_b in zip(by_mask, by_renormalising) for a, b in zip(row_a, row_b))
    assert by_mask[0][1] is None and by_mask[5][0] is not None
    message = [s.value for s in at.success]
    assert any("same weights" in m for m in message)


def test_changing_heads_changes_the_head_maps():
    at = ok(page("pages/1_attention.py", variant="multi"))
    assert {"multi_head_0", "multi_head_1"} <= set(charts(at)) and "multi_head_2" not in charts(at)
    at.selectbox(key="heads").set_value(4).run()
    assert {"multi_head_0", "multi_head_1", "multi_head_2", "multi_head_3"} <= set(charts(ok(at)))


def test_head_subset_changes_the_average():
    at = ok(page("pages/1_attention.py", variant="multi"))
    before = z(at, "multi_average")
    at.multiselect(key="avg_heads").set_value([1]).run()
    after = z(ok(at), "multi_average")
    assert after != before and after == z(at, "multi_head_1")


def test_long_sentence_is_truncated_with_a_notice():
    at = ok(page("pages/1_attention.py"))
    at.text_input(key="sentence").input("word " * 80).run()
    assert any("80 tokens; only the first 64" in w.value for w in ok(at).warning)
    assert len(z(at, "simplified_weights")) == 64


def test_hand_typed_table_gives_checkable_scores():
    at = ok(page("pages/1_attention.py"))
    at.radio(key="embedding_source").set_value("table").run()
    scores = z(ok(at), "simplified_scores")
    assert scores[0][0] == pytest.approx(0.43 ** 2 + 0.15 ** 2 + 0.89 ** 2, abs=1e-5)
    assert scores[0][1] == pytest.approx(0.43 * 0.55 + 0.15 * 0.87 + 0.89 * 0.66, abs=1e-5)


def test_a_page_speaks_the_language_chosen_in_the_frame():
    at = ok(page("pages/1_attention.py", lang="vi", variant="trainable"))
    assert at.title[0].value == "Attention (văn bản)"
    assert at.toggle(key="causal").label == "Nhân quả (che token tương lai)"


def test_the_frame_draws_the_language_switch_once_and_it_translates():
    at = ok(page("app.py", checkpoint=None))
    assert [s.key for s in at.sidebar.selectbox].count("lang") == 1
    at.selectbox(key="lang").set_value("vi").run()
    assert any(m.label == "Số tham số" for m in ok(at).metric)
    at.selectbox(key="lang").set_value("en").run()  # and back: the page reads the language of this run, not the last
    assert any(m.label == "Parameters" for m in ok(at).metric)


# ---- Patches & predictions
def test_patches_page_shows_the_pipeline_and_top5():
    at = ok(page("pages/2_patches.py"))
    shown = charts(at)
    assert {"original", "small", "grid", "sequence", "top5"} <= set(shown)
    assert len(shown["top5"]["data"][0]["x"]) == 5
    assert at.metric[0].label == "Best guess"


def test_picking_another_sample_changes_the_prediction():
    at = ok(page("pages/2_patches.py"))
    before = charts(at)["top5"]["data"][0]["x"]
    samples = at.selectbox(key="sample").options
    at.selectbox(key="sample").select_index(len(samples) - 1).run()
    assert charts(ok(at))["top5"]["data"][0]["x"] != before
    assert any("truck" in caption.value for caption in at.caption)  # the prediction names its picture


def test_each_checkpoint_predicts_the_sample_itself():
    """Predictions are cached per checkpoint file and picture: another checkpoint never shows the first one's."""
    at = ok(page("pages/2_patches.py"))
    tiny = charts(at)["top5"]["data"][0]["x"]
    at.session_state["checkpoint"] = "s16.safetensors"
    s16 = charts(ok(at.run()))["top5"]["data"][0]["x"]
    model, info = load_checkpoint(ROOT / "checkpoints" / "s16.safetensors")
    first = sample_paths()[0]
    expected = predict(model, info, Image.open(first).convert("RGB")).top
    assert s16 != tiny and s16 == [pytest.approx(p, abs=1e-6) for _, p in expected]


def pickers(at: AppTest) -> dict[str, dict]:
    """Pictures to choose from on the page (pickers.pick) by their key -> the data the browser draws them from."""
    return {element.proto.id.rsplit("-", 1)[-1]: json.loads(element.proto.json)
            for element in at.get("bidi_component") if element.proto.component_name.endswith("gmlp_picker")}


def test_the_gallery_is_made_only_while_it_is_open():
    at = ok(page("pages/2_patches.py"))
    assert [e.label for e in at.expander] == ["Sample gallery: click or tap a picture to use it"]
    assert "sample_gallery" not in pickers(at)
    at.session_state["sample_gallery_open"] = True  # the learner opens it
    assert "sample_gallery" in pickers(ok(at.run()))


def test_the_gallery_frames_the_sample_in_use():
    at = ok(page("pages/2_patches.py", sample_gallery_open=True))
    samples = at.selectbox(key="sample").options
    at.selectbox(key="sample").select_index(len(samples) - 1).run()
    gallery = pickers(ok(at))["sample_gallery"]
    assert gallery["current"] == len(samples) - 1 and gallery["picture"] is None
    assert len(gallery["tiles"]) == len(samples) == 20
    assert all(tile["src"].startswith("data:image/jpeg;base64,") for tile in gallery["tiles"])
    assert [tile["label"] for tile in gallery["tiles"][:2]] == ["airplane", "airplane"]


def test_a_click_or_tap_in_the_gallery_picks_that_sample(monkeypatch):
    """What the browser sends for a picture chosen (its index) picks that sample; anything else changes nothing."""
    from gmlp_core.ui import pickers as chooser, samples as widgets
    paths = widgets.sample_paths()
    state = {}
    monkeypatch.setattr(widgets.st, "session_state", state)
    monkeypatch.setattr(chooser, "_PICKER", lambda key, data, on_picked_change: state.update(callback=on_picked_change))

    class Open:
        open = True

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(widgets.st, "expander", lambda *a, **k: Open())
    monkeypatch.setattr(widgets.st, "caption", lambda *a, **k: None)
    widgets.sample_gallery("sample", paths[0])
    for sent, expected in [(3, paths[3]), (True, paths[3]), (-1, paths[3]), (20, paths[3]), ("7", paths[3]),
                           (2.0, paths[3]), (None, paths[3]), (19, paths[19])]:
        state["sample_gallery"] = SimpleNamespace(picked=sent)
        state["callback"]()
        assert state["sample"] == expected, sent


def picture_uploaded(monkeypatch, data: bytes, name: str) -> AppTest:
    """The Patches page after uploading `data` as the picture."""
    fake = SimpleNamespace(getvalue=lambda: data, name=name, file_id=f"{name}-{len(data)}")
    monkeypatch.setattr(st, "file_uploader", lambda *args, **kwargs: fake)
    at = ok(page("pages/2_patches.py"))
    return at.radio(key="image_source").set_value("upload").run()


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def test_bad_upload_shows_an_error_and_the_page_stays_usable(monkeypatch):
    at = picture_uploaded(monkeypatch, b"definitely not a picture", "notes.png")
    errors = [rendered(e) for e in ok(at).error]
    assert any("not an image" in e for e in errors)
    at.radio(key="image_source").set_value("sample").run()
    assert not ok(at).error and "top5" in charts(at)


def test_a_bad_upload_is_explained_in_vietnamese(monkeypatch):
    fake = SimpleNamespace(getvalue=lambda: b"definitely not a picture", name="notes.png", file_id="notes")
    monkeypatch.setattr(st, "file_uploader", lambda *args, **kwargs: fake)
    at = ok(page("pages/2_patches.py", lang="vi", image_source="upload"))
    errors = [rendered(e) for e in at.error]
    assert len(errors) == 1 and errors[0].startswith("Không dùng được ảnh này: tệp này không phải là ảnh đọc được")
    assert "not an image" not in errors[0]


# ---- Spatial W
def test_w_page_shows_every_head_and_the_average():
    at = ok(page("pages/3_spatial-w.py"))
    shown = charts(at)
    assert set(shown) == {"w_head_0", "w_head_1", "w_average"}  # the first view only
    assert len(shown["w_average"]["data"][0]["z"]) == 16


def test_the_w_page_computes_and_draws_only_the_view_it_shows():
    """One view at a time, each with its own charts; the others' charts, tables and pictures are not made."""
    expected = {"heads": {"w_head_0", "w_head_1", "w_average"},
                "kernel": {"kernel_Head 0", "kernel_Head 1", "kernel_Average"},
                "training": {"w_init", "w_snapshot"},
                "picture": {"row_Head 0", "row_Head 1", "row_Average"},
                "attention": {"attention", "w_beside"}}
    at = ok(page("pages/3_spatial-w.py"))
    assert at.segmented_control(key="w_view").options == ["W per head", "As a kernel", "During training",
                                                           "On a picture", "Beside attention"]
    for view, keys in expected.items():
        at.segmented_control(key="w_view").set_value(view).run()
        assert set(charts(ok(at))) == keys, view
        assert set(pickers(at)) == ({"query_picker"} if view == "picture" else set()), view
        assert len(at.dataframe) == (view == "kernel")
        assert any(r.key == "w_image_source" for r in at.radio) == (view in ("picture", "attention"))

def test_the_patches_of_the_picture_choose_the_query_token(monkeypatch):
    """The picture view's picker: the picture at the model's size under its numbered patches, the query's framed;
    choosing patch k chooses token k (s16 has no [CLS]); what is not a patch's number changes nothing."""
    from gmlp_core.ui import pickers as chooser
    at = ok(page("pages/3_spatial-w.py", checkpoint="s16.safetensors", w_view="picture", query=9))
    picker = pickers(at)["query_picker"]
    assert picker["current"] == 9 and picker["columns"] == 4 and picker["picture"].startswith("data:image/png")
    assert [tile["label"] for tile in picker["tiles"]] == [str(k) for k in range(16)]
    state, chosen = {}, []
    monkeypatch.setattr(chooser.st, "session_state", state)
    for sent in (5, 16, -1, True, "3", 0):
        state["query_picker"] = SimpleNamespace(picked=sent)
        chooser._chosen("query_picker", 16, chosen.append)
    assert chosen == [5, 0]


def test_clicking_the_chosen_view_again_keeps_it():
    """Streamlit's segmented control clears its choice when the chosen button is clicked again (a double tap on a
    phone): the page then fell back to its first view, or, on the language page, showed no view at all."""
    at = ok(page("pages/3_spatial-w.py"))
    at.segmented_control(key="w_view").set_value("kernel").run()
    at.segmented_control(key="w_view").set_value(None).run()
    assert at.segmented_control(key="w_view").value == "kernel" and "kernel_Average" in charts(ok(at))
    lm = ok(page(LM_PAGE, checkpoint=None))
    lm.segmented_control(key="lm_view").set_value("attention").run()
    lm.segmented_control(key="lm_view").set_value(None).run()
    assert lm.segmented_control(key="lm_view").value == "attention" and "lm_attention_average" in charts(ok(lm))
    lm.segmented_control(key="lm_set").set_value(None).run()
    assert lm.segmented_control(key="lm_set").value == "tinyshakespeare/input.txt"


def test_changing_layer_changes_w():
    at = ok(page("pages/3_spatial-w.py"))
    before = z(at, "w_average")
    at.select_slider(key="layer").set_value(1).run()
    assert z(ok(at), "w_average") != before


def test_head_subset_changes_the_w_average():
    at = ok(page("pages/3_spatial-w.py"))
    before = z(at, "w_average")
    at.multiselect(key="w_heads").set_value([0]).run()
    assert z(ok(at), "w_average") != before and z(at, "w_average") == z(at, "w_head_0")


def test_snapshot_slider_walks_through_training():
    at = ok(page("pages/3_spatial-w.py", w_view="training"))
    last = z(at, "w_snapshot")
    at.select_slider(key="snapshot").set_value("init").run()
    assert z(ok(at), "w_snapshot") != last and z(at, "w_snapshot") == z(at, "w_init")


def test_attention_changes_with_the_image_while_w_does_not():
    at = ok(page("pages/3_spatial-w.py", w_view="attention"))
    at.radio(key="w_image_source").set_value("sample").run()
    attention, w = z(ok(at), "attention"), z(at, "w_beside")
    box = at.selectbox(key="w_sample")
    box.set_value(next(p for p in sample_paths() if p.name == "dog_0000.jpg")).run()
    assert z(ok(at), "attention") != attention
    assert z(at, "w_beside") == w


def test_query_patch_picks_the_row_laid_on_the_grid():
    at = ok(page("pages/3_spatial-w.py", w_view="picture"))
    before = charts(at)["row_Average"]["data"][1]["z"]
    at.selectbox(key="query").set_value(0).run()
    assert charts(ok(at))["row_Average"]["data"][1]["z"] != before


def test_w_page_shows_each_heads_kernel_and_its_figures():
    at = ok(page("pages/3_spatial-w.py", w_view="kernel"))
    shown = charts(at)
    assert {"kernel_Head 0", "kernel_Head 1", "kernel_Average"} <= set(shown)
    assert np.asarray(shown["kernel_Head 0"]["data"][0]["z"], dtype=float).shape == (7, 7)  # 4x4 grid
    table = at.dataframe[0].value  # a measure a row, a head a column: a projector's column shows every measure
    assert list(table.columns) == ["Head 0", "Head 1", "Average"] and len(table.index) == 6
    assert table.loc["same, if rows were flat"].tolist() == ["39.1%"] * 3  # 100 of 256 pairs on a 4x4 grid
    at.multiselect(key="w_heads").set_value([0]).run()
    assert z(ok(at), "kernel_Average") == z(at, "kernel_Head 0")


def test_w_page_with_the_default_s16_checkpoint():
    at = ok(page("pages/3_spatial-w.py", checkpoint=None))
    shown = charts(at)
    assert {"w_head_0", "w_head_1", "w_head_2", "w_head_3"} <= set(shown)


def test_attention_beside_w_names_its_axes_as_w_does():
    shown = charts(ok(page("pages/3_spatial-w.py", w_view="attention")))
    titles = [(shown[key]["layout"]["yaxis"]["title"]["text"], shown[key]["layout"]["xaxis"]["title"]["text"])
              for key in ("attention", "w_beside")]
    assert titles[0] == titles[1] == ("output token m", "input token j")


def test_one_colour_scale_across_the_heads_by_default_on_every_page():
    """The same default on every page: each head's map and the average on one scale, so colours compare."""
    views = {"pages/1_attention.py": (dict(variant="multi"), "multi"),
             "pages/3_spatial-w.py": ({}, "w"),
             LM_PAGE: (dict(checkpoint=None, lm_view="attention"), "lm_attention")}
    for name, (state, key) in views.items():
        shown = charts(ok(page(name, **state)))
        scales = {(f["data"][0]["zmin"], f["data"][0]["zmax"]) for k, f in shown.items()
                  if k.startswith(f"{key}_head_") or k == f"{key}_average"}
        assert len(scales) == 1, name


def test_charts_write_numbers_the_way_the_interface_language_does():
    """Plotly's ticks, hovers and cell numbers: 0.25 in English, 0,25 in Vietnamese (a decimal comma)."""
    formats = {}
    for lang in ("en", "vi"):
        at = ok(page("pages/1_attention.py", lang=lang))
        configs = [chart_spec(chart)["config"] for chart in chart_elements(at)]
        formats[lang] = {(c["locale"], c["locales"][lang]["format"]["decimal"]) for c in configs}
    assert formats == {"en": {("en", ".")}, "vi": {("vi", ",")}}


# ---- Language models (the shipped lm-*.safetensors)
LM_PAGE = "pages/4_language-models.py"


def test_the_language_models_grey_out_the_future_as_the_attention_page_does():
    """A position never reads a later one: those cells are hidden (grey), not drawn as a zero weight."""
    for view, keys in {"attention": ("lm_attention_head_0", "lm_attention_average"),
                       "gmlp": ("lm_gmlp_w_average", "lm_gmlp_w_full")}.items():
        shown = charts(ok(page(LM_PAGE, checkpoint=None, lm_view=view, lm_gmlp_w_full_open=True)))
        for key in keys:
            cells = shown[key]["data"][0]["z"]
            n = len(cells)
            assert all(cells[i][j] is None for i in range(n) for j in range(i + 1, n)), key
            assert all(cells[i][i] is not None for i in range(n)), key


def test_language_page_compares_the_three_models_on_the_default_text():
    at = ok(page(LM_PAGE, checkpoint=None))
    assert [m.label for m in at.metric] == ["Attention", "gMLP", "aMLP (gMLP + tiny attention)"]
    surprise = charts(at)["surprise"]
    assert len(surprise["data"]) == 3 and len(surprise["data"][0]["y"]) == len(at.text_area(key="lm_text").value) - 1
    assert not at.code  # the text the models read is echoed only when it is not all of what was typed
    assert {"lm_gmlp_w_head_0", "lm_gmlp_w_average"} <= set(charts(at))
    assert "lm_gmlp_w_full" not in charts(at) and "The whole 128×128 W" in [e.label for e in at.expander]
    at.session_state["lm_gmlp_w_full_open"] = True  # the teacher opens it
    assert "lm_gmlp_w_full" in charts(ok(at.run()))


def test_a_text_longer_than_the_models_read_is_echoed_up_to_where_they_stop():
    at = ok(page(LM_PAGE, checkpoint=None))
    at.text_area(key="lm_text").input("To be, or not to be. " * 20).run()
    assert ok(at).warning and len(at.code) == 1
    read = at.code[0].value
    assert ("To be, or not to be. " * 20).startswith(read) and 0 < len(read) < 20 * 21


def test_typing_changes_attention_but_not_w():
    at = ok(page(LM_PAGE, checkpoint=None, lm_view="attention"))
    attention_before = z(at, "lm_attention_average")
    at.text_area(key="lm_text").input("ROMEO:\nWhat says my love?").run()
    attention_after = z(ok(at), "lm_attention_average")
    assert len(attention_after) == len("ROMEO:\nWhat says my love?") and attention_after != attention_before
    at.segmented_control(key="lm_view").set_value("gmlp").run()
    short = z(ok(at), "lm_gmlp_w_average")
    at.text_area(key="lm_text").input("ROMEO:\nWhat says my love? Speak again.").run()
    longer = z(ok(at), "lm_gmlp_w_average")
    assert [row[:len(short)] for row in longer[:len(short)]] == short  # W does not depend on the text


def test_switching_layer_changes_the_attention_maps():
    at = ok(page(LM_PAGE, checkpoint=None, lm_view="attention"))
    last = z(at, "lm_attention_head_0")
    at.select_slider(key="lm_attention_layer").set_value(0).run()
    assert z(ok(at), "lm_attention_head_0") != last


def test_amlp_view_shows_its_tiny_attention_beside_w():
    at = ok(page(LM_PAGE, checkpoint=None, lm_view="amlp"))
    tiny = z(at, "lm_amlp_tiny")
    assert all(abs(sum(v or 0 for v in row) - 1) < 1e-4 for row in tiny)
    assert "lm_amlp_w_average" in charts(at)


def test_generation_shows_a_continuation_from_each_model():
    at = ok(page(LM_PAGE, checkpoint=None, lm_view="generate", lm_length=40))
    shown = [c.value for c in at.code]
    prompt = at.text_area(key="lm_text").value
    expected = []
    for arch in ("attention", "gmlp", "amlp"):
        model, info = load_checkpoint(ROOT / "checkpoints" / f"lm-{arch}.safetensors")
        expected.append(generate(model, info.tokenizer, prompt, 40, 0.8, 20, 0))
    assert [text.strip() for text in shown] == [text.strip() for text in expected]
    assert all(len(text) == 40 for text in expected) and len(set(expected)) == 3


def test_vietnamese_text_is_marked_unknown_for_the_english_models_without_an_error():
    at = ok(page(LM_PAGE, checkpoint=None, lang="vi", lm_set="tinyshakespeare/input.txt"))
    at.text_area(key="lm_text").input("Học, học nữa, học mãi.").run()
    warnings = [w.value for w in ok(at).warning]
    assert any("không nằm trong 65 ký tự" in w and "ọ" in w and "Biểu đồ vẫn ghi đúng ký tự bạn gõ" in w
               for w in warnings)
    assert len(charts(at)["surprise"]["data"][0]["y"]) == len("Học, học nữa, học mãi.") - 1


def test_training_view_draws_three_loss_curves_and_the_w_snapshots():
    at = ok(page(LM_PAGE, checkpoint=None, lm_view="training"))
    assert len(charts(at)["lm_curves"]["data"]) == 3
    first = z(at, "lm_w_snapshot")
    at.select_slider(key="lm_snapshot").set_value("init").run()
    assert z(ok(at), "lm_w_snapshot") != first


# ---- Checkpoint uploads in the sidebar (drawn by app.py)
def upload_in_sidebar(monkeypatch, data: bytes, name: str, class_names: bytes | None = None) -> None:
    """The sidebar's uploaders hold these files: a checkpoint, and optionally its class names."""
    files = {"checkpoint_upload_0": (data, name), "class_names_upload": (class_names, "names.txt")}

    def uploader(*args, key=None, **kwargs):
        content, file_name = files.get(key, (None, None))
        if content is None:
            return None
        return SimpleNamespace(getvalue=lambda: content, name=file_name, file_id=f"{file_name}-{len(content)}")

    monkeypatch.setattr(st.sidebar, "file_uploader", uploader)


@pytest.fixture(scope="module")
def timm_imagenet_file(tmp_path_factory) -> bytes:
    """A 224-px, 196-token, 1000-class gMLP in timm's layout, random weights, as torch.save writes it."""
    from timm.layers import GatedMlp
    from timm.models.mlp_mixer import MlpMixer, SpatialGatingBlock

    model = MlpMixer(patch_size=16, num_blocks=2, embed_dim=128, mlp_ratio=6, block_layer=SpatialGatingBlock,
                     mlp_layer=GatedMlp)  # timm's gmlp_ti16_224 with 2 of its 30 blocks
    with torch.no_grad():
        model.head.weight.normal_(0, 0.3)
    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    return buffer.getvalue()


def test_an_uploaded_timm_imagenet_model_shows_top5_and_its_196_token_w(monkeypatch, timm_imagenet_file):
    upload_in_sidebar(monkeypatch, timm_imagenet_file, "gmlp_ti16_224.pth")
    at = ok(page("app.py", checkpoint=None))
    assert at.session_state["checkpoint"] == "uploaded"
    at.switch_page("pages/2_patches.py").run()
    top5 = charts(ok(at))["top5"]["data"][0]["y"]
    imagenet = (ROOT / "gmlp_core" / "data" / "imagenet_classes.txt").read_text().splitlines()
    assert len(top5) == 5 and set(top5) <= set(imagenet)
    assert len(charts(at)["small"]["data"][0]["z"]) == 224
    at.session_state["w_view"] = "attention"
    at.switch_page("pages/3_spatial-w.py").run()
    assert len(z(ok(at), "w_beside")) == 196 and len(z(at, "attention")) == 196


def test_the_selector_offers_s64_beside_s16_and_s64_shows_its_8x8_grid():
    at = ok(page("app.py", checkpoint=None))
    selector = at.sidebar.selectbox(key="checkpoint_widget")
    labels = [label.split(" · ")[0] for label in selector.options]  # "s64 · 64 patches · 4 heads · top-1 …"
    assert {DEFAULT_META["preset"], "s64"} <= set(labels) and selector.value == "s16.safetensors"
    selector.set_value("s64.safetensors").run()
    at.switch_page("pages/3_spatial-w.py").run()
    assert ok(at).session_state["checkpoint"] == "s64.safetensors" and len(z(at, "w_average")) == 64


def test_an_upload_asking_for_a_huge_model_is_refused_fast_and_every_page_still_runs(monkeypatch, tmp_path):
    from safetensors import safe_open
    from safetensors.torch import save_file
    with safe_open(str(ROOT / "checkpoints" / "tiny.safetensors"), "pt") as file:
        tensors, header = {k: file.get_tensor(k) for k in file.keys()}, dict(file.metadata())
    header["config"] = json.dumps({**json.loads(header["config"]), "depth": 30000})
    save_file(tensors, str(tmp_path / "big.safetensors"), metadata=header)
    upload_in_sidebar(monkeypatch, (tmp_path / "big.safetensors").read_bytes(), "big.safetensors")
    at = ok(page("app.py", checkpoint=None))
    assert any("depth is 30,000" in e and "up to 256" in e for e in map(rendered, at.sidebar.error))
    for name in ("pages/2_patches.py", "pages/3_spatial-w.py", "pages/1_attention.py"):
        at.switch_page(name).run()
        assert not ok(at).exception


def test_a_truncated_upload_is_named_and_the_app_keeps_its_checkpoint(monkeypatch):
    data = (ROOT / "checkpoints" / "tiny.safetensors").read_bytes()
    upload_in_sidebar(monkeypatch, data[: len(data) // 2], "cut.safetensors")
    at = ok(page("app.py", checkpoint=None))
    assert any("cut.safetensors" in e and "truncated" in e for e in map(rendered, at.sidebar.error))
    assert at.session_state["checkpoint"] == "s16.safetensors"
    at.switch_page("pages/2_patches.py").run()
    assert "top5" in charts(ok(at))


def test_a_hostile_pickle_upload_is_refused_and_never_runs(hostile_marker, monkeypatch, tmp_path):
    import os

    marker = hostile_marker
    buffer = io.BytesIO()
    torch.save({"model": {"w": torch.zeros(1)}, "payload": Hostile()}, buffer)
    upload_in_sidebar(monkeypatch, buffer.getvalue(), "evil.pt")
    at = ok(page("app.py", checkpoint=None))
    assert any("refused" in e for e in map(rendered, at.sidebar.error)) and not marker.exists()
    assert os.environ["GMLP_HOSTILE_MARKER"] == str(marker)


def test_an_upload_with_the_wrong_extension_is_named(monkeypatch):
    upload_in_sidebar(monkeypatch, b"\x89PNG....", "photo.png")
    at = ok(page("app.py", checkpoint=None))
    assert any("unsupported file type .png; accepted: .safetensors, .pt, .pth" in e
               for e in map(rendered, at.sidebar.error))


# ---- State that outlives a page, and travels in the URL
def test_a_page_change_keeps_the_sentence_and_settings():
    at = ok(page("app.py", checkpoint=None))
    at.switch_page("pages/1_attention.py").run()
    at.text_input(key="sentence").input("Learning never exhausts the mind").run()
    at.radio(key="variant").set_value("trainable").run()
    at.toggle(key="causal").set_value(True).run()
    at.switch_page("pages/2_patches.py").run()
    assert "top5" in charts(ok(at))
    at.switch_page("pages/1_attention.py").run()
    assert ok(at).text_input(key="sentence").value == "Learning never exhausts the mind"
    assert at.toggle(key="causal").value is True
    assert at.query_params["sentence"] == "Learning never exhausts the mind" and at.query_params["causal"] == "1"


def test_a_link_in_vietnamese_opens_the_page_in_vietnamese_with_its_sentence():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params.update(lang="vi", sentence="Học, học nữa")
    ok(at.run())
    assert at.session_state["lang"] == "vi"
    at.switch_page("pages/1_attention.py").run()
    assert ok(at).text_input(key="sentence").value == "Học, học nữa" and at.title[0].value == "Attention (văn bản)"


def test_a_link_opens_the_same_view_on_every_page_and_ignores_bad_parameters_with_a_notice():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params.update(sentence="Learn more", variant="causal", dim="12", sample="ship_0002", layer="oops",
                           view="nowhere", checkpoint="tiny.safetensors", w_heads="1")
    ok(at.run())
    at.switch_page("pages/1_attention.py").run()
    assert ok(at).text_input(key="sentence").value == "Learn more" and at.radio(key="variant").value == "causal"
    assert at.slider(key="embedding_dim").value == 12
    at.switch_page("pages/2_patches.py").run()
    assert ok(at).selectbox(key="sample").value.stem == "ship_0002"
    at.switch_page("pages/3_spatial-w.py").run()
    assert ok(at).select_slider(key="layer").value == 0 and any("layer" in t.value for t in at.toast)
    assert at.multiselect(key="w_heads").value == [1]
    at.switch_page("pages/4_language-models.py").run()
    assert any("view" in t.value and "nowhere" in t.value for t in ok(at).toast)


def test_vietnamese_reaches_class_names_numbers_and_snapshot_labels():
    at = ok(page("pages/2_patches.py", lang="vi", sample=ROOT / "gmlp_core" / "ui" / "samples" / "ship_0002.jpg"))
    top5 = charts(at)["top5"]["data"][0]
    assert set(top5["y"]) <= {"máy bay", "ô tô", "chim", "mèo", "hươu", "chó", "ếch", "ngựa", "tàu thuỷ", "xe tải"}
    assert all("," in text and "." not in text for text in top5["text"])
    assert at.metric[0].value in top5["y"] and "↑" not in at.metric[0].value
    home = ok(page("app.py", checkpoint=None, lang="vi"))
    parameters = next(m.value for m in home.metric if m.label == "Số tham số")
    assert parameters == f"{DEFAULT_META['parameters']:,}".replace(",", ".") and len(parameters) > 6
    w = ok(page("pages/3_spatial-w.py", lang="vi", w_view="training"))
    assert w.select_slider(key="snapshot").options[:2] == ["khởi tạo", "epoch 1"]


def test_class_names_uploaded_for_an_uploaded_model_reach_its_top5(monkeypatch, tmp_path):
    from g_mlp_pytorch import gMLPVision

    buffer = io.BytesIO()
    torch.save(gMLPVision(image_size=32, patch_size=8, num_classes=3, dim=16, depth=1).state_dict(), buffer)
    upload_in_sidebar(monkeypatch, buffer.getvalue(), "lucidrains.pt", class_names="tortoise\nhare\n<b>owl</b>\n".encode())
    at = ok(page("app.py", checkpoint=None))
    at.switch_page("pages/2_patches.py").run()
    assert set(charts(ok(at))["top5"]["data"][0]["y"]) == {"tortoise", "hare", "&lt;b&gt;owl&lt;/b&gt;"}
    upload_in_sidebar(monkeypatch, buffer.getvalue(), "lucidrains.pt", class_names=b"one\ntwo\n")
    at = ok(page("app.py", checkpoint=None))
    assert any("2 class names for a model with 3 classes" in e for e in map(rendered, at.sidebar.error))


def test_changing_the_head_count_averages_all_the_new_heads():
    at = ok(page("pages/1_attention.py", variant="multi"))
    at.multiselect(key="avg_heads").set_value([1]).run()
    at.selectbox(key="heads").set_value(4).run()
    assert ok(at).multiselect(key="avg_heads").value == [0, 1, 2, 3]
    assert charts(at)["multi_average"]["layout"]["title"]["text"].endswith("0, 1, 2, 3")


def test_one_number_per_head_is_said_in_the_singular():
    at = ok(page("pages/1_attention.py", variant="multi"))
    at.selectbox(key="heads").set_value(4).run()
    assert any("4 heads of 1** number each" in m.value for m in ok(at).markdown)


def test_the_average_w_keeps_one_colour_scale_on_the_whole_page():
    at = ok(page("pages/3_spatial-w.py"))
    ranges = {}
    for view, keys in (("heads", ["w_average"]), ("training", ["w_snapshot", "w_init"]), ("attention", ["w_beside"])):
        at.segmented_control(key="w_view").set_value(view).run()
        shown = charts(ok(at))
        ranges.update({key: (shown[key]["data"][0]["zmin"], shown[key]["data"][0]["zmax"]) for key in keys})
    assert len(ranges) == 4 and len(set(ranges.values())) == 1


def test_a_wide_photo_says_how_much_of_it_the_model_sees(monkeypatch):
    at = picture_uploaded(monkeypatch, png(400, 100), "strip.png")
    assert any("25%" in w.value for w in ok(at).warning)


def test_a_large_photo_is_previewed_downscaled_not_pixel_by_pixel(monkeypatch):
    at = picture_uploaded(monkeypatch, png(3000, 2000), "big.png")
    original = charts(ok(at))["original"]
    assert "3000×2000" in original["layout"]["title"]["text"]
    assert len(original["data"][0]["z"]) <= 512 and len(original["data"][0]["z"][0]) <= 512


def test_a_kept_layer_beyond_another_checkpoints_depth_falls_back_to_the_first():
    at = ok(page("pages/3_spatial-w.py", checkpoint=None))  # s16: 4 layers
    at.select_slider(key="layer").set_value(3).run()
    at.session_state["checkpoint"] = "tiny.safetensors"  # 2 layers
    at.run()
    assert ok(at).select_slider(key="layer").value == 0 and len(z(at, "w_average")) == 16


# ---- Text from a file, a link or a user never becomes live Markdown
BEACON = "![b](http://host/beacon.png) [click](http://host/phish) $$x$$ :material/warning: :red[x]"


def live_markdown(text: str) -> bool:
    """Whether Markdown would draw a link, an image, KaTeX, an icon or a colour from the text."""
    return bool(re.search(r"(?<!\\)\[[^\]]*(?<!\\)\]\(|(?<!\\)\$\$|(?<!\\):material/|(?<!\\):red\[", text))


def test_live_markdown_detector_sees_the_beacon():
    assert live_markdown(BEACON) and not live_markdown(literal(BEACON))


def test_a_tensor_name_in_an_upload_error_is_shown_as_text(monkeypatch):
    state = {BEACON: torch.zeros(2)}
    buffer = io.BytesIO()
    torch.save(state, buffer)
    upload_in_sidebar(monkeypatch, buffer.getvalue(), "names.pt")
    at = ok(page("app.py", checkpoint=None))
    assert at.sidebar.error and not any(live_markdown(e.value) for e in at.sidebar.error)


def test_a_link_value_is_shown_as_text_in_the_notice():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params.update(variant=BEACON)
    ok(at.run())
    at.switch_page("pages/1_attention.py").run()
    toasts = [t.value for t in ok(at).toast]
    assert toasts and not any(live_markdown(t) for t in toasts)


def test_an_uploaded_pictures_name_is_shown_as_text(monkeypatch):
    at = picture_uploaded(monkeypatch, png(40, 30), BEACON + ".png")
    captions = [c.value for c in ok(at).caption]
    assert any("beacon" in c for c in captions) and not any(live_markdown(c) for c in captions)


# ---- Two sets of language models: Shakespeare (English) and Tiếng Việt
def test_each_interface_language_opens_on_its_own_models_and_the_choice_travels_in_the_link():
    english = ok(page(LM_PAGE, checkpoint=None))
    assert english.segmented_control(key="lm_set").value == "tinyshakespeare/input.txt"
    vietnamese = ok(page("app.py", checkpoint=None, lang="vi"))
    vietnamese.switch_page(LM_PAGE).run()
    assert ok(vietnamese).segmented_control(key="lm_set").value == "vi-help/input.txt"
    assert vietnamese.text_area(key="lm_text").value.startswith("Chọn")
    assert vietnamese.query_params["models"] == "vi-help/input.txt"
    linked = AppTest.from_file(str(ROOT / LM_PAGE), default_timeout=TIMEOUT)
    linked.session_state[URL_AT_START] = {"models": "vi-help/input.txt"}
    assert ok(linked.run()).segmented_control(key="lm_set").value == "vi-help/input.txt"


def test_vietnamese_text_has_no_unknown_character_for_the_vietnamese_models():
    at = ok(page(LM_PAGE, checkpoint=None, lang="vi"))
    at.text_area(key="lm_text").input("Hôm nay lớp mình học về cơ chế attention, ỵ ỹ ữ Đ").run()
    assert not ok(at).warning and len(at.metric) == 3
    for view in ("attention", "gmlp", "amlp", "training", "generate"):
        at.segmented_control(key="lm_view").set_value(view).run()
        assert not ok(at).warning and (charts(at) or at.code)


def test_an_uploaded_picture_is_decoded_once_however_many_reruns(monkeypatch):
    from gmlp_core.formats import images
    calls = []
    real = images.load_image
    monkeypatch.setattr("gmlp_core.ui.samples.load_image", lambda data: calls.append(1) or real(data))
    st.cache_resource.clear()
    at = picture_uploaded(monkeypatch, png(64, 48), "photo.png")
    decoded_before = len(calls)
    for _ in range(3):
        at.run()
    assert "top5" in charts(ok(at)) and len(calls) == decoded_before


def test_an_uploaded_checkpoint_is_kept_and_the_uploader_lets_go_of_its_bytes(monkeypatch):
    upload_in_sidebar(monkeypatch, (ROOT / "checkpoints" / "tiny.safetensors").read_bytes(), "mine.safetensors")
    at = ok(page("app.py", checkpoint=None))
    assert at.session_state["checkpoint"] == "uploaded" and at.session_state["_upload_round"] == 1
    assert "upload_error" in at.session_state and at.session_state["upload_error"] is None
    at.switch_page("pages/3_spatial-w.py").run()
    assert ok(at).session_state["uploaded_checkpoint"][1].path == "mine.safetensors" and "w_average" in charts(at)



@pytest.mark.parametrize("name", list(HOSTILE))
def test_every_hostile_file_is_refused_through_the_uploader_and_the_pages_keep_working(monkeypatch, name):
    data, file_name, match = HOSTILE[name]
    upload_in_sidebar(monkeypatch, data, file_name)
    at = ok(page("app.py", checkpoint=None))
    errors = [rendered(e) for e in at.sidebar.error]
    assert any(file_name in e and re.search(match, e) for e in errors), errors
    assert at.session_state["checkpoint"] == "s16.safetensors"
    at.switch_page("pages/3_spatial-w.py").run()
    assert "w_average" in charts(ok(at))
