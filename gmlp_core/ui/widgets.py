"""What every page shares: page setup, the sidebar app.py draws once (language, checkpoint), cached
checkpoints, the samples and their gallery, the current image, a grid of columns."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import streamlit as st

from ..formats.checkpoints import (CHECKPOINT_SUFFIXES, MAX_UPLOAD_BYTES, CheckpointError, list_checkpoints, load_checkpoint,
                           load_uploaded, parse_class_names, read_arch, read_metadata)
from ..formats.images import ImageError, load_image
from .i18n import CATALOGUE, LANGUAGES, class_name, number, percent, t
from .plots import thumbnail_grid_figure

ROOT = Path(__file__).resolve().parents[2]
CHECKPOINT_DIR = ROOT / "checkpoints"
SAMPLE_DIR = Path(__file__).resolve().parent / "samples"
FAVICON = Path(__file__).resolve().parent / "favicon.png"  # a local file: no request leaves the machine for it
DEFAULT_CHECKPOINT = "s16.safetensors"
VISION = "vision"


def lang() -> str:
    return st.session_state.get("lang", "en")


def tr(key: str, **values) -> str:
    return t(key, lang(), **values)


def explain(err: Exception) -> str:
    """An error's message in the chosen language: the catalogue's sentence for its code (gmlp_core.errors),
    else (English, or an error without a code) its own English text."""
    code = getattr(err, "code", None)
    if not code or lang() not in CATALOGUE.get(f"err_{code}", {}):
        return str(err)
    values = {k: num(v) if isinstance(v, int) and not isinstance(v, bool) else v for k, v in err.values.items()}
    return tr(f"err_{code}", **values)


def num(value: float, decimals: int = 0) -> str:
    """A number in the user's language's format (1,837,514 / 1.837.514)."""
    return number(value, lang(), decimals)


def pct(fraction: float, decimals: int = 1) -> str:
    return percent(fraction, lang(), decimals)


def cls(name: str) -> str:
    """A class name in the user's language where the catalogue knows it."""
    return class_name(name, lang())


def snapshot_text(label: str) -> str:
    """A W snapshot's recorded label ('init', 'epoch 3', 'step 400') in the user's language."""
    kind, _, n = label.partition(" ")
    if label == "init":
        return tr("snapshot_init")
    if kind == "epoch" and n.isdigit():
        return tr("snapshot_epoch", n=n)
    if kind == "step" and n.isdigit():
        return tr("snapshot_step", n=n)
    return label


MARKDOWN_PUNCTUATION = set("\\`*_{}[]()<>#+-.!|~$&")


def structure_columns() -> dict[str, str]:
    """Column titles for gmlp_core.ui.tables.grid_structure_frame, in the chosen language."""
    return {key: tr(f"structure_{key}") for key in ("near", "baseline", "self_share", "peak", "explained", "symmetry")}


def persistent(key: str, default, options=None) -> None:
    """The first value of a widget whose value outlives its page (gmlp_core.ui.state.PERSISTENT) goes into
    st.session_state, and the widget is then created without a default of its own (Streamlit warns when
    a widget gets both). A kept value that is not among `options` (another checkpoint's layer, say) is
    replaced by the default."""
    value = st.session_state.get(key)
    values = value if isinstance(value, list) else [value]
    if key not in st.session_state or options is not None and not all(v in options for v in values):
        st.session_state[key] = default


def literal(text: str) -> str:
    """Text a user typed, shown as itself inside Markdown (every Markdown punctuation mark escaped)."""
    return "".join("\\" + ch if ch in MARKDOWN_PUNCTUATION else ch for ch in text)


def setup_page(title_key: str, heading: str | None = None) -> None:
    """Page config and the page heading (by default the page title)."""
    st.set_page_config(page_title=f"{tr(title_key)} · gMLP Explorer", page_icon=str(FAVICON), layout="wide")
    st.title(heading or tr(title_key))


def grid(items, per_row: int, gap: str = "small"):
    """(item, column) pairs, per_row columns a row: the small-multiples layout every page uses."""
    items = list(items)
    for start in range(0, len(items), per_row):
        yield from zip(items[start:start + per_row], st.columns(per_row, gap=gap))


def example_picker(examples, target_key: str, pick_key: str, format_func=str) -> None:
    """Example pills that write the picked example into the text widget `target_key`, once per pick,
    so the learner can then edit it (picking the same pill again does not undo the edit)."""
    example = st.pills(tr("examples"), examples, key=pick_key, format_func=format_func)
    last_key = f"_{pick_key}_last"
    if example and st.session_state.get(last_key) != example:
        st.session_state[target_key] = example
    st.session_state[last_key] = example


def text_with_examples(label: str, key: str, default: str, examples, pick_key: str, format_func=str,
                       area_height: int | None = None, max_chars: int = 2000) -> str:
    """The learner's text (a persistent widget, `default` at first) with its examples behind a button
    beside it, so a 1024x768 projector's first screen keeps its room for the charts; a text area when
    area_height is given, else one line."""
    persistent(key, default)
    typed, more = st.columns([4, 1], vertical_alignment="bottom")
    with more.popover(tr("examples"), width="stretch"):
        example_picker(examples, key, pick_key, format_func)
    if area_height:
        return typed.text_area(label, key=key, max_chars=max_chars, height=area_height)
    return typed.text_input(label, key=key, max_chars=max_chars)


# ---- the shared sidebar (drawn by app.py before the page runs)
def language_selector() -> None:
    codes = list(LANGUAGES)
    st.session_state.setdefault("lang", "en")  # kept across runs by state.keep_widget_state (PERSISTENT)
    st.sidebar.selectbox("Language / Ngôn ngữ", codes, format_func=LANGUAGES.get, key="lang")


@st.cache_resource(show_spinner=False, max_entries=8)
def cached_checkpoint(path: str, modified: float):
    """One loaded model per file version, shared by every session; used read-only under inference_mode."""
    return load_checkpoint(path)


@st.cache_data(show_spinner=False)
def checkpoint_arch(path: str, modified: float) -> str | None:
    try:
        return read_arch(path)
    except CheckpointError:
        return None


def vision_checkpoints() -> list[Path]:
    """checkpoints/ files that hold vision models (or foreign files, which load as vision)."""
    return [p for p in list_checkpoints(CHECKPOINT_DIR) if checkpoint_arch(str(p), p.stat().st_mtime) in (VISION, None)]


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
    """A checkpoint uploaded in the sidebar, loaded with the same safe loader, kept for this session only."""
    upload = st.sidebar.file_uploader(tr("upload_checkpoint", mb=MAX_UPLOAD_BYTES // 2 ** 20),
                                      type=[s.lstrip(".") for s in CHECKPOINT_SUFFIXES], key="checkpoint_upload",
                                      help=tr("upload_checkpoint_help", mb=MAX_UPLOAD_BYTES // 2 ** 20))
    if upload is None:
        return
    if st.session_state.get("uploaded_id") != upload.file_id:  # a new file: load it once
        st.session_state["uploaded_id"] = upload.file_id
        st.session_state["upload_error"] = _load_upload(upload)
    if st.session_state["upload_error"]:
        st.sidebar.error(tr("checkpoint_error", error=explain(st.session_state["upload_error"])))


def _load_upload(upload) -> CheckpointError | None:
    """Load an uploaded vision checkpoint into this session and choose it -> None, or the loader's error."""
    try:
        model, info = load_uploaded(upload.getvalue(), upload.name)
        if info.arch != VISION:
            raise CheckpointError(f"{upload.name}: a {info.arch} model; the image pages need a vision gMLP",
                                  "checkpoint_not_vision", file=upload.name, arch=info.arch)
    except CheckpointError as err:
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
    current = st.session_state.get("checkpoint", DEFAULT_CHECKPOINT)
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


def current_checkpoint():
    """(model, info) of the vision checkpoint chosen in the sidebar (s16 until one is chosen)."""
    name = st.session_state.get("checkpoint", DEFAULT_CHECKPOINT)
    if name == UPLOADED and "uploaded_checkpoint" in st.session_state:
        return st.session_state["uploaded_checkpoint"]
    names = [p.name for p in vision_checkpoints()]
    if not names:
        st.error(tr("no_checkpoints", folder=str(CHECKPOINT_DIR)))
        st.stop()
    return open_checkpoint(CHECKPOINT_DIR / (name if name in names else names[0]))


# ---- samples
def sample_paths() -> list[Path]:
    return sorted(SAMPLE_DIR.glob("*.jpg"))


def sample_class(path: Path) -> str:
    """airplane_0002.jpg -> 'airplane': the true class is the file name's first part."""
    return path.stem.rpartition("_")[0]


def sample_label(path: Path) -> str:
    """airplane_0002.jpg -> 'airplane · 0002' (the class in the user's language)"""
    return f"{cls(sample_class(path))} · {path.stem.rpartition('_')[2]}"


def clicked_index(event) -> int | None:
    """The picture a click on thumbnail_grid_figure selected (a plotly_chart selection event), or None."""
    points = ((event or {}).get("selection") or {}).get("points") or []
    return int(points[0]["point_index"]) if points else None


def _gallery_clicked(select_key: str, chart_key: str, paths: list[Path]) -> None:
    index = clicked_index(st.session_state.get(chart_key))
    if index is not None and 0 <= index < len(paths):
        st.session_state[select_key] = paths[index]


@st.cache_resource(show_spinner=False, max_entries=64)
def _gallery_figure(paths: tuple[str, ...], captions: tuple[str, ...], current: int | None, per_row: int):
    """The gallery figure, built once per (pictures, language, picture in use): st.plotly_chart only reads it."""
    return thumbnail_grid_figure([Path(p).read_bytes() for p in paths], list(captions), current, per_row)


def sample_gallery(select_key: str, current: Path, per_row: int = 5) -> None:
    """Thumbnails of every sample under the select box `select_key` (showing `current`); a click on a
    picture picks that sample there."""
    paths = sample_paths()
    chart_key = f"{select_key}_gallery"
    with st.expander(tr("gallery"), expanded=False):  # folded: it is a second way to pick, not the lesson
        figure = _gallery_figure(tuple(map(str, paths)), tuple(cls(sample_class(p)) for p in paths),
                                 paths.index(current) if current in paths else None, per_row)
        st.plotly_chart(figure, key=chart_key, on_select=lambda: _gallery_clicked(select_key, chart_key, paths),
                        selection_mode="points", width="stretch", config={"displayModeBar": False})
        st.caption(tr("gallery_help"))


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
        st.error(tr("image_error", error=explain(err)))
        return None


# ---- language models
LANGUAGE_MODELS = {"attention": "lm-attention.safetensors", "gmlp": "lm-gmlp.safetensors",
                   "amlp": "lm-amlp.safetensors"}


def language_models() -> dict:
    """{'attention' | 'gmlp' | 'amlp': (model, info, path)} for the shipped files present in checkpoints/."""
    found = {}
    for name, file in LANGUAGE_MODELS.items():
        path = CHECKPOINT_DIR / file
        if path.is_file():
            found[name] = (*open_checkpoint(path), path)
    return found
