"""The vision family: VisionConfig (with named presets) and GMLPVision, a gMLP image classifier."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from einops import rearrange
from torch import nn

from .config import JsonConfig, check
from .gmlp import ACTIVATIONS, GMLP
from .registry import SPATIAL_W, register

POOLS = ("cls", "mean")
HEAD_ACTIVATIONS = ("gelu", "relu", "none")


@dataclass(frozen=True)
class VisionConfig(JsonConfig):
    """Everything needed to rebuild a GMLPVision; round-trips through JSON inside checkpoints."""

    image_size: int = 32
    patch_size: int = 8
    in_chans: int = 3
    num_classes: int = 10
    d_model: int = 128
    d_ffn: int = 512
    depth: int = 4
    heads: int = 1
    causal: bool = False
    attn_dim: int = 0  # aMLP: size of the tiny attention added to the gate; 0 = plain gMLP
    cls_token: bool = False
    pool: str = "mean"
    head_hidden: int = 0  # width of an extra hidden layer before the classifier; 0 = none
    head_act: str = "gelu"  # activation after that hidden layer
    gelu_after_v: bool = False  # GELU after the V projection (the blog layout has one)
    init_eps: float = 1e-3  # W ~ U(-eps/n, eps/n) at initialisation, b = 1
    drop_path: float = 0.0
    pos_embed: bool = True  # learned position embeddings (lucidrains' and timm's gMLPs have none)
    norm_eps: float = 1e-5  # LayerNorm eps of the blocks' and the final norm (timm uses 1e-6)
    gate_act: str = "none"  # activation on the gate, act(W Z2' + b) (lucidrains' `act` option)

    def __post_init__(self):
        check("VisionConfig", [  # sizes first: the divisibility checks below divide by them
            (self.image_size > 0 and self.patch_size > 0, "image_size and patch_size must be positive"),
            (self.heads >= 1, f"heads must be >= 1, got {self.heads}"),
            (self.d_model > 0 and self.d_ffn > 0, "d_model and d_ffn must be positive"),
            (self.depth >= 0, f"depth must be >= 0, got {self.depth}"),
            (self.in_chans >= 1, f"in_chans must be >= 1, got {self.in_chans}"),
            (self.attn_dim >= 0 and self.head_hidden >= 0, "attn_dim and head_hidden must be >= 0"),
            (self.num_classes >= 1, "num_classes must be >= 1"),
        ])
        checks = [
            (self.image_size % self.patch_size == 0,
             f"image_size ({self.image_size}) must be divisible by patch_size ({self.patch_size})"),
            (self.d_ffn % (2 * self.heads) == 0,
             f"d_ffn ({self.d_ffn}) must be divisible by 2 * heads ({2 * self.heads})"),
            (self.pool in POOLS, f"pool must be one of {POOLS}, got {self.pool!r}"),
            (self.pool != "cls" or self.cls_token, "pool='cls' needs cls_token=True"),
            (self.head_act in HEAD_ACTIVATIONS, f"head_act must be one of {HEAD_ACTIVATIONS}, got {self.head_act!r}"),
            (0.0 <= self.drop_path < 1.0, "drop_path must be in [0, 1)"),
            (self.init_eps >= 0 and self.norm_eps > 0, "init_eps must be >= 0 and norm_eps > 0"),
            (self.gate_act in ACTIVATIONS, f"gate_act must be one of {sorted(ACTIVATIONS)}, got {self.gate_act!r}"),
        ]
        check("VisionConfig", checks)

    @property
    def grid_size(self) -> int:
        return self.image_size // self.patch_size

    @property
    def num_patches(self) -> int:
        return self.grid_size ** 2

    @property
    def seq_len(self) -> int:
        """Tokens the spatial W mixes: the patches plus [CLS] when there is one."""
        return self.num_patches + int(self.cls_token)


PRESETS: dict[str, VisionConfig] = {
    # trains in seconds; for tests and smoke runs
    "tiny": VisionConfig(patch_size=8, d_model=32, d_ffn=64, depth=2, heads=2),
    # the blog's protocol (patch 8 -> 4x4 grid) at classroom-laptop size
    "s16": VisionConfig(patch_size=8, d_model=192, d_ffn=768, depth=8, heads=4, drop_path=0.05),
    # s16's grid, wider and shallower (1.65 M parameters): 4 blocks of 256 run about 1.4x as many images a
    # second as 8 of 192 on this project's 2-core CPU (benchmarks/bench_train_vision.py), so more epochs an hour
    "s16-wide": VisionConfig(patch_size=8, d_model=256, d_ffn=1024, depth=4, heads=4, drop_path=0.05),
    # patch 4 -> 8x8 grid at s16's width and depth: 1.94 M parameters, about 200 images/s in bf16 on
    # this project's 2-core CPU (benchmarks/bench_train_vision.py), 60 epochs in about 4 hours
    "s64": VisionConfig(patch_size=4, d_model=192, d_ffn=768, depth=8, heads=4, drop_path=0.05),
    # patch 4 -> 8x8 grid; sized for a GPU (7.4 M parameters)
    "s64-gpu": VisionConfig(patch_size=4, d_model=256, d_ffn=1536, depth=12, heads=4, drop_path=0.1),
    # the blog layout itself (SPEC §1): [CLS], 17x17 W, hidden head, GELU after V
    "blog": VisionConfig(patch_size=8, d_model=512, d_ffn=2048, depth=3, heads=1, cls_token=True,
                        pool="cls", head_hidden=256, head_act="gelu", gelu_after_v=True),
}


ModelConfig = VisionConfig  # the name before language models had configs of their own


def preset(name: str) -> VisionConfig:
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; accepted: {sorted(PRESETS)}")
    return PRESETS[name]


@register("vision", config_class=VisionConfig, task="image", description="gMLP image classifier",
          shows={SPATIAL_W}, titles={"en": "gMLP image classifier", "vi": "gMLP phân loại ảnh"})
class GMLPVision(nn.Module):
    """Image classifier: patchify (Conv2d, kernel = stride = patch) -> +pos [-> CLS] -> gMLP -> pool -> head."""

    def __init__(self, config: VisionConfig):
        super().__init__()
        c = self.config = config
        self.patch_embed = nn.Conv2d(c.in_chans, c.d_model, kernel_size=c.patch_size, stride=c.patch_size)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, c.d_model)) if c.cls_token else None
        self.pos_embed = nn.Parameter(torch.randn(1, c.seq_len, c.d_model) * 0.02) if c.pos_embed else None
        self.gmlp = GMLP(d_model=c.d_model, d_ffn=c.d_ffn, seq_len=c.seq_len, depth=c.depth, heads=c.heads,
                         causal=c.causal, attn_dim=c.attn_dim, gelu_after_v=c.gelu_after_v, init_eps=c.init_eps,
                         drop_path=c.drop_path, norm_eps=c.norm_eps, gate_act=c.gate_act)
        self.norm = nn.LayerNorm(c.d_model, eps=c.norm_eps)
        self.head_hidden = nn.Linear(c.d_model, c.head_hidden) if c.head_hidden else None
        self.head = nn.Linear(c.head_hidden or c.d_model, c.num_classes)

    def tokens(self, images: torch.Tensor) -> torch.Tensor:
        """images: (b, C, H, W) normalised -> (b, seq_len, d_model): patches ([CLS] first) + positions."""
        c = self.config
        if images.dim() != 4 or tuple(images.shape[1:]) != (c.in_chans, c.image_size, c.image_size):
            raise ValueError(f"GMLPVision: expected images of shape (batch, {c.in_chans}, {c.image_size}, "
                             f"{c.image_size}), got {tuple(images.shape)}")
        x = rearrange(self.patch_embed(images), "b d gh gw -> b (gh gw) d")
        if self.cls_token is not None:
            x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1)
        return x + self.pos_embed if self.pos_embed is not None else x

    def features(self, images: torch.Tensor) -> torch.Tensor:
        """images: (b, C, H, W) -> pooled (b, d_model)"""
        x = self.norm(self.gmlp(self.tokens(images)))
        return x[:, 0] if self.config.pool == "cls" else x.mean(dim=1)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """images: (b, C, H, W) -> logits (b, num_classes)"""
        x = self.features(images)
        if self.head_hidden is not None:
            x = ACTIVATIONS[self.config.head_act](self.head_hidden(x))
        return self.head(x)
