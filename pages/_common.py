"""Widgets every page shares: language, checkpoint choice (cached model), the current image."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from gmlp_core.checkpoints import CheckpointError, list_checkpoints, load_checkpoint, read_metadata
from gmlp_core.i18n import LANGUAGES, t
from gmlp_core.images import ImageError, load_image

ROOT = Path(__file__).resolve().parents[1]
CHECKPOINT_DIR = ROOT / "checkpoints"
SAMPLE_DIR = ROOT / "gmlp_core" / "samples"
DEFAULT_CHECKPOINT = "s16.safetensors"


def lang() -> str:
    return st.session_state.get("lang", "en")


def tr(key: str, **values) -> str:
    return t(key, lang(), **values)


DEEP_LINK_KEY = "_deep_link"


def route_through_app(page_key: str) -> None:
    """Send a page that runs without app.py's router back through it, remembering where it was going.

    A fresh server's first script run uses Streamlit's old pages/-folder mode: a deep link such as
    /patches then runs the page file alone, with the raw file list as navigation. app.py reads
    DEEP_LINK_KEY and switches to the page once its own navigation is in place.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if getattr(PagesManager, "uses_pages_directory", False):
        st.session_state[DEEP_LINK_KEY] = page_key
        st.switch_page("app.py")


def setup_page(title_key: str, heading: str | None = None, layout: str = "wide") -> None:
    """Page config, the language switch in the sidebar, the page heading (by default the page title)."""
    route_through_app(title_key.removesuffix("_title"))
    st.set_page_config(page_title=f"{tr(title_key)} · gMLP Explorer", page_icon=":material/grid_on:", layout=layout)
    codes = list(LANGUAGES)
    choice = st.sidebar.selectbox("Language / Ngôn ngữ", codes, index=codes.index(lang()),
                                  format_func=LANGUAGES.get, key="lang_widget")
    if choice != lang():
        st.session_state["lang"] = choice
        st.rerun()
    st.title(heading or tr(title_key))


@st.cache_resource(show_spinner=False, max_entries=8)
def cached_checkpoint(path: str, modified: float):
    """One loaded model per file version, shared by every session; used read-only under inference_mode."""
    return load_checkpoint(path)


@st.cache_data(show_spinner=False)
def checkpoint_label(path: str, modified: float) -> str:
    try:
        config, meta = read_metadata(path)
    except CheckpointError:
        return Path(path).name
    if config is None:
        return Path(path).name
    accuracy = meta.get("test", {}).get("top1")
    parts = [meta.get("preset") or Path(path).stem, f"{config.num_patches} patches", f"{config.heads} heads"]
    if accuracy is not None:
        parts.append(f"top-1 {accuracy:.1%}")
    return " · ".join(parts)


def checkpoint_selector():
    """Sidebar choice among checkpoints/ (default s16) -> (model, info); shows an error and stops the page
    when there is none to load."""
    paths = list_checkpoints(CHECKPOINT_DIR)
    if not paths:
        st.error(tr("no_checkpoints", folder=str(CHECKPOINT_DIR)))
        st.stop()
    names = [p.name for p in paths]
    current = st.session_state.get("checkpoint", DEFAULT_CHECKPOINT)
    index = names.index(current) if current in names else 0
    name = st.sidebar.selectbox(tr("checkpoint"), names, index=index, key="checkpoint_widget",
                                format_func=lambda n: checkpoint_label(str(CHECKPOINT_DIR / n),
                                                                       (CHECKPOINT_DIR / n).stat().st_mtime))
    st.session_state["checkpoint"] = name
    path = CHECKPOINT_DIR / name
    try:
        return cached_checkpoint(str(path), path.stat().st_mtime)
    except CheckpointError as err:
        st.error(tr("checkpoint_error", error=str(err)))
        st.stop()


def sample_paths() -> list[Path]:
    return sorted(SAMPLE_DIR.glob("*.jpg"))


def sample_class(path: Path) -> str:
    """airplane_0002.jpg -> 'airplane': the true class is the file name's first part."""
    return path.stem.rpartition("_")[0]


def sample_label(path: Path) -> str:
    """airplane_0002.jpg -> 'airplane · 0002'"""
    return f"{sample_class(path)} · {path.stem.rpartition('_')[2]}"


def _pick_sample(select_key: str, path: Path) -> None:
    st.session_state[select_key] = path


def sample_gallery(select_key: str, current: Path, columns: int = 10) -> None:
    """Thumbnails of every sample under the select box `select_key` (showing `current`); a click picks
    that sample there."""
    samples = sample_paths()
    with st.expander(tr("gallery"), expanded=True):
        for start in range(0, len(samples), columns):
            for column, path in zip(st.columns(columns, gap="small"), samples[start:start + columns]):
                with column:
                    st.image(str(path), width="stretch")
                    st.button(sample_class(path), key=f"{select_key}_pick_{path.stem}",
                              width="stretch", type="primary" if path == current else "tertiary",
                              on_click=_pick_sample, args=(select_key, path))


def current_image():
    """(PIL image, name) chosen on the Patches page, or the first sample; None with an error shown."""
    data = st.session_state.get("image_bytes")
    name = st.session_state.get("image_name")
    if data is None:
        first = sample_paths()[0]
        data, name = first.read_bytes(), sample_label(first)
    try:
        return load_image(data), name
    except ImageError as err:
        st.error(tr("image_error", error=str(err)))
        return None
