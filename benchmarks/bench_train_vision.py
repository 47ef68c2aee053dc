"""Image-model training throughput on this machine, for choosing a preset's shape for a time budget.

    python benchmarks/bench_train_vision.py [--threads 2] [--steps 6] [--shapes s64,s16]
    python benchmarks/bench_train_vision.py --shapes "p4-d128-f768-x10,p4-d192-f768-x8"

A shape is a preset name or `p<patch>-d<d_model>-f<d_ffn>-x<depth>` (4 heads, 10 classes, 32 px).
Prints, for each shape, its parameters, tokens and the median time of a training step (batch 128:
forward, backward, AdamW) as images per second, in fp32 and in bf16 autocast, and the minutes one
epoch of 45,000 images (CIFAR-10 train less a 5,000-image validation split) takes at that rate.
"""

import argparse
import contextlib
import re
import statistics
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gmlp_core.models import PRESETS, GMLPVision, VisionConfig, count_parameters  # noqa: E402
from gmlp_core.training.loop import make_optimizer, update  # noqa: E402

EPOCH_IMAGES = 45_000
SHAPE = re.compile(r"p(\d+)-d(\d+)-f(\d+)-x(\d+)")


def shape_config(name: str) -> VisionConfig:
    if name in PRESETS:
        return PRESETS[name]
    match = SHAPE.fullmatch(name)
    if not match:
        raise SystemExit(f"--shapes: {name!r} is neither a preset ({sorted(PRESETS)}) nor p<patch>-d<d>-f<ffn>-x<depth>")
    patch, d_model, d_ffn, depth = map(int, match.groups())
    return VisionConfig(patch_size=patch, d_model=d_model, d_ffn=d_ffn, depth=depth, heads=4, drop_path=0.1)


def images_per_second(config: VisionConfig, precision: str, steps: int, batch: int) -> float:
    model = GMLPVision(config).train()
    optimizer = make_optimizer(model, 1e-3, 0.05)
    x = torch.randn(batch, 3, config.image_size, config.image_size)
    y = torch.randint(0, config.num_classes, (batch,))
    autocast = torch.autocast("cpu", dtype=torch.bfloat16) if precision == "bf16" else contextlib.nullcontext()
    times = []
    for _ in range(steps + 2):
        start = time.perf_counter()
        with autocast:
            loss = F.cross_entropy(model(x).float(), y)
        update(model, optimizer, loss, 1e-3)
        times.append(time.perf_counter() - start)
    return batch / statistics.median(times[2:])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--shapes", default="s16,s64")
    parser.add_argument("--precisions", default="fp32,bf16")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; batch {args.batch}")
    print(f"{'shape':<22} {'params':>10} {'tokens':>6} {'precision':>9} {'img/s':>7} {'min/epoch':>9}")
    for name in args.shapes.split(","):
        config = shape_config(name.strip())
        params = count_parameters(GMLPVision(config))
        for precision in args.precisions.split(","):
            rate = images_per_second(config, precision, args.steps, args.batch)
            print(f"{name:<22} {params:>10,} {config.num_patches:>6} {precision:>9} {rate:>7.0f} "
                  f"{EPOCH_IMAGES / rate / 60:>9.1f}", flush=True)


if __name__ == "__main__":
    main()
