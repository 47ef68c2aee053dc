"""gMLP (Liu et al. 2021, arXiv 2105.08050): Spatial Gating Unit, block, stack, vision classifier.

Shapes: batch b, tokens n, model width d, heads h. W[k, m, j] = how much output token m takes
from input token j in head k.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from einops import rearrange
from torch import nn

from .attention import causal_mask

POOLS = ("cls", "mean")
HEAD_ACTIVATIONS = ("gelu", "relu", "none")


@dataclass(frozen=True)
class ModelConfig:
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

    def __post_init__(self):
        checks = [
            (self.image_size > 0 and self.patch_size > 0, "image_size and patch_size must be positive"),
            (self.image_size % self.patch_size == 0,
             f"image_size ({self.image_size}) must be divisible by patch_size ({self.patch_size})"),
            (self.heads >= 1, f"heads must be >= 1, got {self.heads}"),
            (self.d_ffn % (2 * self.heads) == 0,
             f"d_ffn ({self.d_ffn}) must be divisible by 2 * heads ({2 * self.heads})"),
            (self.d_model > 0 and self.depth >= 0, "d_model must be positive and depth non-negative"),
            (self.pool in POOLS, f"pool must be one of {POOLS}, got {self.pool!r}"),
            (self.pool != "cls" or self.cls_token, "pool='cls' needs cls_token=True"),
            (self.head_act in HEAD_ACTIVATIONS, f"head_act must be one of {HEAD_ACTIVATIONS}, got {self.head_act!r}"),
            (self.num_classes >= 1, "num_classes must be >= 1"),
            (0.0 <= self.drop_path < 1.0, "drop_path must be in [0, 1)"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(f"ModelConfig: {message}")

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

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), sort_keys=True)

    @classmethod
    def from_dict(cls, values: dict) -> "ModelConfig":
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"ModelConfig: unknown fields {unknown}; accepted: {sorted(known)}")
        return cls(**values)

    @classmethod
    def from_json(cls, text: str) -> "ModelConfig":
        return cls.from_dict(json.loads(text))


PRESETS: dict[str, ModelConfig] = {
    # trains in seconds; for tests and smoke runs
    "tiny": ModelConfig(patch_size=8, d_model=32, d_ffn=64, depth=2, heads=2),
    # the blog's protocol (patch 8 -> 4x4 grid) at classroom-laptop size
    "s16": ModelConfig(patch_size=8, d_model=192, d_ffn=768, depth=8, heads=4, drop_path=0.05),
    # patch 4 -> 8x8 grid; sized for a GPU
    "s64": ModelConfig(patch_size=4, d_model=256, d_ffn=1536, depth=12, heads=4, drop_path=0.1),
    # the blog layout itself (SPEC §1): [CLS], 17x17 W, hidden head, GELU after V
    "blog": ModelConfig(patch_size=8, d_model=512, d_ffn=2048, depth=3, heads=1, cls_token=True,
                        pool="cls", head_hidden=256, head_act="relu", gelu_after_v=True),
}


def preset(name: str) -> ModelConfig:
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; accepted: {sorted(PRESETS)}")
    return PRESETS[name]


class TinyAttention(nn.Module):
    """aMLP's single-head attention on the block input, projected to the gate width."""

    def __init__(self, d_in: int, d_out: int, attn_dim: int, causal: bool):
        super().__init__()
        self.causal = causal
        self.qkv = nn.Linear(d_in, 3 * attn_dim, bias=False)
        self.out = nn.Linear(attn_dim, d_out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: (b, n, d_in) -> (b, n, d_out)"""
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        return self.out(F.scaled_dot_product_attention(q, k, v, is_causal=self.causal))


class SpatialGatingUnit(nn.Module):
    """S(Z) = Z1 * (W Z2' + b): each head's W (n x n) mixes tokens of its group of gate channels."""

    def __init__(self, d_ffn: int, seq_len: int, heads: int = 1, causal: bool = False,
                 init_eps: float = 1e-3, attn: TinyAttention | None = None):
        super().__init__()
        if d_ffn % (2 * heads):
            raise ValueError(f"d_ffn ({d_ffn}) must be divisible by 2 * heads ({2 * heads})")
        self.heads, self.causal = heads, causal
        self.norm = nn.LayerNorm(d_ffn // 2)
        bound = init_eps / seq_len
        self.weight = nn.Parameter(torch.empty(heads, seq_len, seq_len).uniform_(-bound, bound))
        self.bias = nn.Parameter(torch.ones(heads, seq_len))
        self.attn = attn
        if causal:
            self.register_buffer("mask", causal_mask(seq_len), persistent=False)

    def effective_weight(self) -> torch.Tensor:
        """(h, n, n): W as applied, zero above the diagonal when causal."""
        return self.weight.masked_fill(self.mask, 0.0) if self.causal else self.weight

    def forward(self, z: torch.Tensor, block_input: torch.Tensor | None = None) -> torch.Tensor:
        """z: (b, n, d_ffn), block_input: (b, n, d_model) for aMLP -> (b, n, d_ffn / 2)"""
        z1, z2 = z.chunk(2, dim=-1)
        gate = rearrange(self.norm(z2), "b n (h d) -> b h n d", h=self.heads)
        gate = torch.einsum("hmj,bhjd->bhmd", self.effective_weight(), gate) + self.bias[None, :, :, None]
        gate = rearrange(gate, "b h n d -> b n (h d)")
        if self.attn is not None:
            gate = gate + self.attn(block_input)
        return z1 * gate


class DropPath(nn.Module):
    """Stochastic depth: drop a sample's whole residual branch with probability p while training."""

    def __init__(self, p: float):
        super().__init__()
        self.p = p

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.p == 0.0:
            return x
        keep = torch.rand(x.shape[0], *([1] * (x.dim() - 1)), device=x.device) >= self.p
        return x * keep.to(x.dtype) / (1.0 - self.p)


class GMLPBlock(nn.Module):
    """Y = X + V S(GELU(U LayerNorm(X)))   (pre-norm, residual)."""

    def __init__(self, d_model: int, d_ffn: int, seq_len: int, heads: int = 1, causal: bool = False,
                 attn_dim: int = 0, gelu_after_v: bool = False, init_eps: float = 1e-3, drop_path: float = 0.0):
        super().__init__()
        self.norm = nn.LayerNorm(d_model)
        self.proj_in = nn.Linear(d_model, d_ffn)
        attn = TinyAttention(d_model, d_ffn // 2, attn_dim, causal) if attn_dim else None
        self.sgu = SpatialGatingUnit(d_ffn, seq_len, heads, causal, init_eps, attn)
        self.proj_out = nn.Linear(d_ffn // 2, d_model)
        self.gelu_after_v = gelu_after_v
        self.drop_path = DropPath(drop_path)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: (b, n, d_model) -> (b, n, d_model)"""
        normed = self.norm(x)
        y = self.proj_out(self.sgu(F.gelu(self.proj_in(normed)), normed))
        if self.gelu_after_v:
            y = F.gelu(y)
        return x + self.drop_path(y)


class GMLP(nn.Module):
    """A stack of gMLP blocks over a fixed-length token sequence."""

    def __init__(self, d_model: int, d_ffn: int, seq_len: int, depth: int, heads: int = 1,
                 causal: bool = False, attn_dim: int = 0, gelu_after_v: bool = False,
                 init_eps: float = 1e-3, drop_path: float = 0.0):
        super().__init__()
        self.seq_len = seq_len
        rates = torch.linspace(0, drop_path, depth).tolist() if depth else []
        self.blocks = nn.ModuleList(
            GMLPBlock(d_model, d_ffn, seq_len, heads, causal, attn_dim, gelu_after_v, init_eps, rate)
            for rate in rates
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: (b, seq_len, d_model) -> (b, seq_len, d_model)"""
        if x.shape[1] != self.seq_len:
            raise ValueError(f"GMLP: expected {self.seq_len} tokens (W is {self.seq_len}x{self.seq_len}), got {x.shape[1]}")
        for block in self.blocks:
            x = block(x)
        return x


class GMLPVision(nn.Module):
    """Image classifier: patchify (Conv2d, kernel = stride = patch) -> +pos [-> CLS] -> gMLP -> pool -> head."""

    def __init__(self, config: ModelConfig):
        super().__init__()
        c = self.config = config
        self.patch_embed = nn.Conv2d(c.in_chans, c.d_model, kernel_size=c.patch_size, stride=c.patch_size)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, c.d_model)) if c.cls_token else None
        self.pos_embed = nn.Parameter(torch.randn(1, c.seq_len, c.d_model) * 0.02)
        self.gmlp = GMLP(c.d_model, c.d_ffn, c.seq_len, c.depth, c.heads, c.causal, c.attn_dim,
                         c.gelu_after_v, c.init_eps, c.drop_path)
        self.norm = nn.LayerNorm(c.d_model)
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
        return x + self.pos_embed

    def features(self, images: torch.Tensor) -> torch.Tensor:
        """images: (b, C, H, W) -> pooled (b, d_model)"""
        x = self.norm(self.gmlp(self.tokens(images)))
        return x[:, 0] if self.config.pool == "cls" else x.mean(dim=1)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """images: (b, C, H, W) -> logits (b, num_classes)"""
        x = self.features(images)
        if self.head_hidden is not None:
            x = self.head_hidden(x)
            x = {"gelu": F.gelu, "relu": F.relu, "none": lambda t: t}[self.config.head_act](x)
        return self.head(x)


def build_model(config: ModelConfig) -> GMLPVision:
    return GMLPVision(config)


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def spatial_weights(model: nn.Module) -> torch.Tensor:
    """(layers, heads, n, n): the effective W of every block (masked when causal), detached."""
    stack = model.gmlp if isinstance(model, GMLPVision) else model
    if not isinstance(stack, GMLP) or not len(stack.blocks):
        raise ValueError("spatial_weights: expected a GMLP or GMLPVision with at least one block")
    return torch.stack([block.sgu.effective_weight().detach() for block in stack.blocks])


def head_average(weights: torch.Tensor, heads=None) -> torch.Tensor:
    """Mean over the head axis (-3) of W (..., h, n, n), over all heads or the chosen indices -> (..., n, n)."""
    if weights.dim() < 3:
        raise ValueError(f"head_average: W must have shape (..., heads, n, n), got {tuple(weights.shape)}")
    total = weights.shape[-3]
    if heads is None:
        return weights.mean(dim=-3)
    chosen = sorted(set(int(k) for k in heads))
    if not chosen:
        raise ValueError("head_average: choose at least one head")
    bad = [k for k in chosen if not 0 <= k < total]
    if bad:
        raise ValueError(f"head_average: heads {bad} out of range; accepted 0..{total - 1}")
    return weights.index_select(-3, torch.tensor(chosen, device=weights.device)).mean(dim=-3)

