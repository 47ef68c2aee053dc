"""A finished playground run as one native checkpoint (.safetensors): the trained model, W and the attention maps
at every frame, and in the metadata the settings, each frame's step, loss, accuracy and answer, and the example.
The app ships the default runs this way (checkpoints/playground/) and replays them without training."""

from __future__ import annotations

import math
from pathlib import Path

import torch

from ..formats.checkpoints import CheckpointError, load_checkpoint, save_checkpoint
from .run import MIXERS, Frame, ToyRun, ToySettings
from .tasks import TASKS

RECORD_KIND = "playground-run"


# The page's defaults beside ToySettings' own: recall opens where a fixed W gives up (a 2-layer gMLP of width 32
# with 4 pairs) and the aMLP's tiny attention does not (benchmarks/playground_sweep.py; README)
PAGE_DEFAULTS = {"recall": dict(layers=2, width=32, pairs=4)}


def page_default(task: str, name: str):
    """The page's starting value of one setting for a task."""
    return PAGE_DEFAULTS.get(task, {}).get(name, getattr(ToySettings(task=task), name))


def default_settings() -> list[ToySettings]:
    """The settings the page opens on, for every task and model: the runs the app ships recorded."""
    return [ToySettings(task=task, mixer=mixer, **PAGE_DEFAULTS.get(task, {})) for task in TASKS for mixer in MIXERS]


def record_name(settings: ToySettings) -> str:
    return f"{settings.task}-{settings.mixer}.safetensors"


def save_run(run: ToyRun, path) -> Path:
    frames = run.frames
    ws = [f.w for f in frames if f.w is not None]
    maps = [f.maps for f in frames if f.maps is not None]
    return save_checkpoint(
        run.model, path, snapshots=torch.stack(ws) if ws else None,
        attention_snapshots=torch.stack(maps) if maps else None,
        snapshot_labels=[f"step {f.step}" for f in frames] if ws else None,
        kind=RECORD_KIND, playground=run.settings.to_dict(), seconds=round(run.seconds, 2),
        example=[list(run.example[0]), list(run.example[1])],
        frames=[{"step": f.step, "loss": round(f.loss, 5), "accuracy": round(f.accuracy, 5), "answer": f.answer}
                for f in frames])


def _refuse(path, field: str, expected: str) -> CheckpointError:
    return CheckpointError(f"{path}: meta field {field!r} must be {expected}", "checkpoint_meta", file=str(path),
                           field=field)


def load_run(path) -> ToyRun:
    """A recorded run, checked: its settings valid and matching the model, one answer of the task's length per
    frame, a W (and attention maps) per frame where the model has them."""
    model, info = load_checkpoint(path)
    meta = info.meta
    if meta.get("kind") != RECORD_KIND:
        raise _refuse(path, "kind", f"{RECORD_KIND!r} (this is not a playground run)")
    try:
        settings = ToySettings(**meta["playground"])
        task = settings.make_task()
    except (KeyError, TypeError, ValueError) as err:
        raise _refuse(path, "playground", f"valid playground settings ({err})") from None
    if info.arch != MIXERS[settings.mixer] or model.config != settings.config(task):
        raise _refuse(path, "playground", "the settings the model was trained with")
    rows = meta.get("frames")
    if not isinstance(rows, list) or not rows:
        raise _refuse(path, "frames", "a non-empty list")
    frames = []
    for i, row in enumerate(rows):
        ok = isinstance(row, dict) and all(isinstance(row.get(k), (int, float)) and not isinstance(row.get(k), bool)
                                           and math.isfinite(row[k]) for k in ("step", "loss", "accuracy"))
        answer = row.get("answer") if isinstance(row, dict) else None
        if not ok or not (isinstance(answer, list) and len(answer) == task.length and
                          all(isinstance(a, int) and 0 <= a < task.vocab for a in answer)):
            raise _refuse(path, f"frames[{i}]", f"step, loss, accuracy and an answer of {task.length} tokens")
        frames.append(Frame(int(row["step"]), float(row["loss"]), float(row["accuracy"]), answer))
    for name, recorded in (("W snapshots", info.snapshots), ("attention snapshots", info.attention_snapshots)):
        if recorded is not None and len(recorded) != len(frames):
            raise _refuse(path, name, f"one per frame ({len(frames)})")
    for i, frame in enumerate(frames):
        frame.w = info.snapshots[i] if info.snapshots is not None else None
        frame.maps = info.attention_snapshots[i] if info.attention_snapshots is not None else None
    example = meta.get("example")
    if not (isinstance(example, list) and len(example) == 2 and all(
            isinstance(e, list) and len(e) == task.length and all(isinstance(t, int) for t in e) for e in example)):
        raise _refuse(path, "example", f"an input and an answer of {task.length} tokens")
    seconds = meta.get("seconds", 0.0)
    return ToyRun(settings, task, model, frames, (example[0], example[1]),
                  float(seconds) if isinstance(seconds, (int, float)) else 0.0)
