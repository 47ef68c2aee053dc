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
import math
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
from ..models import (ARCHS, ATTENTION_MAPS, DEFAULT_ARCH, SPATIAL_W, arch_of, attention_maps, build_model,
                      config_from_dict, spatial_weights)
from .bounds import TooLarge, check_config, check_parameters, check_tensors
from .layouts import LAYOUT_NORMALISATION, LayoutError, infer_vision_config, to_native

FORMAT = "gmlp-explorer/1"
SNAPSHOT_KEY = "spatial_snapshots"  # (snapshots, layers, heads, n, n) float16: W at init, then during training
ATTENTION_SNAPSHOT_KEY = "attention_snapshots"  # the same for attention maps on one recorded example sequence
WRAPPER_PREFIXES = ("module.", "_orig_mod.")
STATE_DICT_KEYS = ("model", "state_dict", "model_state_dict")
DEFAULT_MEAN = DEFAULT_STD = (0.5, 0.5, 0.5)  # for files that record no normalisation: x -> 2x - 1
IMAGENET_CLASSES = tuple((Path(__file__).parents[1] / "data" / "imagenet_classes.txt").read_text().splitlines())
CHECKPOINT_SUFFIXES = (".safetensors", ".pt", ".pth")
MAX_UPLOAD_BYTES = 200 * 2 ** 20  # Streamlit's own upload limit (server.maxUploadSize, in MiB)
MAX_SNAPSHOTS = 512
REPORT_CHARS = 400  # of load_state_dict's report in an error: the first mismatches say what is wrong


class CheckpointError(ExplainedError):
    """A checkpoint that cannot be loaded; the message names the file and the problem."""


@dataclass
class CheckpointInfo:
    """What a checkpoint says about its model, beside the weights."""

    path: str
    config: object  # the arch's config class (VisionConfig, LMConfig)
    meta: dict = field(default_factory=dict)
    snapshots: torch.Tensor | None = None  # (snapshots, layers, heads, n, n)
    attention_snapshots: torch.Tensor | None = None  # (snapshots, layers, heads, n, n) on a recorded example
    source_format: str = "native"
    arch: str = DEFAULT_ARCH

    @property
    def class_names(self) -> tuple[str, ...]:
        """The recorded names; for files that carry none, ImageNet's for 1000 classes, else 'class 0', ..."""
        return tuple(self.meta.get("class_names") or default_class_names(self.config.num_classes))

    @property
    def mean(self) -> tuple[float, ...]:
        return self._normalisation("mean", 0, DEFAULT_MEAN)

    @property
    def std(self) -> tuple[float, ...]:
        return self._normalisation("std", 1, DEFAULT_STD)

    def _normalisation(self, field: str, index: int, default: tuple) -> tuple[float, ...]:
        """What the file records, else its layout's (timm's ImageNet constants), else x -> 2x - 1, per channel."""
        channels = getattr(self.config, "in_chans", 3)
        values = self.meta.get(field) or LAYOUT_NORMALISATION.get(self.source_format, (DEFAULT_MEAN, DEFAULT_STD))[index]
        return tuple(values) if len(values) == channels else (default[0],) * channels

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


def save_checkpoint(model: torch.nn.Module, path, snapshots: torch.Tensor | None = None,
                    attention_snapshots: torch.Tensor | None = None, **metadata) -> Path:
    """Write a registered model's weights, arch, config and JSON-serialisable metadata to one .safetensors file;
    snapshots: W during training, attention_snapshots: attention maps on one example during training."""
    path = Path(path)
    if path.suffix != ".safetensors":
        raise CheckpointError(f"{path}: native checkpoints are .safetensors files")
    tensors = {k: v.detach().to("cpu").contiguous() for k, v in model.state_dict().items()}
    if snapshots is not None:
        tensors[SNAPSHOT_KEY] = snapshots.detach().to("cpu", torch.float16).contiguous()  # 3 digits are plenty to draw
    if attention_snapshots is not None:
        tensors[ATTENTION_SNAPSHOT_KEY] = attention_snapshots.detach().to("cpu", torch.float16).contiguous()
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
    leave no trace in the weights). A refusal is a CheckpointError that holds nothing of what was read
    (no chained error, no traceback into the frames that held the tensors or a half-built model).
    """
    try:
        return _load(Path(path), map_location, config)
    except CheckpointError as err:
        error = _bare(err)
    raise error


def _bare(err: CheckpointError) -> CheckpointError:
    err.__context__ = err.__cause__ = None
    return err.with_traceback(None)


def _load(path: Path, map_location, config):
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

    _check_arch(arch, path)
    snapshots, maps = state.pop(SNAPSHOT_KEY, None), state.pop(ATTENTION_SNAPSHOT_KEY, None)
    state, layout = strip_prefixes(state, path), "native"
    try:
        check_tensors(state)
        if arch == DEFAULT_ARCH:
            state, layout = to_native(state)
        config = config or stored_config or (infer_vision_config(state, layout) if arch == DEFAULT_ARCH else None)
        if config is None:
            raise LayoutError(f"a {arch} checkpoint must record its config")
        check_config(config)
        if getattr(config, "depth", 1) < 1:
            raise LayoutError("depth 0: the model has no gMLP block, so no W to show")
        check_parameters(lambda: build_model(arch, config))  # on the meta device: nothing allocated yet
        model = build_model(arch, config)
    except TooLarge as err:
        raise CheckpointError(f"{path}: refused: {err}", "checkpoint_too_large", file=str(path),
                              detail=str(err)) from None
    except (LayoutError, ValueError, TypeError) as err:
        raise CheckpointError(f"{path}: {err}", "checkpoint_layout", file=str(path), detail=str(err)) from None
    fmt = fmt if layout == "native" else layout
    _load_strict(model, state, path)
    model.to(map_location).eval()
    snapshots = _checked_snapshots(snapshots, model, path)
    maps = _checked_snapshots(maps, model, path, ATTENTION_SNAPSHOT_KEY)
    meta = _checked_meta(meta, config, snapshots, path)
    return model, CheckpointInfo(str(path), config, meta, snapshots, maps, fmt, arch)


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
    error = None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            model, info = load_checkpoint(path)
        except CheckpointError as err:
            error = err.renamed(str(path), name)
    if error is not None:
        raise error  # outside the except block: nothing chained to it
    info.path = name
    return model, info


def _check_arch(arch, path: Path) -> None:
    """Raise CheckpointError unless the arch a file records (header or torch dict) is a registered one."""
    if arch not in ARCHS:
        accepted = ", ".join(sorted(ARCHS))
        raise CheckpointError(f"{path}: unknown arch {arch!r:.60}; accepted: {accepted}", "checkpoint_arch",
                              file=str(path), arch=f"{arch!r:.60}", accepted=accepted)


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
    _check_arch(arch, path)
    try:
        config = config_from_dict(arch, json.loads(header["config"])) if "config" in header else None
        meta = json.loads(header.get("meta", "{}"))
    except (ValueError, TypeError, AttributeError, RecursionError) as err:
        detail = str(err) if not isinstance(err, RecursionError) else "nested too deep"
        raise CheckpointError(f"{path}: the header's config/meta is invalid ({detail[:300]})", "checkpoint_config",
                              file=str(path), detail=detail[:300]) from None
    return arch, config, meta, "native" if header.get("format") == FORMAT else "safetensors"


def _check_zip(path: Path) -> None:
    """torch.save's zip stores its entries uncompressed: a compressed entry (which could inflate to any size, or
    cost minutes of CPU before the unpickler refuses it) is refused before anything is read."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile:
        return  # not a zip: a bare protocol-2+ pickle, read as is by the restricted unpickler
    size = path.stat().st_size
    for entry in entries:
        if entry.compress_type != zipfile.ZIP_STORED or entry.file_size > size:
            raise CheckpointError(f"{path}: refused: entry {entry.filename[:80]!r} is compressed; torch.save writes "
                                  "its entries uncompressed", "checkpoint_compressed", file=str(path))


def _read_torch_file(path: Path) -> tuple[dict, dict, str, object]:
    """torch.save output -> (tensors, meta, arch, stored config or None); nothing but tensors and
    plain containers is unpickled."""
    _check_zip(path)
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as err:
        raise CheckpointError(
            f"{path}: refused: the file holds Python objects other than tensors and plain containers, "
            f"which could run code when loaded ({str(err).splitlines()[0]}). Re-save it with "
            f"torch.save(model.state_dict(), path)", "checkpoint_code", file=str(path)) from None
    except (RuntimeError, EOFError, zipfile.BadZipFile, OSError, ValueError, IndexError, KeyError, TypeError,
            AttributeError, RecursionError, MemoryError) as err:  # what a damaged or crafted pickle raises
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


def strip_prefixes(state: dict, path="state_dict") -> dict:
    """Drop DistributedDataParallel's `module.` and torch.compile's `_orig_mod.` wherever they lead."""
    out = {}
    for key, value in state.items():
        if not isinstance(key, str):
            raise CheckpointError(f"{path}: a state_dict's keys are parameter names (text), found {key!r:.40}",
                                  "checkpoint_no_tensors", file=str(path))
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
        report = report if len(report) <= REPORT_CHARS else report[:REPORT_CHARS] + " …"
        raise CheckpointError(f"{path}: the weights do not match the model ({report})", "checkpoint_mismatch",
                              file=str(path), detail=report) from None


SNAPSHOT_KINDS = {  # tensor key -> (what the family must show, what is recorded, its shape for one snapshot)
    SNAPSHOT_KEY: (SPATIAL_W, "W snapshots", lambda model: spatial_weights(model).shape),
    ATTENTION_SNAPSHOT_KEY: (ATTENTION_MAPS, "attention snapshots", lambda model: attention_maps(
        model, torch.zeros(model.config.block_size, dtype=torch.long)).shape),
}


def _checked_snapshots(snapshots: torch.Tensor | None, model: torch.nn.Module, path: Path,
                       key: str = SNAPSHOT_KEY) -> torch.Tensor | None:
    """(snapshots, layers, heads, n, n) float, matching the model's W (or attention maps); anything else is
    refused."""
    if snapshots is None:
        return None
    shows, what, shape_of = SNAPSHOT_KINDS[key]
    if shows not in ARCHS[arch_of(model)].shows or (shows == SPATIAL_W and not len(
            getattr(getattr(model, "gmlp", None), "blocks", []))):
        raise CheckpointError(f"{path}: {what} for a model that has none", "checkpoint_meta",
                              file=str(path), field=key)
    expected = tuple(shape_of(model))
    if snapshots.dim() != 5 or tuple(snapshots.shape[1:]) != expected or not 1 <= len(snapshots) <= MAX_SNAPSHOTS:
        raise CheckpointError(f"{path}: {key} is {tuple(snapshots.shape)}; expected (1..{MAX_SNAPSHOTS}, "
                              f"{', '.join(map(str, expected))}) for this model", "checkpoint_meta", file=str(path),
                              field=key)
    return snapshots.float()


def _checked_meta(meta, config, snapshots, path: Path) -> dict:
    """The metadata a page reads, checked: class names, normalisation and snapshot labels of the right kind and
    number; anything a page cannot show is refused with the field's name."""
    def refuse(field: str, expected: str):
        return CheckpointError(f"{path}: meta field {field!r} must be {expected}", "checkpoint_meta",
                               file=str(path), field=field)

    if not isinstance(meta, dict):
        raise refuse("meta", "an object")
    names = meta.get("class_names")
    classes = getattr(config, "num_classes", None)
    if names is not None and not (isinstance(names, list) and len(names) == classes
                                  and all(isinstance(n, str) and n for n in names)):
        raise refuse("class_names", f"a list of {classes} non-empty names")
    for name in ("mean", "std"):
        values = meta.get(name)
        channels = getattr(config, "in_chans", None)
        if values is not None and not (isinstance(values, list) and len(values) == channels and all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in values)
                and (name == "mean" or all(v > 0 for v in values))):
            raise refuse(name, f"a list of {channels} finite numbers{' > 0' * (name == 'std')}")
    labels = meta.get("snapshot_labels")
    if labels is not None and not (isinstance(labels, list) and len(labels) == (0 if snapshots is None else
                                                                                len(snapshots))
                                   and all(isinstance(x, str) for x in labels)):
        raise refuse("snapshot_labels", "a list of one text per W snapshot")
    vocab = meta.get("vocab")
    if vocab is not None:
        if not isinstance(vocab, str) or len(vocab) + 1 != getattr(config, "vocab_size", -1):
            raise refuse("vocab", f"the model's {getattr(config, 'vocab_size', '?')} - 1 characters")
        try:
            CharTokenizer(vocab)
        except ValueError as err:
            raise refuse("vocab", f"distinct characters ({err})") from None
    return meta


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
