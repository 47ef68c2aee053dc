"""The checkpoints the pages show: cached loads shared by every session, the sidebar's choice among the
vision checkpoints and this session's upload, and the sets of language models in checkpoints/."""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path

import streamlit as st

from ..formats.checkpoints import (CHECKPOINT_SUFFIXES, MAX_UPLOAD_BYTES, CheckpointError, list_checkpoints,
                                   load_checkpoint, load_uploaded, parse_class_names, read_arch, read_metadata)
from ..models import ARCHS, DEFAULT_ARCH, archs_for
from .i18n import percent, t
from .locale import explain, lang, tr
from .state import choice, declare

ROOT = Path(__file__).resolve().parents[2]
CHECKPOINT_DIR = ROOT / "checkpoints"
DEFAULT_CHECKPOINT = "s16.safetensors"


@st.cache_resource(show_spinner=False, max_entries=16)
def cached_checkpoint(path: str, modified: float):
    """One loaded model per file version, shared by every session; used read-only under inference_mode."""
    return load_checkpoint(path)


@st.cache_data(show_spinner=False)
def checkpoint_arch(path: str, modified: float) -> str | None:
    try:
        return read_arch(path)
    except CheckpointError:
        return None


def _task(path: Path) -> str | None:
    """The task of the arch a checkpoints/ file records; foreign files load as the default (vision) arch."""
    name = checkpoint_arch(str(path), path.stat().st_mtime) or DEFAULT_ARCH
    return ARCHS[name].task if name in ARCHS else None


def vision_checkpoints() -> list[Path]:
    """checkpoints/ files that hold image models (or foreign files, which load as vision)."""
    return _vision_checkpoints(str(CHECKPOINT_DIR), _modified(CHECKPOINT_DIR))


def _modified(folder: Path) -> float | None:
    try:
        return folder.stat().st_mtime
    except OSError:
        return None


@st.cache_data(show_spinner=False, max_entries=8, ttl=10)
def _vision_checkpoints(folder: str, modified: float | None) -> list[Path]:
    """The listing, made again when a file is added, removed or renamed (the folder's time changes) and at least
    every 10 s (a file written over in place): every page's rerun asks for it."""
    return [p for p in list_checkpoints(folder) if _task(p) == "image"]


@st.cache_data(show_spinner=False)
def checkpoint_label(path: str, modified: float, language: str = "en") -> str:
    try:
        config, meta = read_metadata(path)
    except CheckpointError:
        return Path(path).name
    if config is None:
        return Path(path).name
    accuracy = meta.get("test", {}).get("top1")
    values = dict(name=meta.get("preset") or Path(path).stem, patches=config.num_patches, heads=config.heads)
    if accuracy is None:
        return t("checkpoint_label", language, **values)
    return t("checkpoint_label_top1", language, top1=percent(accuracy, language), **values)


UPLOADED = "uploaded"  # the selector's entry for this session's uploaded checkpoint


def checkpoint_uploader() -> None:
    """A checkpoint uploaded in the sidebar, loaded with the same safe loader, kept for this session only.

    Once read, the uploader is replaced by a fresh one (a new key), so Streamlit lets go of the file's bytes: a
    session holds the loaded model (or, after a refusal, only the short error), not the upload as well."""
    round_ = st.session_state.get("_upload_round", 0)
    upload = st.sidebar.file_uploader(tr("upload_checkpoint", mb=MAX_UPLOAD_BYTES // 2 ** 20),
                                      type=[s.lstrip(".") for s in CHECKPOINT_SUFFIXES],
                                      key=f"checkpoint_upload_{round_}",
                                      help=tr("upload_checkpoint_help", mb=MAX_UPLOAD_BYTES // 2 ** 20))
    if upload is not None:
        st.session_state["upload_error"] = _load_upload(upload)
        st.session_state["_upload_round"] = round_ + 1
        del upload
        st.rerun()
    if st.session_state.get("upload_error"):
        st.sidebar.error(tr("checkpoint_error", error=explain(st.session_state["upload_error"])))


def _load_upload(upload) -> CheckpointError | None:
    """Load an uploaded vision checkpoint into this session and choose it -> None, or the loader's error."""
    try:
        model, info = load_uploaded(upload.getvalue(), upload.name)
        if ARCHS[info.arch].task != "image":
            raise CheckpointError(f"{upload.name}: a {info.arch} model; the image pages need a vision gMLP",
                                  "checkpoint_not_vision", file=upload.name, arch=info.arch)
    except CheckpointError as err:
        err.__context__ = err.__traceback__ = None  # kept for the session: it must not hold the half-built model
        return err
    st.session_state["uploaded_checkpoint"] = (model, info)
    st.session_state["checkpoint"] = UPLOADED
    return None


def class_names_uploader() -> None:
    """Class names for this session's uploaded checkpoint: a text file, one name a line, in label order."""
    if "uploaded_checkpoint" not in st.session_state:
        return
    model, info = st.session_state["uploaded_checkpoint"]
    upload = st.sidebar.file_uploader(tr("upload_class_names", n=info.config.num_classes), type=["txt"],
                                      key="class_names_upload")
    if upload is None or st.session_state.get("class_names_id") == upload.file_id:
        return
    st.session_state["class_names_id"] = upload.file_id
    try:
        names = parse_class_names(upload.getvalue().decode("utf-8"), info.config.num_classes, upload.name)
    except (CheckpointError, UnicodeDecodeError) as err:
        st.sidebar.error(tr("class_names_error", error=explain(err)))
        return
    st.session_state["uploaded_checkpoint"] = (model, replace(info, meta={**info.meta, "class_names": names}))


def checkpoint_selector() -> None:
    """The sidebar's choice among the vision checkpoints in checkpoints/ (default s16) and this session's
    upload, kept in st.session_state['checkpoint'] for every page."""
    selector = st.sidebar.container()  # drawn above the uploaders, filled after them: a new upload is chosen at once
    checkpoint_uploader()
    class_names_uploader()
    names = [p.name for p in vision_checkpoints()] + [UPLOADED] * ("uploaded_checkpoint" in st.session_state)
    if not names:
        return
    declare("checkpoint", url="checkpoint", parse=choice([name for name in names if name != UPLOADED]))
    current = st.session_state.get("checkpoint", DEFAULT_CHECKPOINT)  # a link's checkpoint, applied just above
    st.session_state["checkpoint_widget"] = current if current in names else names[0]
    labels = {name: checkpoint_label(str(CHECKPOINT_DIR / name), (CHECKPOINT_DIR / name).stat().st_mtime, lang())
              for name in names if name != UPLOADED}
    if UPLOADED in names:
        labels[UPLOADED] = tr("uploaded_label", name=st.session_state["uploaded_checkpoint"][1].path)
    selector.selectbox(tr("checkpoint"), names, key="checkpoint_widget", format_func=labels.get,
                         on_change=lambda: st.session_state.update(checkpoint=st.session_state["checkpoint_widget"]))
    st.session_state["checkpoint"] = st.session_state["checkpoint_widget"]


def open_checkpoint(path: Path):
    """(model, info) for a checkpoint file, cached; an error shown and the page stopped when it cannot load."""
    try:
        return cached_checkpoint(str(path), path.stat().st_mtime)
    except (CheckpointError, OSError) as err:
        st.error(tr("checkpoint_error", error=explain(err)))
        st.stop()


def current_file() -> Path | None:
    """The checkpoints/ file chosen in the sidebar (s16 until one is chosen); None while this session's upload is."""
    name = st.session_state.get("checkpoint", DEFAULT_CHECKPOINT)
    if name == UPLOADED and "uploaded_checkpoint" in st.session_state:
        return None
    names = [p.name for p in vision_checkpoints()]
    if not names:
        st.error(tr("no_checkpoints", folder=str(CHECKPOINT_DIR)))
        st.stop()
    return CHECKPOINT_DIR / (name if name in names else names[0])


def current_checkpoint():
    """(model, info) of the vision checkpoint chosen in the sidebar (s16 until one is chosen)."""
    file = current_file()
    return st.session_state["uploaded_checkpoint"] if file is None else open_checkpoint(file)


# ---- language models
@st.cache_data(show_spinner=False)
def trained_on(path: str, modified: float) -> str:
    """The corpus a language checkpoint records ('tinyshakespeare/input.txt'), '' when it records none."""
    try:
        return str(read_metadata(path)[1].get("dataset", ""))
    except CheckpointError:
        return ""


def language_model_sets() -> dict[str, dict[str, tuple]]:
    """{corpus: {arch: (model, info, path)}} for every text-arch checkpoint in checkpoints/, grouped by the corpus
    it was trained on, archs in registry order (what the Language models page compares side by side)."""
    return _language_model_sets(tuple((path, path.stat().st_mtime) for path in list_checkpoints(CHECKPOINT_DIR)))


@functools.lru_cache(maxsize=4)
def _language_model_sets(files: tuple[tuple[Path, float], ...]) -> dict[str, dict[str, tuple]]:
    """The sets for one version of the folder (its files and their times): made once, not on every rerun (three
    cached calls a file); a file that cannot load stops the page and is tried again on the next run."""
    recorded = [(path, modified, checkpoint_arch(str(path), modified)) for path, modified in files]
    sets: dict[str, dict[str, tuple]] = {}
    for name in archs_for("text"):
        for path, modified in ((p, m) for p, m, arch in recorded if arch == name):
            corpus = trained_on(str(path), modified)
            sets.setdefault(corpus, {}).setdefault(name, (*open_checkpoint(path), path))
    return sets
