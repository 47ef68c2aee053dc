"""How long a full garbage collection holds the server's interpreter lock, before and after the preload freezes
what it loaded (gmlp_core/ui/preload.py).

    python benchmarks/bench_gc.py

Imports what the app imports, runs the preload (every shipped checkpoint, every sample's prediction, the language
models' first readings) as the server's first run does, and times gc.collect() three times before the preload's
gc.freeze() and three times after, beside the number of objects the collector tracks.
"""

import gc
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import gmlp_core.ui  # noqa: E402,F401  what app.py imports first
import gmlp_core.ui.views.attention  # noqa: E402,F401
import gmlp_core.ui.views.language  # noqa: E402,F401
import gmlp_core.ui.views.playground  # noqa: E402,F401
import gmlp_core.ui.views.spatial_w  # noqa: E402,F401
from gmlp_core.ui import preload  # noqa: E402

from bench_load import cpu_name  # noqa: E402


def full_collections(times: int = 3) -> list[float]:
    seconds = []
    for _ in range(times):
        start = time.perf_counter()
        gc.collect()
        seconds.append(time.perf_counter() - start)
    return seconds


def main() -> None:
    print(f"CPU: {cpu_name()}")
    freeze = gc.freeze
    gc.freeze = lambda: None  # the preload's own freeze, held back to time the collection without it first
    try:
        preload._preload()
    finally:
        gc.freeze = freeze
    tracked = len(gc.get_objects())
    before = full_collections()
    gc.freeze()
    after = full_collections()
    print(f"objects tracked after the preload: {tracked:,}")
    print(f"full collection, median of 3: {statistics.median(before) * 1000:7.1f} ms before the freeze, "
          f"{statistics.median(after) * 1000:7.1f} ms after it ({gc.get_freeze_count():,} objects frozen)")


if __name__ == "__main__":
    main()
