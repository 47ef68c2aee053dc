"""Language models (text): three character models trained on Shakespeare read what a learner types."""

import streamlit as st

from gmlp_core.analysis.language import char_labels, guesses_text
from gmlp_core.models import head_average
from gmlp_core.lessons.text import EXAMPLE_PROMPTS
from gmlp_core.ui import lm_cache
from gmlp_core.ui.frame import require_frame
from gmlp_core.ui.plots import heatmap, loss_curves_figure, surprise_figure, value_range
from gmlp_core.ui.widgets import (grid, lang, language_models, literal, persistent, setup_page,
                                  snapshot_text, text_with_examples, tr)

require_frame()  # a fresh server can run this file without app.py: run the app instead

setup_page("lm_title")
st.caption(tr("lm_intro"))
models = language_models()
if not models:
    st.error(tr("lm_missing"))
    st.stop()
names = {key: tr(f"lm_name_{key}") for key in models}
files = {key: (str(path), path.stat().st_mtime) for key, (_, _, path) in models.items()}

# ---- the text
prompts = EXAMPLE_PROMPTS["vi"] + EXAMPLE_PROMPTS["en"] if lang() == "vi" \
    else EXAMPLE_PROMPTS["en"] + EXAMPLE_PROMPTS["vi"]
text = text_with_examples(tr("lm_text"), "lm_text", EXAMPLE_PROMPTS["en"][0], prompts, "lm_example",
                          format_func=lambda p: p.replace("\n", " ↵ "), area_height=80)
if not text:
    st.info(tr("lm_need_text"))
    st.stop()

readings = {key: lm_cache.reading(*files[key], text) for key in models}
first = next(iter(readings.values()))
labels = char_labels(first.text)
if first.truncated:
    st.warning(tr("lm_truncated", total=first.total, limit=len(first.text)))
unknown = int(first.unknown.sum())
if unknown:
    st.warning(tr("lm_unknown", n=unknown,
                  chars=literal(" ".join(sorted({c for c, u in zip(first.text, first.unknown) if u})))))
if first.text != text:  # the part of the text the models read, when it is not all of it
    st.code(first.text, language=None, wrap_lines=True)

# ---- how surprised each model is
for key, col in grid(readings, len(readings)):
    col.metric(names[key], f"{readings[key].mean_surprise:.2f}", help=tr("lm_mean_help"), delta=None)
if len(labels) > 1:
    series = {names[key]: (r.surprise, guesses_text(models[key][1].tokenizer, r.top_ids[:-1], r.top_probs[:-1]))
              for key, r in readings.items()}
    st.plotly_chart(surprise_figure(labels, series, tr("lm_surprise_title"), tr("lm_nats"), tr("lm_char"),
                                    tr("lm_guesses")), width="stretch", key="surprise")
    st.caption(tr("lm_surprise_explain"))

# ---- one view at a time
views = [v for v in ("attention", "gmlp", "amlp") if v in models] + ["training", "generate"]
persistent("lm_view", "gmlp" if "gmlp" in models else views[0], views)
view = st.segmented_control(tr("lm_view"), views, key="lm_view", format_func=lambda v: tr(f"lm_view_{v}"))
n = len(labels)
names_axes = dict(row_title=tr("query"), col_title=tr("key"))
w_axes = dict(row_title=tr("output_token"), col_title=tr("input_token"))


def layer_and_heads(key: str, heads: int, depth: int) -> tuple[int, list[int]]:
    left, right = st.columns([1, 2])
    persistent(f"lm_{key}_layer", depth - 1, range(depth))
    layer = left.select_slider(tr("layer"), list(range(depth)), key=f"lm_{key}_layer") if depth > 1 else 0
    persistent(f"lm_{key}_heads", list(range(heads)), range(heads))
    chosen = right.multiselect(tr("heads_to_average"), list(range(heads)),
                               format_func=lambda h: tr("head_n", n=h), key=f"lm_{key}_heads")
    return layer, chosen


def per_head(maps, chosen, key: str, signed: bool, axes: dict, value_name: str) -> None:
    """Small multiples of every head, then the average of the chosen ones, on one colour scale."""
    zrange = value_range(maps, signed=True) if signed else (0.0, 1.0)
    per_row = 4 if n <= 16 else 2  # a character must stay a visible cell on a 1024-px projector
    for h, col in grid(range(maps.shape[0]), min(maps.shape[0], per_row)):
        with col:
            st.plotly_chart(heatmap(maps[h], labels, labels, title=tr("head_n", n=h), value_name=value_name,
                                    signed=signed, zrange=zrange, height=420 if per_row == 2 else 300, compact=True,
                                    **axes),
                            width="stretch", key=f"{key}_head_{h}")
    if chosen:
        st.plotly_chart(heatmap(head_average(maps, chosen), labels, labels, value_name=value_name, signed=signed,
                                zrange=zrange, title=tr("average_of", heads=", ".join(map(str, sorted(chosen)))),
                                **axes), width="stretch", key=f"{key}_average")
    else:
        st.info(tr("choose_a_head"))


if view == "attention":
    model = models["attention"][0]
    st.markdown(tr("lm_attention_explain"))
    layer, chosen = layer_and_heads("attention", model.config.heads, model.config.depth)
    per_head(lm_cache.attention(*files["attention"], text)[layer], chosen, "lm_attention", False, names_axes,
             tr("weight"))
elif view == "gmlp":
    model = models["gmlp"][0]
    st.markdown(tr("lm_w_explain"))
    layer, chosen = layer_and_heads("gmlp", model.config.heads, model.config.depth)
    full = lm_cache.causal_w(*files["gmlp"])[layer]
    per_head(full[:, :n, :n], chosen, "lm_w", True, w_axes, "W")
    block = model.config.block_size
    st.subheader(tr("lm_full_w", block=block))
    st.plotly_chart(lm_cache.full_w_figure(*files["gmlp"], layer, tuple(sorted(chosen)),
                                           tr("lm_full_w_title", block=block), **w_axes),
                    width="stretch", key="lm_w_full")
    st.caption(tr("lm_full_w_explain"))
elif view == "amlp":
    model = models["amlp"][0]
    st.markdown(tr("lm_amlp_explain"))
    layer, chosen = layer_and_heads("amlp", model.config.heads, model.config.depth)
    tiny = lm_cache.attention(*files["amlp"], text)[layer, 0]
    w = lm_cache.causal_w(*files["amlp"])[layer][:, :n, :n]
    left, right = st.columns(2)
    with left:
        st.plotly_chart(heatmap(tiny, labels, labels, title=tr("lm_tiny_attention"), value_name=tr("weight"),
                                zrange=(0.0, 1.0), **names_axes), width="stretch", key="lm_tiny")
    with right:
        if chosen:
            st.plotly_chart(heatmap(head_average(w, chosen), labels, labels, value_name="W", signed=True,
                                    title=tr("average_of", heads=", ".join(map(str, sorted(chosen)))), **w_axes),
                            width="stretch", key="lm_amlp_w")
        else:
            st.info(tr("choose_a_head"))
elif view == "training":
    histories = {names[key]: info.meta.get("history", []) for key, (_, info, _) in models.items()}
    st.plotly_chart(loss_curves_figure(histories, tr("lm_curves_title"), tr("lm_step"), tr("lm_val_loss")),
                    width="stretch", key="lm_curves")
    st.caption(tr("lm_curves_explain", losses=" · ".join(
        f"{names[key]} {info.meta['val_loss']:.3f}" for key, (_, info, _) in models.items() if "val_loss" in info.meta)))
    if "gmlp" in models and models["gmlp"][1].snapshots is not None:
        info = models["gmlp"][1]
        snapshot_labels = info.snapshot_labels
        left, right = st.columns([2, 1])
        persistent("lm_snapshot", snapshot_labels[-1], snapshot_labels)
        picked = left.select_slider(tr("snapshot"), snapshot_labels, key="lm_snapshot", format_func=snapshot_text)
        persistent("lm_snapshot_layer", 0, range(info.config.depth))
        layer = right.select_slider(tr("layer"), list(range(info.config.depth)), key="lm_snapshot_layer")
        title = tr("lm_w_at", label=snapshot_text(picked), layer=layer)
        st.plotly_chart(lm_cache.full_w_figure(*files["gmlp"], layer, (), title, snapshot=snapshot_labels.index(picked),
                                               **w_axes), width="stretch", key="lm_w_snapshot")
        st.caption(tr("lm_snapshot_explain"))
else:
    st.markdown(tr("lm_generate_explain"))
    a, b, c, d = st.columns(4)
    for key, default in (("lm_temperature", 0.8), ("lm_top_k", 20), ("lm_length", 200)):
        persistent(key, default)
    temperature = a.slider(tr("lm_temperature"), 0.1, 2.0, step=0.1, key="lm_temperature")
    top_k = b.slider(tr("lm_top_k"), 1, 65, key="lm_top_k")
    seed = c.number_input(tr("seed"), 0, 1_000_000, key="lm_seed")
    length = d.slider(tr("lm_length"), 20, 400, step=20, key="lm_length")
    for key, col in grid(models, len(models)):
        with col:
            st.markdown(f"**{names[key]}**")
            st.code(lm_cache.continuation(*files[key], first.text, int(length), float(temperature), int(top_k),
                                          int(seed)), language=None, wrap_lines=True)
