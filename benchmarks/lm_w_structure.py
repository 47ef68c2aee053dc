"""How banded and shift-invariant the gMLP/aMLP language models' causal W is, per layer and head.

    python benchmarks/lm_w_structure.py [checkpoints/lm-gmlp.safetensors ...]

For each layer and head (and the head average) prints: the share of sum |W[m, j]| that sits within
8 positions back (0 <= m - j <= 8), the offset k = m - j that holds the most weight, and how
constant W is along that diagonal (std / mean of |W[m, m - k]| over m >= 16; 0 = perfectly
shift-invariant, a Toeplitz matrix).
"""

import sys
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gmlp_core.formats.checkpoints import load_checkpoint  # noqa: E402
from gmlp_core.models import head_average, spatial_weights  # noqa: E402


def describe(w: torch.Tensor) -> str:
    """w: (n, n) causal -> one line of figures."""
    magnitude = w.abs()
    per_offset = torch.stack([magnitude.diagonal(-k).sum() for k in range(w.shape[0])])
    near = float(per_offset[:9].sum() / per_offset.sum())
    peak = int(per_offset.argmax())
    along = magnitude.diagonal(-peak)[16:]
    spread = float(along.std() / along.mean().clamp_min(1e-12))
    return f"within 8 back {near:5.1%}   strongest offset {peak:3d}   std/mean along it {spread:.2f}"


def main() -> None:
    paths = sys.argv[1:] or [ROOT / "checkpoints" / f"lm-{arch}.safetensors" for arch in ("gmlp", "amlp")]
    for path in paths:
        model, _ = load_checkpoint(path)
        weights = spatial_weights(model)
        print(Path(path).name)
        for layer, heads in enumerate(weights):
            for head, w in enumerate(heads):
                print(f"  layer {layer} head {head}     {describe(w)}")
            print(f"  layer {layer} average    {describe(head_average(heads))}")


if __name__ == "__main__":
    main()
