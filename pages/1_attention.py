"""Attention (text): one sentence through simplified, trainable, causal and multi-head self-attention."""

import streamlit as st

from gmlp_core.lessons.steps import LessonSettings, build_attention_lesson, head_choices
from gmlp_core.models import head_average
from gmlp_core.lessons.text import (EXAMPLE_EMBEDDINGS, EXAMPLE_SENTENCES, EXAMPLE_TOKENS, MAX_TOKENS, embed,
                            embeddings_from_table, table_rows, tokenize)
from gmlp_core.ui.frame import require_frame
from gmlp_core.ui.plots import heatmap, value_range
from gmlp_core.ui.tables import matrix_csv, matrix_frame
from gmlp_core.ui.widgets import explain, grid, lang, literal, persistent, setup_page, text_with_examples, tr

require_frame()  # a fresh server can run this file without app.py: run the app instead

DEFAULTS = LessonSettings()

setup_page("attention_title")
st.caption(tr("attention_intro"))

# ---- input: sentence and embeddings
with st.sidebar:  # the input settings live beside the other controls, so the first screen holds a chart
    source = st.radio(tr("embedding_source"), ["seed", "table"], key="embedding_source",
                      format_func=lambda s: tr(f"embedding_{s}"))
    persistent("embedding_dim", 8)
    dim = st.slider(tr("embedding_dim"), 2, 32, key="embedding_dim") if source == "seed" else None
if source == "seed":
    first = EXAMPLE_SENTENCES[2 if lang() == "vi" else 0]  # Vietnamese class: Vietnamese
    sentence = text_with_examples(tr("sentence"), "sentence", first, EXAMPLE_SENTENCES, "example_pick")
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
    persistent("d_out", DEFAULTS.d_out)
    d_out = st.number_input(tr("d_out"), 1, 64, key="d_out")
    choices = head_choices(int(d_out))
    persistent("heads", choices[min(1, len(choices) - 1)], choices)
    heads = st.selectbox(tr("heads"), choices, key="heads")
    persistent("seed", DEFAULTS.seed)
    seed = st.number_input(tr("seed"), 0, 10_000, key="seed")
    persistent("scale", True)
    scale = st.toggle(tr("scale"), key="scale")
    causal = st.toggle(tr("causal_toggle"), key="causal")
    dropout = st.slider(tr("dropout"), 0.0, 0.9, step=0.05, key="dropout")
    shared = st.toggle(tr("shared_scale"), key="shared_scale")

lesson = build_attention_lesson(x, LessonSettings(int(d_out), int(heads), int(seed), scale, causal, dropout))
labels = tokens
weight_range = (0.0, 1.0) if shared else None
names = dict(row_title=tr("query"), col_title=tr("key"), hidden_text=tr("hidden"))


def show(figure, key):
    st.plotly_chart(figure, width="stretch", key=key)


def numbers(weights, key, scores=None, context=None):
    """The weights as a table (and the scores and context behind them) with a CSV of the weights."""
    with st.expander(tr("numbers")):
        st.markdown(f"**{tr('weights')}**")
        st.dataframe(matrix_frame(weights, labels, labels), width="stretch")
        st.download_button(tr("download_csv"), matrix_csv(weights, labels, labels), f"{key}.csv", "text/csv",
                           key=f"dl_{key}")
        if scores is not None:
            st.markdown(f"**{tr('scores')}**")
            st.dataframe(matrix_frame(scores, labels, labels), width="stretch")
        if context is not None:
            st.markdown(f"**{tr('context')}**")
            st.dataframe(matrix_frame(context, labels, [f"d{i + 1}" for i in range(context.shape[1])]), width="stretch")


# one variant at a time: only what is on screen is computed into charts
# the numbered steps name themselves; a hidden label leaves the projector's first screen to the maps
variant = st.radio(tr("variant"), ["simplified", "trainable", "causal", "multi"], horizontal=True, key="variant",
                   format_func=lambda v: tr(f"tab_{v}"), label_visibility="collapsed")

if variant == "simplified":
    st.markdown(tr("simplified_explain"))
    left, right = st.columns(2)
    with left:
        show(heatmap(lesson.simplified.scores, labels, labels, title=tr("scores"), value_name=tr("score"),
                     **names), "simplified_scores")
    with right:
        show(heatmap(lesson.simplified.weights, labels, labels, title=tr("weights"), value_name=tr("weight"),
                     extra={tr("score"): lesson.simplified.scores}, zrange=weight_range, **names), "simplified_weights")
    numbers(lesson.simplified.weights, "simplified_weights", lesson.simplified.scores, lesson.simplified.context)

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
    numbers(result.weights, "trainable_weights", result.masked_scores, result.context)

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
    numbers(result.weights, "causal_weights", result.masked_scores, result.context)

else:
    st.markdown(tr("multi_explain_one" if int(d_out) == int(heads) else "multi_explain", heads=int(heads),
                   size=int(d_out) // int(heads)))
    result = lesson.multi_head
    if st.session_state.get("_avg_heads_for") != int(heads):  # a new head count: average all its heads again
        st.session_state["avg_heads"] = list(range(int(heads)))
        st.session_state["_avg_heads_for"] = int(heads)
    chosen = st.multiselect(tr("heads_to_average"), list(range(int(heads))), format_func=lambda h: tr("head_n", n=h),
                            key="avg_heads")
    head_range = value_range(result.weights) if shared else weight_range
    for h, col in grid(range(int(heads)), min(int(heads), 2)):
        with col:
            show(heatmap(result.weights[h], labels, labels, title=tr("head_n", n=h), value_name=tr("weight"),
                         hidden=result.mask, extra={tr("score"): result.scores[h]}, zrange=head_range,
                         height=300, compact=True, **names), f"head_{h}")
    if chosen:
        average = head_average(result.weights, chosen)
        left, right = st.columns(2)
        with left:
            show(heatmap(average, labels, labels, title=tr("average_of", heads=", ".join(map(str, sorted(chosen)))),
                         value_name=tr("weight"), hidden=result.mask, zrange=head_range, **names), "head_average")
        with right:
            st.markdown(tr("multi_average_explain"))
        numbers(average, "multi_head_average", context=result.context)
    else:
        st.info(tr("choose_a_head"))
