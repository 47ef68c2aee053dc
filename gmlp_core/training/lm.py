"""Training a character language model (attention, gMLP, aMLP) on a text corpus.

Steps over random windows of the first 90 % of the text; the validation loss (nats per character,
over every position of fixed random windows of the last 10 %) is measured every `eval_every`
steps, when a resume state is written too. With a step count (--steps) the schedule is warm-up +
cosine over the steps, and a seeded CPU run repeats exactly. With a time budget (--minutes) the
cosine runs over the elapsed share of the budget, so it ends at the budget however busy the
machine is; the steps it reached are recorded.
"""

from __future__ import annotations

import math
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
import torch.nn.functional as F

from ..formats.chars import ALPHABETS
from ..formats.checkpoints import save_checkpoint, snapshot
from ..data import Corpus, consecutive_windows, fixed_windows, load_corpus, random_windows
from ..models import LM_PRESETS, build_model, count_parameters
from .loop import Progress, lr_at, make_optimizer, update
from .metadata import run_metadata
from .setup import Run, start_run
from .state import load_state, save_state

SNAPSHOT_FRACTIONS = (0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75)  # of the run, beside init and the end
SLICE_CHARS = 8192  # the fixed val slice a checkpoint's recorded loss can be checked on


@dataclass(frozen=True)
class LMSettings:
    arch: str = "gmlp-lm"
    preset: str = "gmlp-lm"
    steps: int = 0  # 0: derive from minutes
    minutes: float = 0.0
    batch_size: int = 32
    lr: float = 2e-3
    weight_decay: float = 0.1
    warmup_steps: int = 100
    eval_every: int = 250
    eval_windows: int = 64
    final_eval_windows: int = 512
    seed: int = 0
    min_count: int = 1  # characters rarer than this in the corpus map to the unknown id
    always_known: str = ""  # a chars.ALPHABETS name whose letters are in the vocabulary however rare ("" = none)

    def __post_init__(self):
        if (self.steps > 0) == (self.minutes > 0):
            raise ValueError("give exactly one of --steps N or --minutes M (both > 0)")


def loss_on(model: torch.nn.Module, inputs: torch.Tensor, targets: torch.Tensor, batch: int = 64) -> float:
    """Mean cross-entropy in nats per character over every position of the windows (b, n)."""
    total, count = 0.0, 0
    with torch.inference_mode():
        for start in range(0, len(inputs), batch):
            logits = model(inputs[start:start + batch]).float()
            total += float(F.cross_entropy(logits.flatten(0, 1), targets[start:start + batch].flatten(),
                                           reduction="sum"))
            count += targets[start:start + batch].numel()
    return total / max(count, 1)


@dataclass
class StepRunner:
    run: Run
    model: torch.nn.Module
    optimizer: torch.optim.Optimizer
    settings: LMSettings
    corpus: Corpus
    step: int = 0
    history: list = field(default_factory=list)
    snapshots: list = field(default_factory=list)
    snapshot_labels: list = field(default_factory=list)

    def __post_init__(self):
        self.net = self.run.wrap(self.model)
        self.generator = torch.Generator().manual_seed(self.settings.seed * 1000 + self.run.rank)
        block = self.model.config.block_size
        self.val_windows = fixed_windows(self.corpus.val, block, self.settings.eval_windows)
        self.has_w = hasattr(self.model, "gmlp")

    def lr(self, elapsed_s: float) -> float:
        """Warm-up over the first steps, then cosine over the steps or over the time budget."""
        s = self.settings
        if s.steps:
            return lr_at(self.step, s.steps, s.warmup_steps, s.lr)
        warm = min(1.0, (self.step + 1) / s.warmup_steps)
        return s.lr * warm * 0.5 * (1.0 + math.cos(math.pi * min(elapsed_s / (60 * s.minutes), 1.0)))

    def done(self, elapsed_s: float) -> bool:
        if self.settings.steps:
            return self.step >= self.settings.steps
        return self.run.agree(elapsed_s >= 60 * self.settings.minutes)

    def train_step(self, elapsed_s: float) -> tuple[float, float]:
        """One update on a fresh batch -> (loss, lr); elapsed_s: training time so far (all sessions)."""
        s = self.settings
        lr = self.lr(elapsed_s)
        x, y = random_windows(self.corpus.train, self.model.config.block_size, s.batch_size // self.run.world,
                              self.generator)
        self.net.train()
        with self.run.autocast():
            logits = self.net(x.to(self.run.device))
            loss = F.cross_entropy(logits.float().flatten(0, 1), y.to(self.run.device).flatten())
        update(self.model, self.optimizer, loss, lr)
        self.step += 1
        return float(loss.detach()), lr

    def due_snapshot(self, elapsed_s: float) -> bool:
        """Whether the run has reached the next of SNAPSHOT_FRACTIONS (of its steps, or of its time budget)."""
        if not self.has_w:
            return False
        s = self.settings
        fraction = self.step / s.steps if s.steps else elapsed_s / (60 * s.minutes)
        taken = len(self.snapshots) - 1  # beside init
        return taken < len(SNAPSHOT_FRACTIONS) and fraction >= SNAPSHOT_FRACTIONS[taken]

    def evaluate(self, train_loss: float, lr: float, wall_s: float, out: Path, last: bool = False) -> dict:
        """Val loss on the fixed windows, a W snapshot when one is due (or at the end), the history entry,
        the resume state."""
        self.model.eval()
        with self.run.autocast():
            val = loss_on(self.model, *(t.to(self.run.device) for t in self.val_windows))
        record = {"step": self.step, "train_loss": train_loss, "val_loss": val, "lr": lr, "wall_s": wall_s}
        self.history.append(record)
        if self.has_w and (last or self.due_snapshot(wall_s)):
            self.snapshots.append(snapshot(self.model))
            self.snapshot_labels.append(f"step {self.step}")
        if self.run.main:
            print(f"step {self.step}: train {train_loss:.4f}  val {val:.4f} nats/char", file=sys.stderr)
            save_state(out, self.model, self.optimizer, step=self.step, history=self.history,
                       snapshots=self.snapshots, snapshot_labels=self.snapshot_labels, wall_s=wall_s,
                       generator=self.generator.get_state())
        return record


def prepare(args, run: Run, settings: LMSettings) -> tuple[StepRunner, float]:
    corpus = load_corpus(args.data, min_count=settings.min_count, always=ALPHABETS.get(settings.always_known, ""))
    config = LM_PRESETS[settings.preset].replace(vocab_size=corpus.tokenizer.size)
    model = build_model(settings.arch, config).to(run.device)
    optimizer = make_optimizer(model, settings.lr, settings.weight_decay)
    runner = StepRunner(run, model, optimizer, settings, corpus)
    if runner.has_w:
        runner.snapshots, runner.snapshot_labels = [snapshot(model)], ["init"]
    wall_before = 0.0
    if args.resume:
        state = load_state(args.resume, model, optimizer)
        runner.step = int(state["step"])
        runner.history, runner.snapshots = state["history"], list(state["snapshots"])
        runner.snapshot_labels, wall_before = state["snapshot_labels"], float(state["wall_s"])
        runner.generator.set_state(state["generator"])
        if run.main:
            print(f"resumed from {args.resume} at step {runner.step}", file=sys.stderr)
    return runner, wall_before


def lm_metadata(runner: StepRunner, wall: float, chars_per_s: float) -> dict:
    s, model = runner.settings, runner.model
    val_inputs = fixed_windows(runner.corpus.val, model.config.block_size, s.final_eval_windows, seed=4321)
    slice_inputs = consecutive_windows(runner.corpus.val, model.config.block_size, SLICE_CHARS)
    with runner.run.autocast():
        val_loss = loss_on(model, *val_inputs)
    slice_loss = loss_on(model, *slice_inputs)  # fp32, so anyone can recompute it exactly
    meta = run_metadata(runner.run, model, wall, chars_per_s, "chars")
    return {
        "preset": s.preset, "vocab": runner.corpus.tokenizer.vocab, "dataset": runner.corpus.name,
        "train_chars": len(runner.corpus.train), "val_chars": len(runner.corpus.val),
        "training": {**asdict(s), "steps": runner.step, "optimizer": "AdamW(betas=(0.9, 0.99))",
                     "schedule": "warmup+cosine", "grad_clip": 1.0},
        **meta, "history": runner.history, "snapshot_labels": runner.snapshot_labels,
        "val_loss": val_loss, "val_bits_per_char": val_loss / math.log(2),
        "val_loss_definition": f"mean over every position of {s.final_eval_windows} random windows "
                               f"(seed 4321) of {model.config.block_size} chars from the last 10 %",
        "val_slice_loss": slice_loss, "val_slice_chars": SLICE_CHARS,
        "val_slice_definition": f"fp32, first {SLICE_CHARS} chars of the val text in non-overlapping windows",
    }


def train_lm(args, settings: LMSettings) -> Path | None:
    """The whole run -> the checkpoint written, or None (a stop before the end, or a non-main rank)."""
    with start_run(args.device, args.precision, settings.seed) as run:
        return _train(args, run, settings)


def _train(args, run: Run, settings: LMSettings) -> Path | None:
    out = Path(args.out)
    runner, wall_before = prepare(args, run, settings)
    block = runner.model.config.block_size
    if run.main:
        print(f"{settings.arch}: {count_parameters(runner.model):,} parameters, block {block}, "
              f"vocab {runner.model.config.vocab_size}; {len(runner.corpus.train):,} train / "
              f"{len(runner.corpus.val):,} val chars on {run.describe()}", file=sys.stderr)
    t0, start_step = time.perf_counter(), runner.step
    progress = Progress(run.main and not args.quiet, settings.steps or 1, unit="chars")
    elapsed = wall_before
    while not runner.done(elapsed):
        loss, lr = runner.train_step(elapsed)
        elapsed = wall_before + time.perf_counter() - t0
        if settings.minutes:  # the step count the budget will reach at this pace, for the progress line
            progress.total = runner.step + int((60 * settings.minutes - elapsed) / max(elapsed, 1e-9) * runner.step)
        progress.update(runner.step - start_step, "lm", loss, lr,
                        (runner.step - start_step) * settings.batch_size * block)
        last = runner.done(elapsed)
        pause = bool(args.stop_after_steps) and runner.step >= args.stop_after_steps and not last
        if runner.step % settings.eval_every == 0 or runner.due_snapshot(elapsed) or last or pause:
            progress.close()
            runner.evaluate(loss, lr, elapsed, out, last)
        if pause:
            print(f"stopped at step {runner.step}; continue with --resume {out}.state.pt", file=sys.stderr)
            return None
    elapsed = time.perf_counter() - t0
    run.barrier()
    if not run.main:
        return None
    chars = (runner.step - start_step) * settings.batch_size * block
    meta = lm_metadata(runner, wall_before + elapsed, chars / max(elapsed, 1e-9))
    print(f"val loss {meta['val_loss']:.4f} nats/char = {meta['val_bits_per_char']:.4f} bits/char", file=sys.stderr)
    snapshots = torch.stack(runner.snapshots) if runner.snapshots else None
    path = save_checkpoint(runner.model, out, snapshots=snapshots, **meta)
    print(f"saved {path} ({meta['wall_time_s'] / 60:.1f} min)", file=sys.stderr)
    return path
