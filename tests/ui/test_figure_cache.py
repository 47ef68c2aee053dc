import numpy as np

from gmlp_core.ui import figure_cache
from gmlp_core.ui.figure_cache import shared_figure
from gmlp_core.ui.plots import heatmap


def test_the_same_content_gets_the_same_figure_and_any_change_a_new_one():
    matrix = np.arange(9.0).reshape(3, 3)
    first = heatmap(matrix, list("abc"), list("abc"), title="W")
    assert heatmap(matrix.copy(), list("abc"), list("abc"), title="W") is first  # equal content, another array
    changed = matrix.copy()
    changed[2, 2] = -1.0
    others = [heatmap(changed, list("abc"), list("abc"), title="W"),  # one cell
              heatmap(matrix, list("abd"), list("abc"), title="W"),  # one label
              heatmap(matrix, list("abc"), list("abc"), title="V"),  # the title
              heatmap(matrix, list("abc"), list("abc"), title="W", zrange=(-9.0, 9.0))]  # the colour scale
    assert all(other is not first for other in others)
    assert others[0].data[0].z[2][2] == -1.0 and first.data[0].z[2][2] == 8.0


def test_kept_figures_are_bounded_by_the_bytes_they_hold(monkeypatch):
    monkeypatch.setattr(figure_cache, "MAX_BYTES", 10_000)
    monkeypatch.setattr(figure_cache, "_figures", type(figure_cache._figures)())
    monkeypatch.setattr(figure_cache, "_held", [0])
    for i in range(20):
        shared_figure([dict(type="heatmap", z=np.full((20, 20), float(i)))], {})  # 3,200 bytes each
    assert len(figure_cache._figures) == 3 and figure_cache._held[0] <= 10_000
    latest = shared_figure([dict(type="heatmap", z=np.full((20, 20), 19.0))], {})
    assert shared_figure([dict(type="heatmap", z=np.full((20, 20), 19.0))], {}) is latest
