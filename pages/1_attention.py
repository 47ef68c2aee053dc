"""Attention (text): one sentence through simplified, trainable, causal and multi-head self-attention."""

import streamlit as st

import gmlp_core.ui  # noqa: F401  first of ours, whole: concurrent first runs (gmlp_core/__init__.py)

from gmlp_core.lessons import LessonSettings, build_attention_lesson, head_choices
from gmlp_core.lessons.text import EXAMPLE_SENTENCES, MAX_TOKENS, embed, embeddings_from_table, table_rows, tokenize
from gmlp_core.ui.frame import require_frame
from gmlp_core.ui.inputs import decimal_slider, embedding_table, text_with_examples
from gmlp_core.ui.layout import setup_page
from gmlp_core.ui.locale import explain, lang, tr
from gmlp_core.ui.markdown import literal
from gmlp_core.ui.state import integer, kept
from gmlp_core.ui.views.attention import CAUSAL_SWITCHABLE, VARIANTS, AttentionView

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
else:
    st.caption(tr("table_help"))
    tokens, numbers, incomplete = table_rows(embedding_table("embedding_table", url="table"))
    if incomplete:
        st.info(tr("table_incomplete", rows=", ".join(map(str, incomplete))))
    try:
        typed = embeddings_from_table(numbers) if numbers else None
    except ValueError as err:
        st.error(tr("table_error", error=explain(err)))
        typed = None

if not tokens or source == "table" and typed is None:
    st.info(tr("need_tokens"))
    st.stop()
st.caption(tr("tokens_line", n=len(tokens), tokens="  ·  ".join(literal(t) for t in tokens)))

# one variant at a time: only what is on screen is computed into charts
# the numbered steps name themselves; a hidden label leaves the projector's first screen to the maps
variant = kept(st.radio, tr("variant"), key="variant", default="simplified",
               options=list(VARIANTS), horizontal=True,
               format_func=lambda v: tr(f"tab_{v}"), label_visibility="collapsed", url="variant")

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
    # the causal switch only where it acts (step 1 is never causal, step 3 always is)
    causal = kept(st.toggle, tr("causal_toggle"), key="causal", default=False, url="causal") \
        if variant in CAUSAL_SWITCHABLE else st.session_state.get("causal", False)
    dropout = decimal_slider(tr("dropout"), 0.0, 0.9, 0.05, key="dropout", default=0.0, url="dropout")
    shared = kept(st.toggle, tr("shared_scale"), key="shared_scale", default=True, url="shared")

x = embed(tokens, dim, int(seed)) if source == "seed" else typed  # the seed's widget (and link value) first

lesson = build_attention_lesson(x, LessonSettings(int(d_out), int(heads), int(seed), scale, causal, dropout))

VARIANTS[variant](AttentionView(lesson, tokens, int(heads), int(d_out), dropout, shared))
