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
from dataclasses import dataclass, field
from pathlib import Path

import torch
import torch.nn.functional as F

from ..formats.chars import ALPHABETS
from ..formats.checkpoints import save_checkpoint, snapshot
from ..data import Corpus, DataError, consecutive_windows, fixed_windows, load_corpus, random_windows
from ..models import LM_PRESETS, SPATIAL_W, LMConfig, arch, arch_of, archs_for, build_model, count_parameters
from .loop import Progress, lr_at, make_optimizer, update
from .metadata import run_metadata
from .settings import RunSettings, positive, recorded
from .setup import Run, start_run
from .state import load_state, save_state, state_path
from .vision import TrainResult

SNAPSHOT_FRACTIONS = (0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75)  # of the run, beside init and the end
SLICE_CHARS = 8192  # the fixed val slice a checkpoint's recorded loss can be checked on


@dataclass(frozen=True)
class LMSettings(RunSettings):
    """Everything a language-model run needs beside its corpus; `python -m gmlp_core.train_lm` builds it."""

    arch: str = "gmlp-lm"  # a registered text arch
    preset: str = ""  # a models.LM_PRESETS name; "" = the arch's own
    data: str = ""  # a UTF-8 text file; not needed when a corpus is passed in
    steps: int = 0  # train for exactly this many steps (deterministic on a CPU) ...
    minutes: float = 0.0  # ... or for this much wall time
    batch_size: int = 32
    lr: float = 2e-3
    weight_decay: float = 0.1
    warmup_steps: int = 100
    eval_every: int = 250
    eval_windows: int = 64
    final_eval_windows: int = 512
    min_count: int = 1  # characters rarer than this in the corpus map to the unknown id
    always_known: str = ""  # a chars.ALPHABETS name whose letters are in the vocabulary however rare ("" = none)
    stop_after_steps: int | None = None  # stop after this step, leaving a state to resume from

    def __post_init__(self):
        super().__post_init__()
        if self.arch not in archs_for("text"):
            raise ValueError(f"arch must be a language arch, one of {sorted(archs_for('text'))}; got {self.arch!r}")
        if self.preset and self.preset not in LM_PRESETS:
            raise ValueError(f"unknown preset {self.preset!r}; accepted: {sorted(LM_PRESETS)}")
        if (self.steps > 0) == (self.minutes > 0):
            raise ValueError("give exactly one of --steps N or --minutes M (both > 0)")
        for name in ("batch_size", "lr", "eval_every", "eval_windows", "final_eval_windows", "min_count"):
            positive(name, getattr(self, name))
        for name in ("weight_decay", "warmup_steps"):
            positive(name, getattr(self, name), allow_zero=True)
        if self.always_known and self.always_known not in ALPHABETS:
            raise ValueError(f"always_known must be one of {sorted(ALPHABETS)}, got {self.always_known!r}")
        if self.stop_after_steps is not None and self.out is None:
            raise ValueError("stop_after_steps needs out: the state to resume from is written beside it")

    @property
    def config(self) -> LMConfig:
        """The preset's config (the arch's own preset unless one is named); its vocabulary size is the corpus's."""
        return LM_PRESETS[self.preset or self.arch]


def load_data(settings: LMSettings) -> Corpus:
    """The corpus settings.data names, with the vocabulary its min_count and always_known give."""
    return load_corpus(settings.data, min_count=settings.min_count, always=ALPHABETS.get(settings.always_known, ""))


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
        self.has_w = SPATIAL_W in arch(arch_of(self.model)).shows

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

    def evaluate(self, train_loss: float, lr: float, wall_s: float, out: Path | None, last: bool = False) -> dict:
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
        if self.run.main and out is not None:
            save_state(out, self.model, self.optimizer, step=self.step, history=self.history,
                       snapshots=self.snapshots, snapshot_labels=self.snapshot_labels, wall_s=wall_s,
                       generator=self.generator.get_state())
        return record


def prepare(settings: LMSettings, run: Run, corpus: Corpus) -> tuple[StepRunner, float]:
    config = settings.config.replace(vocab_size=corpus.tokenizer.size)
    model = build_model(settings.arch, config).to(run.device)
    optimizer = make_optimizer(model, settings.lr, settings.weight_decay)
    runner = StepRunner(run, model, optimizer, settings, corpus)
    if runner.has_w:
        runner.snapshots, runner.snapshot_labels = [snapshot(model)], ["init"]
    wall_before = 0.0
    if settings.resume:
        state = load_state(settings.resume, model, optimizer)
        runner.step = int(state["step"])
        runner.history, runner.snapshots = state["history"], list(state["snapshots"])
        runner.snapshot_labels, wall_before = state["snapshot_labels"], float(state["wall_s"])
        runner.generator.set_state(state["generator"])
        if run.main:
            print(f"resumed from {settings.resume} at step {runner.step}", file=sys.stderr)
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
        "preset": s.preset or s.arch, "vocab": runner.corpus.tokenizer.vocab, "dataset": runner.corpus.name,
        "train_chars": len(runner.corpus.train), "val_chars": len(runner.corpus.val),
        "training": {**recorded(s), "steps": runner.step, "optimizer": "AdamW(betas=(0.9, 0.99))",
                     "schedule": "warmup+cosine", "grad_clip": 1.0},
        **meta, "history": runner.history, "snapshot_labels": runner.snapshot_labels,
        "val_loss": val_loss, "val_bits_per_char": val_loss / math.log(2),
        "val_loss_definition": f"mean over every position of {s.final_eval_windows} random windows "
                               f"(seed 4321) of {model.config.block_size} chars from the last 10 %",
        "val_slice_loss": slice_loss, "val_slice_chars": SLICE_CHARS,
        "val_slice_definition": f"fp32, first {SLICE_CHARS} chars of the val text in non-overlapping windows",
    }


def train_lm(settings: LMSettings, corpus: Corpus | None = None) -> TrainResult | None:
    """The whole run -> its TrainResult (None on a non-main rank of a torchrun launch). corpus: loaded from
    settings.data when not given."""
    corpus = corpus if corpus is not None else load_data(settings)
    if len(corpus.val) <= settings.config.block_size:
        raise DataError(f"the validation text has {len(corpus.val)} characters; a window needs "
                        f"{settings.config.block_size + 1}: give a longer corpus")
    with start_run(settings.device, settings.precision, settings.seed) as run:
        return _train(settings, run, corpus)


def _train(settings: LMSettings, run: Run, corpus: Corpus) -> TrainResult | None:
    out = Path(settings.out) if settings.out else None
    runner, wall_before = prepare(settings, run, corpus)
    block = runner.model.config.block_size
    if run.main:
        print(f"{settings.arch}: {count_parameters(runner.model):,} parameters, block {block}, "
              f"vocab {runner.model.config.vocab_size}; {len(runner.corpus.train):,} train / "
              f"{len(runner.corpus.val):,} val chars on {run.describe()}", file=sys.stderr)
    t0, start_step = time.perf_counter(), runner.step
    progress = Progress(run.main and not settings.quiet, settings.steps or 1, unit="chars")
    elapsed = wall_before
    while not runner.done(elapsed):
        loss, lr = runner.train_step(elapsed)
        elapsed = wall_before + time.perf_counter() - t0
        if settings.minutes:  # the step count the budget will reach at this pace, for the progress line
            progress.total = runner.step + int((60 * settings.minutes - elapsed) / max(elapsed, 1e-9) * runner.step)
        progress.update(runner.step - start_step, "lm", loss, lr,
                        (runner.step - start_step) * settings.batch_size * block)
        last = runner.done(elapsed)
        pause = bool(settings.stop_after_steps) and runner.step >= settings.stop_after_steps and not last
        if runner.step % settings.eval_every == 0 or runner.due_snapshot(elapsed) or last or pause:
            progress.close()
            runner.evaluate(loss, lr, elapsed, out, last)
        if pause:
            print(f"stopped at step {runner.step}; continue with --resume {state_path(out)}", file=sys.stderr)
            return TrainResult(runner.model.eval(), {"history": runner.history}, None, finished=False)
    elapsed = time.perf_counter() - t0
    run.barrier()
    if not run.main:
        return None
    chars = (runner.step - start_step) * settings.batch_size * block
    meta = lm_metadata(runner, wall_before + elapsed, chars / max(elapsed, 1e-9))
    print(f"val loss {meta['val_loss']:.4f} nats/char = {meta['val_bits_per_char']:.4f} bits/char", file=sys.stderr)
    snapshots = torch.stack(runner.snapshots) if runner.snapshots else None
    path = None
    if out is not None:
        path = save_checkpoint(runner.model, out, snapshots=snapshots, **meta)
        print(f"saved {path} ({meta['wall_time_s'] / 60:.1f} min)", file=sys.stderr)
    return TrainResult(runner.model.eval(), meta, path)
