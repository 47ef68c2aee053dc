"""The pieces of a training step every trainer shares: parameter groups, schedule, update, progress."""

from __future__ import annotations

import math
import sys
import time

import torch


def param_groups(model: torch.nn.Module, weight_decay: float) -> list[dict]:
    """Decay matrices (projections, W); leave norms, biases and embeddings alone."""
    decay, no_decay = [], []
    for name, param in model.named_parameters():
        skip = param.dim() < 2 or name.endswith(("pos_embed", "cls_token"))
        (no_decay if skip else decay).append(param)
    return [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]


def make_optimizer(model: torch.nn.Module, lr: float, weight_decay: float) -> torch.optim.AdamW:
    return torch.optim.AdamW(param_groups(model, weight_decay), lr=lr, betas=(0.9, 0.99))


def lr_at(step: int, total: int, warmup: int, peak: float) -> float:
    """Linear warm-up to peak, then cosine to zero."""
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = (step - warmup) / max(total - warmup, 1)
    return peak * 0.5 * (1.0 + math.cos(math.pi * min(progress, 1.0)))


def update(model: torch.nn.Module, optimizer: torch.optim.Optimizer, loss: torch.Tensor, lr: float,
           clip: float = 1.0) -> None:
    """One optimiser step at learning rate lr: backward, clip the gradient norm, step."""
    for group in optimizer.param_groups:
        group["lr"] = lr
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
    optimizer.step()


class Progress:
    """One status line on stderr: where, step, loss, lr, items/s (images or chars), ETA."""

    def __init__(self, enabled: bool, total_steps: int, unit: str = "img"):
        self.enabled, self.total, self.unit = enabled, total_steps, unit
        self.start, self.last_print = time.perf_counter(), 0.0

    def update(self, step: int, where: str, loss: float, lr: float, items: int) -> None:
        """step: steps done in this process; items: images or characters seen in this process."""
        now = time.perf_counter()
        if not self.enabled or (now - self.last_print < 1.0 and step < self.total):
            return
        self.last_print = now
        elapsed = now - self.start
        rate = items / max(elapsed, 1e-9)
        eta = elapsed / max(step, 1) * (self.total - step)
        width = 24
        filled = int(width * step / max(self.total, 1))
        print(f"\r[{'#' * filled}{'.' * (width - filled)}] {where} step {step}/{self.total} "
              f"loss {loss:.3f} lr {lr:.2e} {rate:,.0f} {self.unit}/s ETA {eta / 60:.1f} min ",
              end="", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.enabled:
            print(file=sys.stderr, flush=True)
