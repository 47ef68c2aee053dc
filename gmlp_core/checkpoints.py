"""Save and load gMLP checkpoints without ever executing code from the file.

Native format: one .safetensors file; the ModelConfig and the metadata (class names, normalisation,
data set, training record, accuracy) travel as JSON in its header, W snapshots as tensors beside
the weights. Foreign .pt/.pth files written by torch.save are read with weights_only=True, and
their config inferred from tensor shapes when they carry none.
"""

from __future__ import annotations

import io
import json
import pickle
import re
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import torch
from safetensors import SafetensorError
from safetensors.torch import load as safetensors_load
from safetensors.torch import save_file

from .data import CIFAR10_CLASSES, CIFAR10_MEAN, CIFAR10_STD
from .models import GMLPVision, ModelConfig, spatial_weights

FORMAT = "gmlp-explorer/1"
SNAPSHOT_KEY = "spatial_snapshots"  # (snapshots, layers, heads, n, n): W at init, then after each epoch
WRAPPER_PREFIXES = ("module.", "_orig_mod.")
STATE_DICT_KEYS = ("model", "state_dict", "model_state_dict")


class CheckpointError(ValueError):
    """A checkpoint that cannot be loaded; the message names the file and the problem."""


@dataclass
class CheckpointInfo:
    """What a checkpoint says about its model, beside the weights."""

    path: str
    config: ModelConfig
    meta: dict = field(default_factory=dict)
    snapshots: torch.Tensor | None = None  # (snapshots, layers, heads, n, n)
    source_format: str = "native"

    @property
    def class_names(self) -> tuple[str, ...]:
        return tuple(self.meta.get("class_names") or CIFAR10_CLASSES[: self.config.num_classes])

    @property
    def mean(self) -> tuple[float, ...]:
        return tuple(self.meta.get("mean") or CIFAR10_MEAN)

    @property
    def std(self) -> tuple[float, ...]:
        return tuple(self.meta.get("std") or CIFAR10_STD)

    @property
    def snapshot_labels(self) -> list[str]:
        if self.snapshots is None:
            return []
        return self.meta.get("snapshot_labels") or [f"snapshot {i}" for i in range(len(self.snapshots))]


def save_checkpoint(model: GMLPVision, path, snapshots: torch.Tensor | None = None, **metadata) -> Path:
    """Write model weights, config and JSON-serialisable metadata to one .safetensors file."""
    path = Path(path)
    if path.suffix != ".safetensors":
        raise CheckpointError(f"{path}: native checkpoints are .safetensors files")
    tensors = {k: v.detach().to("cpu").contiguous() for k, v in model.state_dict().items()}
    if snapshots is not None:
        tensors[SNAPSHOT_KEY] = snapshots.detach().to("cpu", torch.float32).contiguous()
    try:
        meta_json = json.dumps(metadata, sort_keys=True)
    except TypeError as err:
        raise CheckpointError(f"{path}: metadata must be JSON-serialisable ({err})") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(path), metadata={"format": FORMAT, "config": model.config.to_json(), "meta": meta_json})
    path.chmod(0o644)  # safetensors writes owner-only files; a checkpoint is meant to be shared and served
    return path


def load_checkpoint(path, map_location="cpu", config: ModelConfig | None = None):
    """Load any supported checkpoint -> (model in eval mode, CheckpointInfo).

    config overrides what the file says or what its shapes imply (needed only for choices that
    leave no trace in the weights, such as the activation after a hidden head layer).
    """
    path = Path(path)
    raw = _read_bytes(path)
    if _looks_like_safetensors(raw):
        stored_config, meta, fmt = _header(path, raw)
        state = _read_safetensors(path, raw)
    elif path.suffix == ".safetensors":
        kind = "a pickle (torch.save) payload" if _looks_like_pickle(raw) else "something else"
        raise CheckpointError(f"{path}: refused: named .safetensors but not a safetensors file (it holds {kind}); "
                              "a .safetensors file must start with its 8-byte header length and a JSON header")
    elif _looks_like_pickle(raw):
        state, meta, stored_config = _read_torch_file(path, raw)
        fmt = "torch"
    else:
        raise CheckpointError(f"{path}: unsupported file; accepted: .safetensors, or .pt/.pth written by torch.save")

    snapshots = state.pop(SNAPSHOT_KEY, None)
    state = _native_names(_strip_prefixes(state))
    config = config or stored_config or infer_config(state, path)
    model = GMLPVision(config)
    _load_strict(model, state, path)
    model.to(map_location).eval()
    if snapshots is not None:
        snapshots = snapshots.float()
    return model, CheckpointInfo(str(path), config, meta, snapshots, fmt)


def _read_bytes(path: Path) -> bytes:
    if not path.is_file():
        raise CheckpointError(f"{path}: no such file")
    raw = path.read_bytes()
    if not raw:
        raise CheckpointError(f"{path}: the file is empty")
    return raw


def _looks_like_safetensors(raw: bytes) -> bool:
    if len(raw) < 9:
        return False
    (header_len,) = struct.unpack("<Q", raw[:8])
    return raw[8:9] == b"{" and header_len < 100_000_000


def _looks_like_pickle(raw: bytes) -> bool:
    """torch.save's zip archive, or a bare pickle stream (protocol 2+)."""
    return raw[:4] == b"PK\x03\x04" or raw[:1] == b"\x80"


def _read_safetensors(path: Path, raw: bytes) -> dict:
    try:
        return safetensors_load(raw)
    except (SafetensorError, ValueError) as err:
        raise CheckpointError(f"{path}: corrupt or truncated safetensors file ({err})") from None


def _header(path: Path, raw: bytes) -> tuple[ModelConfig | None, dict, str]:
    """A safetensors header -> (stored config or None, metadata, 'native' or 'safetensors')."""
    (header_len,) = struct.unpack("<Q", raw[:8])
    if len(raw) < 8 + header_len:
        raise CheckpointError(f"{path}: truncated safetensors file (header says {header_len} bytes, "
                              f"file has {len(raw) - 8})")
    try:
        header_meta = json.loads(raw[8:8 + header_len]).get("__metadata__") or {}
        config = ModelConfig.from_json(header_meta["config"]) if "config" in header_meta else None
        meta = json.loads(header_meta.get("meta", "{}"))
    except (ValueError, TypeError, AttributeError) as err:
        raise CheckpointError(f"{path}: the header's config/meta JSON is invalid ({err})") from None
    return config, meta, "native" if header_meta.get("format") == FORMAT else "safetensors"


def _read_torch_file(path: Path, raw: bytes) -> tuple[dict, dict, ModelConfig | None]:
    try:
        obj = torch.load(io.BytesIO(raw), map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as err:
        raise CheckpointError(
            f"{path}: refused: the file holds Python objects other than tensors and plain containers, "
            f"which could run code when loaded ({str(err).splitlines()[0]}). Re-save it with "
            f"torch.save(model.state_dict(), path)") from None
    except (RuntimeError, EOFError, zipfile.BadZipFile, OSError, ValueError) as err:
        raise CheckpointError(f"{path}: corrupt or truncated torch file ({str(err).splitlines()[0]})") from None
    if not isinstance(obj, dict):
        raise CheckpointError(f"{path}: expected a state_dict (a dict of tensors), got {type(obj).__name__}")
    meta, config = {}, None
    for key in STATE_DICT_KEYS:
        if isinstance(obj.get(key), dict):
            config_value = obj.get("config")
            if isinstance(config_value, dict):
                config = ModelConfig.from_dict(config_value)
            meta = obj.get("meta") if isinstance(obj.get("meta"), dict) else {}
            obj = obj[key]
            break
    tensors = {k: v for k, v in obj.items() if isinstance(v, torch.Tensor)}
    if not tensors:
        raise CheckpointError(f"{path}: no tensors found; expected a state_dict, or one under "
                              f"{' / '.join(repr(k) for k in STATE_DICT_KEYS)}")
    return tensors, meta, config


def _strip_prefixes(state: dict) -> dict:
    """Drop DistributedDataParallel's `module.` and torch.compile's `_orig_mod.` wherever they lead."""
    out = {}
    for key, value in state.items():
        changed = True
        while changed:
            changed = False
            for prefix in WRAPPER_PREFIXES:
                if key.startswith(prefix):
                    key, changed = key[len(prefix):], True
        out[key] = value
    return out


# The blog layout (SPEC §1): Image_Classification(model=gMLP_Vision(patch_embed.proj, cls_token,
# pos_embed, blocks=gMLP(layers), norm), fc_1, head) -> our parameter names.
BLOG_RENAMES = [
    (r"^model\.patch_embed\.proj\.", "patch_embed."),
    (r"^model\.(cls_token|pos_embed)$", r"\1"),
    (r"^model\.blocks\.layers\.(\d+)\.norm\.", r"gmlp.blocks.\1.norm."),
    (r"^model\.blocks\.layers\.(\d+)\.channel_proj_U\.0\.", r"gmlp.blocks.\1.proj_in."),
    (r"^model\.blocks\.layers\.(\d+)\.channel_proj_V\.0\.", r"gmlp.blocks.\1.proj_out."),
    (r"^model\.blocks\.layers\.(\d+)\.sgu\.", r"gmlp.blocks.\1.sgu."),
    (r"^model\.norm\.", "norm."),
    (r"^fc_1\.", "head_hidden."),
]


def is_blog_layout(state: dict) -> bool:
    return any(".channel_proj_U." in k for k in state)


def _native_names(state: dict) -> dict:
    """Rename a blog-layout state_dict to ours and lift single-head W (n, n) / b (n) to (1, n, n) / (1, n)."""
    if not is_blog_layout(state):
        return state
    out = {}
    for key, value in state.items():
        for pattern, replacement in BLOG_RENAMES:
            key, hits = re.subn(pattern, replacement, key)
            if hits:
                break
        if key.endswith(".sgu.weight") and value.dim() == 2:
            value = value.unsqueeze(0)
        if key.endswith(".sgu.bias") and value.dim() == 1:
            value = value.unsqueeze(0)
        out[key] = value
    return out


def _shape(state: dict, key: str, path: Path, dims: int) -> tuple[int, ...]:
    if key not in state:
        raise CheckpointError(f"{path}: cannot infer the architecture: missing key {key!r}")
    shape = tuple(state[key].shape)
    if len(shape) != dims:
        raise CheckpointError(f"{path}: cannot infer the architecture: {key!r} has shape {shape}, expected {dims} dims")
    return shape


def infer_config(state: dict, path="<state_dict>") -> ModelConfig:
    """Rebuild a ModelConfig from the shapes of a native-named state_dict."""
    path = Path(str(path))
    d_model, in_chans, patch, _ = _shape(state, "patch_embed.weight", path, 4)
    layers = sorted({int(m.group(1)) for k in state if (m := re.match(r"gmlp\.blocks\.(\d+)\.", k))})
    if not layers:
        raise CheckpointError(f"{path}: cannot infer the architecture: no gMLP blocks (keys gmlp.blocks.<i>.*)")
    d_ffn = _shape(state, "gmlp.blocks.0.proj_in.weight", path, 2)[0]
    heads, seq_len, _ = _shape(state, "gmlp.blocks.0.sgu.weight", path, 3)
    has_cls = "cls_token" in state
    num_patches = seq_len - int(has_cls)
    grid = round(num_patches ** 0.5)
    if grid * grid != num_patches:
        raise CheckpointError(f"{path}: W is {seq_len}x{seq_len}, which is not a square patch grid"
                              f"{' plus [CLS]' if has_cls else ''}")
    hidden = _shape(state, "head_hidden.weight", path, 2)[0] if "head_hidden.weight" in state else 0
    num_classes = _shape(state, "head.weight", path, 2)[0]
    attn_key = "gmlp.blocks.0.sgu.attn.qkv.weight"
    attn_dim = _shape(state, attn_key, path, 2)[0] // 3 if attn_key in state else 0
    blog = any(k.endswith("proj_out.weight") for k in state) and has_cls and hidden > 0
    try:
        return ModelConfig(
            image_size=grid * patch, patch_size=patch, in_chans=in_chans, num_classes=num_classes,
            d_model=d_model, d_ffn=d_ffn, depth=len(layers), heads=heads, attn_dim=attn_dim,
            cls_token=has_cls, pool="cls" if has_cls else "mean", head_hidden=hidden,
            head_act="relu" if blog else "gelu", gelu_after_v=blog,
        )
    except ValueError as err:
        raise CheckpointError(f"{path}: the shapes do not describe a valid model ({err})") from None


def _load_strict(model: GMLPVision, state: dict, path: Path) -> None:
    expected = model.state_dict()
    missing = sorted(set(expected) - set(state))
    unexpected = sorted(set(state) - set(expected))
    if missing or unexpected:
        parts = []
        if missing:
            parts.append(f"missing keys {missing}")
        if unexpected:
            parts.append(f"unexpected keys {unexpected}")
        raise CheckpointError(f"{path}: the weights do not match the model ({'; '.join(parts)})")
    for key, tensor in expected.items():
        if tuple(state[key].shape) != tuple(tensor.shape):
            raise CheckpointError(f"{path}: shape mismatch for {key!r}: the file has {tuple(state[key].shape)}, "
                                  f"the model expects {tuple(tensor.shape)}")
    model.load_state_dict({k: v.to(expected[k].dtype) for k, v in state.items()}, strict=True)


def snapshot(model: GMLPVision) -> torch.Tensor:
    """(layers, heads, n, n) copy of W on the CPU, for the per-epoch record."""
    return spatial_weights(model).float().cpu().clone()


def list_checkpoints(folder) -> list[Path]:
    """Every checkpoint file in folder, sorted by name (training resume states, *.state.pt, left out)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.suffix in {".safetensors", ".pt", ".pth"} and p.is_file() and not p.name.endswith(".state.pt"))


def read_metadata(path) -> tuple[ModelConfig | None, dict]:
    """Config and metadata from a safetensors checkpoint's header without loading its weights."""
    path = Path(path)
    raw = _read_bytes(path)
    if not _looks_like_safetensors(raw):
        return None, {}
    config, meta, _ = _header(path, raw)
    return config, meta
