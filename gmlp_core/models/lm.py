"""The language family (SPEC §4): causal character models of one width and depth.

- AttentionLM: token + position embeddings, pre-norm blocks of causal multi-head self-attention
  and a GELU MLP (GPT-style).
- GMLPLM: gMLP blocks whose SGU W is causal per head; W carries position, so no position
  embedding. With attn_dim > 0 it is the aMLP: a tiny single-head causal attention on each
  block's input, added to the gate path after the spatial projection.

Every model maps ids (b, n) -> logits (b, n, vocab) for any 1 <= n <= block_size, and the logits
at position m depend on ids[:, :m + 1] only. With config.causal False (the playground's sequence tasks,
gmlp_core.playground) every position reads the whole sequence: a gMLP then takes exactly block_size tokens.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from einops import rearrange
from torch import nn

from .masks import causal_mask
from .config import JsonConfig, check
from .decoders import AttentionDecoder, GMLPDecoder
from .gmlp import GMLP
from .registry import ATTENTION_MAPS, SPATIAL_W, register


@dataclass(frozen=True)
class LMConfig(JsonConfig):
    """One config for the three language archs; d_ffn is each family's hidden width."""

    vocab_size: int = 66  # tinyshakespeare's 65 characters + 1 unknown
    block_size: int = 128
    d_model: int = 192
    depth: int = 4
    heads: int = 4  # attention heads (attention LM) or W heads (gMLP, aMLP)
    d_ffn: int = 768  # MLP width (attention LM) or U's output width, split into Z1, Z2 (gMLP, aMLP)
    attn_dim: int = 0  # aMLP's tiny attention size; 0 = none
    dropout: float = 0.0
    init_eps: float = 1e-3
    causal: bool = True  # False: every position reads the whole sequence (the playground's sequence tasks)

    def __post_init__(self):
        check("LMConfig", [
            (self.vocab_size >= 2, f"vocab_size must be >= 2, got {self.vocab_size}"),
            (self.block_size >= 1, f"block_size must be >= 1, got {self.block_size}"),
            (self.d_model >= 1 and self.depth >= 1, "d_model and depth must be >= 1"),
            (self.heads >= 1, f"heads must be >= 1, got {self.heads}"),
            (self.d_ffn >= 1, f"d_ffn must be >= 1, got {self.d_ffn}"),
        ])
        check("LMConfig", [  # after the sizes: these divide by them
            (self.d_model % self.heads == 0,
             f"d_model ({self.d_model}) must be divisible by heads ({self.heads})"),
            (self.d_ffn % (2 * self.heads) == 0,
             f"d_ffn ({self.d_ffn}) must be divisible by 2 * heads ({2 * self.heads})"),
            (self.attn_dim >= 0, f"attn_dim must be >= 0, got {self.attn_dim}"),
            (0.0 <= self.dropout < 1.0, f"dropout must be in [0, 1), got {self.dropout}"),
        ])


# Same width (192), depth (4), heads (4), block (128) and dropout; d_ffn chosen so the three are
# within 10 % of each other's parameter count (~1.8 M each). Without dropout the gMLP overfit
# tinyshakespeare's 1 M training characters: val loss rose from 1.577 to 1.599 over steps 2,100-2,500
# (~10 passes) while train loss fell to 1.12.
LM_PRESETS: dict[str, LMConfig] = {
    "attention-lm": LMConfig(d_ffn=768, dropout=0.1),
    "gmlp-lm": LMConfig(d_ffn=1280, dropout=0.1),
    "amlp-lm": LMConfig(d_ffn=1152, attn_dim=64, dropout=0.1),
    "attention-lm-tiny": LMConfig(block_size=16, d_model=16, depth=2, heads=2, d_ffn=32),
    "gmlp-lm-tiny": LMConfig(block_size=16, d_model=16, depth=2, heads=2, d_ffn=32),
    "amlp-lm-tiny": LMConfig(block_size=16, d_model=16, depth=2, heads=2, d_ffn=32, attn_dim=8),
}


class SelfAttention(nn.Module):
    """Multi-head self-attention, causal unless causal=False: a fast path (PyTorch's SDPA) and an explicit one
    for display."""

    def __init__(self, *, d_model: int, heads: int, dropout: float = 0.0, causal: bool = True):
        super().__init__()
        self.heads, self.dropout, self.causal = heads, dropout, causal
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)
        self.out_dropout = nn.Dropout(dropout)

    def _qkv(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """x: (b, n, d) -> q, k, v: (b, h, n, d / h)"""
        return tuple(rearrange(t, "b n (h d) -> b h n d", h=self.heads) for t in self.qkv(x).chunk(3, dim=-1))

    def weights(self, x: torch.Tensor) -> torch.Tensor:
        """x: (b, n, d) -> (b, h, n, n): softmax(q kᵀ / sqrt(d_head)), with the future at -inf when causal."""
        q, k, _ = self._qkv(x)
        scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])
        if self.causal:
            scores = scores.masked_fill(causal_mask(x.shape[1], x.device), float("-inf"))
        return scores.softmax(dim=-1)

    def forward(self, x: torch.Tensor, weights: torch.Tensor | None = None) -> torch.Tensor:
        """x: (b, n, d) -> (b, n, d); given weights (b, h, n, n) they replace SDPA's (the display path)."""
        q, k, v = self._qkv(x)
        if weights is None:
            context = F.scaled_dot_product_attention(q, k, v, is_causal=self.causal,
                                                     dropout_p=self.dropout if self.training else 0.0)
        else:
            context = weights @ v
        return self.out_dropout(self.proj(rearrange(context, "b h n d -> b n (h d)")))


class AttentionBlock(nn.Module):
    """x + attn(LN(x)), then x + MLP(LN(x))."""

    def __init__(self, config: LMConfig):
        super().__init__()
        self.norm1 = nn.LayerNorm(config.d_model)
        self.attn = SelfAttention(d_model=config.d_model, heads=config.heads, dropout=config.dropout,
                                  causal=config.causal)
        self.norm2 = nn.LayerNorm(config.d_model)
        self.mlp = nn.Sequential(nn.Linear(config.d_model, config.d_ffn), nn.GELU(),
                                 nn.Linear(config.d_ffn, config.d_model), nn.Dropout(config.dropout))

    def forward(self, x: torch.Tensor, weights: torch.Tensor | None = None) -> torch.Tensor:
        x = x + self.attn(self.norm1(x), weights)
        return x + self.mlp(self.norm2(x))


def _check_causal(config: LMConfig) -> None:
    if not config.causal:
        raise ValueError("decoder: this model reads the whole sequence (causal=False), so it cannot generate "
                         "one character at a time")


def _check_ids(ids: torch.Tensor, block_size: int) -> None:
    if ids.dim() != 2 or not 1 <= ids.shape[1] <= block_size:
        raise ValueError(f"ids must have shape (batch, n) with 1 <= n <= {block_size}, got {tuple(ids.shape)}")


@register("attention-lm", config_class=LMConfig, task="text", short="attention",
          description="causal character Transformer", shows={ATTENTION_MAPS},
          titles={"en": "Attention", "vi": "Attention"})
class AttentionLM(nn.Module):
    """GPT-style causal character model. ids (b, n) -> logits (b, n, vocab)."""

    def __init__(self, config: LMConfig):
        super().__init__()
        self.config = config
        self.token_embed = nn.Embedding(config.vocab_size, config.d_model)
        self.pos_embed = nn.Parameter(torch.randn(1, config.block_size, config.d_model) * 0.02)
        self.embed_dropout = nn.Dropout(config.dropout)
        self.blocks = nn.ModuleList(AttentionBlock(config) for _ in range(config.depth))
        self.norm = nn.LayerNorm(config.d_model)
        self.head = nn.Linear(config.d_model, config.vocab_size)
        # GPT-2's scale: N(0, 1) token embeddings would drown the 0.02-scale position embeddings
        nn.init.normal_(self.token_embed.weight, std=0.02)

    def forward(self, ids: torch.Tensor, return_attention: bool = False):
        """ids: (b, n) -> logits (b, n, vocab); with return_attention also (layers, b, heads, n, n),
        computed explicitly and used for the output (the display path)."""
        _check_ids(ids, self.config.block_size)
        x = self.embed_dropout(self.token_embed(ids) + self.pos_embed[:, :ids.shape[1]])
        maps = []
        for block in self.blocks:
            weights = block.attn.weights(block.norm1(x)) if return_attention else None
            maps.append(weights)
            x = block(x, weights)
        logits = self.head(self.norm(x))
        return (logits, torch.stack(maps)) if return_attention else logits

    def attention_maps(self, ids: torch.Tensor) -> torch.Tensor:
        """ids: (b, n) -> (layers, b, heads, n, n): every block's causal attention weights."""
        return self(ids, return_attention=True)[1]

    def decoder(self) -> AttentionDecoder:
        """A key/value cache for generating one character at a time (eval mode)."""
        _check_causal(self.config)
        return AttentionDecoder(self)


# decorators apply from the class outwards: gmlp-lm is registered (and listed) before amlp-lm
@register("amlp-lm", config_class=LMConfig, task="text", short="amlp",
          description="causal character gMLP with a tiny attention (aMLP)", shows={SPATIAL_W, ATTENTION_MAPS},
          titles={"en": "aMLP (gMLP + tiny attention)", "vi": "aMLP (gMLP + attention nhỏ)"},
          accepts=lambda c: None if c.attn_dim else "attn_dim must be > 0 (the size of its tiny attention)")
@register("gmlp-lm", config_class=LMConfig, task="text", short="gmlp", description="causal character gMLP",
          shows={SPATIAL_W}, titles={"en": "gMLP", "vi": "gMLP"},
          accepts=lambda c: f"attn_dim must be 0 (got {c.attn_dim}); a tiny attention makes it amlp-lm"
          if c.attn_dim else None)
class GMLPLM(nn.Module):
    """Causal gMLP character model (aMLP when config.attn_dim > 0). ids (b, n) -> logits (b, n, vocab)."""

    def __init__(self, config: LMConfig):
        super().__init__()
        self.config = config
        self.token_embed = nn.Embedding(config.vocab_size, config.d_model)
        self.embed_dropout = nn.Dropout(config.dropout)
        self.gmlp = GMLP(d_model=config.d_model, d_ffn=config.d_ffn, seq_len=config.block_size, depth=config.depth,
                         heads=config.heads, causal=config.causal, attn_dim=config.attn_dim, init_eps=config.init_eps,
                         dropout=config.dropout)
        self.norm = nn.LayerNorm(config.d_model)
        self.head = nn.Linear(config.d_model, config.vocab_size)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        _check_ids(ids, self.config.block_size)
        return self.head(self.norm(self.gmlp(self.embed_dropout(self.token_embed(ids)))))

    def decoder(self) -> GMLPDecoder:
        """A cache of each block's gate inputs for generating one character at a time (eval mode)."""
        _check_causal(self.config)
        return GMLPDecoder(self)

    def attention_maps(self, ids: torch.Tensor) -> torch.Tensor:
        """ids: (b, n) -> (layers, b, 1, n, n): the aMLP's tiny attention in every block."""
        if not self.config.attn_dim:
            raise ValueError("attention_maps: this gMLP has no tiny attention (attn_dim = 0); its mixing is W")
        _check_ids(ids, self.config.block_size)
        x, maps = self.token_embed(ids), []
        for block in self.gmlp.blocks:
            maps.append(block.sgu.attn.weights(block.norm(x))[:, None])
            x = block(x)
        return torch.stack(maps)


@torch.inference_mode()
def attention_maps(model: nn.Module, ids: torch.Tensor) -> torch.Tensor:
    """ids: (n,) or (1, n) -> (layers, heads, n, n): the attention weights of a model whose family shows
    ATTENTION_MAPS (an attention LM's heads, an aMLP's tiny attention with heads = 1)."""
    ids = ids[None] if ids.dim() == 1 else ids
    if ids.shape[0] != 1:
        raise ValueError(f"attention_maps: one sequence at a time, got a batch of {ids.shape[0]}")
    method = getattr(model, "attention_maps", None)
    if method is None:
        raise ValueError(f"attention_maps: {type(model).__name__} computes no attention from its input")
    return method(ids)[:, 0]
