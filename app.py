"""gMLP Explorer: `streamlit run app.py`. The frame: what every page shares (language, checkpoint),
drawn once in the sidebar, then the navigation runs the page asked for.

Page files are named after their URL paths (pages/2_patches.py is served at /patches), and each
starts with require_frame(): a fresh server's first run maps such a URL straight to the file,
outside this navigation, and the page then runs this frame instead (gmlp_core.ui.frame).
"""

import logging

import streamlit as st

if __name__ != "__main__":  # imported by `streamlit run` to find the server (the end of this file), before
    # Streamlit's runtime exists: each st.cache_data below would warn that it has no runtime yet (it gets one
    # when a script first calls it)
    logging.getLogger("streamlit.runtime.caching.cache_data_api").setLevel(logging.ERROR)

import gmlp_core.ui  # noqa: F401  first of ours, whole: concurrent first runs (gmlp_core/__init__.py)

from gmlp_core.analysis.accuracy import topk_from_record
from gmlp_core.models import count_parameters
from gmlp_core.threads import one_torch_thread
from gmlp_core.ui.charts import bundle_route, load_chart_code
from gmlp_core.ui.checkpoints import (CHECKPOINT_DIR, DEFAULT_CHECKPOINT, checkpoint_selector, current_checkpoint,
                                      current_file)
from gmlp_core.ui.frame import language_selector, within_frame
from gmlp_core.ui.janitor import start as start_janitor
from gmlp_core.ui.layout import grid, setup_page
from gmlp_core.ui.locale import date, device, num, pct, tr
from gmlp_core.ui.plots import history_figure
from gmlp_core.ui.sections import show
from gmlp_core.ui.preload import start as start_preload
from gmlp_core.ui.share import share_link
from gmlp_core.ui.state import finish_run, keep_widget_state, read_link, url_params

# One torch intra-op thread where the server starts; each script thread asks for it again (gmlp_core/threads.py)
one_torch_thread()

PAGES = {  # key -> (file, URL path, icon)
    "attention": ("pages/1_attention.py", "attention", ":material/text_fields:"),
    "patches": ("pages/2_patches.py", "patches", ":material/image:"),
    "w": ("pages/3_spatial-w.py", "spatial-w", ":material/grid_on:"),
    "lm": ("pages/4_language-models.py", "language-models", ":material/edit_note:"),
    "pg": ("pages/5_playground.py", "playground", ":material/sports_esports:"),
}


def home() -> None:
    setup_page("home_title", heading="gMLP Explorer")
    st.markdown(tr("home_intro"))
    # two cards to a row: a 1024-px projector shows whole titles
    for (key, (path, _, icon)), col in grid(PAGES.items(), 2):
        with col, st.container(border=True):
            st.page_link(path, label=tr(f"{key}_title"), icon=icon)
            st.caption(tr(f"{key}_blurb"))
    st.subheader(tr("lesson_title"))
    st.markdown(tr("lesson_steps"))
    model_card()


def model_card() -> None:
    """The checkpoint chosen in the sidebar (the image pages'): what it is, how well it does, how it trained."""
    st.subheader(tr("card_title"))
    if not (CHECKPOINT_DIR / DEFAULT_CHECKPOINT).exists() and st.session_state.get("checkpoint") is None:
        st.warning(tr("no_default_checkpoint", path=str(CHECKPOINT_DIR / DEFAULT_CHECKPOINT)))
        return
    model, info = current_checkpoint()
    file = current_file()
    config, meta = info.config, info.meta
    test = topk_from_record(meta.get("test", {}))
    name = file.stem if file is not None else tr("card_uploaded")
    facts = [(tr("card_preset"), meta.get("preset", name)), (tr("card_parameters"), num(count_parameters(model))),
             (tr("card_patches"), f"{config.num_patches} ({config.grid_size}×{config.grid_size})"),
             (tr("card_heads"), config.heads), (tr("card_top1"), pct(test[0]) if test else "—")]
    for (label, value), col in grid(facts, 3):  # five to a row cut "1,645,066" to "1,64…" on a projector
        col.metric(label, value)
    if test:
        st.caption(tr("card_accuracy", dataset=meta.get("dataset", "?"),
                      n=num(meta["test_images"]) if "test_images" in meta else "?",
                      topk=" · ".join(f"top-{k} {pct(acc)}" for k, acc in enumerate(test, start=1))))
    if "device" in meta:
        st.caption(tr("card_trained", device=device(meta["device"]), minutes=num(meta.get("wall_time_s", 0) / 60),
                      epochs=len(meta.get("history", [])), when=date(meta.get("trained_at", "?"))))
    if meta.get("history"):
        legends = {"train_top1": tr("legend_train_top1"), "val_top1": tr("legend_val_top1"),
                   "val_top5": tr("legend_val_top5")}
        show(history_figure(meta["history"], tr("card_history"), tr("epoch"), tr("accuracy"), legends),
             "history")


def main() -> None:
    """The frame, then the page asked for."""
    start_janitor()
    start_preload()  # models and first readings for every page, on a thread: no student's first visit waits
    read_link()
    keep_widget_state()
    with st.sidebar:
        load_chart_code()  # while Streamlit draws the rest, the browser gets the charts' code (and tap listener) ready
    language_selector()
    # No st.Page icons: a page's icon becomes the browser's favicon, and a :material/: one is fetched from
    # a font CDN; every page's favicon is the local file setup_page gives (the app works offline).
    navigation = st.navigation([
        st.Page(home, title=tr("home_title"), default=True),
        *[st.Page(path, title=tr(f"{key}_title"), url_path=url) for key, (path, url, _) in PAGES.items()],
    ])
    if navigation.url_path in ("", "patches", "spatial-w"):  # the pages that show a vision checkpoint
        checkpoint_selector()
    link_slot = st.sidebar.container()  # filled once the page has declared (and maybe changed) its view
    try:
        with within_frame(__file__):
            navigation.run()
    finally:  # also after a page's st.stop(): the link is the view the learner sees
        finish_run()
        share_link(link_slot, url_params())


if __name__ == "__main__":  # Streamlit runs this file as a script for every browser session
    main()
else:  # `streamlit run app.py` first imports the file to find this: the server, with the route of the charts' code
    app = st.App(__file__, routes=[bundle_route()])
