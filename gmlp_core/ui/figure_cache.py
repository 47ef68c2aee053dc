"""Plotly figures built once per content and shared: the same W, sample or text drawn for another student, or again
after a rerun that changed something else, reuses the figure instead of validating it again.

Building a go.Figure (Plotly validates every property) is most of a figure's cost: about 2 ms for a 17 x 17
heatmap, 19 of them on the Spatial W page. The key is a hash of everything the figure is built from (the trace and
layout dicts, arrays by their bytes, pickled in one C call), so a figure is reused exactly when Plotly would have
built the same one. Callers treat the figures as read-only.

New content (a typed sentence or text, a picture seen the first time) still pays for a figure, so a figure is built
without Plotly's validation, and what a chart sends (charts.py) is made from the trace and layout dicts themselves (None
values left out, arrays as Plotly's typed arrays): 0.4 ms instead of 2.7 ms for that heatmap. The dicts the app
builds are already in the form validation would give them: tests/ui/test_figure_cache.py validates every figure the
pages draw and compares what would be sent.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import pickle
import threading
from collections import OrderedDict

import numpy as np
import plotly.graph_objects as go
from _plotly_utils.basevalidators import is_homogeneous_array
from _plotly_utils.utils import is_skipped_key, plotlyjsShortTypes, to_typed_array_spec

from . import theme  # noqa: F401  every figure's template: the app's look (theme.TEMPLATE)

MAX_BYTES = 64 * 2 ** 20  # the kept figures' memory, estimated; the least recently used go first
# measured with tracemalloc: a heatmap built and serialised holds about 64 KB plus three times its pickled inputs,
# and its chart's JSON (charts.payload) about 1.4 times them more (its length) for each language it is shown in
FIGURE_BYTES, PER_INPUT_BYTE = 64 * 2 ** 10, 6
_figures: OrderedDict[bytes, tuple[SharedFigure, int]] = OrderedDict()
_held = [0]
_lock = threading.Lock()


class SharedFigure(go.Figure):
    """A figure nobody modifies once built, from trace and layout dicts Plotly does not validate again: its dict
    form, which a chart sends on every rerun that shows it, is made once from those dicts (not by Plotly's
    deep copy of the whole figure) and handed out again, already encoded, so serialising it again changes nothing.

    Plotly's own figure object (go.Figure's __init__ copies the default template and sets every property, 0.6 ms
    even unvalidated) is made only when something reads .data or .layout, which a chart does not."""

    _as_dict = None
    _plotly = None

    def __init__(self, data: list, layout: dict):  # noqa: the Plotly figure is made on first use (_figure)
        self._sent = {"data": data, "layout": layout}
        self._payloads = {}  # what charts.plotly_chart sends, by language

    def _figure(self) -> go.Figure:
        if self._plotly is None:
            self._plotly = go.Figure(data=self._sent["data"], layout=self._sent["layout"], _validate=False)
        return self._plotly

    @property
    def data(self):
        return self._figure().data

    @property
    def layout(self):
        return self._figure().layout

    def to_dict(self) -> dict:
        if self._as_dict is None:
            plain = _as_sent(self._sent)
            plain["layout"].setdefault("template", _default_template())
            self._as_dict = plain
        return self._as_dict

    def __repr__(self) -> str:
        return repr(self._figure())


EMPTY_LEFT_OUT = {"shapes", "annotations", "images"}  # an empty list of these is left out by Plotly's validation


PLAIN = (str, int, float, bool)  # leaves that are never arrays


def _as_sent(value):
    """A copy of nested trace or layout dicts as Plotly's validation and to_dict would send them: None values and
    empty shape, annotation and image lists left out, a colour scale's name written out as its colours, arrays as
    Plotly's typed arrays (base64, as its convert_to_base64 writes them, in the same walk: Plotly's own walk visits
    every label of every axis again); other leaves are shared, not copied."""
    if isinstance(value, dict):  # a plain value (most of them: an axis's labels) is kept as it is, unvisited
        return {k: (v if isinstance(v, PLAIN) and k != "colorscale" else
                    _named_colorscale(v) if k == "colorscale" and isinstance(v, str) else
                    v if is_skipped_key(k) else _as_sent(v))
                for k, v in value.items() if v is not None and not (k in EMPTY_LEFT_OUT and len(v) == 0)}
    if isinstance(value, (list, tuple)):
        return [v if isinstance(v, PLAIN) else _as_sent(v) for v in value]
    if isinstance(value, np.ndarray) and value.dtype.name in plotlyjsShortTypes and value.size:
        return _typed_array(value)
    if not isinstance(value, PLAIN) and is_homogeneous_array(value):
        return to_typed_array_spec(value)  # anything else array-like, as Plotly converts it
    return value


def _typed_array(array: np.ndarray) -> dict:
    """A numeric array (int64 aside) as Plotly's to_typed_array_spec writes it, without its conversions (0.1 ms an
    array): {"dtype": "f4", "bdata": base64 of the C-ordered bytes, "shape": "n, m" when 2-D or more}."""
    spec = {"dtype": plotlyjsShortTypes[array.dtype.name],
            "bdata": base64.b64encode(np.ascontiguousarray(array)).decode("ascii")}
    if array.ndim > 1:
        spec["shape"] = str(array.shape)[1:-1]
    return spec


@functools.cache
def _named_colorscale(name: str) -> list:
    """A named colour scale ("Viridis") as Plotly's validation writes it out: [[position, colour], ...]."""
    return go.Heatmap(colorscale=name).to_plotly_json()["colorscale"]


@functools.cache
def _default_template() -> dict:
    """The template Plotly writes into every figure it validates (plotly.io.templates.default), as a dict."""
    return go.Figure().to_dict()["layout"]["template"]


def shared_figure(data: list, layout: dict) -> go.Figure:
    """go.Figure(data=data, layout=layout), or the same figure built before from equal data and layout."""
    content = pickle.dumps((data, layout), protocol=pickle.HIGHEST_PROTOCOL)
    key = hashlib.blake2b(content, digest_size=20).digest()
    with _lock:
        if key in _figures:
            _figures.move_to_end(key)
            return _figures[key][0]
    figure = SharedFigure(data=data, layout=layout)
    with _lock:
        if key not in _figures:
            size = FIGURE_BYTES + PER_INPUT_BYTE * len(content)
            _figures[key] = figure, size
            _held[0] += size
        while _held[0] > MAX_BYTES and len(_figures) > 1:
            _held[0] -= _figures.popitem(last=False)[1][1]
    return figure
