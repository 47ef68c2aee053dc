"""The causal mask every causal mixer shares (attention scores, the gMLP's W, the lessons)."""

from __future__ import annotations

import torch


def causal_mask(n: int, device=None) -> torch.Tensor:
    """(n, n) bool, True above the diagonal (the future)."""
    return torch.ones(n, n, dtype=torch.bool, device=device).triu(1)
