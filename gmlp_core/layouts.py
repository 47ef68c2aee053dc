"""Foreign vision layouts, each one filter function (timm's `checkpoint_filter_fn` style), and the
vision config read off a native-named state_dict's shapes.

A filter takes a state_dict and returns it renamed to GMLPVision's parameter names, or None when
the keys are not its layout. The loader tries every filter in FILTERS.
"""

from __future__ import annotations

import re
from typing import Callable

import torch

from .models import ModelConfig


class LayoutError(ValueError):
    """A state_dict whose shapes do not describe a model; the loader adds the file name."""


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


def blog_filter(state: dict) -> dict | None:
    """The blog's names -> ours; single-head W (n, n) / b (n) lifted to (1, n, n) / (1, n)."""
    if not any(".channel_proj_U." in k for k in state):
        return None
    out = {}
    for key, value in state.items():
        for pattern, replacement in BLOG_RENAMES:
            key, hits = re.subn(pattern, replacement, key)
            if hits:
                break
        if key.endswith(".sgu.weight") and value.dim() == 2 or key.endswith(".sgu.bias") and value.dim() == 1:
            value = value.unsqueeze(0)
        out[key] = value
    return out


FILTERS: dict[str, Callable[[dict], dict | None]] = {"blog": blog_filter}


def to_native(state: dict) -> tuple[dict, str]:
    """(state_dict in GMLPVision's names, the layout recognised: a FILTERS name or 'native')."""
    for name, layout_filter in FILTERS.items():
        renamed = layout_filter(state)
        if renamed is not None:
            return renamed, name
    return state, "native"


def _shape(state: dict, key: str, dims: int) -> tuple[int, ...]:
    if key not in state:
        raise LayoutError(f"cannot infer the architecture: missing key {key!r}")
    shape = tuple(state[key].shape)
    if len(shape) != dims:
        raise LayoutError(f"cannot infer the architecture: {key!r} has shape {shape}, expected {dims} dims")
    return shape


def infer_vision_config(state: dict[str, torch.Tensor], layout: str = "native") -> ModelConfig:
    """Rebuild a ModelConfig from the shapes of a native-named state_dict."""
    d_model, in_chans, patch, _ = _shape(state, "patch_embed.weight", 4)
    layers = sorted({int(m.group(1)) for k in state if (m := re.match(r"gmlp\.blocks\.(\d+)\.", k))})
    if not layers:
        raise LayoutError("cannot infer the architecture: no gMLP blocks (keys gmlp.blocks.<i>.*)")
    d_ffn = _shape(state, "gmlp.blocks.0.proj_in.weight", 2)[0]
    heads, seq_len, _ = _shape(state, "gmlp.blocks.0.sgu.weight", 3)
    has_cls = "cls_token" in state
    num_patches = seq_len - int(has_cls)
    grid = round(num_patches ** 0.5)
    if grid * grid != num_patches:
        raise LayoutError(f"W is {seq_len}x{seq_len}, which is not a square patch grid{' plus [CLS]' * has_cls}")
    hidden = _shape(state, "head_hidden.weight", 2)[0] if "head_hidden.weight" in state else 0
    attn_key = "gmlp.blocks.0.sgu.attn.qkv.weight"
    try:
        return ModelConfig(
            image_size=grid * patch, patch_size=patch, in_chans=in_chans,
            num_classes=_shape(state, "head.weight", 2)[0], d_model=d_model, d_ffn=d_ffn, depth=len(layers),
            heads=heads, attn_dim=_shape(state, attn_key, 2)[0] // 3 if attn_key in state else 0,
            cls_token=has_cls, pool="cls" if has_cls else "mean", head_hidden=hidden,
            head_act="gelu",  # the blog's Image_Classification: head(GELU(fc_1(x)))
            gelu_after_v=layout == "blog",
        )
    except ValueError as err:
        raise LayoutError(f"the shapes do not describe a valid model ({err})") from None
