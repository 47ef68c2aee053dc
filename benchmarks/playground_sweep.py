"""Playground outcomes: held-out accuracy and seconds for every combination of the given settings.

    python benchmarks/playground_sweep.py --task recall --pairs 2 4 6 --width 32 64 128 --layers 2
    python benchmarks/playground_sweep.py --task reverse shift swap majority --mixer attention gmlp amlp
    python benchmarks/playground_sweep.py --defaults     # the page's default runs (the recorded ones)

One torch thread, as the app's worker trains. Prints one line per run as it finishes, then a table.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gmlp_core.playground import MIXERS, TASKS, ToySettings, run_settings  # noqa: E402
from gmlp_core.playground.record import default_settings  # noqa: E402


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--task", nargs="+", default=["recall"], choices=list(TASKS))
    parser.add_argument("--mixer", nargs="+", default=list(MIXERS), choices=list(MIXERS))
    parser.add_argument("--pairs", nargs="+", type=int, default=[6])
    parser.add_argument("--width", nargs="+", type=int, default=[64])
    parser.add_argument("--layers", nargs="+", type=int, default=[1])
    parser.add_argument("--heads", nargs="+", type=int, default=[1])
    parser.add_argument("--lr", nargs="+", type=float, default=[3e-3])
    parser.add_argument("--steps", nargs="+", type=int, default=[0], help="0: the task's default")
    parser.add_argument("--seed", nargs="+", type=int, default=[0])
    parser.add_argument("--defaults", action="store_true",
                        help="instead: every task with every model at the page's defaults (the recorded runs)")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    print(f"torch {torch.__version__}, 1 thread", flush=True)
    rows = []
    grid = default_settings() if args.defaults else [
        ToySettings(task=task, mixer=mixer, pairs=pairs, width=width, layers=layers, heads=heads, lr=lr, steps=steps,
                    seed=seed)
        for task, pairs, width, layers, heads, lr, steps, seed, mixer in itertools.product(
            args.task, args.pairs if "recall" in args.task else [6], args.width, args.layers, args.heads, args.lr,
            args.steps, args.seed, args.mixer)]
    for settings in grid:
        task, pairs, width, layers, heads, lr, seed, mixer = (settings.task, settings.pairs, settings.width,
                                                               settings.layers, settings.heads, settings.lr,
                                                               settings.seed, settings.mixer)
        run = run_settings(settings)
        best = max(run.frames, key=lambda f: f.accuracy)
        rows.append((task, pairs if task == "recall" else "-", width, layers, heads, lr, settings.total_steps, seed,
                     mixer, run.accuracy, best.accuracy, best.step, run.seconds))
        print(" ".join(map(str, rows[-1])), flush=True)
    print("\n| task | pairs | width | layers | heads | lr | steps | seed | model | held-out acc | best (step) | s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for task, pairs, width, layers, heads, lr, steps, seed, mixer, acc, best, at, secs in rows:
        print(f"| {task} | {pairs} | {width} | {layers} | {heads} | {lr:g} | {steps} | {seed} | {mixer} | "
              f"{acc:.1%} | {best:.1%} ({at}) | {secs:.1f} |")


if __name__ == "__main__":
    main()
