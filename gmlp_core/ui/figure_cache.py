"""Plotly figures built once per content and shared: the same W, sample or text drawn for another student, or again
after a rerun that changed something else, reuses the figure instead of validating it again.

Building a go.Figure (Plotly validates every property) is most of a figure's cost: about 2 ms for a 17 x 17
heatmap, 19 of them on the Spatial W page. The key is a hash of everything the figure is built from (the trace and
layout dicts, arrays by their bytes, pickled in one C call), so a figure is reused exactly when Plotly would have
built the same one. Callers treat the figures as read-only (st.plotly_chart copies a figure before serialising it).
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections import OrderedDict

import plotly.graph_objects as go

MAX_BYTES = 64 * 2 ** 20  # the kept figures' memory, estimated; the least recently used go first
# measured with tracemalloc: a heatmap built and serialised holds about 64 KB plus three times its pickled inputs
FIGURE_BYTES, PER_INPUT_BYTE = 64 * 2 ** 10, 3
_figures: OrderedDict[bytes, tuple[SharedFigure, int]] = OrderedDict()
_held = [0]
_lock = threading.Lock()


class SharedFigure(go.Figure):
    """A figure nobody modifies once built: its dict form, which st.plotly_chart asks for on every rerun that shows
    it (Plotly deep-copies the whole figure for it, then encodes its arrays), is made once and handed out again,
    already encoded, so serialising it again changes nothing in it."""

    _as_dict = None

    def to_dict(self) -> dict:
        if self._as_dict is None:
            self._as_dict = super().to_dict()
        return self._as_dict


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
