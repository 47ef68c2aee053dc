"""Where and how a run executes: device, DistributedDataParallel, seed, numeric precision."""

from __future__ import annotations

import contextlib
import os
import platform
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel

from ..arguments import existing_file
from .settings import DEVICES, PRECISIONS


def add_run_arguments(parser, seed: int) -> None:
    """The flags every trainer's command shares (RunSettings): where and how it runs, and how it resumes."""
    parser.add_argument("--precision", default="auto", choices=PRECISIONS,
                        help="auto: bf16 autocast on CUDA, fp32 on CPU; bf16 on a CPU with native bf16 "
                             "(this project's AMD EPYC) is 1.4-2x faster")
    parser.add_argument("--device", default="auto", choices=DEVICES)
    parser.add_argument("--seed", type=int, default=seed)
    parser.add_argument("--resume", default=None, type=existing_file, help="a PATH.state.pt written by an earlier run")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


@dataclass
class Run:
    """device; rank and world of a torchrun launch (0 and 1 alone); precision 'fp32' or 'bf16'."""

    device: torch.device
    rank: int = 0
    world: int = 1
    precision: str = "fp32"

    @property
    def main(self) -> bool:
        return self.rank == 0

    def autocast(self):
        """bf16 autocast on the run's device, or nothing for fp32."""
        if self.precision == "bf16":
            return torch.autocast(self.device.type, dtype=torch.bfloat16)
        return contextlib.nullcontext()

    def wrap(self, model: torch.nn.Module) -> torch.nn.Module:
        """The module to call in the training step: DDP-wrapped when several processes run."""
        return DistributedDataParallel(model) if self.world > 1 else model

    def agree(self, flag: bool) -> bool:
        """Rank 0's decision, for every rank: a time budget must stop all processes at the same step."""
        if self.world == 1:
            return flag
        decision = torch.tensor([int(flag)], device=self.device if self.device.type == "cuda" else "cpu")
        dist.broadcast(decision, src=0)
        return bool(decision.item())

    def barrier(self) -> None:
        if self.world > 1:
            dist.barrier()

    def close(self) -> None:
        """Leave the process group (once, at the end of every path out of a run)."""
        if self.world > 1 and dist.is_initialized():
            dist.destroy_process_group()

    def describe(self) -> str:
        return device_name(self.device)

    def __enter__(self) -> "Run":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def pick_device(name: str) -> torch.device:
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    if name == "cuda" and not torch.cuda.is_available():
        raise SystemExit("error: --device cuda, but no CUDA device is available; use --device cpu or auto")
    if name == "cuda" and "LOCAL_RANK" in os.environ:
        return torch.device("cuda", int(os.environ["LOCAL_RANK"]))
    return torch.device(name)


def pick_precision(name: str, device: torch.device) -> str:
    """auto = bf16 on CUDA, fp32 on CPU; bf16 on a CPU needs native bf16 support to be fast."""
    if name not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, got {name!r}")
    return ("bf16" if device.type == "cuda" else "fp32") if name == "auto" else name


def start_run(device: str = "auto", precision: str = "auto", seed: int = 0) -> Run:
    """Pick the device, join torchrun's process group if launched by it, seed, and make CPU runs
    deterministic. Use it as a context manager: leaving it leaves the process group."""
    chosen = pick_device(device)
    rank, world = 0, int(os.environ.get("WORLD_SIZE", "1"))
    if world > 1:
        dist.init_process_group(backend="nccl" if chosen.type == "cuda" else "gloo")
        rank, world = dist.get_rank(), dist.get_world_size()
    torch.manual_seed(seed)
    if chosen.type == "cpu":
        torch.use_deterministic_algorithms(True)
    return Run(chosen, rank, world, pick_precision(precision, chosen))


def device_name(device: torch.device) -> str:
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return f"CPU: {line.split(':', 1)[1].strip()} ({torch.get_num_threads()} threads)"
    return f"CPU: {platform.processor() or platform.machine()} ({torch.get_num_threads()} threads)"
