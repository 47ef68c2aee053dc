"""Language models (text): character models trained on one corpus read what a learner types, side by side."""

import streamlit as st

from gmlp_core.analysis.language import char_labels, guesses_text
from gmlp_core.lessons.text import EXAMPLE_PROMPTS
from gmlp_core.models import ARCHS, ATTENTION_MAPS, SPATIAL_W
from gmlp_core.ui import lm_cache
from gmlp_core.ui.checkpoints import language_model_sets
from gmlp_core.ui.frame import require_frame
from gmlp_core.ui.i18n import corpus_language, corpus_title
from gmlp_core.ui.inputs import text_with_examples
from gmlp_core.ui.layout import grid, setup_page
from gmlp_core.ui.locale import lang, num, snapshot_text, tr
from gmlp_core.ui.markdown import literal
from gmlp_core.ui.plots import heatmap, loss_curves_figure, surprise_figure, value_range
from gmlp_core.ui.sections import heads_picker, layer_picker, per_head_and_average, show
from gmlp_core.ui.state import integer, kept

require_frame()  # a fresh server can run this file without app.py: run the app instead

setup_page("lm_title")
st.caption(tr("lm_intro"))
sets = language_model_sets()
if not sets:
    st.error(tr("lm_missing"))
    st.stop()

# ---- which models: one set per corpus, the interface's language first
corpora = sorted(sets, key=lambda c: (corpus_language(c) != lang(), c))
corpus = kept(st.segmented_control, tr("lm_models"), key="lm_set", default=corpora[0], options=corpora,
              format_func=lambda c: corpus_title(c, lang()), url="models") if len(corpora) > 1 else corpora[0]
corpus = corpus or corpora[0]  # a segmented control can be cleared
models = sets[corpus]
names = {arch: ARCHS[arch].title(lang()) for arch in models}
files = {arch: (str(path), path.stat().st_mtime) for arch, (_, _, path) in models.items()}
tokenizer = next(iter(models.values()))[1].tokenizer

# ---- the text
text_language = corpus_language(corpus) or lang()
prompts = EXAMPLE_PROMPTS[text_language] + tuple(p for code, ps in EXAMPLE_PROMPTS.items() if code != text_language
                                                 for p in ps)
text = text_with_examples(tr("lm_text"), "lm_text", EXAMPLE_PROMPTS[text_language][0], prompts, "lm_example",
                          format_func=lambda p: p.replace("\n", " ↵ "), area_height=80, url="text")
if not text:
    st.info(tr("lm_need_text"))
    st.stop()

readings = {arch: lm_cache.reading(*files[arch], text) for arch in models}
first = next(iter(readings.values()))
labels = char_labels(first.text)
if first.truncated:
    st.warning(tr("lm_truncated", total=first.total, limit=len(first.text)))
unknown = int(first.unknown.sum())
if unknown:
    st.warning(tr("lm_unknown", n=unknown, size=num(len(tokenizer.vocab)), corpus=corpus_title(corpus, lang()),
                  chars=literal(" ".join(sorted({c for c, u in zip(first.text, first.unknown) if u})))))
if first.text != text:  # the part of the text the models read, when it is not all of it
    st.code(first.text, language=None, wrap_lines=True)

# ---- how surprised each model is
for arch, col in grid(readings, len(readings)):
    col.metric(names[arch], num(readings[arch].mean_surprise, 2), help=tr("lm_mean_help"), delta=None)
if len(labels) > 1:
    series = {names[arch]: (r.surprise, guesses_text(models[arch][1].tokenizer, r.top_ids[:-1], r.top_probs[:-1]))
              for arch, r in readings.items()}
    show(surprise_figure(labels, series, tr("lm_surprise_title"), tr("lm_nats"), tr("lm_char"), tr("lm_guesses")),
         "surprise")
    st.caption(tr("lm_surprise_explain"))

# ---- one view at a time: each model (what it can show), its training, and writing on
# a view for each family with something to show; views and links use the command line's short names
by_short = {ARCHS[arch].short: arch for arch in models if ARCHS[arch].shows}
view_titles = {**{short: names[arch] for short, arch in by_short.items()},
               "training": tr("lm_view_training"), "generate": tr("lm_view_generate")}
view = kept(st.segmented_control, tr("lm_view"), key="lm_view",
            default=next((s for s, a in by_short.items() if ARCHS[a].shows == {SPATIAL_W}), "training"),
            options=view_titles, format_func=view_titles.get, url="view")
n = len(labels)
attention_axes = dict(row_title=tr("query"), col_title=tr("key"))
w_axes = dict(row_title=tr("output_token"), col_title=tr("input_token"))
per_row = 4 if n <= 16 else 2  # a character must stay a visible cell on a 1024-px projector


def model_view(arch: str) -> None:
    """What this family can show on the typed text: its attention maps, its causal W, or both (aMLP)."""
    model, shows, short = models[arch][0], ARCHS[arch].shows, ARCHS[arch].short
    both = {ATTENTION_MAPS, SPATIAL_W} <= shows
    st.markdown(tr("lm_amlp_explain" if both else "lm_attention_explain" if ATTENTION_MAPS in shows
                   else "lm_w_explain"))
    left, right = st.columns([1, 2])
    layer = layer_picker(f"lm_{short}_layer", model.config.depth, default=model.config.depth - 1,
                         url=f"{short}_layer", container=left)
    chosen = heads_picker(f"lm_{short}_heads", model.config.heads, url=f"{short}_heads", container=right)
    if ATTENTION_MAPS in shows:
        maps = lm_cache.attention(*files[arch], text)[layer]  # (heads, n, n)
        if maps.shape[0] == 1:  # a single head (the aMLP's tiny attention): one map, no average
            show(heatmap(maps[0], labels, labels, title=tr("lm_tiny_attention"), value_name=tr("weight"),
                         zrange=(0.0, 1.0), **attention_axes), f"lm_{short}_tiny")
        else:
            per_head_and_average(maps, labels, chosen, key=f"lm_{short}", value_name=tr("weight"),
                                 axes=attention_axes, zrange=(0.0, 1.0), per_row=per_row,
                                 head_height=420 if per_row == 2 else 300)
    if SPATIAL_W in shows:
        w = lm_cache.causal_w(*files[arch])[layer][:, :n, :n]
        per_head_and_average(w, labels, chosen, key=f"lm_{short}_w", value_name="W", axes=w_axes, signed=True,
                             zrange=value_range(w, signed=True), per_row=per_row,
                             head_height=420 if per_row == 2 else 300)
        block = model.config.block_size
        st.subheader(tr("lm_full_w", block=block))
        show(lm_cache.full_w_figure(*files[arch], layer, tuple(sorted(chosen)), tr("lm_full_w_title", block=block),
                                    **w_axes), f"lm_{short}_w_full")
        st.caption(tr("lm_full_w_explain"))


def training_view() -> None:
    histories = {names[arch]: info.meta.get("history", []) for arch, (_, info, _) in models.items()}
    show(loss_curves_figure(histories, tr("lm_curves_title"), tr("lm_step"), tr("lm_val_loss")), "lm_curves")
    st.caption(tr("lm_curves_explain", losses=" · ".join(
        f"{names[arch]} {num(info.meta['val_loss'], 3)}" for arch, (_, info, _) in models.items()
        if "val_loss" in info.meta)))
    with_w = [arch for arch, (_, info, _) in models.items() if SPATIAL_W in ARCHS[arch].shows and
              info.snapshots is not None]
    if not with_w:
        return
    arch = with_w[0]
    info = models[arch][1]
    snapshot_labels = info.snapshot_labels
    left, right = st.columns([2, 1])
    picked = kept(left.select_slider, tr("snapshot"), key="lm_snapshot", default=snapshot_labels[-1],
                  options=snapshot_labels, format_func=snapshot_text, url="snapshot")
    layer = layer_picker("lm_snapshot_layer", info.config.depth, url="snapshot_layer", container=right)
    title = tr("lm_w_at", model=names[arch], label=snapshot_text(picked), layer=layer)
    show(lm_cache.full_w_figure(*files[arch], layer, (), title, snapshot=snapshot_labels.index(picked), **w_axes),
         "lm_w_snapshot")
    st.caption(tr("lm_snapshot_explain"))


def generate_view() -> None:
    st.markdown(tr("lm_generate_explain"))
    a, b, c, d = st.columns(4)
    vocabulary = len(tokenizer.vocab)
    temperature = kept(a.slider, tr("lm_temperature"), 0.1, 2.0, step=0.1, key="lm_temperature", default=0.8,
                       url="temperature")
    top_k = kept(b.slider, tr("lm_top_k"), 1, vocabulary, key="lm_top_k", default=min(20, vocabulary),
                 url="top_k", parse=integer(1, vocabulary))
    seed = kept(c.number_input, tr("seed"), 0, 1_000_000, key="lm_seed", default=0, url="seed",
                parse=integer(0, 1_000_000))
    length = kept(d.slider, tr("lm_length"), 20, 400, step=20, key="lm_length", default=200, url="length",
                  parse=integer(20, 400))
    for arch, col in grid(models, len(models)):
        with col:
            st.markdown(f"**{literal(names[arch])}**")
            st.code(lm_cache.continuation(*files[arch], first.text, int(length), float(temperature),
                                          min(int(top_k), vocabulary), int(seed)), language=None, wrap_lines=True)


if view == "training":
    training_view()
elif view == "generate":
    generate_view()
elif view in by_short:
    model_view(by_short[view])
