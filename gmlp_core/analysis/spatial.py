"""W on the patch grid: how local, how shift-invariant and how symmetric a vision gMLP's token mixing is.

A row W[i, :] says how much output patch i reads from every input patch. On a g x g grid each pair
(i, j) has an offset (dr, dc) = (row_j - row_i, col_j - col_i), -(g-1)..g-1 each way. Averaging W
over all pairs with the same offset gives the convolution kernel that W would be if it treated every
patch alike (a Toeplitz-block-Toeplitz matrix); how much of W that kernel explains measures shift
invariance.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch


def grid_offsets(grid: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(n, n) row and column offsets of key j from query i on a grid x grid patch grid (row-major)."""
    index = torch.arange(grid * grid)
    rows, cols = index // grid, index % grid
    return rows[None, :] - rows[:, None], cols[None, :] - cols[:, None]


def patch_block(w: torch.Tensor, grid: int) -> torch.Tensor:
    """The patch-to-patch part of W: drops a leading [CLS] row and column when W is (g²+1, g²+1)."""
    n = grid * grid
    if w.shape[-1] not in (n, n + 1) or w.shape[-2] != w.shape[-1]:
        raise ValueError(f"W of shape {tuple(w.shape)} does not fit a {grid}x{grid} patch grid")
    return w[..., -n:, -n:]


def offset_kernel(w: torch.Tensor, grid: int, magnitude: bool = False) -> torch.Tensor:
    """(..., n, n) W -> (..., 2g-1, 2g-1) mean of W (or of |W|) over all pairs at each offset; the centre is
    the patch itself, [g-1 + dr, g-1 + dc] the patch dr rows down and dc columns right."""
    w = patch_block(w, grid).float()
    w = w.abs() if magnitude else w
    dr, dc = grid_offsets(grid)
    side = 2 * grid - 1
    flat = ((dr + grid - 1) * side + (dc + grid - 1)).flatten()
    counts = torch.bincount(flat, minlength=side * side).float()
    sums = torch.zeros(*w.shape[:-2], side * side).index_add_(-1, flat, w.flatten(-2))
    return (sums / counts).unflatten(-1, (side, side))


def neighbourhood_share(w: torch.Tensor, grid: int, radius: int = 1) -> torch.Tensor:
    """(..., n, n) -> (..., n): the share of each row's sum |W| on patches within `radius` rows and columns
    of the query patch (itself included: a 3x3 neighbourhood for radius 1)."""
    w = patch_block(w, grid).float().abs()
    dr, dc = grid_offsets(grid)
    near = (dr.abs() <= radius) & (dc.abs() <= radius)
    return (w * near).sum(-1) / w.sum(-1).clamp_min(1e-30)


def uniform_share(grid: int, radius: int = 1) -> float:
    """neighbourhood_share of a W whose rows are flat: the baseline a row with no locality gets."""
    dr, dc = grid_offsets(grid)
    return float(((dr.abs() <= radius) & (dc.abs() <= radius)).float().mean())


def shift_explained(w: torch.Tensor, grid: int, kernel: torch.Tensor | None = None) -> torch.Tensor:
    """(..., n, n) -> (...): share of W's variance its offset kernel explains; 1 = W is exactly a convolution.
    kernel: W's offset_kernel, when the caller has it already."""
    w = patch_block(w, grid).float()
    dr, dc = grid_offsets(grid)
    kernel = offset_kernel(w, grid) if kernel is None else kernel
    fitted = kernel[..., dr + grid - 1, dc + grid - 1]
    residual = (w - fitted).pow(2).sum((-2, -1))
    total = (w - w.mean((-2, -1), keepdim=True)).pow(2).sum((-2, -1))
    return 1 - residual / total.clamp_min(1e-30)


def kernel_symmetry(kernel: torch.Tensor) -> torch.Tensor:
    """(..., k, k) -> (...): correlation of a kernel with its point reflection (dr, dc) -> (-dr, -dc);
    1 = symmetric, near 0 or negative = the kernel reads one way (a shift)."""
    a = kernel.flatten(-2) - kernel.flatten(-2).mean(-1, keepdim=True)
    b = kernel.flip(-1, -2).flatten(-2) - kernel.flip(-1, -2).flatten(-2).mean(-1, keepdim=True)
    return (a * b).sum(-1) / (a.norm(dim=-1) * b.norm(dim=-1)).clamp_min(1e-30)


@dataclass(frozen=True)
class GridStructure:
    """One W (a head, or an average of heads) described on its patch grid."""

    near: float  # mean over rows of the share of sum |W| within one patch (3x3) of the query patch
    self_share: float  # mean over rows of |W[i, i]| / sum |W[i, :]|
    peak: tuple[int, int]  # (dr, dc) offset with the largest mean |W|
    explained: float  # share of W's variance explained by its offset kernel (shift invariance)
    symmetry: float  # correlation of the offset kernel with its point reflection


def grid_structure(w: torch.Tensor, grid: int) -> GridStructure:
    """(n, n) W on a grid x grid patch grid -> its GridStructure."""
    block = patch_block(w, grid).float()
    kernel = offset_kernel(block, grid)
    magnitude = offset_kernel(block, grid, magnitude=True)
    peak = divmod(int(magnitude.argmax()), 2 * grid - 1)
    rows = block.abs()
    return GridStructure(
        near=float(neighbourhood_share(block, grid).mean()),
        self_share=float((rows.diagonal() / rows.sum(-1).clamp_min(1e-30)).mean()),
        peak=(peak[0] - grid + 1, peak[1] - grid + 1),
        explained=float(shift_explained(block, grid, kernel)),
        symmetry=float(kernel_symmetry(kernel)),
    )


@dataclass(frozen=True)
class LayerStructure:
    """One layer's W on its patch grid: each head's and an average's offset kernel and GridStructure."""

    kernels: torch.Tensor  # (heads + 1, 2g-1, 2g-1): each head's, then the average's
    structures: list[GridStructure]  # each head's, then the average's


def layer_structure(layer_w: torch.Tensor, average: torch.Tensor, grid: int) -> LayerStructure:
    """layer_w: (heads, n, n); average: (n, n), an average of some of its heads -> their LayerStructure."""
    views = torch.cat([layer_w, average[None]])
    return LayerStructure(offset_kernel(views, grid), [grid_structure(w, grid) for w in views])
