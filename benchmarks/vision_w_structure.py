"""What a vision gMLP's W learned on its patch grid: locality, shifts and symmetry, per head and averaged.

    python benchmarks/vision_w_structure.py [checkpoints/s64.safetensors] [--snapshot init] [--figure kernels.html]

For every layer, each head and the average of all heads (the blog's 4 -> 1 summary), prints:
  near      mean over rows of the share of sum |W[i, :]| on the 3x3 patches around patch i
            (beside `flat`, what rows without any locality get on this grid)
  self      mean share of |W[i, i]|
  peak      the (rows down, columns right) offset with the largest mean |W|
  explained share of W's variance reproduced by its offset kernel (1 = W is exactly a convolution)
  symmetry  correlation of the offset kernel with its point reflection (+1 symmetric, < 0 one-sided)
and then, for the average, how much of the heads' own locality it keeps. --snapshot reads a W
snapshot stored in the checkpoint (e.g. init, "epoch 1") instead of the final weights. --figure
writes every layer's offset kernels (heads and average) to one self-contained HTML file.
"""

import argparse
import sys
from pathlib import Path

import torch
from plotly.subplots import make_subplots

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gmlp_core.formats.checkpoints import load_checkpoint  # noqa: E402
from gmlp_core.models import head_average, spatial_weights  # noqa: E402
from gmlp_core.analysis.spatial import grid_structure, offset_kernel, uniform_share  # noqa: E402
from gmlp_core.ui.plots import kernel_figure, value_range  # noqa: E402


def line(name: str, w: torch.Tensor, grid: int) -> str:
    s = grid_structure(w, grid)
    return (f"  {name:<10} near {s.near:6.1%}   self {s.self_share:6.1%}   peak ({s.peak[0]:+d}, {s.peak[1]:+d})"
            f"   explained {s.explained:6.1%}   symmetry {s.symmetry:+.2f}")


def figure(weights: torch.Tensor, grid: int, title: str):
    layers, heads = weights.shape[:2]
    kernels = torch.cat([offset_kernel(weights, grid), offset_kernel(head_average(weights), grid)[:, None]], dim=1)
    titles = [f"layer {layer} · {'average' if head == heads else f'head {head}'}"
              for layer in range(layers) for head in range(heads + 1)]
    grid_figure = make_subplots(rows=layers, cols=heads + 1, subplot_titles=titles,
                                horizontal_spacing=0.02, vertical_spacing=0.03)
    for layer in range(layers):
        zrange = value_range(kernels[layer], signed=True)  # one colour scale per layer
        for head in range(heads + 1):
            trace = kernel_figure(kernels[layer, head], zrange=zrange).data[0]
            trace.update(showscale=head == heads, colorbar=dict(len=0.9 / layers, y=1 - (layer + 0.5) / layers))
            grid_figure.add_trace(trace, row=layer + 1, col=head + 1)
    grid_figure.update_yaxes(autorange="reversed", showticklabels=False)
    grid_figure.update_xaxes(showticklabels=False)
    grid_figure.update_layout(title=title, height=230 * layers, width=230 * (heads + 1) + 60)
    return grid_figure


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("checkpoint", nargs="?", default=str(ROOT / "checkpoints" / "s64.safetensors"))
    parser.add_argument("--snapshot", help="a snapshot label stored in the checkpoint, e.g. init")
    parser.add_argument("--figure", help="write the offset kernels to this .html file")
    args = parser.parse_args()
    model, info = load_checkpoint(args.checkpoint)
    grid = info.config.grid_size
    if args.snapshot:
        if info.snapshots is None or args.snapshot not in info.snapshot_labels:
            raise SystemExit(f"--snapshot: {args.snapshot!r} is not stored; this file has {info.snapshot_labels}")
        weights = info.snapshots[info.snapshot_labels.index(args.snapshot)].float()
    else:
        weights = spatial_weights(model)
    print(f"{Path(args.checkpoint).name} ({args.snapshot or 'final weights'}): {grid}x{grid} patches, "
          f"{weights.shape[1]} heads; flat rows would put {uniform_share(grid):.1%} within 3x3")
    for layer, heads in enumerate(weights):
        print(f"layer {layer}")
        for head, w in enumerate(heads):
            print(line(f"head {head}", w, grid))
        average = head_average(heads)
        print(line("average", average, grid))
        kept = grid_structure(average, grid).near / max(sum(grid_structure(w, grid).near for w in heads) / len(heads),
                                                         1e-12)
        print(f"  the average keeps {kept:.0%} of the heads' mean 3x3 share")
    if args.figure:
        figure(weights, grid, f"{Path(args.checkpoint).name}: W as offset kernels").write_html(args.figure)
        print(f"wrote {args.figure}")


if __name__ == "__main__":
    main()
