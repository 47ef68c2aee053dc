"""gMLP Explorer: `streamlit run app.py`. Routes to the pages and shows the landing page."""

import streamlit as st

from gmlp_core.models import count_parameters
from gmlp_core.plots import history_figure
from pages._common import CHECKPOINT_DIR, DEEP_LINK_KEY, DEFAULT_CHECKPOINT, cached_checkpoint, setup_page, tr

PAGES = {  # key -> (file, URL path)
    "attention": ("pages/1_attention.py", "attention"),
    "patches": ("pages/2_patches.py", "patches"),
    "w": ("pages/3_spatial_w.py", "spatial-w"),
}


def home() -> None:
    setup_page("home_title", heading="gMLP Explorer")
    st.markdown(tr("home_intro"))
    cols = st.columns(3)
    for col, (key, (path, _)) in zip(cols, PAGES.items()):
        with col, st.container(border=True):
            st.page_link(path, label=tr(f"{key}_title"), icon=ICONS[key])
            st.caption(tr(f"{key}_blurb"))
    st.subheader(tr("lesson_title"))
    st.markdown(tr("lesson_steps"))
    model_card()


def model_card() -> None:
    st.subheader(tr("card_title"))
    path = CHECKPOINT_DIR / DEFAULT_CHECKPOINT
    if not path.exists():
        st.warning(tr("no_default_checkpoint", path=str(path)))
        return
    model, info = cached_checkpoint(str(path), path.stat().st_mtime)
    config, meta = info.config, info.meta
    test = meta.get("test", {})
    cols = st.columns(5)
    cols[0].metric(tr("card_preset"), meta.get("preset", path.stem))
    cols[1].metric(tr("card_parameters"), f"{count_parameters(model):,}")
    cols[2].metric(tr("card_patches"), f"{config.num_patches} ({config.grid_size}×{config.grid_size})")
    cols[3].metric(tr("card_heads"), config.heads)
    cols[4].metric(tr("card_top1"), f"{test['top1']:.1%}" if "top1" in test else "—")
    if test:
        st.caption(tr("card_accuracy", dataset=meta.get("dataset", "?"), n=meta.get("test_images", "?"),
                      topk=" · ".join(f"top-{k} {test[f'top{k}']:.1%}" for k in range(1, 6) if f"top{k}" in test)))
    if "device" in meta:
        st.caption(tr("card_trained", device=meta["device"], minutes=meta.get("wall_time_s", 0) / 60,
                      epochs=len(meta.get("history", [])), when=meta.get("trained_at", "?")))
    if meta.get("history"):
        st.plotly_chart(history_figure(meta["history"], tr("card_history"), tr("epoch"), tr("accuracy")),
                        width="stretch", key="history")


ICONS = {"attention": ":material/text_fields:", "patches": ":material/image:", "w": ":material/grid_on:"}

navigation = st.navigation([
    st.Page(home, title=tr("home_title"), icon=":material/home:", default=True),
    *[st.Page(path, title=tr(f"{key}_title"), icon=ICONS[key], url_path=url) for key, (path, url) in PAGES.items()],
])
deep_link = st.session_state.pop(DEEP_LINK_KEY, None)  # set by a page opened before this router ran
if deep_link in PAGES:
    st.switch_page(PAGES[deep_link][0])
navigation.run()
