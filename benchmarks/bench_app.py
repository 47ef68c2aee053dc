"""Page rerun times in AppTest and the model forward for one image, on this machine.

    python benchmarks/bench_app.py [--reruns 20] [--no-figure-cache]

Prints the median and 90th percentile of each page's rerun (after a first, warming run), and the
median of this process's CPU time for it (what the page cost, even on a busy machine), beside an
empty page's rerun measured in the same process; then each page's usual interactions (INTERACTIONS:
a widget changed, the page rerun: a new sentence or text every time, a choice cycling through its
options, as a class revisits them); the Spatial W page again with a model of s64's shape (64
tokens, 61 W snapshots) and with a 196-token, 224-px model in timm's gmlp_ti16_224 layout (random
weights, 30 layers, as an upload would bring it); then the s16 forward pass for one 32x32 image.

The interactions are timed twice: the page file on its own (as before), then inside app.py's frame, as the server
runs it (the sidebar's language and checkpoint pickers, the share link, the view mirrored into the URL).

Each line gives the wall time of AppTest's whole rerun and this process's CPU time for it, then "script": the CPU
time of the page script's own run (the script thread's, from the moment Streamlit executes it to its end), which is
what the server spends on the change; the rest of AppTest's time is AppTest reading the page's output back into its
element tree, which a server does not do.

Scripts are compiled once for the process, as the server does (--compile-every-run: again on every rerun, as AppTest
does by itself, which the figures before 2026-12-01 evening included: 3.4-4.5 ms a file).

AppTest reruns the whole page for every change; on the server a widget inside a fragment (Spatial
W's query patch and snapshot slider, the generation settings) reruns its fragment only, which
benchmarks/bench_load.py --sessions 4 measures (one student on each page).
"""

import argparse
import contextlib
import itertools
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import plotly.graph_objects as go
import timm
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.runtime.pages_manager import PagesManager  # noqa: E402
from streamlit.runtime.scriptrunner import script_cache, script_runner  # noqa: E402
from streamlit.testing.v1 import AppTest, app_test, local_script_runner  # noqa: E402

from gmlp_core.formats.checkpoints import load_checkpoint, save_checkpoint  # noqa: E402
from gmlp_core.formats.images import load_image  # noqa: E402
from gmlp_core.analysis.inference import prepare  # noqa: E402
from gmlp_core.models import GMLPVision, preset, spatial_weights  # noqa: E402
from gmlp_core.ui import checkpoints as ui_checkpoints, plots  # noqa: E402
from gmlp_core.ui.views.spatial_w import VIEWS as W_VIEWS  # noqa: E402

from bench_load import ONLY_IN_VIEW, WORDS  # noqa: E402


def one_script_cache() -> None:
    """The server compiles each script once per process (streamlit.runtime.Runtime holds one ScriptCache); AppTest
    makes a new cache for every run, so app.py and the page were compiled again on each timed rerun (3.4-4.5 ms a
    file here), which the server never does. One cache for the process, as the server has it."""
    shared = script_cache.ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared


def navigation_as_the_server() -> None:
    """The server runs a page inside app.py's st.navigation from the first call to it on (Streamlit's
    PagesManager.uses_pages_directory turns False for the process). AppTest resets that flag before every run, so
    with a pages/ folder each run took Streamlit's old pages-folder path: the page file ran on its own, found no frame
    (gmlp_core/ui/frame.py) and ran app.py again through runpy, compiling it anew (1.5 ms) besides the old path's own
    page scan. Here the flag stays as the server has it."""
    init = PagesManager.__init__

    def as_the_server(self, *args, **kwargs):
        init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = as_the_server


PAGES = ["app.py", "pages/1_attention.py", "pages/2_patches.py", "pages/3_spatial-w.py",
         "pages/4_language-models.py"]


def timed_reruns(at: AppTest, reruns: int) -> list[float]:
    at.run()
    if at.exception:
        raise SystemExit(f"{at._script_path}: {at.exception[0].value}")
    times = []
    for _ in range(reruns):
        with timed(times):
            at.run()
    return times


_SEEDS = itertools.count()


def sentences():
    """A new sentence every time, as students type them: each call its own sequence (the page alone and in the app
    do not type the same ones, which the first would have left in the process's caches)."""
    rng = random.Random(next(_SEEDS))
    while True:
        yield " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 12)))


def cycling(options):
    """Each option in turn, again and again: a class moving through a picker's choices."""
    return itertools.cycle(list(options))


# page -> [(interaction, widget kind, key, values)]; values: a generator given the widget
INTERACTIONS = {
    "pages/1_attention.py": [("type a sentence", "text_input", "sentence", lambda w: sentences()),
                             ("switch variant", "radio", "variant", lambda w: cycling(w.options)),
                             ("change heads", "selectbox", "heads", lambda w: cycling(w.options))],
    "pages/2_patches.py": [("pick a sample", "selectbox", "sample", lambda w: cycling(w.options))],
    "pages/3_spatial-w.py": [("move layer", "select_slider", "layer", lambda w: cycling(w.options)),
                             ("change heads", "multiselect", "w_heads",
                              lambda w: cycling([[0], list(range(len(w.options)))])),
                             ("switch view", "segmented_control", "w_view", lambda w: cycling(W_VIEWS[1:] + W_VIEWS[:1])),
                             ("move query patch (a fragment)", "selectbox", "query", lambda w: cycling(w.options)),
                             ("move snapshot (a fragment)", "select_slider", "snapshot",
                              lambda w: cycling(w.options))],
    "pages/4_language-models.py": [("type text", "text_area", "lm_text", lambda w: sentences())],
}


# an interaction's widget -> the view it lives in (set, and the page run once, before its changes are timed)
IN_VIEW = {key: {"w_view": view} for key, view in ONLY_IN_VIEW.items()}


def change(at: AppTest, kind: str, key: str, value) -> None:
    """Set a widget as a learner would (typing into a text box, choosing an option); the next at.run() sends it."""
    widget = getattr(at, kind)(key=key)
    if kind in ("text_input", "text_area"):
        widget.input(value)
    else:
        widget.set_value(value)


def timed_interactions(page: str, reruns: int, in_app: bool = False) -> list[tuple[str, list[float]]]:
    """Each usual interaction of a page, `reruns` times: the widget set to its next value, the page rerun; in_app:
    the page run as the server runs it, inside app.py's frame (the sidebar, the link, the view in the URL)."""
    if in_app:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        at.switch_page(page)
    else:
        at = AppTest.from_file(str(ROOT / page), default_timeout=120)
    at.run()
    results = []
    for name, kind, key, values in INTERACTIONS[page]:
        for view_key, view in IN_VIEW.get(key, {}).items():
            at.session_state[view_key] = view
            at.run()
        chosen = values(getattr(at, kind)(key=key))
        times = []
        for _ in range(reruns):
            change(at, kind, key, next(chosen))
            with timed(times):
                at.run()
            if at.exception:
                raise SystemExit(f"{page}, {name}: {at.exception[0].value}")
        results.append((name, times))
    return results


_script_cpu = [0.0]  # the CPU seconds page scripts ran for since the last timed() began
_run_script = script_runner.exec_func_with_error_handling


def _timed_script(func, ctx):
    """Streamlit's call that runs a page script, timed by the script thread's own CPU clock."""
    start = time.thread_time()
    try:
        return _run_script(func, ctx)
    finally:
        _script_cpu[0] += time.thread_time() - start


script_runner.exec_func_with_error_handling = _timed_script


@contextlib.contextmanager
def timed(times: list):
    """Appends (wall ms, this process's CPU ms, the page script's CPU ms) of the block: on a shared machine the
    CPU time is what the page cost, the wall time what a learner would wait."""
    wall, cpu, _script_cpu[0] = time.perf_counter(), time.process_time(), 0.0
    yield
    times.append(((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, _script_cpu[0] * 1000))


def describe(name: str, times: list[tuple[float, float, float]]) -> str:
    walls = sorted(wall for wall, _, _ in times)
    p90 = walls[min(len(walls) - 1, int(0.9 * len(walls)))]
    script = statistics.median(s for _, _, s in times)
    return (f"{name:<52} median {statistics.median(walls):7.1f} ms   p90 {p90:7.1f} ms   "
            f"CPU median {statistics.median(cpu for _, cpu, _ in times):7.1f} ms   "
            + (f"script {script:6.1f} ms   " if script else "") + f"(n={len(times)})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reruns", type=int, default=20)
    parser.add_argument("--checkpoint", default=str(ROOT / "checkpoints" / "s16.safetensors"))
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads (the server's: 1)")
    parser.add_argument("--no-figure-cache", action="store_true",
                        help="build every figure anew (Plotly's own go.Figure), as before the figure cache")
    parser.add_argument("--compile-every-run", action="store_true",
                        help="compile app.py and the page on every rerun, as AppTest does by itself (the server "
                             "compiles each once)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if args.no_figure_cache:
        plots.shared_figure = lambda data, layout: go.Figure(data=data, layout=layout)
    if not args.compile_every_run:
        one_script_cache()
    navigation_as_the_server()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, figure cache "
          f"{'off' if args.no_figure_cache else 'on'}, scripts compiled "
          f"{'on every rerun' if args.compile_every_run else 'once (as the server does)'}")
    print(describe("empty page", timed_reruns(AppTest.from_string("import streamlit as st\nst.write('hi')"),
                                              args.reruns)))
    for page in PAGES:
        print(describe(page, timed_reruns(AppTest.from_file(str(ROOT / page), default_timeout=120), args.reruns)))
    for page in INTERACTIONS:
        for name, times in timed_interactions(page, args.reruns):
            print(describe(f"{Path(page).stem}: {name}", times))
    for page in INTERACTIONS:  # the same inside the app's frame, as the server runs a page
        for name, times in timed_interactions(page, args.reruns, in_app=True):
            print(describe(f"in the app, {Path(page).stem}: {name}", times))
    with tempfile.TemporaryDirectory() as folder:
        ui_checkpoints.CHECKPOINT_DIR = Path(folder)
        torch.save(timm.create_model("gmlp_ti16_224", pretrained=False).state_dict(), Path(folder) / "timm.pth")
        s64 = GMLPVision(preset("s64"))  # the shipped s64's shape (64 tokens, 8 layers), random weights
        save_checkpoint(s64, Path(folder) / "s64.safetensors", snapshots=torch.stack([spatial_weights(s64)] * 61))
        for name, label in [("s64.safetensors", "spatial W, 64 tokens (s64 shape)"),
                            ("timm.pth", "spatial W, 196 tokens (timm)")]:
            at = AppTest.from_file(str(ROOT / "pages/3_spatial-w.py"), default_timeout=120)
            at.session_state["checkpoint"] = name
            print(describe(label, timed_reruns(at, args.reruns)))

    model, info = load_checkpoint(args.checkpoint)
    _, x = prepare(load_image(ROOT / "gmlp_core" / "ui" / "samples" / "cat_0000.jpg"), info)
    times = []
    with torch.inference_mode():
        for i in range(110):
            with timed(times):
                model(x)
    del times[:10]
    print(describe(f"forward, 1 image ({Path(args.checkpoint).stem})", times))


if __name__ == "__main__":
    main()
