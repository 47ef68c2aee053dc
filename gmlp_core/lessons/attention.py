"""Self-attention as taught step by step (SPEC §2), every intermediate returned.

All functions work on one sequence: x: (n, d_in), w_q / w_k / w_v: (d_in, d_out).
Rows of a weights matrix are queries, columns are keys: weights[m, j] = how much token m reads
from token j. mask is True where a key is hidden from a query (j > m when causal).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from einops import rearrange

from ..models.masks import causal_mask

CAUSAL_METHODS = ("mask", "renormalise")


@dataclass
class AttentionResult:
    """scores, masked_scores, weights: (..., n, n); context: (n, d_out)."""

    scores: torch.Tensor  # raw q.k (scaled when scale=True)
    mask: torch.Tensor | None  # (n, n) bool, True = hidden; None when not causal
    masked_scores: torch.Tensor  # scores with -inf where hidden
    weights: torch.Tensor  # softmax rows, sum to 1; hidden entries exactly 0
    context: torch.Tensor  # dropped_weights . values
    dropped_weights: torch.Tensor  # weights after dropout (== weights when dropout = 0)
    queries: torch.Tensor | None = None
    keys: torch.Tensor | None = None
    values: torch.Tensor | None = None


@dataclass
class MultiHeadResult(AttentionResult):
    """Per-head tensors carry a leading head axis: scores / weights (h, n, n)."""

    mean_weights: torch.Tensor | None = None  # (n, n) average of weights over heads
    output: torch.Tensor | None = None  # context . w_o, or context when w_o is None


def causal_softmax(scores: torch.Tensor, mask: torch.Tensor, method: str = "mask") -> torch.Tensor:
    """Row softmax that gives hidden entries exactly zero weight.

    'mask': set hidden scores to -inf, then softmax.
    'renormalise': softmax over all, zero the hidden entries, divide each row by its new sum.
    The two are mathematically identical; both are offered so learners can compare.
    """
    if method == "mask":
        return torch.softmax(scores.masked_fill(mask, float("-inf")), dim=-1)
    if method == "renormalise":
        weights = torch.softmax(scores, dim=-1).masked_fill(mask, 0.0)
        return weights / weights.sum(dim=-1, keepdim=True)
    raise ValueError(f"causal method must be one of {CAUSAL_METHODS}, got {method!r}")


def _dropout(weights: torch.Tensor, p: float, generator: torch.Generator | None) -> torch.Tensor:
    """Inverted dropout on attention weights; a generator makes the dropped cells reproducible."""
    if not 0.0 <= p < 1.0:
        raise ValueError(f"dropout must be in [0, 1), got {p}")
    if p == 0.0:
        return weights
    keep = torch.rand(weights.shape, generator=generator, device=weights.device) >= p
    return weights * keep / (1.0 - p)


def _check_inputs(x: torch.Tensor, *matrices: torch.Tensor) -> None:
    if x.dim() != 2 or x.shape[0] == 0:
        raise ValueError(f"x must have shape (n, d_in) with n >= 1, got {tuple(x.shape)}")
    for name, w in zip(("w_q", "w_k", "w_v"), matrices):
        if w.dim() != 2 or w.shape[0] != x.shape[1]:
            raise ValueError(f"{name} must have shape (d_in={x.shape[1]}, d_out), got {tuple(w.shape)}")
    if matrices and len({w.shape[1] for w in matrices}) != 1:
        raise ValueError(f"w_q, w_k, w_v must share d_out, got {[tuple(w.shape) for w in matrices]}")


def _attend(q, k, v, *, causal, scale, dropout, generator, method="mask"):
    """q, k, v: (..., n, d) -> (scores, mask, masked_scores, weights, dropped, context)."""
    scores = q @ k.transpose(-1, -2)
    if scale:
        scores = scores / math.sqrt(k.shape[-1])
    n = scores.shape[-1]
    mask = causal_mask(n, scores.device) if causal else None
    if causal:
        masked_scores = scores.masked_fill(mask, float("-inf"))
        weights = causal_softmax(scores, mask, method)
    else:
        masked_scores, weights = scores, torch.softmax(scores, dim=-1)
    dropped = _dropout(weights, dropout, generator)
    return scores, mask, masked_scores, weights, dropped, dropped @ v


def simplified_self_attention(x: torch.Tensor) -> AttentionResult:
    """No trainable weights: scores = x xᵀ, weights = softmax(rows), context = weights x."""
    _check_inputs(x)
    scores, mask, masked, weights, dropped, context = _attend(x, x, x, causal=False, scale=False,
                                                              dropout=0.0, generator=None)
    return AttentionResult(scores, mask, masked, weights, context, dropped, x, x, x)


def scaled_dot_product_attention(x, w_q, w_k, w_v, *, causal=False, scale=True, dropout=0.0,
                                 generator=None, method="mask") -> AttentionResult:
    """q = x w_q, k = x w_k, v = x w_v; scores = q kᵀ / sqrt(d_k); weights = softmax; context = weights v."""
    _check_inputs(x, w_q, w_k, w_v)
    q, k, v = x @ w_q, x @ w_k, x @ w_v
    parts = _attend(q, k, v, causal=causal, scale=scale, dropout=dropout, generator=generator, method=method)
    scores, mask, masked, weights, dropped, context = parts
    return AttentionResult(scores, mask, masked, weights, context, dropped, q, k, v)


def multi_head_attention(x, w_q, w_k, w_v, num_heads, *, causal=False, scale=True, dropout=0.0,
                         generator=None, w_o=None, method="mask") -> MultiHeadResult:
    """d_out is split into num_heads heads of d_out / num_heads; each head attends on its own.

    context: (n, d_out), the heads' contexts concatenated; output = context w_o (w_o: (d_out, d_out)).
    """
    _check_inputs(x, w_q, w_k, w_v)
    d_out = w_q.shape[1]
    if num_heads < 1 or d_out % num_heads:
        raise ValueError(f"d_out ({d_out}) must be divisible by num_heads ({num_heads})")
    if w_o is not None and tuple(w_o.shape) != (d_out, d_out):
        raise ValueError(f"w_o must have shape ({d_out}, {d_out}), got {tuple(w_o.shape)}")
    q, k, v = (rearrange(x @ w, "n (h d) -> h n d", h=num_heads) for w in (w_q, w_k, w_v))
    scores, mask, masked, weights, dropped, head_context = _attend(
        q, k, v, causal=causal, scale=scale, dropout=dropout, generator=generator, method=method)
    context = rearrange(head_context, "h n d -> n (h d)")
    output = context @ w_o if w_o is not None else context
    return MultiHeadResult(scores, mask, masked, weights, context, dropped, q, k, v,
                           mean_weights=weights.mean(dim=0), output=output)


def init_projections(d_in: int, d_out: int, seed: int = 0, with_output: bool = False) -> dict[str, torch.Tensor]:
    """Deterministic w_q, w_k, w_v (and w_o) drawn like nn.Linear's default, from a seed."""
    if d_in < 1 or d_out < 1:
        raise ValueError(f"d_in and d_out must be >= 1, got {d_in}, {d_out}")
    generator = torch.Generator().manual_seed(seed)
    names = ("w_q", "w_k", "w_v", "w_o") if with_output else ("w_q", "w_k", "w_v")
    shapes = {"w_o": (d_out, d_out)}
    out = {}
    for name in names:
        shape = shapes.get(name, (d_in, d_out))
        bound = 1.0 / math.sqrt(shape[0])
        out[name] = (torch.rand(shape, generator=generator) * 2 - 1) * bound
    return out
