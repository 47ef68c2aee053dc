"""Record the playground's default runs (each task with each model at the page's defaults), the files the app
replays at once:

    python -m gmlp_core.playground --out checkpoints/playground
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import torch

from .record import default_settings, record_name, save_run
from .run import run_settings


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("checkpoints/playground"))
    parser.add_argument("--only", nargs="*", default=None, help="record only these tasks")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)  # as the app's worker trains
    for settings in default_settings():
        if args.only and settings.task not in args.only:
            continue
        start = time.perf_counter()
        run = run_settings(settings)
        path = save_run(run, args.out / record_name(settings))
        print(f"{path}: {settings.task} {settings.mixer} held-out {run.accuracy:.1%} "
              f"in {time.perf_counter() - start:.1f} s", flush=True)


if __name__ == "__main__":
    main()
