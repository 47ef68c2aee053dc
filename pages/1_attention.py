"""Attention (text): one sentence through simplified, trainable, causal and multi-head self-attention."""

import streamlit as st

from gmlp_core.lessons import LessonSettings, build_attention_lesson, head_choices
from gmlp_core.lessons.text import (EXAMPLE_EMBEDDINGS, EXAMPLE_SENTENCES, EXAMPLE_TOKENS, MAX_TOKENS, embed,
                                    embeddings_from_table, table_rows, tokenize)
from gmlp_core.ui.frame import require_frame
from gmlp_core.ui.inputs import text_with_examples
from gmlp_core.ui.layout import setup_page
from gmlp_core.ui.locale import explain, lang, tr
from gmlp_core.ui.markdown import literal
from gmlp_core.ui.plots import heatmap, value_range
from gmlp_core.ui.sections import heads_picker, numbers_expander, per_head_and_average, show
from gmlp_core.ui.state import decimal, integer, kept

require_frame()  # a fresh server can run this file without app.py: run the app instead

DEFAULTS = LessonSettings()

setup_page("attention_title")
st.caption(tr("attention_intro"))

# ---- input: sentence and embeddings
with st.sidebar:  # the input settings live beside the other controls, so the first screen holds a chart
    source = kept(st.radio, tr("embedding_source"), key="embedding_source", default="seed", options=["seed", "table"],
                  format_func=lambda s: tr(f"embedding_{s}"), url="embedding")
    dim = kept(st.slider, tr("embedding_dim"), 2, 32, key="embedding_dim", default=8, url="dim",
               parse=integer(2, 32)) if source == "seed" else None
if source == "seed":
    first = EXAMPLE_SENTENCES[2 if lang() == "vi" else 0]  # Vietnamese class: Vietnamese
    sentence = text_with_examples(tr("sentence"), "sentence", first, EXAMPLE_SENTENCES, "example_pick", url="sentence")
    tokens_info = tokenize(sentence, MAX_TOKENS)
    tokens = list(tokens_info.tokens)
    if tokens_info.truncated:
        st.warning(tr("truncated", total=tokens_info.total, limit=tokens_info.limit))
    x = embed(tokens, dim, st.session_state.get("seed", DEFAULTS.seed)) if tokens else None
else:
    st.caption(tr("table_help"))
    table = st.data_editor(
        [{"token": tok, "d1": a, "d2": b, "d3": c} for tok, (a, b, c) in zip(EXAMPLE_TOKENS, EXAMPLE_EMBEDDINGS)],
        num_rows="dynamic", key="embedding_table", width="stretch")
    tokens, numbers, incomplete = table_rows(table)
    if incomplete:
        st.info(tr("table_incomplete", rows=", ".join(map(str, incomplete))))
    try:
        x = embeddings_from_table(numbers) if numbers else None
    except ValueError as err:
        st.error(tr("table_error", error=explain(err)))
        x = None

if not tokens or x is None:
    st.info(tr("need_tokens"))
    st.stop()
st.caption(tr("tokens_line", n=len(tokens), tokens="  ·  ".join(literal(t) for t in tokens)))

# ---- controls
with st.sidebar:
    st.subheader(tr("controls"))
    d_out = kept(st.number_input, tr("d_out"), 1, 64, key="d_out", default=DEFAULTS.d_out, url="d_out",
                 parse=integer(1, 64))
    choices = head_choices(int(d_out))
    heads = kept(st.selectbox, tr("heads"), key="heads", default=choices[min(1, len(choices) - 1)], options=choices,
                 url="heads")
    seed = kept(st.number_input, tr("seed"), 0, 10_000, key="seed", default=DEFAULTS.seed, url="seed",
                parse=integer(0, 10_000))
    scale = kept(st.toggle, tr("scale"), key="scale", default=True, url="scale")
    causal = kept(st.toggle, tr("causal_toggle"), key="causal", default=False, url="causal")
    dropout = kept(st.slider, tr("dropout"), 0.0, 0.9, step=0.05, key="dropout", default=0.0, url="dropout",
                   parse=decimal(0.0, 0.9))
    shared = kept(st.toggle, tr("shared_scale"), key="shared_scale", default=False, url="shared")

lesson = build_attention_lesson(x, LessonSettings(int(d_out), int(heads), int(seed), scale, causal, dropout))
labels = tokens
weight_range = (0.0, 1.0) if shared else None
names = dict(row_title=tr("query"), col_title=tr("key"), hidden_text=tr("hidden"))


# one variant at a time: only what is on screen is computed into charts
# the numbered steps name themselves; a hidden label leaves the projector's first screen to the maps
variant = kept(st.radio, tr("variant"), key="variant", default="simplified",
               options=["simplified", "trainable", "causal", "multi"], horizontal=True,
               format_func=lambda v: tr(f"tab_{v}"), label_visibility="collapsed", url="variant")

if variant == "simplified":
    st.markdown(tr("simplified_explain"))
    left, right = st.columns(2)
    with left:
        show(heatmap(lesson.simplified.scores, labels, labels, title=tr("scores"), value_name=tr("score"),
                     **names), "simplified_scores")
    with right:
        show(heatmap(lesson.simplified.weights, labels, labels, title=tr("weights"), value_name=tr("weight"),
                     extra={tr("score"): lesson.simplified.scores}, zrange=weight_range, **names), "simplified_weights")
    numbers_expander(lesson.simplified.weights, labels, "simplified_weights", lesson.simplified.scores,
            lesson.simplified.context)

elif variant == "trainable":
    st.markdown(tr("trainable_explain"))
    result = lesson.trainable
    left, right = st.columns(2)
    with left:
        show(heatmap(result.masked_scores, labels, labels, title=tr("scores"), value_name=tr("score"),
                     hidden=result.mask, **names), "trainable_scores")
    with right:
        show(heatmap(result.weights, labels, labels, title=tr("weights"), value_name=tr("weight"),
                     hidden=result.mask, extra={tr("score"): result.scores}, zrange=weight_range, **names),
             "trainable_weights")
    if dropout > 0:
        show(heatmap(result.dropped_weights, labels, labels, title=tr("dropped_weights"), value_name=tr("weight"),
                     hidden=result.mask, **names), "trainable_dropped")
    numbers_expander(result.weights, labels, "trainable_weights", result.masked_scores, result.context)

elif variant == "causal":
    st.markdown(tr("causal_explain"))
    result = lesson.causal
    mask_values = result.mask.float()
    cols = st.columns(3)
    with cols[0]:
        show(heatmap(mask_values, labels, labels, title=tr("mask"), value_name=tr("mask_value"), **names),
             "causal_mask")
    with cols[1]:
        show(heatmap(result.masked_scores, labels, labels, title=tr("masked_scores"), value_name=tr("score"),
                     hidden=result.mask, **names), "causal_masked_scores")
    with cols[2]:
        show(heatmap(result.weights, labels, labels, title=tr("weights_method_mask"), value_name=tr("weight"),
                     hidden=result.mask, extra={tr("score"): result.scores}, zrange=weight_range, **names),
             "causal_weights")
    left, right = st.columns([1, 2])
    with left:
        show(heatmap(lesson.causal_renormalised, labels, labels, title=tr("weights_method_renorm"),
                     value_name=tr("weight"), hidden=result.mask, zrange=weight_range, **names), "causal_renorm")
    with right:
        st.success(tr("methods_agree", diff=f"{lesson.causal_methods_max_difference:.2e}"))
        st.markdown(tr("causal_methods_explain"))
    numbers_expander(result.weights, labels, "causal_weights", result.masked_scores, result.context)

else:
    st.markdown(tr("multi_explain_one" if int(d_out) == int(heads) else "multi_explain", heads=int(heads),
                   size=int(d_out) // int(heads)))
    result = lesson.multi_head
    if st.session_state.get("_avg_heads_for") != int(heads):  # a new head count: average all its heads again
        st.session_state.pop("avg_heads", None)
        st.session_state["_avg_heads_for"] = int(heads)
    chosen = heads_picker("avg_heads", int(heads), url="avg")
    head_range = value_range(result.weights) if shared else weight_range
    average = per_head_and_average(result.weights, labels, chosen, key="multi", value_name=tr("weight"), axes=names,
                                   zrange=head_range, hidden=result.mask,
                                   extra=[{tr("score"): s} for s in result.scores],
                                   beside=lambda: st.markdown(tr("multi_average_explain")))
    if average is not None:
        numbers_expander(average, labels, "multi_head_average", context=result.context)
