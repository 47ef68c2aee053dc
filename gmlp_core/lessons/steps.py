"""The Attention page's computation: one sentence through the four variants of SPEC §2."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from .attention import (AttentionResult, MultiHeadResult, causal_softmax, init_projections,
                        multi_head_attention, scaled_dot_product_attention, simplified_self_attention)


@dataclass(frozen=True)
class LessonSettings:
    d_out: int = 4
    heads: int = 2
    seed: int = 123
    scale: bool = True
    causal: bool = False
    dropout: float = 0.0

    def __post_init__(self):
        if self.d_out < 1:
            raise ValueError(f"d_out must be >= 1, got {self.d_out}")
        if self.heads < 1 or self.d_out % self.heads:
            raise ValueError(f"d_out ({self.d_out}) must be divisible by heads ({self.heads}); "
                             f"choose heads among {head_choices(self.d_out)}")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout}")


@dataclass
class AttentionLesson:
    """x: (n, d_in). trainable honours settings.causal; causal is always causal (both methods kept)."""

    x: torch.Tensor
    simplified: AttentionResult
    trainable: AttentionResult
    causal: AttentionResult
    causal_renormalised: torch.Tensor  # (n, n) weights by softmax -> zero future -> renormalise
    multi_head: MultiHeadResult
    settings: LessonSettings = LessonSettings()

    @property
    def causal_methods_max_difference(self) -> float:
        return float((self.causal.weights - self.causal_renormalised).abs().max())


def head_choices(d_out: int) -> list[int]:
    """Head counts that split d_out evenly."""
    return [h for h in range(1, d_out + 1) if d_out % h == 0]


def build_attention_lesson(x: torch.Tensor, settings: LessonSettings) -> AttentionLesson:
    """Every intermediate for one sequence x: (n, d_in); weights drawn from settings.seed."""
    if x.dim() != 2 or x.shape[0] < 1:
        raise ValueError(f"embeddings must have shape (tokens, dims) with at least one token, got {tuple(x.shape)}")
    w = init_projections(x.shape[1], settings.d_out, seed=settings.seed, with_output=True)
    qkv = (w["w_q"], w["w_k"], w["w_v"])

    def dropout_generator() -> torch.Generator:
        return torch.Generator().manual_seed(settings.seed + 1)

    options = dict(scale=settings.scale, dropout=settings.dropout)
    trainable = scaled_dot_product_attention(x, *qkv, causal=settings.causal, generator=dropout_generator(), **options)
    causal = scaled_dot_product_attention(x, *qkv, causal=True, generator=dropout_generator(), **options)
    renormalised = causal_softmax(causal.scores, causal.mask, "renormalise")
    multi = multi_head_attention(x, *qkv, settings.heads, causal=settings.causal, w_o=w["w_o"],
                                 generator=dropout_generator(), **options)
    return AttentionLesson(x, simplified_self_attention(x), trainable, causal, renormalised, multi, settings)
