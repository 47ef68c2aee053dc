"""Validation loss of language checkpoints at equal steps, from the training record each one carries.

    python benchmarks/lm_history.py checkpoints/lm-vi-*.safetensors [--steps 500 1000 1500 2000]

Prints one row per step (the record's entry at that step, or the nearest one before it) and the end of the run:
validation loss in nats per character, the steps reached, wall time and parameters.
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gmlp_core.formats.checkpoints import read_metadata  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("checkpoints", nargs="+")
    parser.add_argument("--steps", type=int, nargs="+", default=[500, 1000, 1500, 2000])
    args = parser.parse_args()
    metas = {Path(p).name: read_metadata(p)[1] for p in args.checkpoints}
    print("| steps | " + " | ".join(metas) + " |")
    print("|---|" + "---|" * len(metas))
    for step in args.steps:
        cells = []
        for meta in metas.values():
            before = [r for r in meta.get("history", []) if r["step"] <= step]
            cells.append(f"{before[-1]['val_loss']:.3f}" if before and before[-1]["step"] == step else
                         f"{before[-1]['val_loss']:.3f} (step {before[-1]['step']})" if before else "—")
        print(f"| {step:,} | " + " | ".join(cells) + " |")
    ends = [f"{m['val_loss']:.3f} ({m['training']['steps']:,} steps, {m['wall_time_s'] / 60:.1f} min, "
            f"{m['parameters']:,} parameters)" for m in metas.values()]
    print("| end of run | " + " | ".join(ends) + " |")


if __name__ == "__main__":
    main()
