"""Train it yourself: tiny attention, gMLP and aMLP models learning short sequence tasks live.

    tasks.py   the tasks (reverse, shift, swap halves, associative recall, majority), made from a seed
    run.py     ToySettings, train_toy -> ToyRun (frames: loss, held-out accuracy, W, attention maps)
"""

from .run import MIXERS, Frame, ToyRun, ToySettings, run_settings, train_toy
from .tasks import IGNORE, TASKS, TaskSpec, make_task

__all__ = ["IGNORE", "MIXERS", "TASKS", "Frame", "TaskSpec", "ToyRun", "ToySettings", "make_task", "run_settings",
           "train_toy"]
