"""The sample pictures (CIFAR-10 test images shipped with the app), their gallery, and the current picture."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ..formats.images import ImageError, load_image
from .layout import box_drawn_when_open
from .locale import cls, explain, tr
from .pickers import pick, picture_tiles
from .state import choice, declare, kept

SAMPLE_DIR = Path(__file__).resolve().parent / "samples"


def sample_paths() -> list[Path]:
    return sorted(SAMPLE_DIR.glob("*.jpg"))


def sample_class(path: Path) -> str:
    """airplane_0002.jpg -> 'airplane': the true class is the file name's first part."""
    return path.stem.rpartition("_")[0]


def sample_label(path: Path) -> str:
    """airplane_0002.jpg -> 'airplane · 0002' (the class in the user's language)"""
    return f"{cls(sample_class(path))} · {path.stem.rpartition('_')[2]}"


def sample_name(path: Path) -> str:
    """How a link names a sample: airplane_0002.jpg -> 'airplane_0002'."""
    return Path(path).stem


def sample_picker(key: str, url: str | None = None) -> Path:
    """The select box of sample pictures (the first at first), kept and, with url=, in the link by its name."""
    paths = sample_paths()
    return kept(st.selectbox, tr("sample"), key=key, default=paths[0], options=paths, format_func=sample_label,
                url=url, to_text=sample_name, parse=choice(paths, sample_name))


PICTURE_SOURCES = ("sample", "upload", "camera")


def picture_source(text: str) -> str:
    """A link's picture source (url parser): a sample travels; an uploaded or camera picture stayed on the device
    it came from, so the link opens the sample instead and says so."""
    if text in ("upload", "camera"):
        raise ValueError(tr("link_picture_stayed"))
    return choice(PICTURE_SOURCES)(text)


@st.cache_resource(show_spinner=False, max_entries=64)
def _gallery_tiles(paths: tuple[str, ...], captions: tuple[str, ...]) -> list[dict]:
    """The gallery's pictures and captions, read and encoded once per language: the pages only read them."""
    return picture_tiles([Path(p).read_bytes() for p in paths], list(captions))


def sample_gallery(select_key: str, current: Path, per_row: int = 5) -> None:
    """Thumbnails of every sample under the select box `select_key` (showing `current`); a click or tap on a
    picture picks that sample there."""
    paths = sample_paths()
    gallery_key = f"{select_key}_gallery"
    # folded: a second way to pick, not the lesson; its 20 pictures are made and sent only while it is open
    gallery = box_drawn_when_open(st, tr("gallery"), f"{gallery_key}_open")
    with gallery:
        if not gallery.open:
            return
        tiles = _gallery_tiles(tuple(map(str, paths)), tuple(cls(sample_class(p)) for p in paths))
        pick(gallery_key, tiles, per_row, paths.index(current) if current in paths else None, tr("gallery"),
             lambda index: st.session_state.__setitem__(select_key, paths[index]))
        st.caption(tr("gallery_help"))


@st.cache_resource(show_spinner=False, max_entries=16)
def decoded(key: str, _data: bytes):
    """The picture in _data, decoded once per file (key: a sample's path, an upload's or a photo's id) and shared:
    a 40-megapixel upload is not decoded again on every rerun. Streamlit hashes the key, not the bytes."""
    return load_image(_data)


def current_image():
    """(key, PIL image, name) chosen on the Patches page, or the first sample; None with an error shown. The key
    names the picture's file (a sample's path, an upload's id) for the caches."""
    paths = sample_paths()
    declare("image_source", url="source", parse=picture_source)  # what this view depends on, for its link
    declare("sample", url="sample", parse=choice(paths, sample_name), to_text=sample_name)
    picture = st.session_state.get("picture")
    if picture is None:  # the Patches page has not run in this session: its sample (a link's), else the first
        first = st.session_state.get("sample") or paths[0]
        picture = str(first), first.read_bytes(), sample_label(first)
    try:
        return picture[0], decoded(*picture[:2]), picture[2]
    except ImageError as err:
        st.error(tr("image_error", error=explain(err)))
        return None
