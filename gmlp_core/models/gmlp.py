"""The gMLP layers every family shares (Liu et al. 2021, arXiv 2105.08050): SGU, block, stack.

Shapes: batch b, tokens n, model width d, heads h. W[k, m, j] = how much output token m takes
from input token j in head k. A causal W (zero above the diagonal) trained for n tokens serves
any m <= n tokens exactly through its prefix W[:, :m, :m], b[:, :m].
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from einops import rearrange
from torch import nn
from torchvision.ops import StochasticDepth

from .masks import causal_mask


ACTIVATIONS = {"none": lambda x: x, "gelu": F.gelu, "relu": F.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid}


class TinyAttention(nn.Module):
    """aMLP's single-head attention on the block input, projected to the gate width."""

    def __init__(self, *, d_in: int, d_out: int, attn_dim: int, causal: bool):
        super().__init__()
        self.causal = causal
        self.qkv = nn.Linear(d_in, 3 * attn_dim, bias=False)
        self.out = nn.Linear(attn_dim, d_out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: (b, n, d_in) -> (b, n, d_out)"""
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        return self.out(F.scaled_dot_product_attention(q, k, v, is_causal=self.causal))

    def weights(self, x: torch.Tensor) -> torch.Tensor:
        """x: (b, n, d_in) -> (b, n, n): softmax(q kᵀ / sqrt(d)) as the forward pass uses it."""
        q, k, _ = self.qkv(x).chunk(3, dim=-1)
        scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])
        if self.causal:
            scores = scores.masked_fill(causal_mask(x.shape[1], x.device), float("-inf"))
        return scores.softmax(dim=-1)


class SpatialGatingUnit(nn.Module):
    """S(Z) = Z1 * act(W Z2' + b): each head's W (n x n) mixes tokens of its group of gate channels
    (act is the identity, as in the paper, unless a checkpoint's layout says otherwise)."""

    def __init__(self, *, d_ffn: int, seq_len: int, heads: int = 1, causal: bool = False,
                 init_eps: float = 1e-3, attn: TinyAttention | None = None, act: str = "none"):
        super().__init__()
        if act not in ACTIVATIONS:
            raise ValueError(f"gate activation must be one of {sorted(ACTIVATIONS)}, got {act!r}")
        self.act = act
        if d_ffn % (2 * heads):
            raise ValueError(f"d_ffn ({d_ffn}) must be divisible by 2 * heads ({2 * heads})")
        self.heads, self.causal, self.seq_len = heads, causal, seq_len
        self.norm = nn.LayerNorm(d_ffn // 2)
        bound = init_eps / seq_len
        self.weight = nn.Parameter(torch.empty(heads, seq_len, seq_len).uniform_(-bound, bound))
        self.bias = nn.Parameter(torch.ones(heads, seq_len))
        self.attn = attn
        if causal:
            self.register_buffer("mask", causal_mask(seq_len), persistent=False)

    def effective_weight(self, n: int | None = None) -> torch.Tensor:
        """(h, n, n): W as applied to n tokens, zero above the diagonal when causal."""
        n = self.seq_len if n is None else n
        weight = self.weight[:, :n, :n]  # sliced first: a short text masks its own n x n, not the whole W
        return weight.masked_fill(self.mask[:n, :n], 0.0) if self.causal else weight

    def check_length(self, n: int) -> None:
        if n == self.seq_len or (self.causal and 1 <= n < self.seq_len):
            return
        accepted = f"1..{self.seq_len}" if self.causal else str(self.seq_len)
        raise ValueError(f"GMLP: expected {accepted} tokens (W is {self.seq_len}x{self.seq_len}), got {n}")

    def forward(self, z: torch.Tensor, block_input: torch.Tensor | None = None) -> torch.Tensor:
        """z: (b, n, d_ffn), block_input: (b, n, d_model) for aMLP -> (b, n, d_ffn / 2)"""
        n = z.shape[1]
        self.check_length(n)
        z1, z2 = z.chunk(2, dim=-1)
        gate = rearrange(self.norm(z2), "b n (h d) -> b h n d", h=self.heads)
        gate = torch.einsum("hmj,bhjd->bhmd", self.effective_weight(n), gate) + self.bias[None, :, :n, None]
        gate = rearrange(gate, "b h n d -> b n (h d)")
        if self.attn is not None:
            gate = gate + self.attn(block_input)
        return z1 * ACTIVATIONS[self.act](gate)


class GMLPBlock(nn.Module):
    """Y = X + V S(GELU(U LayerNorm(X)))   (pre-norm, residual)."""

    def __init__(self, *, d_model: int, d_ffn: int, seq_len: int, heads: int = 1, causal: bool = False,
                 attn_dim: int = 0, gelu_after_v: bool = False, init_eps: float = 1e-3, drop_path: float = 0.0,
                 dropout: float = 0.0, norm_eps: float = 1e-5, gate_act: str = "none"):
        super().__init__()
        self.norm = nn.LayerNorm(d_model, eps=norm_eps)
        self.proj_in = nn.Linear(d_model, d_ffn)
        attn = TinyAttention(d_in=d_model, d_out=d_ffn // 2, attn_dim=attn_dim, causal=causal) if attn_dim else None
        self.sgu = SpatialGatingUnit(d_ffn=d_ffn, seq_len=seq_len, heads=heads, causal=causal, init_eps=init_eps,
                                     attn=attn, act=gate_act)
        self.proj_out = nn.Linear(d_ffn // 2, d_model)
        self.gelu_after_v = gelu_after_v
        self.drop_path = StochasticDepth(drop_path, mode="row")
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: (b, n, d_model) -> (b, n, d_model)"""
        normed = self.norm(x)
        y = self.proj_out(self.sgu(F.gelu(self.proj_in(normed)), normed))
        if self.gelu_after_v:
            y = F.gelu(y)
        return x + self.drop_path(self.dropout(y))


class GMLP(nn.Module):
    """A stack of gMLP blocks over a token sequence of seq_len (any prefix length when causal)."""

    def __init__(self, *, depth: int, seq_len: int, drop_path: float = 0.0, **block):
        """block: GMLPBlock's keyword arguments (d_model, d_ffn, heads, causal, ...), the same for every block;
        the stochastic-depth rate grows linearly from 0 to drop_path over the blocks."""
        super().__init__()
        self.seq_len = seq_len
        rates = torch.linspace(0, drop_path, depth, device="cpu").tolist() if depth else []  # cpu: also under meta
        self.blocks = nn.ModuleList(GMLPBlock(seq_len=seq_len, drop_path=rate, **block) for rate in rates)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: (b, n, d_model) -> (b, n, d_model)"""
        for block in self.blocks:
            x = block(x)
        return x


def _stack(model: nn.Module) -> GMLP:
    stack = model if isinstance(model, GMLP) else getattr(model, "gmlp", None)
    if not isinstance(stack, GMLP) or not len(stack.blocks):
        raise ValueError("spatial_weights: expected a gMLP model (vision or language) with at least one block")
    return stack


def spatial_weights(model: nn.Module) -> torch.Tensor:
    """(layers, heads, n, n): the effective W of every block (masked when causal), detached."""
    return torch.stack([block.sgu.effective_weight().detach() for block in _stack(model).blocks])


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


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
