"""Foreign vision layouts, each one filter function (timm's `checkpoint_filter_fn` style), and the
vision config read off a native-named state_dict's shapes.

A filter takes a state_dict and returns it renamed to GMLPVision's parameter names, or None when
the keys are not its layout. The loader tries every filter in FILTERS.
"""

from __future__ import annotations

import re
from typing import Callable

import torch
from einops import rearrange

from ..models import VisionConfig


class LayoutError(ValueError):
    """A state_dict whose shapes do not describe a model; the loader adds the file name."""


def _lift_single_head(key: str, value: torch.Tensor) -> torch.Tensor:
    """W (n, n) / b (n) of a single-head SGU -> (1, n, n) / (1, n), the shape every head count shares."""
    if key.endswith(".sgu.weight") and value.dim() == 2 or key.endswith(".sgu.bias") and value.dim() == 1:
        return value.unsqueeze(0)
    return value


def _rename(state: dict, renames: list[tuple[str, str]]) -> dict:
    out = {}
    for key, value in state.items():
        for pattern, replacement in renames:
            key, hits = re.subn(pattern, replacement, key)
            if hits:
                break
        out[key] = _lift_single_head(key, value)
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

# lucidrains' g-mlp-pytorch gMLPVision: Residual(PreNorm(gMLPBlock)) layers, to_logits = LN, mean, Linear.
LUCIDRAINS_RENAMES = [
    (r"^layers\.(\d+)\.fn\.norm\.", r"gmlp.blocks.\1.norm."),
    (r"^layers\.(\d+)\.fn\.fn\.proj_in\.0\.", r"gmlp.blocks.\1.proj_in."),
    (r"^layers\.(\d+)\.fn\.fn\.sgu\.", r"gmlp.blocks.\1.sgu."),
    (r"^layers\.(\d+)\.fn\.fn\.proj_out\.", r"gmlp.blocks.\1.proj_out."),
    (r"^layers\.(\d+)\.fn\.fn\.attn\.to_qkv\.", r"gmlp.blocks.\1.sgu.attn.qkv."),
    (r"^layers\.(\d+)\.fn\.fn\.attn\.to_out\.", r"gmlp.blocks.\1.sgu.attn.out."),
    (r"^to_logits\.0\.", "norm."),
    (r"^to_logits\.2\.", "head."),
]

# timm's gmlp_*: stem conv, SpatialGatingBlock(norm, GatedMlp(fc1, gate = SGU(norm, proj over tokens), fc2)).
TIMM_RENAMES = [
    (r"^stem\.proj\.", "patch_embed."),
    (r"^blocks\.(\d+)\.norm\.", r"gmlp.blocks.\1.norm."),
    (r"^blocks\.(\d+)\.mlp_channels\.fc1\.", r"gmlp.blocks.\1.proj_in."),
    (r"^blocks\.(\d+)\.mlp_channels\.gate\.norm\.", r"gmlp.blocks.\1.sgu.norm."),
    (r"^blocks\.(\d+)\.mlp_channels\.gate\.proj\.", r"gmlp.blocks.\1.sgu."),
    (r"^blocks\.(\d+)\.mlp_channels\.fc2\.", r"gmlp.blocks.\1.proj_out."),
]


def blog_filter(state: dict) -> dict | None:
    """The blog's names -> ours."""
    return _rename(state, BLOG_RENAMES) if any(".channel_proj_U." in k for k in state) else None


def lucidrains_filter(state: dict) -> dict | None:
    """lucidrains' names -> ours; its Linear over flattened (c p1 p2) patches becomes the equal Conv2d."""
    if not any(re.match(r"^layers\.\d+\.fn\.fn\.sgu\.weight$", k) for k in state):
        return None
    out = _rename({k: v for k, v in state.items() if not k.startswith("to_patch_embed.1.")}, LUCIDRAINS_RENAMES)
    weight = state.get("to_patch_embed.1.weight")
    if weight is None or weight.dim() != 2:
        raise LayoutError("lucidrains layout: missing the patch embedding to_patch_embed.1.weight (d, c*p*p)")
    channels, patch = _channels_and_patch(weight.shape[1])
    out["patch_embed.weight"] = rearrange(weight, "d (c p1 p2) -> d c p1 p2", c=channels, p1=patch, p2=patch)
    out["patch_embed.bias"] = state["to_patch_embed.1.bias"]
    return out


def timm_filter(state: dict) -> dict | None:
    """timm's names -> ours; its token-mixing Linear (n, n) + bias (n) is a single-head W and b."""
    return _rename(state, TIMM_RENAMES) if any(".mlp_channels.gate.proj." in k for k in state) else None


def _channels_and_patch(features: int) -> tuple[int, int]:
    """A flattened patch's length c * p * p -> (c, p), preferring RGB."""
    for channels in (3, 1, 4):
        patch = round((features / channels) ** 0.5)
        if features % channels == 0 and patch * patch * channels == features:
            return channels, patch
    raise LayoutError(f"a patch embedding over {features} inputs is not c x p x p for c in 3, 1, 4")


FILTERS: dict[str, Callable[[dict], dict | None]] = {
    "blog": blog_filter, "lucidrains": lucidrains_filter, "timm": timm_filter,
}
LAYOUT_CONFIG = {  # what each layout fixes that its weights do not show
    "blog": {"gelu_after_v": True},
    "timm": {"norm_eps": 1e-6},
}
LAYOUT_NORMALISATION = {  # (mean, std) a layout's own training pipeline uses, for files that record none
    "timm": ((0.485, 0.456, 0.406), (0.229, 0.224, 0.225)),  # timm's gmlp_* configs: ImageNet's
}
LAYOUT_KEYS = {  # what each layout is recognised by, for the error when none is
    "native": "patch_embed.weight, gmlp.blocks.<i>.sgu.weight, head.weight",
    "blog": "model.blocks.layers.<i>.channel_proj_U.0.weight",
    "lucidrains": "to_patch_embed.1.weight, layers.<i>.fn.fn.sgu.weight",
    "timm": "stem.proj.weight, blocks.<i>.mlp_channels.gate.proj.weight",
}


def to_native(state: dict) -> tuple[dict, str]:
    """(state_dict in GMLPVision's names, the layout recognised: a FILTERS name or 'native')."""
    for name, layout_filter in FILTERS.items():
        renamed = layout_filter(state)
        if renamed is not None:
            return renamed, name
    return state, "native"


def _unrecognised(state: dict) -> LayoutError:
    keys = sorted(state)
    shown = ", ".join(keys[:6]) + (f", … ({len(keys)} keys)" if len(keys) > 6 else "")
    accepted = "; ".join(f"{name}: {keys}" for name, keys in LAYOUT_KEYS.items())
    return LayoutError(f"not a gMLP layout this app knows (recognised none of: {accepted}); the file holds {shown}")


def _shape(state: dict, key: str, dims: int) -> tuple[int, ...]:
    if key not in state:
        raise LayoutError(f"cannot infer the architecture: missing key {key!r}")
    shape = tuple(state[key].shape)
    if len(shape) != dims:
        raise LayoutError(f"cannot infer the architecture: {key!r} has shape {shape}, expected {dims} dims")
    return shape


def infer_vision_config(state: dict[str, torch.Tensor], layout: str = "native") -> VisionConfig:
    """Rebuild a VisionConfig from the shapes of a native-named state_dict (renamed from `layout`)."""
    if layout == "native" and not any(k.startswith("gmlp.blocks.") for k in state):
        raise _unrecognised(state)
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
        return VisionConfig(
            image_size=grid * patch, patch_size=patch, in_chans=in_chans,
            num_classes=_shape(state, "head.weight", 2)[0], d_model=d_model, d_ffn=d_ffn, depth=len(layers),
            heads=heads, attn_dim=_shape(state, attn_key, 2)[0] // 3 if attn_key in state else 0,
            cls_token=has_cls, pool="cls" if has_cls else "mean", head_hidden=hidden,
            head_act="gelu",  # the blog's Image_Classification: head(GELU(fc_1(x)))
            pos_embed="pos_embed" in state, **LAYOUT_CONFIG.get(layout, {}),
        )
    except ValueError as err:
        raise LayoutError(f"the shapes do not describe a valid model ({err})") from None
