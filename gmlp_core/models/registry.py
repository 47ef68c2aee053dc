"""Arch name -> config class + builder: the one place that knows every model family.

A new family is one file in models/ and one line here; checkpoints and trainers read this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from torch import nn

from .lm import GMLPLM, AttentionLM, LMConfig
from .vision import GMLPVision, ModelConfig


@dataclass(frozen=True)
class Arch:
    config_class: type
    build: Callable[..., nn.Module]
    description: str


def _gmlp_lm(config: LMConfig) -> GMLPLM:
    if config.attn_dim:
        raise ValueError(f"gmlp-lm: attn_dim must be 0 (got {config.attn_dim}); a tiny attention makes it amlp-lm")
    return GMLPLM(config)


def _amlp_lm(config: LMConfig) -> GMLPLM:
    if not config.attn_dim:
        raise ValueError("amlp-lm: attn_dim must be > 0 (the size of its tiny attention)")
    return GMLPLM(config)


ARCHS: dict[str, Arch] = {
    "vision": Arch(ModelConfig, GMLPVision, "gMLP image classifier"),
    "attention-lm": Arch(LMConfig, AttentionLM, "causal character Transformer"),
    "gmlp-lm": Arch(LMConfig, _gmlp_lm, "causal character gMLP"),
    "amlp-lm": Arch(LMConfig, _amlp_lm, "causal character gMLP with a tiny attention (aMLP)"),
}
DEFAULT_ARCH = "vision"  # checkpoints written before archs were recorded are all vision models


def arch(name: str) -> Arch:
    if name not in ARCHS:
        raise ValueError(f"unknown arch {name!r}; accepted: {sorted(ARCHS)}")
    return ARCHS[name]


def config_from_dict(name: str, values: dict):
    return arch(name).config_class.from_dict(values)


def build_model(name: str, config) -> nn.Module:
    """A fresh model of arch `name` from its config (train mode, as PyTorch builds it)."""
    entry = arch(name)
    if not isinstance(config, entry.config_class):
        raise ValueError(f"{name}: expected a {entry.config_class.__name__}, got {type(config).__name__}")
    return entry.build(config)


def arch_of(model: nn.Module) -> str:
    """The arch name a built model is registered under."""
    if isinstance(model, GMLPVision):
        return "vision"
    if isinstance(model, AttentionLM):
        return "attention-lm"
    if isinstance(model, GMLPLM):
        return "amlp-lm" if model.config.attn_dim else "gmlp-lm"
    raise ValueError(f"{type(model).__name__} is not a registered arch; accepted: {sorted(ARCHS)}")
