"""Character language models on this machine: training throughput (fp32 vs bf16 autocast) and
generation time with the shipped checkpoints.

    python benchmarks/bench_lm.py [--threads 1] [--steps 8] [--skip-training]

Prints, for each arch at its shipped preset (batch 32 x 128 characters), the median time of a
training step (forward, backward, AdamW) and the characters per second, in fp32 and in bf16
autocast; then, for each shipped language checkpoint, the median time to generate 200 characters
(the app's cached decoding) beside the median time of one full-context forward (128 characters)
measured in the same run, and their ratio: generation's cost in full forwards. With --threads 1 (the server's),
generation runs with the server's torch settings (gmlp_core.threads: oneDNN off).
Targets (issue 21): 200 characters <= 150 ms per model on an idle machine, <= 30 full forwards.
"""

import argparse
import contextlib
import statistics
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gmlp_core.formats.checkpoints import load_checkpoint  # noqa: E402
from gmlp_core.analysis.language import generate  # noqa: E402
from gmlp_core.models import LM_PRESETS, build_model  # noqa: E402
from gmlp_core.threads import one_torch_thread  # noqa: E402

ARCHS = ("attention-lm", "gmlp-lm", "amlp-lm")


def step_times(arch: str, precision: str, steps: int, batch: int = 32) -> list[float]:
    config = LM_PRESETS[arch]
    model = build_model(arch, config)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    ids = torch.randint(0, config.vocab_size, (batch, config.block_size + 1))
    autocast = torch.autocast("cpu", dtype=torch.bfloat16) if precision == "bf16" else contextlib.nullcontext()
    times = []
    for _ in range(steps + 2):
        start = time.perf_counter()
        with autocast:
            logits = model(ids[:, :-1])
        loss = F.cross_entropy(logits.float().flatten(0, 1), ids[:, 1:].flatten())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        times.append(time.perf_counter() - start)
    return times[2:]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--length", type=int, default=200)
    parser.add_argument("--skip-training", action="store_true", help="only the generation figures")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; batch 32 x 128 characters")
    for arch in ARCHS if not args.skip_training else ():
        for precision in ("fp32", "bf16"):
            median = statistics.median(step_times(arch, precision, args.steps))
            print(f"train step  {arch:<13} {precision}: {median * 1000:7.1f} ms  {32 * 128 / median:9,.0f} chars/s")
    if args.threads == 1:
        one_torch_thread()  # generation as the server runs it: one thread, torch's own kernels (not oneDNN)
    print(f"generation: oneDNN {'on' if torch.backends.mkldnn.enabled else 'off'}")
    for path in sorted((ROOT / "checkpoints").glob("lm-*.safetensors")):
        model, info = load_checkpoint(path)
        context = info.tokenizer.encode("ROMEO:\n" * 40)[:model.config.block_size][None]
        forwards, times = [], []
        with torch.inference_mode():
            for _ in range(2):  # warm-up
                model(context)
        for seed in range(9):  # each generation beside three forwards, so both see the same machine (it varies 2x)
            with torch.inference_mode():
                for _ in range(3):
                    start = time.perf_counter()
                    model(context)
                    forwards.append(time.perf_counter() - start)
            start = time.perf_counter()
            generate(model, info.tokenizer, "ROMEO:\n", args.length, 0.8, 20, seed)
            times.append(time.perf_counter() - start)
        forward, total = statistics.median(forwards), statistics.median(times)
        print(f"generate    {path.name:<27} {args.length} chars: median {total * 1000:6.0f} ms; one "
              f"{model.config.block_size}-char forward {forward * 1000:5.1f} ms; generation = {total / forward:5.1f} "
              "forwards")


if __name__ == "__main__":
    main()
