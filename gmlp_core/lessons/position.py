"""Position, from the lecture notes: tokens are a set until position is added.

Self-attention without position information is permutation-equivariant: shuffle the tokens and the attention
map is the same map with its rows and columns shuffled (weights(P x) = P weights(x) Pᵀ). Adding a sinusoidal
positional encoding (Vaswani et al. 2017) ties each token to its place, and the shuffled map is then another
map. A gMLP's W is indexed by position, not by token: it stays where it is whatever the order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from .attention import init_projections, scaled_dot_product_attention
from .steps import LessonSettings


def sinusoidal_encoding(n: int, d: int) -> torch.Tensor:
    """(n, d): PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i + 1] = cos(p / 10000^(2i/d))."""
    if n < 1 or d < 1:
        raise ValueError(f"positional encoding needs n >= 1 positions and d >= 1 dimensions, got {n} x {d}")
    position = torch.arange(n, dtype=torch.float32)[:, None]
    rates = torch.exp(-math.log(10000.0) * torch.arange(0, d, 2, dtype=torch.float32) / d)
    pe = torch.zeros(n, d)
    pe[:, 0::2] = torch.sin(position * rates)
    pe[:, 1::2] = torch.cos(position * rates[: d // 2])
    return pe


def shuffle_order(n: int, seed: int = 0) -> list[int]:
    """A permutation of 0..n-1 drawn from seed that moves the sequence (not the identity when n >= 2):
    shuffled[i] = original[order[i]]."""
    order = torch.randperm(n, generator=torch.Generator().manual_seed(seed)).tolist()
    if n >= 2 and order == sorted(order):
        order = order[1:] + order[:1]
    return order


def permutation_matrix(order: list[int]) -> torch.Tensor:
    """(n, n) P with P[i, order[i]] = 1, so that P @ x is x shuffled by order."""
    p = torch.zeros(len(order), len(order))
    p[torch.arange(len(order)), torch.tensor(order, dtype=torch.long)] = 1.0
    return p


@dataclass
class PositionLesson:
    order: list[int]
    permutation: torch.Tensor  # (n, n)
    weights: torch.Tensor  # (n, n): attention on the tokens in their order
    shuffled: torch.Tensor  # (n, n): attention on the shuffled tokens
    encoding: torch.Tensor  # (n, d_in) sinusoidal
    weights_pe: torch.Tensor  # (n, n): attention on tokens + encoding
    shuffled_pe: torch.Tensor  # (n, n): attention on shuffled tokens + encoding (position stays with the place)

    @staticmethod
    def _gap(shuffled: torch.Tensor, weights: torch.Tensor, p: torch.Tensor) -> float:
        return float((shuffled - p @ weights @ p.T).abs().max())

    @property
    def gap(self) -> float:
        """max |shuffled - P weights Pᵀ|: 0 (to rounding) without position information."""
        return self._gap(self.shuffled, self.weights, self.permutation)

    @property
    def gap_pe(self) -> float:
        """The same with the positional encoding added: no longer 0, the order now matters."""
        return self._gap(self.shuffled_pe, self.weights_pe, self.permutation)


def position_lesson(x: torch.Tensor, settings: LessonSettings, shuffle_seed: int = 0) -> PositionLesson:
    """Single-head scaled dot-product attention (the page's trainable step, not causal: a mask is a position) on
    x: (n, d_in), on x shuffled, and on both with a sinusoidal encoding added, projections from settings.seed."""
    if x.dim() != 2 or x.shape[0] < 1:
        raise ValueError(f"embeddings must have shape (tokens, dims) with at least one token, got {tuple(x.shape)}")
    n, d = x.shape
    w = init_projections(d, settings.d_out, seed=settings.seed)
    qkv = (w["w_q"], w["w_k"], w["w_v"])
    order = shuffle_order(n, shuffle_seed)
    p = permutation_matrix(order)
    pe = sinusoidal_encoding(n, d)

    def weights(inputs: torch.Tensor) -> torch.Tensor:
        return scaled_dot_product_attention(inputs, *qkv, scale=settings.scale).weights

    return PositionLesson(order, p, weights(x), weights(p @ x), pe, weights(x + pe), weights(p @ x + pe))
