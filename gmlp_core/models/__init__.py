"""Every network, one file per family, and the registry that names them.

    gmlp.py      the shared gMLP layers: SpatialGatingUnit, GMLPBlock, GMLP, spatial_weights, head_average
    vision.py    ModelConfig + presets, GMLPVision
    lm.py        LMConfig + presets, AttentionLM, GMLPLM (gMLP and aMLP), attention_maps
    registry.py  arch name -> config class + builder
"""

from .config import JsonConfig
from .gmlp import GMLP, GMLPBlock, SpatialGatingUnit, TinyAttention, count_parameters, head_average, spatial_weights
from .lm import LM_PRESETS, GMLPLM, AttentionLM, LMConfig, attention_maps
from .registry import ARCHS, DEFAULT_ARCH, arch, arch_of, build_model, config_from_dict
from .vision import HEAD_ACTIVATIONS, POOLS, PRESETS, GMLPVision, ModelConfig, preset

__all__ = [
    "ARCHS", "DEFAULT_ARCH", "GMLP", "GMLPBlock", "GMLPLM", "GMLPVision", "HEAD_ACTIVATIONS", "JsonConfig",
    "LMConfig", "LM_PRESETS", "POOLS", "PRESETS", "AttentionLM", "ModelConfig", "SpatialGatingUnit",
    "TinyAttention", "arch", "arch_of", "attention_maps", "build_model", "config_from_dict", "count_parameters",
    "head_average", "preset", "spatial_weights",
]
