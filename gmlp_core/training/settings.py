"""Typed settings for every trainer: what a command line, a notebook or a page passes to train_*().

RunSettings holds what every run shares (where it runs, its seed, where it writes); each trainer's
settings extend it. The commands build them from their flags with from_args (flag dest = field name).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

PRECISIONS = ("auto", "fp32", "bf16")
DEVICES = ("auto", "cpu", "cuda")


@dataclass(frozen=True)
class RunSettings:
    seed: int = 0
    device: str = "auto"  # auto: CUDA when there is one
    precision: str = "auto"  # auto: bf16 autocast on CUDA, fp32 on a CPU
    out: str | None = None  # the .safetensors checkpoint to write; None: the model stays in memory only
    resume: str | None = None  # a PATH.state.pt an earlier run with the same settings wrote
    quiet: bool = False  # no progress line

    def __post_init__(self):
        if self.device not in DEVICES:
            raise ValueError(f"device must be one of {DEVICES}, got {self.device!r}")
        if self.precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}, got {self.precision!r}")
        if self.out is not None and not str(self.out).endswith(".safetensors"):
            raise ValueError(f"out must name a .safetensors file, got {self.out!r}")
        for field in dataclasses.fields(self):  # every number a run takes must be finite
            value = getattr(self, field.name)
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError(f"{field.name} must be a finite number, got {value}")

    @classmethod
    def from_args(cls, args, **overrides):
        """The settings from an argparse.Namespace whose dests are this class's field names (others ignored)."""
        values = {f.name: getattr(args, f.name) for f in dataclasses.fields(cls) if hasattr(args, f.name)}
        return cls(**{**values, **overrides})

    def replace(self, **changes):
        return dataclasses.replace(self, **changes)


# where a run executes and writes, not how it learns: left out of the training record a checkpoint carries
NOT_RECORDED = ("device", "precision", "out", "resume", "quiet", "data_dir", "data", "stop_after_epoch",
                "stop_after_steps")


def recorded(settings: RunSettings) -> dict:
    """The settings a checkpoint's training record keeps."""
    return {k: v for k, v in dataclasses.asdict(settings).items() if k not in NOT_RECORDED}


def positive(name: str, value, allow_zero: bool = False) -> None:
    """Raise ValueError unless value > 0 (>= 0 with allow_zero)."""
    if value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"{name} must be {'>= 0' if allow_zero else '> 0'}, got {value}")
