import pytest
import torch

from gmlp_core.analysis.spatial import (grid_offsets, grid_structure, kernel_symmetry, neighbourhood_share, offset_kernel,
                               patch_block, shift_explained, uniform_share)


def convolution_w(kernel: torch.Tensor, grid: int) -> torch.Tensor:
    """The (g², g²) W that applies `kernel` (2g-1, 2g-1) at every patch: W[i, j] = kernel[offset(i, j)]."""
    dr, dc = grid_offsets(grid)
    return kernel[dr + grid - 1, dc + grid - 1]


def test_offsets_are_key_minus_query_on_a_row_major_grid():
    dr, dc = grid_offsets(3)
    assert (int(dr[0, 4]), int(dc[0, 4])) == (1, 1)  # patch 4 is one down, one right of patch 0
    assert (int(dr[5, 3]), int(dc[5, 3])) == (0, -2)


def test_a_convolution_is_recovered_exactly_and_fully_explained():
    kernel = torch.randn(15, 15)
    w = convolution_w(kernel, 8)
    assert torch.allclose(offset_kernel(w, 8), kernel, atol=1e-6)
    assert float(shift_explained(w, 8)) == pytest.approx(1.0, abs=1e-5)
    peak = divmod(int(kernel.abs().argmax()), 15)
    assert grid_structure(w, 8).peak == (peak[0] - 7, peak[1] - 7)


def test_random_w_is_neither_local_nor_shift_invariant():
    torch.manual_seed(0)
    w = torch.randn(64, 64)
    structure = grid_structure(w, 8)
    assert structure.explained < 0.35
    assert abs(structure.near - uniform_share(8)) < 0.05


def test_neighbourhood_share_of_identity_flat_and_neighbour_rows():
    assert torch.allclose(neighbourhood_share(torch.eye(64), 8), torch.ones(64))
    assert uniform_share(8) == pytest.approx(484 / 4096)  # 4 corners x 4, 24 edges x 6, 36 inside x 9
    assert float(neighbourhood_share(torch.ones(64, 64), 8).mean()) == pytest.approx(uniform_share(8))
    far = torch.zeros(64, 64)
    far[0, 63] = 1.0  # patch 0 reads only the opposite corner
    assert float(neighbourhood_share(far, 8)[0]) == 0.0


def test_symmetry_tells_a_blur_from_a_shift():
    blur = torch.zeros(15, 15)
    blur[6:9, 6:9] = 1.0
    shift = torch.zeros(15, 15)
    shift[7, 8] = 1.0  # read the patch to the right
    assert float(kernel_symmetry(blur)) == pytest.approx(1.0)
    assert float(kernel_symmetry(shift)) < 0.0
    structure = grid_structure(convolution_w(shift, 8), 8)
    assert structure.peak == (0, 1) and structure.self_share == 0.0


def test_cls_row_and_column_are_left_out_and_a_wrong_size_is_named():
    w = torch.randn(65, 65)
    assert torch.equal(patch_block(w, 8), w[1:, 1:])
    assert offset_kernel(torch.randn(2, 4, 17, 17), 4).shape == (2, 4, 7, 7)
    with pytest.raises(ValueError, match=r"W of shape \(10, 10\) does not fit a 4x4 patch grid"):
        grid_structure(torch.randn(10, 10), 4)
