"""Train a GMLPVision on CIFAR-10: `python -m gmlp_core.train --preset s16 --data-dir ROOT --out PATH`.

Images are decoded once into a uint8 tensor on the training device and augmented there. A
validation split carved out of train/ is what every choice looks at; ROOT/test (when present) is
read once, after the last epoch, for the record in the checkpoint. Runs under
`torchrun --nproc_per_node=N` with DistributedDataParallel (gloo on CPU, nccl on CUDA).
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel

from .checkpoints import save_checkpoint, snapshot
from .data import (CIFAR10_MEAN, CIFAR10_STD, TRIVIAL_AUGMENT_GROUP, BatchMixer, DataError, GroupTrivialAugment,
                   ImageSet, augment, load_image_folder, load_torchvision_cifar10, normalize, split_validation)
from .evaluate import evaluate, topk_correct
from .models import PRESETS, GMLPVision, ModelConfig, count_parameters, preset

DATASET_NAMES = {
    "imagefolder": "CIFAR-10 (JPEG q75)",
    "torchvision-cifar10": "CIFAR-10 (torchvision, lossless)",
}


@dataclass(frozen=True)
class TrainSettings:
    epochs: int = 20
    batch_size: int = 128
    lr: float = 2e-3
    weight_decay: float = 0.05
    warmup_epochs: float = 1.0
    label_smoothing: float = 0.1
    mixup: float = 0.0  # MixUp alpha; 0 = off
    cutmix: float = 0.0  # CutMix alpha; 0 = off
    mix_prob: float = 0.5  # share of batches that get MixUp or CutMix
    trivial_augment: bool = False  # TrivialAugmentWide, one op per group of TRIVIAL_AUGMENT_GROUP images
    val_size: int = 5000
    seed: int = 0


@dataclass
class Distributed:
    rank: int = 0
    world: int = 1

    @property
    def main(self) -> bool:
        return self.rank == 0


def setup_distributed(device: torch.device) -> Distributed:
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world == 1:
        return Distributed()
    dist.init_process_group(backend="nccl" if device.type == "cuda" else "gloo")
    return Distributed(dist.get_rank(), dist.get_world_size())


def pick_device(name: str) -> torch.device:
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    if name == "cuda" and not torch.cuda.is_available():
        raise SystemExit("error: --device cuda, but no CUDA device is available; use --device cpu or auto")
    if name == "cuda" and "LOCAL_RANK" in os.environ:
        return torch.device("cuda", int(os.environ["LOCAL_RANK"]))
    return torch.device(name)


def device_name(device: torch.device) -> str:
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return f"CPU: {line.split(':', 1)[1].strip()} ({torch.get_num_threads()} threads)"
    return f"CPU: {platform.processor() or platform.machine()} ({torch.get_num_threads()} threads)"


def pick_precision(name: str, device: torch.device) -> str:
    """auto = bf16 on CUDA, fp32 on CPU; bf16 on a CPU needs native bf16 support to be fast."""
    return ("bf16" if device.type == "cuda" else "fp32") if name == "auto" else name


def param_groups(model: torch.nn.Module, weight_decay: float) -> list[dict]:
    """Decay matrices (projections, W); leave norms, biases and embeddings alone."""
    decay, no_decay = [], []
    for name, param in model.named_parameters():
        skip = param.dim() < 2 or name.endswith(("pos_embed", "cls_token"))
        (no_decay if skip else decay).append(param)
    return [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]


def lr_at(step: int, total: int, warmup: int, peak: float) -> float:
    """Linear warm-up to peak, then cosine to zero."""
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = (step - warmup) / max(total - warmup, 1)
    return peak * 0.5 * (1.0 + math.cos(math.pi * min(progress, 1.0)))


class Progress:
    """One status line on stderr: epoch, step, loss, lr, images/s, ETA."""

    def __init__(self, enabled: bool, total_steps: int):
        self.enabled, self.total = enabled, total_steps
        self.start, self.last_print = time.perf_counter(), 0.0

    def update(self, step: int, epoch: int, epochs: int, loss: float, lr: float, images: int) -> None:
        now = time.perf_counter()
        if not self.enabled or (now - self.last_print < 1.0 and step < self.total):
            return
        self.last_print = now
        elapsed = now - self.start
        rate = images / max(elapsed, 1e-9)
        eta = elapsed / max(step, 1) * (self.total - step)
        width = 24
        filled = int(width * step / max(self.total, 1))
        print(f"\r[{'#' * filled}{'.' * (width - filled)}] epoch {epoch}/{epochs} step {step}/{self.total} "
              f"loss {loss:.3f} lr {lr:.2e} {rate:,.0f} img/s ETA {eta / 60:.1f} min ",
              end="", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.enabled:
            print(file=sys.stderr, flush=True)


def augmentation_text(settings: TrainSettings) -> str:
    parts = [f"TrivialAugmentWide (one op per {TRIVIAL_AUGMENT_GROUP} images)"] * settings.trivial_augment + \
            ["reflect-pad-4 random crop", "horizontal flip"]
    mixes = [f"MixUp(alpha={settings.mixup})"] * bool(settings.mixup) + [f"CutMix(alpha={settings.cutmix})"] * bool(settings.cutmix)
    if mixes and settings.mix_prob:
        parts.append(f"{' or '.join(mixes)} on {settings.mix_prob:.0%} of batches")
    return ", ".join(parts)


def load_data(args) -> tuple[ImageSet, ImageSet | None]:
    """(train split incl. validation images, test split or None)."""
    if args.dataset == "torchvision-cifar10":
        return load_torchvision_cifar10(args.data_dir, True), load_torchvision_cifar10(args.data_dir, False)
    root = Path(args.data_dir)
    train = load_image_folder(root / "train", limit_per_class=args.limit_per_class)
    test_dir = root / "test"
    test = load_image_folder(test_dir, class_names=train.class_names) if test_dir.is_dir() and not args.skip_test else None
    return train, test


def state_path(out: Path) -> Path:
    return out.with_name(out.name + ".state.pt")


def train(args) -> Path | None:
    device = pick_device(args.device)
    ddp = setup_distributed(device)
    settings = TrainSettings(epochs=args.epochs, batch_size=args.batch_size, lr=args.lr,
                             weight_decay=args.weight_decay, warmup_epochs=args.warmup_epochs,
                             label_smoothing=args.label_smoothing, mixup=args.mixup, cutmix=args.cutmix,
                             mix_prob=args.mix_prob, trivial_augment=args.trivial_augment,
                             val_size=args.val_size, seed=args.seed)
    torch.manual_seed(settings.seed)
    if device.type == "cpu":
        torch.use_deterministic_algorithms(True)
    config = preset(args.preset)
    out = Path(args.out)

    all_train, test = load_data(args)
    config = ModelConfig.from_dict({**config.__dict__, "num_classes": len(all_train.class_names)})
    train_set, val_set = split_validation(all_train, settings.val_size, seed=settings.seed)
    train_set = train_set.to(device)

    model = GMLPVision(config).to(device)
    optimizer = torch.optim.AdamW(param_groups(model, settings.weight_decay), lr=settings.lr, betas=(0.9, 0.99))
    snapshots = [snapshot(model)]
    history: list[dict] = []
    start_epoch, wall_before = 0, 0.0
    if args.resume:
        resume = torch.load(args.resume, map_location="cpu", weights_only=True)
        model.load_state_dict(resume["model"])
        optimizer.load_state_dict(resume["optimizer"])
        snapshots = list(resume["snapshots"])
        history, start_epoch, wall_before = resume["history"], int(resume["epoch"]), float(resume["wall_s"])
        torch.set_rng_state(resume["rng"])
        if ddp.main:
            print(f"resumed from {args.resume} after epoch {start_epoch}", file=sys.stderr)
    net = DistributedDataParallel(model) if ddp.world > 1 else model

    per_rank = settings.batch_size // ddp.world
    steps_per_epoch = len(train_set) // settings.batch_size
    total_steps = steps_per_epoch * settings.epochs
    warmup_steps = int(settings.warmup_epochs * steps_per_epoch)
    precision = pick_precision(args.precision, device)
    autocast = (torch.autocast(device.type, dtype=torch.bfloat16) if precision == "bf16"
                else contextlib.nullcontext())
    mixer = BatchMixer(config.num_classes, settings.mixup, settings.cutmix, settings.mix_prob)
    policy = GroupTrivialAugment() if settings.trivial_augment else None
    mean, std = CIFAR10_MEAN, CIFAR10_STD
    if ddp.main:
        print(f"{args.preset}: {count_parameters(model):,} parameters, {config.num_patches} patches, "
              f"{config.heads} heads; {len(train_set)} train / {len(val_set)} val images on {device_name(device)}",
              file=sys.stderr)
    progress = Progress(ddp.main and not args.quiet, total_steps)
    images_seen, t0 = 0, time.perf_counter()
    for epoch in range(start_epoch, settings.epochs):
        net.train()
        generator = torch.Generator().manual_seed(settings.seed * 1000 + epoch)
        order = torch.randperm(len(train_set), generator=generator).to(device)
        loss_sum, correct, seen = torch.zeros((), device=device), 0.0, 0
        for i in range(steps_per_epoch):
            step = epoch * steps_per_epoch + i
            lr = lr_at(step, total_steps, warmup_steps, settings.lr)
            for group in optimizer.param_groups:
                group["lr"] = lr
            index = order[i * settings.batch_size + ddp.rank * per_rank:][:per_rank]
            raw = train_set.images[index]
            x = augment(normalize(policy(raw) if policy else raw, mean, std), generator)
            y = train_set.labels[index]
            x, target = mixer(x, y)
            with autocast:
                logits = net(x)
                loss = F.cross_entropy(logits.float(), target, label_smoothing=settings.label_smoothing)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            loss_sum += loss.detach() * len(y)
            correct += float(topk_correct(logits.detach().float(), y, 1)[0])
            seen += len(y)
            images_seen += len(y) * ddp.world
            progress.update(step - start_epoch * steps_per_epoch + 1, epoch + 1, settings.epochs,
                            float(loss.detach()), lr, images_seen)
        model.eval()
        val = evaluate(model, val_set, mean, std) if len(val_set) else None
        snapshots.append(snapshot(model))
        record = {"epoch": epoch + 1, "train_loss": float(loss_sum) / max(seen, 1),
                  "train_top1": correct / max(seen, 1), "lr": lr,
                  "wall_s": wall_before + time.perf_counter() - t0}
        if val is not None:
            record.update({f"val_top{k + 1}": acc for k, acc in enumerate(val.topk)})
        history.append(record)
        if ddp.main:
            progress.close()
            print(f"epoch {epoch + 1}: " + ", ".join(f"{k} {v:.4f}" for k, v in record.items() if k != "epoch"),
                  file=sys.stderr)
            out.parent.mkdir(parents=True, exist_ok=True)
            torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                        "snapshots": snapshots, "history": history, "epoch": epoch + 1,
                        "wall_s": record["wall_s"], "rng": torch.get_rng_state()}, state_path(out))
        if args.stop_after_epoch and epoch + 1 == args.stop_after_epoch < settings.epochs:
            if ddp.main:
                print(f"stopped after epoch {epoch + 1}; continue with --resume {state_path(out)}", file=sys.stderr)
            if ddp.world > 1:
                dist.destroy_process_group()
            return None
    wall = wall_before + time.perf_counter() - t0
    if not ddp.main:
        dist.barrier()
        dist.destroy_process_group()
        return None
    trained_images = steps_per_epoch * settings.batch_size * (settings.epochs - start_epoch)
    meta = {
        "preset": args.preset, "class_names": list(all_train.class_names), "mean": list(mean), "std": list(std),
        "dataset": DATASET_NAMES[args.dataset], "dataset_version": args.dataset_version,
        "train_images": len(train_set), "val_images": len(val_set),
        "training": {**settings.__dict__, "optimizer": "AdamW(betas=(0.9, 0.99))", "schedule": "warmup+cosine",
                     "augmentation": augmentation_text(settings), "grad_clip": 1.0,
                     "precision": "bf16 autocast" if precision == "bf16" else "fp32", "world_size": ddp.world},
        "device": device_name(device), "wall_time_s": round(wall, 1),
        "images_per_s": round(trained_images / max(time.perf_counter() - t0, 1e-9), 1),
        "parameters": count_parameters(model), "history": history,
        "snapshot_labels": ["init"] + [f"epoch {r['epoch']}" for r in history],
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    if test is not None:
        result = evaluate(model, test, mean, std)
        meta.update(test={f"top{k + 1}": acc for k, acc in enumerate(result.topk)}, test_images=result.n,
                    per_class=result.per_class, confusion=result.confusion)
        print("test: " + "  ".join(f"top-{k + 1} {a:.2%}" for k, a in enumerate(result.topk)), file=sys.stderr)
    path = save_checkpoint(model, out, snapshots=torch.stack(snapshots), **meta)
    print(f"saved {path} ({wall / 60:.1f} min)", file=sys.stderr)
    if ddp.world > 1:
        dist.barrier()
        dist.destroy_process_group()
    return path


def build_parser() -> argparse.ArgumentParser:
    defaults = TrainSettings()
    parser = argparse.ArgumentParser(prog="python -m gmlp_core.train", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--preset", required=True, choices=sorted(PRESETS))
    parser.add_argument("--data-dir", required=True, help="ROOT with ROOT/train/<class>/* (and ROOT/test)")
    parser.add_argument("--dataset", default="imagefolder", choices=sorted(DATASET_NAMES),
                        help="torchvision-cifar10 downloads the lossless original into --data-dir")
    parser.add_argument("--dataset-version", default="cifar10 ImageFolder (JPEG q75, test = every other file)")
    parser.add_argument("--out", required=True, help="checkpoint to write (.safetensors)")
    parser.add_argument("--epochs", type=int, default=defaults.epochs)
    parser.add_argument("--batch-size", type=int, default=defaults.batch_size)
    parser.add_argument("--lr", type=float, default=defaults.lr)
    parser.add_argument("--weight-decay", type=float, default=defaults.weight_decay)
    parser.add_argument("--warmup-epochs", type=float, default=defaults.warmup_epochs)
    parser.add_argument("--label-smoothing", type=float, default=defaults.label_smoothing)
    parser.add_argument("--mixup", type=float, default=defaults.mixup, help="MixUp alpha (0 = off)")
    parser.add_argument("--cutmix", type=float, default=defaults.cutmix, help="CutMix alpha (0 = off)")
    parser.add_argument("--mix-prob", type=float, default=defaults.mix_prob,
                        help="share of batches mixed (MixUp or CutMix, chosen at random when both are on)")
    parser.add_argument("--trivial-augment", action="store_true",
                        help="torchvision's TrivialAugmentWide before crop and flip "
                             f"(one op per group of {TRIVIAL_AUGMENT_GROUP} images)")
    parser.add_argument("--precision", default="auto", choices=["auto", "fp32", "bf16"],
                        help="auto: bf16 autocast on CUDA, fp32 on CPU; bf16 on a CPU with native bf16 is ~1.7x faster")
    parser.add_argument("--val-size", type=int, default=defaults.val_size)
    parser.add_argument("--limit-per-class", type=int, default=None, help="use only N train images per class")
    parser.add_argument("--skip-test", action="store_true", help="do not evaluate ROOT/test at the end")
    parser.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--resume", default=None, help="a PATH.state.pt written by an earlier run")
    parser.add_argument("--stop-after-epoch", type=int, default=None,
                        help="stop after this epoch, leaving a state to --resume from (split a long run)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        train(args)
    except DataError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
