"""Train a tiny attention, gMLP or aMLP on a playground task, recording how it learns.

The models are the language family's (gmlp_core.models.lm) with causal=False: every position reads the
whole sequence, and a per-position head answers. The training step is the trainers' (training.loop).
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from typing import Callable

import torch
import torch.nn.functional as F

from ..models.gmlp import spatial_weights
from ..models.lm import LMConfig, attention_maps
from ..models.registry import ATTENTION_MAPS, SPATIAL_W, arch, build_model
from ..training.loop import lr_at, make_optimizer, update
from .tasks import IGNORE, TASKS, TaskSpec, make_task

MIXERS = {"attention": "attention-lm", "gmlp": "gmlp-lm", "amlp": "amlp-lm"}  # the page's name -> arch
HELD_OUT = 512  # sequences scored for accuracy, drawn from their own stream (never trained on)
HELD_OUT_SEED = 10 ** 7  # + the run's seed: the held-out stream's seed; its first sequence is the example
FRAMES = 40  # about this many recorded states per run, whatever its length
HEADS = (1, 2, 4)
WIDTHS = (16, 128)
LAYERS = (1, 2)
MAX_STEPS = 5000
DEFAULT_STEPS = {"reverse": 800, "shift": 800, "swap": 800, "recall": 1500, "majority": 600}


@dataclass(frozen=True)
class ToySettings:
    """Everything that decides a run; equal settings give the same run on a CPU (runs are shared by them)."""

    task: str = "reverse"
    mixer: str = "gmlp"
    layers: int = 1
    heads: int = 1
    width: int = 64
    steps: int = 0  # 0: the task's default (DEFAULT_STEPS), filled in when made
    seed: int = 0
    lr: float = 3e-3
    length: int = 16  # position tasks and majority
    pairs: int = 6  # recall
    batch: int = 64

    def __post_init__(self):
        problems = []
        if self.task not in TASKS:
            problems.append(f"task must be one of {', '.join(TASKS)}, got {self.task!r}")
        if self.mixer not in MIXERS:
            problems.append(f"mixer must be one of {', '.join(MIXERS)}, got {self.mixer!r}")
        for name, (low, high) in {"layers": LAYERS, "width": WIDTHS, "steps": (0, MAX_STEPS), "seed": (0, 10 ** 6),
                                  "length": (4, 64), "pairs": (1, 8), "batch": (1, 512)}.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                problems.append(f"{name} must be a whole number {low}..{high}, got {value!r}")
        if self.heads not in HEADS:
            problems.append(f"heads must be one of {HEADS}, got {self.heads!r}")
        elif isinstance(self.width, int) and self.width % (2 * self.heads):
            problems.append(f"width ({self.width}) must be divisible by 2 x heads ({2 * self.heads})")
        if isinstance(self.lr, bool) or not isinstance(self.lr, (int, float)) or not 1e-4 <= self.lr <= 0.1:
            problems.append(f"lr must be a number 0.0001..0.1, got {self.lr!r}")
        if self.task == "swap" and isinstance(self.length, int) and self.length % 2:
            problems.append(f"swap halves needs an even length, got {self.length}")
        if problems:
            raise ValueError("playground settings: " + "; ".join(problems))
        if not self.steps:  # one spelling per run: settings that differ only in saying the default are equal
            object.__setattr__(self, "steps", DEFAULT_STEPS[self.task])

    @property
    def total_steps(self) -> int:
        return self.steps

    def make_task(self) -> TaskSpec:
        return make_task(self.task, length=self.length, pairs=self.pairs)

    def config(self, task: TaskSpec) -> LMConfig:
        """The model: width d_model, 4 x width hidden (the MLP's, or U's output split into Z1 and Z2), and
        for the aMLP a tiny attention of width / 4 (at least 8)."""
        return LMConfig(vocab_size=task.vocab, block_size=task.length, d_model=self.width, depth=self.layers,
                        heads=self.heads, d_ffn=4 * self.width,
                        attn_dim=max(8, self.width // 4) if self.mixer == "amlp" else 0, causal=False)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclass
class Frame:
    """The state of a run at one step, as the page draws it."""

    step: int
    loss: float  # training loss over the steps since the last frame (held-out loss at step 0)
    accuracy: float  # held-out: the fraction of scored positions answered right
    answer: list[int]  # the model's answer for the example sequence
    w: torch.Tensor | None = None  # (layers, heads, n, n) for the gMLP and aMLP
    maps: torch.Tensor | None = None  # (layers, heads, n, n) attention on the example (attention, aMLP)


@dataclass
class ToyRun:
    settings: ToySettings
    task: TaskSpec
    model: torch.nn.Module
    frames: list[Frame] = field(default_factory=list)
    example: tuple[list[int], list[int]] = ((), ())  # (input, right answer) of the example sequence
    seconds: float = 0.0

    @property
    def accuracy(self) -> float:
        return self.frames[-1].accuracy if self.frames else 0.0

    @property
    def history(self) -> list[tuple[int, float, float]]:
        """(step, loss, held-out accuracy) at every recorded frame."""
        return [(f.step, f.loss, f.accuracy) for f in self.frames]

    @property
    def source(self) -> tuple[int, ...] | None:
        return self.task.source


def frame_every(total: int) -> int:
    """Steps between recorded frames: about FRAMES of them a run."""
    return max(1, total // FRAMES)


def frame_count(total: int) -> int:
    """Frames a run of `total` steps records: step 0, every frame_every steps, and the last step."""
    every = frame_every(total)
    return 1 + total // every + (total % every != 0)


def held_out_set(settings: ToySettings, spec: TaskSpec) -> tuple[torch.Tensor, torch.Tensor]:
    """The HELD_OUT sequences a run is scored on, from their own seed; the first is the run's example."""
    return spec.batch(torch.Generator().manual_seed(HELD_OUT_SEED + settings.seed), HELD_OUT)


def example_of(settings: ToySettings) -> tuple[list[int], list[int]]:
    """(input, right answer) of the example a run of these settings answers, before any run exists."""
    inputs, targets = held_out_set(settings, settings.make_task())
    return inputs[0].tolist(), targets[0].tolist()


def _frame(model, shows, step: int, loss: float, held_out, example: torch.Tensor) -> Frame:
    model.eval()
    with torch.inference_mode():
        inputs, targets = held_out
        logits = model(inputs)
        scored = targets != IGNORE
        accuracy = float((logits.argmax(-1) == targets)[scored].float().mean())
        if loss != loss:  # step 0: no training loss yet
            loss = float(F.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index=IGNORE))
        answer = model(example[None])[0].argmax(-1).tolist()
        w = spatial_weights(model).clone() if SPATIAL_W in shows else None
        maps = attention_maps(model, example) if ATTENTION_MAPS in shows else None
    model.train()
    return Frame(step, loss, accuracy, answer, w, maps)


def train_toy(task: str = "reverse", mixer: str = "gmlp", *, on_step: Callable[[Frame], None] | None = None,
              **settings) -> ToyRun:
    """Train one playground model from scratch -> ToyRun.

    settings: ToySettings' fields (layers, heads, width, steps, seed, lr, length, pairs, batch). on_step is
    called with every recorded Frame (about FRAMES of them, the first at step 0), as the run goes."""
    return run_settings(ToySettings(task=task, mixer=mixer, **settings), on_step)


class Stopped(Exception):
    """A run asked to stop before its step budget (the server is shutting down)."""


def run_settings(settings: ToySettings, on_step: Callable[[Frame], None] | None = None,
                 stop: Callable[[], bool] | None = None) -> ToyRun:
    """train_toy with its settings made; stop() is asked every step and, when true, ends the run (Stopped)."""
    start = time.perf_counter()
    spec = settings.make_task()
    torch.manual_seed(settings.seed)
    model = build_model(MIXERS[settings.mixer], settings.config(spec))
    shows = arch(MIXERS[settings.mixer]).shows
    optimizer = make_optimizer(model, settings.lr, weight_decay=0.0)
    data = torch.Generator().manual_seed(settings.seed)
    held_out = held_out_set(settings, spec)
    example = held_out[0][0]
    run = ToyRun(settings, spec, model, example=(example.tolist(), held_out[1][0].tolist()))
    total = settings.total_steps
    every = frame_every(total)
    warmup = min(100, total // 10)

    def record(frame: Frame) -> None:
        run.frames.append(frame)
        if on_step is not None:
            on_step(frame)

    model.train()
    record(_frame(model, shows, 0, float("nan"), held_out, example))
    losses = []
    for step in range(total):
        if stop is not None and stop():
            raise Stopped(f"stopped at step {step} of {total}")
        inputs, targets = spec.batch(data, settings.batch)
        logits = model(inputs)
        loss = F.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index=IGNORE)
        update(model, optimizer, loss, lr_at(step, total, warmup, settings.lr))
        losses.append(loss.item())
        if (step + 1) % every == 0 or step + 1 == total:
            record(_frame(model, shows, step + 1, sum(losses) / len(losses), held_out, example))
            losses = []
    model.eval()
    run.seconds = time.perf_counter() - start
    return run
