"""What every checkpoint says about the run that made it (SPEC §5), beside each trainer's own record."""

from __future__ import annotations

import time

import torch

from ..models import count_parameters
from .setup import Run


def run_metadata(run: Run, model: torch.nn.Module, wall_s: float, items_per_s: float, unit: str) -> dict:
    """device, wall time, throughput (`images_per_s` or `chars_per_s`), parameters, precision, when."""
    return {
        "device": run.describe(), "wall_time_s": round(wall_s, 1), f"{unit}_per_s": round(items_per_s, 1),
        "parameters": count_parameters(model), "precision": "bf16 autocast" if run.precision == "bf16" else "fp32",
        "world_size": run.world, "torch": torch.__version__,
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
