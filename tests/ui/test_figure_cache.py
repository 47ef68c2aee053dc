import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

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


def test_a_shared_figure_serialises_once_and_the_same_as_plotly():
    matrix = np.arange(4.0).reshape(2, 2)
    figure = heatmap(matrix, ["a", "b"], ["a", "b"], title="once")
    assert figure.to_dict() is figure.to_dict()  # st.plotly_chart's copy, made once
    plotly_s = pio.to_json(go.Figure.to_dict(figure), validate=False)  # Plotly's own, a fresh copy
    assert pio.to_json(figure.to_dict(), validate=False) == plotly_s
    assert pio.to_json(figure.to_dict(), validate=False) == plotly_s  # serialising it changed nothing


def test_kept_figures_are_bounded_by_the_memory_they_hold(monkeypatch):
    monkeypatch.setattr(figure_cache, "MAX_BYTES", 3 * figure_cache.FIGURE_BYTES + 40_000)
    monkeypatch.setattr(figure_cache, "_figures", type(figure_cache._figures)())
    monkeypatch.setattr(figure_cache, "_held", [0])
    for i in range(20):
        shared_figure([dict(type="heatmap", z=np.full((20, 20), float(i)))], {})  # 3,200 bytes of array each
    assert len(figure_cache._figures) == 3 and figure_cache._held[0] <= figure_cache.MAX_BYTES
    latest = shared_figure([dict(type="heatmap", z=np.full((20, 20), 19.0))], {})
    assert shared_figure([dict(type="heatmap", z=np.full((20, 20), 19.0))], {}) is latest
