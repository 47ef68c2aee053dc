"""Training a GMLPVision on an image set: one epoch, end-of-epoch evaluation, the checkpoint's record.

Images are decoded once into a uint8 tensor on the training device and augmented there. A
validation split carved out of train/ is what every choice looks at; the test split (when
present) is read once, after the last epoch.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import torch
import torch.nn.functional as F
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

from ..formats.checkpoints import save_checkpoint, snapshot
from ..data import (CIFAR10_MEAN, CIFAR10_STD, TRIVIAL_AUGMENT_GROUP, BatchMixer, DataError, GroupTrivialAugment,
                    ImageSet,
                    augment, load_image_folder, load_torchvision_cifar10, split_validation)
from ..analysis.accuracy import evaluate, topk_correct, topk_record
from ..formats.images import normalize
from ..models import PRESETS, GMLPVision, count_parameters, preset
from .loop import Progress, lr_at, make_optimizer, update
from .metadata import run_metadata
from .settings import RunSettings, positive, recorded
from .setup import Run, start_run
from .state import load_state, save_state, state_path

DATASET_NAMES = {
    "imagefolder": "CIFAR-10 (JPEG q75)",
    "torchvision-cifar10": "CIFAR-10 (torchvision, lossless)",
}


@dataclass(frozen=True)
class VisionSettings(RunSettings):
    """Everything a vision run needs beside its data; `python -m gmlp_core.train` builds it from its flags."""

    preset: str = "s16"
    data_dir: str = ""  # ROOT with ROOT/train/<class>/* (and ROOT/test); not needed when data is passed in
    dataset: str = "imagefolder"  # a DATASET_NAMES key
    dataset_version: str = "cifar10 ImageFolder (JPEG q75, test = every other file)"
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
    ema: float = 0.0  # decay of an exponential moving average of the weights; 0 = off
    limit_per_class: int | None = None  # use only N train images per class
    skip_test: bool = False  # never read the test split
    stop_after_epoch: int | None = None  # stop after this epoch, leaving a state to resume from

    def __post_init__(self):
        super().__post_init__()
        if self.preset not in PRESETS:
            raise ValueError(f"unknown preset {self.preset!r}; accepted: {sorted(PRESETS)}")
        if self.dataset not in DATASET_NAMES:
            raise ValueError(f"dataset must be one of {sorted(DATASET_NAMES)}, got {self.dataset!r}")
        for name in ("epochs", "batch_size", "lr"):
            positive(name, getattr(self, name))
        for name in ("weight_decay", "warmup_epochs", "mixup", "cutmix", "val_size"):
            positive(name, getattr(self, name), allow_zero=True)
        for name in ("label_smoothing", "mix_prob", "ema"):
            if not 0.0 <= getattr(self, name) < 1.0 + (name == "mix_prob"):
                raise ValueError(f"{name} must be in [0, 1{']' if name == 'mix_prob' else ')'}, got {getattr(self, name)}")
        if self.stop_after_epoch is not None and self.out is None:
            raise ValueError("stop_after_epoch needs out: the state to resume from is written beside it")


TrainSettings = VisionSettings  # the name before every trainer had settings of its own


@dataclass
class VisionData:
    """train: the train split (validation images are carved out of it); test: read once at the end, or None."""

    train: ImageSet
    test: ImageSet | None = None


@dataclass
class TrainResult:
    """What a trainer returns: the trained model (eval mode), the record its checkpoint carries, the file written
    (None without `out`), and whether the run reached its end (False: stopped early to resume later)."""

    model: torch.nn.Module
    record: dict
    path: Path | None = None
    finished: bool = True


def ema_of(model: torch.nn.Module, decay: float) -> AveragedModel | None:
    """torch's AveragedModel keeping an EMA of model's weights, or None when decay is 0."""
    return AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(decay), use_buffers=True) if decay else None


def augmentation_text(settings: TrainSettings) -> str:
    parts = [f"TrivialAugmentWide (one op per {TRIVIAL_AUGMENT_GROUP} images)"] * settings.trivial_augment + \
            ["reflect-pad-4 random crop", "horizontal flip"]
    mixes = [f"MixUp(alpha={settings.mixup})"] * bool(settings.mixup) + \
            [f"CutMix(alpha={settings.cutmix})"] * bool(settings.cutmix)
    if mixes and settings.mix_prob:
        parts.append(f"{' or '.join(mixes)} on {settings.mix_prob:.0%} of batches")
    return ", ".join(parts)


def load_data(settings: VisionSettings) -> VisionData:
    """The train split (validation images included) and the test split, or None (absent, or skip_test)."""
    if settings.dataset == "torchvision-cifar10":
        test = None if settings.skip_test else load_torchvision_cifar10(settings.data_dir, False)
        return VisionData(load_torchvision_cifar10(settings.data_dir, True), test)
    root = Path(settings.data_dir)
    train = load_image_folder(root / "train", limit_per_class=settings.limit_per_class)
    test_dir = root / "test"
    test = load_image_folder(test_dir, class_names=train.class_names) \
        if test_dir.is_dir() and not settings.skip_test else None
    return VisionData(train, test)


@dataclass
class EpochRunner:
    """Everything one epoch needs; `history` and `snapshots` grow by one entry per epoch."""

    run: Run
    model: GMLPVision
    optimizer: torch.optim.Optimizer
    settings: TrainSettings
    train_set: ImageSet
    val_set: ImageSet
    mean: tuple = CIFAR10_MEAN
    std: tuple = CIFAR10_STD
    history: list = field(default_factory=list)
    snapshots: list = field(default_factory=list)

    def __post_init__(self):
        self.net = self.run.wrap(self.model)
        self.steps_per_epoch = len(self.train_set) // self.settings.batch_size
        self.total_steps = self.steps_per_epoch * self.settings.epochs
        self.warmup_steps = int(self.settings.warmup_epochs * self.steps_per_epoch)
        num_classes = self.model.config.num_classes
        self.mixer = BatchMixer(num_classes, self.settings.mixup, self.settings.cutmix, self.settings.mix_prob)
        self.policy = GroupTrivialAugment() if self.settings.trivial_augment else None
        self.ema = ema_of(self.model, self.settings.ema)

    @property
    def final_model(self) -> GMLPVision:
        """The model that is evaluated, snapshotted and saved: the EMA when there is one."""
        return self.ema.module if self.ema is not None else self.model

    def train_epoch(self, epoch: int, progress: Progress, done_before: int) -> dict:
        """One pass over the training split -> {train_loss, train_top1, lr}."""
        s, run = self.settings, self.run
        self.net.train()
        generator = torch.Generator().manual_seed(s.seed * 1000 + epoch)
        order = torch.randperm(len(self.train_set), generator=generator).to(run.device)
        per_rank = s.batch_size // run.world
        loss_sum, correct, seen, lr = torch.zeros((), device=run.device), 0.0, 0, s.lr
        for i in range(self.steps_per_epoch):
            lr = lr_at(epoch * self.steps_per_epoch + i, self.total_steps, self.warmup_steps, s.lr)
            index = order[i * s.batch_size + run.rank * per_rank:][:per_rank]
            raw = self.train_set.images[index]
            x = augment(normalize(self.policy(raw) if self.policy else raw, self.mean, self.std), generator)
            y = self.train_set.labels[index]
            x, target = self.mixer(x, y)
            with run.autocast():
                logits = self.net(x)
                loss = F.cross_entropy(logits.float(), target, label_smoothing=s.label_smoothing)
            update(self.model, self.optimizer, loss, lr)
            if self.ema is not None:
                self.ema.update_parameters(self.model)
            loss_sum += loss.detach() * len(y)
            correct += float(topk_correct(logits.detach().float(), y, 1)[0])
            seen += len(y)
            progress.update(done_before + i + 1, f"epoch {epoch + 1}/{s.epochs}", float(loss.detach()), lr,
                            (done_before + i + 1) * len(y) * run.world)
        return {"train_loss": float(loss_sum) / max(seen, 1), "train_top1": correct / max(seen, 1), "lr": lr}

    def end_epoch(self, epoch: int, record: dict, wall_s: float, out: Path | None) -> dict:
        """Validation top-k (and the raw weights' top-1 beside an EMA), a W snapshot, the history entry,
        and the resume state on disk."""
        self.model.eval()
        record = {"epoch": epoch + 1, **record, "wall_s": wall_s}
        if len(self.val_set):
            record.update(topk_record(evaluate(self.final_model, self.val_set, self.mean, self.std).topk, "val_top"))
            if self.ema is not None:
                record["val_top1_raw"] = evaluate(self.model, self.val_set, self.mean, self.std).topk[0]
        self.snapshots.append(snapshot(self.final_model))
        self.history.append(record)
        if self.run.main:
            print(f"epoch {epoch + 1}: " + ", ".join(f"{k} {v:.4f}" for k, v in record.items() if k != "epoch"),
                  file=sys.stderr)
        if self.run.main and out is not None:
            extra = {"ema": self.ema.state_dict()} if self.ema is not None else {}
            save_state(out, self.model, self.optimizer, snapshots=self.snapshots, history=self.history,
                       epoch=epoch + 1, wall_s=wall_s, **extra)
        return record


def vision_metadata(settings: VisionSettings, runner: EpochRunner, all_train: ImageSet, wall: float,
                    images_per_s: float) -> dict:
    s = runner.settings
    training = {**recorded(s), "optimizer": "AdamW(betas=(0.9, 0.99))", "schedule": "warmup+cosine",
                "augmentation": augmentation_text(s), "grad_clip": 1.0}
    meta = run_metadata(runner.run, runner.model, wall, images_per_s, "images")
    training.update(precision=meta.pop("precision"), world_size=meta.pop("world_size"))
    return {
        "preset": settings.preset, "class_names": list(all_train.class_names), "mean": list(runner.mean),
        "std": list(runner.std), "dataset": DATASET_NAMES[settings.dataset], "dataset_version": settings.dataset_version,
        "train_images": len(runner.train_set), "val_images": len(runner.val_set), "training": training,
        **meta, "history": runner.history,
        "snapshot_labels": ["init"] + [f"epoch {r['epoch']}" for r in runner.history],
    }


def prepare(settings: VisionSettings, run: Run, data: VisionData) -> tuple[EpochRunner, int, float]:
    """Model, optimiser, and a resumed state -> (runner, start epoch, wall before)."""
    all_train = data.train
    config = preset(settings.preset).replace(num_classes=len(all_train.class_names))
    train_set, val_set = split_validation(all_train, settings.val_size, seed=settings.seed)
    if len(train_set) < settings.batch_size:  # no step would run, and the record would claim a trained model
        raise DataError(f"{len(train_set)} train images are left after holding out {len(val_set)} for validation: "
                        f"fewer than one batch of {settings.batch_size}; lower the batch size or the validation "
                        "size, or add images")
    model = GMLPVision(config).to(run.device)
    optimizer = make_optimizer(model, settings.lr, settings.weight_decay)
    runner = EpochRunner(run, model, optimizer, settings, train_set.to(run.device), val_set,
                         snapshots=[snapshot(model)])
    start_epoch, wall_before = 0, 0.0
    if settings.resume:
        progress = load_state(settings.resume, model, optimizer)
        runner.snapshots, runner.history = list(progress["snapshots"]), progress["history"]
        if runner.ema is not None:
            runner.ema.load_state_dict(progress["ema"])
        start_epoch, wall_before = int(progress["epoch"]), float(progress["wall_s"])
        if run.main:
            print(f"resumed from {settings.resume} after epoch {start_epoch}", file=sys.stderr)
    return runner, start_epoch, wall_before


def train(settings: VisionSettings, data: VisionData | None = None) -> TrainResult | None:
    """The whole run -> its TrainResult (None on a non-main rank of a torchrun launch). data: loaded from
    settings.data_dir when not given."""
    data = data if data is not None else load_data(settings)
    with start_run(settings.device, settings.precision, settings.seed) as run:
        return _train(settings, run, data)


def _train(settings: VisionSettings, run: Run, data: VisionData) -> TrainResult | None:
    out = Path(settings.out) if settings.out else None
    runner, start_epoch, wall_before = prepare(settings, run, data)
    model = runner.final_model
    if run.main:
        print(f"{settings.preset}: {count_parameters(model):,} parameters, {model.config.num_patches} patches, "
              f"{model.config.heads} heads; {len(runner.train_set)} train / {len(runner.val_set)} val images "
              f"on {run.describe()}", file=sys.stderr)
    progress = Progress(run.main and not settings.quiet, runner.steps_per_epoch * (settings.epochs - start_epoch))
    t0 = time.perf_counter()
    for epoch in range(start_epoch, settings.epochs):
        record = runner.train_epoch(epoch, progress, (epoch - start_epoch) * runner.steps_per_epoch)
        progress.close()
        runner.end_epoch(epoch, record, wall_before + time.perf_counter() - t0, out)
        if settings.stop_after_epoch and epoch + 1 == settings.stop_after_epoch < settings.epochs:
            if run.main:
                print(f"stopped after epoch {epoch + 1}; continue with --resume {state_path(out)}", file=sys.stderr)
            return TrainResult(model.eval(), {"history": runner.history}, None, finished=False)
    elapsed = time.perf_counter() - t0
    run.barrier()
    if not run.main:
        return None
    trained = runner.steps_per_epoch * settings.batch_size * (settings.epochs - start_epoch)
    meta = vision_metadata(settings, runner, data.train, wall_before + elapsed, trained / max(elapsed, 1e-9))
    if data.test is not None:
        result = evaluate(model, data.test, runner.mean, runner.std)
        meta.update(result.test_record())
        print("test: " + "  ".join(f"top-{k + 1} {a:.2%}" for k, a in enumerate(result.topk)), file=sys.stderr)
    path = None
    if out is not None:
        path = save_checkpoint(model, out, snapshots=torch.stack(runner.snapshots), **meta)
        print(f"saved {path} ({meta['wall_time_s'] / 60:.1f} min)", file=sys.stderr)
    return TrainResult(model.eval(), meta, path)
