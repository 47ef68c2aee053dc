"""The server's memory over a lesson's reruns: 1,000 of the pages' usual interactions in AppTest, one session per
page, the pages taking turns (bench_app.INTERACTIONS: new sentences and texts, samples, layers, heads, query
patches, snapshots), printing this process's resident memory at the start, every 100 reruns and at the end.

    python benchmarks/bench_memory.py [--reruns 1000] [--every 100]

Memory that grows with the number of reruns (rather than settling once every cache has filled) is a leak: the
caches are bounded (figures, readings, models), the sessions' state is replaced on each rerun.
"""

import argparse
import gc
import itertools
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from bench_app import INTERACTIONS, change  # noqa: E402


def resident_mb() -> float:
    """This process's resident memory (Linux /proc), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reruns", type=int, default=1000)
    parser.add_argument("--every", type=int, default=100)
    args = parser.parse_args()
    torch.set_num_threads(1)  # as the server runs
    sessions = {page: AppTest.from_file(str(ROOT / page), default_timeout=120) for page in INTERACTIONS}
    for at in sessions.values():
        at.run()
    # (page, interaction, widget kind, key, its values), the pages taking turns and each page its interactions
    turns = []
    for page, interactions in INTERACTIONS.items():
        at = sessions[page]
        turns.append(itertools.cycle([(page, name, kind, key, values(getattr(at, kind)(key=key)))
                                      for name, kind, key, values in interactions]))
    gc.collect()
    start = time.perf_counter()
    print(f"{0:>5} reruns: {resident_mb():7.1f} MB (after one run of each page)")
    for rerun, turn in zip(range(1, args.reruns + 1), itertools.cycle(turns)):
        page, name, kind, key, values = next(turn)
        at = sessions[page]
        change(at, kind, key, next(values))
        at.run()
        if at.exception:
            raise SystemExit(f"{page}, {name}: {at.exception[0].value}")
        if rerun % args.every == 0 or rerun == args.reruns:
            print(f"{rerun:>5} reruns: {resident_mb():7.1f} MB   ({time.perf_counter() - start:5.0f} s)", flush=True)
    gc.collect()
    print(f"after a full garbage collection: {resident_mb():7.1f} MB")


if __name__ == "__main__":
    main()
