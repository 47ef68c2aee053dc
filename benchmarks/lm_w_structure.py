"""How banded and shift-invariant the gMLP/aMLP language models' causal W is, per layer and head.

    python benchmarks/lm_w_structure.py [checkpoints/lm-gmlp.safetensors ...]

For each layer and head (and the head average) prints: the share of sum |W[m, j]| that sits within
8 positions back (0 <= m - j <= 8), how far back 90 % of it reaches, the offset k = m - j that holds
the most weight, and how constant W is along that diagonal (std / mean of |W[m, m - k]| over
m >= 16; 0 = perfectly shift-invariant, a Toeplitz matrix). --summary prints one line a layer: those
figures averaged over the layer's heads.
"""

import sys
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gmlp_core.formats.checkpoints import load_checkpoint  # noqa: E402
from gmlp_core.models import head_average, spatial_weights  # noqa: E402


def figures(w: torch.Tensor) -> tuple[float, int, int, float]:
    """w: (n, n) causal -> (share within 8 back, offset 90 % of |W| reaches, strongest offset, std/mean along it)."""
    magnitude = w.abs()
    per_offset = torch.stack([magnitude.diagonal(-k).sum() for k in range(w.shape[0])])
    share = per_offset.cumsum(0) / per_offset.sum()
    near = float(share[8])
    reach = int((share < 0.9).sum())
    peak = int(per_offset.argmax())
    along = magnitude.diagonal(-peak)[16:]
    return near, reach, peak, float(along.std() / along.mean().clamp_min(1e-12))


def describe(w: torch.Tensor) -> str:
    near, reach, peak, spread = figures(w)
    return (f"within 8 back {near:5.1%}   90 % within {reach:3d} back   strongest offset {peak:3d}   "
            f"std/mean along it {spread:.2f}")


def main() -> None:
    summary = "--summary" in sys.argv
    paths = [a for a in sys.argv[1:] if a != "--summary"] or \
        [ROOT / "checkpoints" / f"lm-{arch}.safetensors" for arch in ("gmlp", "amlp")]
    for path in paths:
        model, _ = load_checkpoint(path)
        weights = spatial_weights(model)
        print(Path(path).name)
        for layer, heads in enumerate(weights):
            if summary:
                rows = torch.tensor([figures(w) for w in heads])
                near, reach, _, spread = rows.mean(0).tolist()
                print(f"  layer {layer} (mean of {len(heads)} heads)   within 8 back {near:5.1%}   90 % within "
                      f"{reach:5.1f} back   std/mean along the strongest offset {spread:.2f}")
                continue
            for head, w in enumerate(heads):
                print(f"  layer {layer} head {head}     {describe(w)}")
            print(f"  layer {layer} average    {describe(head_average(heads))}")


if __name__ == "__main__":
    main()
