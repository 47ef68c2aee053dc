"""Resume state: everything a split run needs to continue bit for bit (`--resume PATH.state.pt`)."""

from __future__ import annotations

from pathlib import Path

import torch

from ..formats.checkpoints import written_beside


def state_path(out) -> Path:
    out = Path(out)
    return out.with_name(out.name + ".state.pt")


def save_state(out, model: torch.nn.Module, optimizer: torch.optim.Optimizer, **progress) -> Path:
    """model and optimizer state, torch's RNG, and the run's own progress (epoch/step, history, ...)."""
    path = state_path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    with written_beside(path) as partial:  # a run stopped mid-save still has the previous epoch's state
        torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "rng": torch.get_rng_state(),
                    **progress}, partial)
    return path


def load_state(path, model: torch.nn.Module, optimizer: torch.optim.Optimizer) -> dict:
    """Restore model, optimizer and RNG in place -> the run's own progress fields."""
    state = torch.load(path, map_location="cpu", weights_only=True)
    model.load_state_dict(state.pop("model"))
    optimizer.load_state_dict(state.pop("optimizer"))
    torch.set_rng_state(state.pop("rng"))
    return state
