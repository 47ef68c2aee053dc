import json
import re

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from streamlit.testing.v1 import AppTest

from gmlp_core.ui import charts, figure_cache
from gmlp_core.ui.figure_cache import shared_figure
from gmlp_core.ui.plots import heatmap
from gmlp_core.ui.views.attention import VARIANTS
from gmlp_core.ui.views.spatial_w import VIEWS as W_VIEWS
from gmlp_core.playground import MIXERS, TASKS
from gmlp_core.ui.samples import sample_paths
from tests.helpers import ROOT


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
    data = [dict(type="heatmap", z=np.arange(4.0).reshape(2, 2), colorscale="Viridis", zmin=None)]
    layout = dict(title=dict(text="once"), shapes=[], xaxis=dict(title=dict(text="key")))
    figure = shared_figure(data, layout)
    assert figure.to_dict() is figure.to_dict()  # made once
    plotly_s = pio.to_json(go.Figure(data=data, layout=layout).to_dict(), validate=False)  # Plotly's own, validated
    sent = pio.to_json(figure.to_dict(), validate=False)
    assert json.loads(sent) == json.loads(plotly_s)  # the same content (keys in another order)
    assert pio.to_json(figure.to_dict(), validate=False) == sent  # serialising it changed nothing


def test_arrays_of_every_kind_are_sent_as_plotly_would_send_them():
    """Arrays are encoded in the same walk as the rest (not by Plotly's convert_to_base64): every numeric dtype,
    non-contiguous and 1-D or 3-D arrays, int64 (narrowed by Plotly), and arrays under the keys Plotly leaves alone
    (a range) must come out exactly as Plotly's validated figure sends them."""
    grid = np.arange(12.0).reshape(3, 4)
    traces = [dict(type="heatmap", z=grid.astype(dtype), x=np.arange(4), y=["a", "b", "c"],
                   customdata=np.stack([grid, -grid], -1).astype(np.float32)[:, ::-1])
              for dtype in ("float64", "float32", "int8", "uint8", "int16", "int32", "uint32", "int64")]
    traces.append(dict(type="heatmap", z=grid.T))  # Fortran-ordered bytes
    traces.append(dict(type="scatter", x=np.array([1.5, 2.5]), y=np.array(["u", "v"])))  # strings stay a list
    layout = dict(xaxis=dict(range=np.array([0.0, 3.0])), yaxis=dict(tickvals=np.array([0, 2], dtype=np.int64)))
    sent = pio.to_json(shared_figure(traces, layout).to_dict(), validate=False)
    plotly_s = pio.to_json(go.Figure(data=traces, layout=layout).to_dict(), validate=False)
    assert json.loads(sent) == json.loads(plotly_s)
    assert json.loads(sent)["data"][0]["z"]["dtype"] == "f8"  # typed arrays, not lists


def test_kept_figures_are_bounded_by_the_memory_they_hold(monkeypatch):
    monkeypatch.setattr(figure_cache, "MAX_BYTES", 3 * (figure_cache.FIGURE_BYTES + figure_cache.PER_INPUT_BYTE * 4_000))
    monkeypatch.setattr(figure_cache, "_figures", type(figure_cache._figures)())
    monkeypatch.setattr(figure_cache, "_held", [0])
    for i in range(20):
        shared_figure([dict(type="heatmap", z=np.full((20, 20), float(i)))], {})  # 3,200 bytes of array each
    assert len(figure_cache._figures) == 3 and figure_cache._held[0] <= figure_cache.MAX_BYTES
    latest = shared_figure([dict(type="heatmap", z=np.full((20, 20), 19.0))], {})
    assert shared_figure([dict(type="heatmap", z=np.full((20, 20), 19.0))], {}) is latest


# (page, [(session key, its values)]): every view a page draws charts in, one after another
VIEWS = [("app.py", []),
         ("pages/1_attention.py", [("variant", list(VARIANTS))]),
         ("pages/2_patches.py", [("sample", sample_paths()[:2]), ("sample_gallery_open", [True])]),
         ("pages/3_spatial-w.py", [("w_view", list(W_VIEWS)), ("w_image_source", ["current", "sample"])]),
         ("pages/4_language-models.py", [("lm_gmlp_w_full_open", [True]),
                                         ("lm_view", ["attention", "gmlp", "amlp", "training", "generate"]),
                                         ("lm_set", ["vi-help/input.txt"])]),
         ("pages/5_playground.py", [("pg_model", list(MIXERS)), ("pg_task", list(TASKS))])]


def _every_view(path: str, views: list) -> None:
    """The page at its defaults, then each value of each of its view choices in turn."""
    at = AppTest.from_file(str(ROOT / path), default_timeout=60)
    at.session_state["lm_length"] = 20  # a short continuation on the language models' generate view
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    for key, values in views:
        for value in values:
            at.session_state[key] = value
            at.run()
            assert not at.exception, (path, key, value, [e.value for e in at.exception])


def test_every_figure_the_pages_draw_is_sent_as_plotly_would_send_it_validated(monkeypatch):
    """Figures are built without Plotly's validation; what they send must be what validation would have sent."""
    built = []
    unrecorded = figure_cache.SharedFigure.__init__

    def recorded(self, data, layout):
        built.append((data, layout))
        unrecorded(self, data, layout)

    monkeypatch.setattr(figure_cache.SharedFigure, "__init__", recorded)
    monkeypatch.setattr(figure_cache, "_figures", type(figure_cache._figures)())  # every figure built anew
    for path, views in VIEWS:
        _every_view(path, views)
    monkeypatch.setattr(figure_cache.SharedFigure, "__init__", unrecorded)
    assert len(built) > 60
    for data, layout in built:
        fast = json.loads(pio.to_json(figure_cache.SharedFigure(data, layout).to_dict(), validate=False))
        validated = json.loads(pio.to_json(go.Figure(data=data, layout=layout).to_dict(), validate=False))
        assert fast == validated, layout.get("title")
    # ... and what the app's plotly.js (the cartesian bundle) draws: every trace type, colours it can read (Streamlit's
    # template held placeholders, #000001..., that only Streamlit's own chart element replaced)
    bundle = charts.BUNDLE.read_text()
    assert {trace["type"] for data, _ in built for trace in data} <= {
        name for name in re.findall(r'moduleType:"trace",name:"(\w+)"', bundle)}
    assert not re.search(r"#0000[0-9]{2}\b", json.dumps(figure_cache._default_template()))
