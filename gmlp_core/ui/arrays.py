"""The one conversion every figure and table starts from."""

from __future__ import annotations

import numpy as np


def as_array(matrix) -> np.ndarray:
    """A tensor, array or nested list -> float numpy array on the CPU."""
    return matrix.detach().cpu().float().numpy().astype(float) if hasattr(matrix, "detach") \
        else np.asarray(matrix, float)
