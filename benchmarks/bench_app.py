"""Page rerun times in AppTest and the model forward for one image, on this machine.

    python benchmarks/bench_app.py [--reruns 20]

Prints the median and 90th percentile of each page's rerun (after a first, warming run) beside an
empty page's rerun measured in the same process; the Spatial W page again with a model of s64's
shape (64 tokens, 61 W snapshots) and with a 196-token, 224-px model in timm's gmlp_ti16_224
layout (random weights, 30 layers, as an upload would bring it); then the s16 forward pass for one
32x32 image.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import timm
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from gmlp_core.formats.checkpoints import load_checkpoint, save_checkpoint  # noqa: E402
from gmlp_core.formats.images import load_image  # noqa: E402
from gmlp_core.analysis.inference import prepare  # noqa: E402
from gmlp_core.models import GMLPVision, preset, spatial_weights  # noqa: E402
from gmlp_core.ui import checkpoints as ui_checkpoints  # noqa: E402

PAGES = ["app.py", "pages/1_attention.py", "pages/2_patches.py", "pages/3_spatial-w.py",
         "pages/4_language-models.py"]


def timed_reruns(at: AppTest, reruns: int) -> list[float]:
    at.run()
    if at.exception:
        raise SystemExit(f"{at._script_path}: {at.exception[0].value}")
    times = []
    for _ in range(reruns):
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
    return times


def describe(name: str, times: list[float]) -> str:
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    return f"{name:<36} median {statistics.median(times):7.1f} ms   p90 {p90:7.1f} ms   (n={len(times)})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reruns", type=int, default=20)
    parser.add_argument("--checkpoint", default=str(ROOT / "checkpoints" / "s16.safetensors"))
    args = parser.parse_args()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    print(describe("empty page", timed_reruns(AppTest.from_string("import streamlit as st\nst.write('hi')"),
                                              args.reruns)))
    for page in PAGES:
        print(describe(page, timed_reruns(AppTest.from_file(str(ROOT / page), default_timeout=120), args.reruns)))
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
            start = time.perf_counter()
            model(x)
            if i >= 10:
                times.append((time.perf_counter() - start) * 1000)
    print(describe(f"forward, 1 image ({Path(args.checkpoint).stem})", times))


if __name__ == "__main__":
    main()
