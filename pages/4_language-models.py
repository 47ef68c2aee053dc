"""Language models (text): character models trained on one corpus read what a learner types, side by side."""

import streamlit as st

import gmlp_core.ui  # noqa: F401  first of ours, whole: concurrent first runs (gmlp_core/__init__.py)

from gmlp_core.analysis.language import char_labels
from gmlp_core.lessons.text import EXAMPLE_PROMPTS
from gmlp_core.models import ARCHS, SPATIAL_W
from gmlp_core.ui import lm_cache
from gmlp_core.ui.checkpoints import language_model_sets
from gmlp_core.ui.frame import require_frame
from gmlp_core.ui.i18n import corpus_language, corpus_title
from gmlp_core.ui.inputs import text_with_examples
from gmlp_core.ui.layout import grid, setup_page
from gmlp_core.ui.locale import lang, num, tr
from gmlp_core.ui.markdown import literal
from gmlp_core.ui.plots import surprise_figure
from gmlp_core.ui.sections import choice_buttons, show
from gmlp_core.ui.views.language import LanguagePage, generate_view, model_view, training_view

require_frame()  # a fresh server can run this file without app.py: run the app instead

setup_page("lm_title")
st.caption(tr("lm_intro"))
sets = language_model_sets()
if not sets:
    st.error(tr("lm_missing"))
    st.stop()

# ---- which models: one set per corpus, the interface's language first
corpora = sorted(sets, key=lambda c: (corpus_language(c) != lang(), c))
corpus = choice_buttons(tr("lm_models"), "lm_set", corpora, corpora[0], "models",
                        lambda c: corpus_title(c, lang())) if len(corpora) > 1 else corpora[0]
models = sets[corpus]
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
page = LanguagePage(models, files, text, labels, tokenizer)
names = page.names
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
    series = {names[arch]: (r.surprise, lm_cache.guesses(*files[arch], text)) for arch, r in readings.items()}
    show(surprise_figure(labels, series, tr("lm_surprise_title"), tr("lm_nats"), tr("lm_char"), tr("lm_guesses")),
         "surprise")
    st.caption(tr("lm_surprise_explain"))

# ---- one view at a time: each model (what it can show), its training, and writing on
# a view for each family with something to show; views and links use the command line's short names
by_short = {ARCHS[arch].short: arch for arch in models if ARCHS[arch].shows}
view_titles = {**{short: names[arch] for short, arch in by_short.items()},
               "training": tr("lm_view_training"), "generate": tr("lm_view_generate")}
view = choice_buttons(tr("lm_view"), "lm_view", view_titles,
                      next((s for s, a in by_short.items() if ARCHS[a].shows == {SPATIAL_W}), "training"), "view",
                      view_titles.get)
VIEWS = {"training": training_view, "generate": generate_view,
         **{short: lambda page, arch=arch: model_view(page, arch) for short, arch in by_short.items()}}
if view in VIEWS:
    VIEWS[view](page)
