"""What a checkpoint may ask for before anything is built: the size of the model its config implies, counted
on PyTorch's meta device (no memory), and the tensors it brings (no empty or stride-0 "weights").

The limits are far above every real gMLP (timm's gmlp_b16_224: 73 M parameters, 196 tokens, 30 layers) and far
below what would stall a shared classroom server.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class Limits:
    parameters: int = 150_000_000
    tokens: int = 4096  # the n of an n x n W, and a language model's context
    depth: int = 256
    width: int = 16384  # d_model, d_ffn, attn_dim, head_hidden
    classes: int = 100_000  # and a vocabulary's size
    heads: int = 64
    in_chans: int = 4


LIMITS = Limits()

# config field -> the limit it answers to
FIELD_LIMITS = {
    "depth": "depth", "d_model": "width", "d_ffn": "width", "attn_dim": "width", "head_hidden": "width",
    "num_classes": "classes", "vocab_size": "classes", "heads": "heads", "in_chans": "in_chans",
    "block_size": "tokens",
}


class TooLarge(ValueError):
    """A config or a tensor beyond what the app loads; the message names the field and the limit."""


def check_config(config, limits: Limits = LIMITS) -> None:
    """Raise TooLarge naming the first field (or the implied token count) beyond its limit."""
    for field, limit_name in FIELD_LIMITS.items():
        value = getattr(config, field, None)
        limit = getattr(limits, limit_name)
        if isinstance(value, int) and value > limit:
            raise TooLarge(f"{field} is {value:,}; the app loads models with {field} up to {limit:,}")
    tokens = getattr(config, "seq_len", None)
    if tokens is not None and tokens > limits.tokens:
        raise TooLarge(f"the config implies {tokens:,} tokens (image_size / patch_size squared); the app loads up "
                       f"to {limits.tokens:,}")


def check_parameters(build, limits: Limits = LIMITS) -> int:
    """The parameter count of build() made on the meta device (nothing allocated) -> the count, or TooLarge."""
    with torch.device("meta"):
        model = build()
    count = sum(p.numel() for p in model.parameters())
    if count > limits.parameters:
        raise TooLarge(f"the config implies {count:,} parameters; the app loads models up to {limits.parameters:,}")
    return count


def check_tensors(state: dict) -> None:
    """Refuse tensors no trained weight can be: empty, or with stride 0 (one number made to look like many)."""
    for name, tensor in state.items():
        if tensor.numel() == 0:
            raise TooLarge(f"tensor {str(name)[:80]!r} has no elements {tuple(tensor.shape)}; weights hold numbers")
        if any(stride == 0 and size > 1 for stride, size in zip(tensor.stride(), tensor.shape)):
            raise TooLarge(f"tensor {str(name)[:80]!r} repeats one value over {tuple(tensor.shape)} (stride 0); "
                           "a trained weight does not")
