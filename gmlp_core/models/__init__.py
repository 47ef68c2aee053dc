"""Every network, one file per family, and the registry that names them.

    registry.py  arch name -> model class, config class, task, what a page can show; @register
    masks.py     the causal mask
    gmlp.py      the shared gMLP layers: SpatialGatingUnit, GMLPBlock, GMLP, spatial_weights, head_average
    vision.py    VisionConfig + presets, GMLPVision                      (registers "vision")
    lm.py        LMConfig + presets, AttentionLM, GMLPLM, attention_maps (registers the three language archs)
"""

from .config import JsonConfig
from .gmlp import GMLP, GMLPBlock, SpatialGatingUnit, TinyAttention, count_parameters, head_average, spatial_weights
from .lm import LM_PRESETS, GMLPLM, AttentionLM, LMConfig, attention_maps
from .masks import causal_mask
from .registry import (ARCHS, ATTENTION_MAPS, DEFAULT_ARCH, SPATIAL_W, Arch, arch, arch_of, archs_for, build_model,
                       config_from_dict, register)
from .vision import HEAD_ACTIVATIONS, POOLS, PRESETS, GMLPVision, ModelConfig, VisionConfig, preset

__all__ = [
    "ARCHS", "ATTENTION_MAPS", "Arch", "DEFAULT_ARCH", "GMLP", "GMLPBlock", "GMLPLM", "GMLPVision",
    "HEAD_ACTIVATIONS", "JsonConfig", "LMConfig", "LM_PRESETS", "POOLS", "PRESETS", "SPATIAL_W", "AttentionLM",
    "ModelConfig", "SpatialGatingUnit", "TinyAttention", "VisionConfig", "arch", "arch_of", "archs_for",
    "attention_maps", "build_model", "causal_mask", "config_from_dict", "count_parameters", "head_average", "preset",
    "register", "spatial_weights",
]
