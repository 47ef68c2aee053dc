"""The playground's cost to the rest of the app: page reruns with the server's trainer idle and while it trains.

    python benchmarks/bench_playground.py [--reruns 30]

In one process, as on the server: the Attention page (a new sentence each time) and the Spatial W page (the
layer moved) rerun in AppTest, first with the playground's Trainer idle, then while it trains a long run in its
background thread (one torch thread, lowered priority). Prints each page's median and 90th percentile beside
an empty page's rerun measured in the same run, and the training's steps per second alone and with the reruns.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from streamlit.testing.v1 import AppTest  # noqa: E402

from bench_load import WORDS, cpu_name  # noqa: E402
from gmlp_core.playground import ToySettings  # noqa: E402
from gmlp_core.playground.worker import Trainer  # noqa: E402

LONG_RUN = ToySettings(task="recall", layers=2, width=64, pairs=6, steps=2000)  # a frame every 50 steps


def page(path: str, **state) -> AppTest:
    at = AppTest.from_file(str(ROOT / path), default_timeout=120)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    if at.exception:
        raise SystemExit(f"{path}: {at.exception[0].value}")
    return at


def reruns(n: int) -> dict[str, list[float]]:
    """Milliseconds per rerun: an empty page, Attention with a new sentence, Spatial W with the layer moved."""
    empty = AppTest.from_string("import streamlit as st\nst.write('empty')")
    empty.run()
    attention = page("pages/1_attention.py")
    spatial = page("pages/3_spatial-w.py", checkpoint="s16.safetensors")
    layers = spatial.select_slider(key="layer").options
    times: dict[str, list[float]] = {"empty page": [], "Attention: a new sentence": [],
                                     "Spatial W: move the layer": []}
    for i in range(n):
        for name, step in (("empty page", empty.run),
                           ("Attention: a new sentence",
                            lambda: attention.text_input(key="sentence").input(
                                " ".join(WORDS[(i + k) % len(WORDS)] for k in range(6))).run()),
                           ("Spatial W: move the layer",
                            lambda: spatial.select_slider(key="layer").set_value(layers[i % len(layers)]).run())):
            start = time.perf_counter()
            step()
            times[name].append(1000 * (time.perf_counter() - start))
    return times


def steps_per_second(trainer: Trainer, live, seconds: float) -> float:
    first = live.frames[-1].step if live.frames else 0
    start = time.perf_counter()
    time.sleep(seconds)
    return ((live.frames[-1].step if live.frames else 0) - first) / (time.perf_counter() - start)


def row(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    return (f"  {name:<30} median {statistics.median(ordered):7.1f} ms   "
            f"p90 {ordered[int(0.9 * (len(ordered) - 1))]:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reruns", type=int, default=30)
    args = parser.parse_args()
    torch.set_num_threads(1)  # as app.py sets it for the server
    logging.getLogger("streamlit").setLevel(logging.ERROR)  # AppTest outside a server warns on every call
    print(f"CPU: {cpu_name()}; torch {torch.__version__}, 1 thread")
    reruns(2)  # warm: models loaded, figures cached once
    print("trainer idle:")
    for name, values in reruns(args.reruns).items():
        print(row(name, values))
    trainer = Trainer()
    live = trainer.request(LONG_RUN)
    while not live.frames:
        time.sleep(0.05)
    alone = steps_per_second(trainer, live, 5.0)
    print(f"while the trainer trains ({LONG_RUN.task}, {LONG_RUN.layers} layers, width {LONG_RUN.width}):")
    start_step, start = live.frames[-1].step, time.perf_counter()
    for name, values in reruns(args.reruns).items():
        print(row(name, values))
    shared = (live.frames[-1].step - start_step) / (time.perf_counter() - start)
    print(f"  training: {alone:.0f} steps/s alone, {shared:.0f} steps/s while the pages rerun")
    trainer.close()


if __name__ == "__main__":
    main()
