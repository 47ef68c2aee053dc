import math

import pytest
import torch

from gmlp_core.lessons import LessonSettings
from gmlp_core.lessons.position import permutation_matrix, position_lesson, shuffle_order, sinusoidal_encoding


def test_the_sinusoidal_encoding_follows_the_formula():
    pe = sinusoidal_encoding(10, 6)
    assert pe.shape == (10, 6)
    for p in (0, 3, 9):
        for i in range(3):
            rate = 10000 ** (-2 * i / 6)
            assert pe[p, 2 * i].item() == pytest.approx(math.sin(p * rate), abs=1e-6)
            assert pe[p, 2 * i + 1].item() == pytest.approx(math.cos(p * rate), abs=1e-6)
    assert sinusoidal_encoding(4, 5).shape == (4, 5)  # an odd width keeps its last sine column
    with pytest.raises(ValueError, match="n >= 1"):
        sinusoidal_encoding(0, 4)


@pytest.mark.parametrize("n", [2, 3, 9])
def test_a_shuffle_moves_the_sequence_and_its_matrix_applies_it(n):
    for seed in range(20):
        order = shuffle_order(n, seed)
        assert sorted(order) == list(range(n)) and order != list(range(n))
        x = torch.randn(n, 4)
        assert torch.equal(permutation_matrix(order) @ x, x[order])
    assert shuffle_order(7, 3) == shuffle_order(7, 3)


def test_attention_without_position_is_permutation_equivariant_and_with_it_is_not():
    x = torch.randn(7, 8, generator=torch.Generator().manual_seed(1))
    lesson = position_lesson(x, LessonSettings(d_out=4, heads=1, seed=5), shuffle_seed=2)
    order = lesson.order
    assert torch.allclose(lesson.shuffled, lesson.weights[order][:, order], atol=1e-6)
    assert lesson.gap < 1e-5
    assert lesson.gap_pe > 1e-3  # the encoding stays with the place: the shuffled map is another map
    assert lesson.encoding.shape == x.shape
