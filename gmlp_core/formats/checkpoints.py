"""Save and load checkpoints of any registered arch without ever executing code from the file.

Native format: one .safetensors file; the arch name, its config and the metadata (class names,
normalisation, vocabulary, data set, training record, accuracy) travel as JSON in its header, W
snapshots as a tensor beside the weights. Files without an arch are vision models (every
checkpoint written before archs were recorded). Foreign .pt/.pth files written by torch.save are
read with weights_only=True; foreign vision layouts are renamed by the filters in layouts.py and
their config inferred from tensor shapes.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import torch
from safetensors import SafetensorError, safe_open
from safetensors.torch import load_file, save_file

from .chars import CharTokenizer
from ..errors import ExplainedError
from .layouts import LAYOUT_NORMALISATION, LayoutError, infer_vision_config, to_native
from ..models import DEFAULT_ARCH, arch_of, build_model, config_from_dict, spatial_weights

FORMAT = "gmlp-explorer/1"
SNAPSHOT_KEY = "spatial_snapshots"  # (snapshots, layers, heads, n, n) float16: W at init, then during training
WRAPPER_PREFIXES = ("module.", "_orig_mod.")
STATE_DICT_KEYS = ("model", "state_dict", "model_state_dict")
DEFAULT_MEAN = DEFAULT_STD = (0.5, 0.5, 0.5)  # for files that record no normalisation: x -> 2x - 1
IMAGENET_CLASSES = tuple((Path(__file__).parents[1] / "data" / "imagenet_classes.txt").read_text().splitlines())
CHECKPOINT_SUFFIXES = (".safetensors", ".pt", ".pth")
MAX_UPLOAD_BYTES = 200 * 2 ** 20  # Streamlit's own upload limit (server.maxUploadSize)


class CheckpointError(ExplainedError):
    """A checkpoint that cannot be loaded; the message names the file and the problem."""


@dataclass
class CheckpointInfo:
    """What a checkpoint says about its model, beside the weights."""

    path: str
    config: object  # the arch's config class (VisionConfig, LMConfig)
    meta: dict = field(default_factory=dict)
    snapshots: torch.Tensor | None = None  # (snapshots, layers, heads, n, n)
    source_format: str = "native"
    arch: str = DEFAULT_ARCH

    @property
    def class_names(self) -> tuple[str, ...]:
        """The recorded names; for files that carry none, ImageNet's for 1000 classes, else 'class 0', ..."""
        return tuple(self.meta.get("class_names") or default_class_names(self.config.num_classes))

    @property
    def mean(self) -> tuple[float, ...]:
        return tuple(self.meta.get("mean") or LAYOUT_NORMALISATION.get(self.source_format, (DEFAULT_MEAN,))[0])

    @property
    def std(self) -> tuple[float, ...]:
        return tuple(self.meta.get("std") or LAYOUT_NORMALISATION.get(self.source_format, (None, DEFAULT_STD))[1])

    @property
    def tokenizer(self) -> CharTokenizer | None:
        """The character vocabulary of a language model; None for other archs."""
        return CharTokenizer(self.meta["vocab"]) if "vocab" in self.meta else None

    @property
    def snapshot_labels(self) -> list[str]:
        if self.snapshots is None:
            return []
        return self.meta.get("snapshot_labels") or [f"snapshot {i}" for i in range(len(self.snapshots))]


def default_class_names(num_classes: int) -> list[str]:
    if num_classes == len(IMAGENET_CLASSES):
        return list(IMAGENET_CLASSES)
    return [f"class {i}" for i in range(num_classes)]


def read_class_names(path, num_classes: int) -> list[str]:
    """A UTF-8 text file, one name a line (blank lines ignored), exactly num_classes of them."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise CheckpointError(f"{path}: cannot read class names ({err}); give a UTF-8 text file, one name a line",
                              "class_names_unreadable", file=str(path), detail=str(err))
    return parse_class_names(text, num_classes, str(path))


def parse_class_names(text: str, num_classes: int, source: str = "class names") -> list[str]:
    names = [line.strip() for line in text.splitlines() if line.strip()]
    if len(names) != num_classes:
        raise CheckpointError(f"{source}: {len(names)} class names for a model with {num_classes} classes; "
                              "give one name a line, in label order", "class_names_count", file=source,
                              given=len(names), expected=num_classes)
    return names


@contextlib.contextmanager
def written_beside(path: Path):
    """Yield a path beside `path` to write to; renamed over `path` once written, removed if writing fails, so a
    write stopped part way (a session's end, a full disk) leaves the previous file whole."""
    partial = path.with_name(path.name + ".partial")
    try:
        yield partial
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def save_checkpoint(model: torch.nn.Module, path, snapshots: torch.Tensor | None = None, **metadata) -> Path:
    """Write a registered model's weights, arch, config and JSON-serialisable metadata to one .safetensors file."""
    path = Path(path)
    if path.suffix != ".safetensors":
        raise CheckpointError(f"{path}: native checkpoints are .safetensors files")
    tensors = {k: v.detach().to("cpu").contiguous() for k, v in model.state_dict().items()}
    if snapshots is not None:
        tensors[SNAPSHOT_KEY] = snapshots.detach().to("cpu", torch.float16).contiguous()  # 3 digits are plenty to draw
    try:
        meta_json = json.dumps(metadata, sort_keys=True)
    except TypeError as err:
        raise CheckpointError(f"{path}: metadata must be JSON-serialisable ({err})") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    header = {"format": FORMAT, "arch": arch_of(model), "config": model.config.to_json(), "meta": meta_json}
    with written_beside(path) as partial:
        save_file(tensors, str(partial), metadata=header)
        partial.chmod(0o644)  # safetensors writes owner-only files; a checkpoint is meant to be shared and served
    return path


def load_checkpoint(path, map_location="cpu", config=None):
    """Load any supported checkpoint -> (model in eval mode, CheckpointInfo).

    config overrides what the file says or what its shapes imply (needed only for choices that
    leave no trace in the weights).
    """
    path = Path(path)
    kind = _sniff(path)
    if kind == "safetensors":
        arch, stored_config, meta, fmt = _header(path)
        state = _read_safetensors(path)
    elif path.suffix == ".safetensors":
        held = "a pickle (torch.save) payload" if kind == "pickle" else "something else"
        raise CheckpointError(f"{path}: refused: named .safetensors but not a safetensors file (it holds {held}); "
                              "a .safetensors file must start with its 8-byte header length and a JSON header",
                              "checkpoint_disguised", file=str(path))
    elif kind == "pickle":
        state, meta, arch, stored_config = _read_torch_file(path)
        fmt = "torch"
    else:
        raise CheckpointError(f"{path}: unsupported file; accepted: .safetensors, or .pt/.pth written by torch.save",
                              "checkpoint_unknown_content", file=str(path))

    snapshots = state.pop(SNAPSHOT_KEY, None)
    state, layout = strip_prefixes(state), "native"
    try:
        if arch == DEFAULT_ARCH:
            state, layout = to_native(state)
        config = config or stored_config or infer_vision_config(state, layout)
        model = build_model(arch, config)
    except LayoutError as err:
        raise CheckpointError(f"{path}: {err}", "checkpoint_layout", file=str(path), detail=str(err)) from None
    fmt = fmt if layout == "native" else layout
    _load_strict(model, state, path)
    model.to(map_location).eval()
    if snapshots is not None:
        snapshots = snapshots.float()
    return model, CheckpointInfo(str(path), config, meta, snapshots, fmt, arch)


def load_uploaded(data: bytes, name: str, max_bytes: int = MAX_UPLOAD_BYTES):
    """A checkpoint received as bytes (an upload named `name`) -> (model, info), through load_checkpoint."""
    suffix = Path(name).suffix.lower()
    if suffix not in CHECKPOINT_SUFFIXES:
        raise CheckpointError(f"{name}: unsupported file type {suffix or '(none)'}; accepted: "
                              f"{', '.join(CHECKPOINT_SUFFIXES)}", "checkpoint_type", file=name,
                              suffix=suffix or "(none)", accepted=", ".join(CHECKPOINT_SUFFIXES))
    if len(data) > max_bytes:
        raise CheckpointError(f"{name}: the file is {len(data) / 2 ** 20:.0f} MB; the limit is {max_bytes // 2 ** 20} MB",
                              "checkpoint_too_big", file=name, mb=f"{len(data) / 2 ** 20:.0f}",
                              limit=max_bytes // 2 ** 20)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            model, info = load_checkpoint(path)
        except CheckpointError as err:
            raise err.renamed(str(path), name) from None
    info.path = name
    return model, info


def _sniff(path: Path) -> str:
    """'safetensors', 'pickle' (torch.save's zip, or a bare protocol-2+ pickle) or 'unknown', from 9 bytes."""
    if not path.is_file():
        raise CheckpointError(f"{path}: no such file")
    with path.open("rb") as file:
        start = file.read(9)
    if not start:
        raise CheckpointError(f"{path}: the file is empty", "checkpoint_empty", file=str(path))
    if len(start) == 9 and start[8:9] == b"{" and int.from_bytes(start[:8], "little") < 100_000_000:
        return "safetensors"
    return "pickle" if start[:4] == b"PK\x03\x04" or start[:1] == b"\x80" else "unknown"


def _corrupt(path: Path, kind: str, err: Exception) -> CheckpointError:
    detail = str(err).splitlines()[0] if str(err) else type(err).__name__
    return CheckpointError(f"{path}: corrupt or truncated {kind} file ({detail})", "checkpoint_corrupt",
                           file=str(path), kind=kind, detail=detail)


def _read_safetensors(path: Path) -> dict:
    try:
        return load_file(str(path))
    except (SafetensorError, ValueError, OSError) as err:
        raise _corrupt(path, "safetensors", err) from None


def _header(path: Path) -> tuple[str, object, dict, str]:
    """A safetensors header -> (arch, stored config or None, metadata, 'native' or 'safetensors')."""
    try:
        with safe_open(str(path), framework="pt") as file:
            header = file.metadata() or {}
    except (SafetensorError, ValueError, OSError) as err:
        raise _corrupt(path, "safetensors", err) from None
    arch = header.get("arch", DEFAULT_ARCH)
    try:
        config = config_from_dict(arch, json.loads(header["config"])) if "config" in header else None
        meta = json.loads(header.get("meta", "{}"))
    except (ValueError, TypeError, AttributeError) as err:
        raise CheckpointError(f"{path}: the header's arch/config/meta is invalid ({err})") from None
    return arch, config, meta, "native" if header.get("format") == FORMAT else "safetensors"


def _read_torch_file(path: Path) -> tuple[dict, dict, str, object]:
    """torch.save output -> (tensors, meta, arch, stored config or None); nothing but tensors and
    plain containers is unpickled."""
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as err:
        raise CheckpointError(
            f"{path}: refused: the file holds Python objects other than tensors and plain containers, "
            f"which could run code when loaded ({str(err).splitlines()[0]}). Re-save it with "
            f"torch.save(model.state_dict(), path)", "checkpoint_code", file=str(path)) from None
    except (RuntimeError, EOFError, zipfile.BadZipFile, OSError, ValueError) as err:
        raise _corrupt(path, "torch", err) from None
    if not isinstance(obj, dict):
        raise CheckpointError(f"{path}: expected a state_dict (a dict of tensors), got {type(obj).__name__}",
                              "checkpoint_no_tensors", file=str(path))
    meta, arch, config = {}, DEFAULT_ARCH, None
    wrapper = next((key for key in STATE_DICT_KEYS if isinstance(obj.get(key), dict)), None)
    if wrapper is not None:
        arch = obj.get("arch") if isinstance(obj.get("arch"), str) else DEFAULT_ARCH
        try:
            config = config_from_dict(arch, obj["config"]) if isinstance(obj.get("config"), dict) else None
        except ValueError as err:
            raise CheckpointError(f"{path}: the stored arch/config is invalid ({err})") from None
        meta = obj.get("meta") if isinstance(obj.get("meta"), dict) else {}
        obj = obj[wrapper]
    tensors = {k: v for k, v in obj.items() if isinstance(v, torch.Tensor)}
    if not tensors:
        raise CheckpointError(f"{path}: no tensors found; expected a state_dict, or one under "
                              f"{' / '.join(repr(k) for k in STATE_DICT_KEYS)}", "checkpoint_no_tensors", file=str(path))
    return tensors, meta, arch, config


def strip_prefixes(state: dict) -> dict:
    """Drop DistributedDataParallel's `module.` and torch.compile's `_orig_mod.` wherever they lead."""
    out = {}
    for key, value in state.items():
        while key.startswith(WRAPPER_PREFIXES):
            key = key.split(".", 1)[1]
        out[key] = value
    return out


def _load_strict(model: torch.nn.Module, state: dict, path: Path) -> None:
    """load_state_dict(strict=True); its report (missing / unexpected keys, size mismatches) becomes the error."""
    try:
        model.load_state_dict(state, strict=True)
    except RuntimeError as err:
        report = "; ".join(line.strip() for line in str(err).splitlines()[1:] if line.strip())
        raise CheckpointError(f"{path}: the weights do not match the model ({report})", "checkpoint_mismatch",
                              file=str(path), detail=report) from None


def snapshot(model: torch.nn.Module) -> torch.Tensor:
    """(layers, heads, n, n) copy of W on the CPU, for the record of W during training."""
    return spatial_weights(model).float().cpu().clone()


def list_checkpoints(folder) -> list[Path]:
    """Every checkpoint file in folder, sorted by name (training resume states, *.state.pt, left out)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.suffix in CHECKPOINT_SUFFIXES and p.is_file() and not p.name.endswith(".state.pt"))


def read_metadata(path) -> tuple[object | None, dict]:
    """Config and metadata from a safetensors checkpoint's header, without reading its weights."""
    path = Path(path)
    if _sniff(path) != "safetensors":
        return None, {}
    _, config, meta, _ = _header(path)
    return config, meta


def read_arch(path) -> str | None:
    """The arch a safetensors checkpoint records (DEFAULT_ARCH when it records none); None for other files."""
    path = Path(path)
    return _header(path)[0] if _sniff(path) == "safetensors" else None
