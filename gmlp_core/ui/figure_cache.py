"""Plotly figures built once per content and shared: the same W, sample or text drawn for another student, or again
after a rerun that changed something else, reuses the figure instead of validating it again.

Building a go.Figure (Plotly validates every property) is most of a figure's cost: about 2 ms for a 17 x 17
heatmap, 19 of them on the Spatial W page. The key is a hash of everything the figure is built from (trace and
layout dicts, arrays by their bytes), so a figure is reused exactly when Plotly would have built the same one.
Callers treat the figures as read-only (st.plotly_chart copies a figure before it serialises it).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

import numpy as np
import plotly.graph_objects as go

MAX_BYTES = 64 * 2 ** 20  # arrays and text held by the kept figures; the least recently used go first
MAX_FIGURES = 1024
_figures: OrderedDict[bytes, tuple[go.Figure, int]] = OrderedDict()
_held = [0]
_lock = threading.Lock()


def _feed(digest, value) -> int:
    """Feed a figure's building blocks into the hash -> about the bytes they hold (arrays and text)."""
    if isinstance(value, dict):
        size = 0
        for name in sorted(value, key=str):
            digest.update(f"<{name}>".encode())
            size += _feed(digest, value[name])
        digest.update(b"</>")
        return size
    if isinstance(value, (list, tuple)):
        digest.update(b"[")
        size = sum(_feed(digest, item) for item in value)
        digest.update(b"]")
        return size
    if isinstance(value, np.ndarray):
        array = np.ascontiguousarray(value)
        digest.update(f"nd{array.shape}{array.dtype.str}".encode())
        digest.update(array.data if array.dtype != object else repr(array.tolist()).encode())
        return array.nbytes
    text = f"{type(value).__name__}:{value!r};".encode()
    digest.update(text)
    return len(text)


def shared_figure(data: list, layout: dict) -> go.Figure:
    """go.Figure(data=data, layout=layout), or the same figure built before from equal data and layout."""
    digest = hashlib.blake2b(digest_size=20)
    size = _feed(digest, [data, layout])
    key = digest.digest()
    with _lock:
        if key in _figures:
            _figures.move_to_end(key)
            return _figures[key][0]
    figure = go.Figure(data=data, layout=layout)
    with _lock:
        if key not in _figures:
            _figures[key] = figure, size
            _held[0] += size
        while (_held[0] > MAX_BYTES or len(_figures) > MAX_FIGURES) and len(_figures) > 1:
            _held[0] -= _figures.popitem(last=False)[1][1]
    return figure
