"""Memory back to the machine once a minute, on a thread of its own: a full garbage collection (the server skips
Streamlit's after every run, .streamlit/config.toml: postScriptGC = false, which a class's reruns could not
afford) and, on Linux, glibc's malloc_trim.

A closed session's uploaded model sits in reference cycles (the session's state, its script runner) that only a
full collection frees; and glibc keeps what a script thread's arena freed for that arena unless told to return
it. Without both, the memory of every closed session's upload stayed taken (benchmarks/bench_uploads.py).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import threading
import time

import streamlit as st

EVERY_S = 60.0


def _libc_trim():
    """glibc's malloc_trim(0), or None where there is no glibc (macOS, musl, Windows)."""
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


def _sweep(every_s: float) -> None:
    trim = _libc_trim()
    while True:
        time.sleep(every_s)
        gc.collect()
        if trim is not None:
            trim(0)


@st.cache_resource(show_spinner=False)
def start(every_s: float = EVERY_S) -> threading.Thread:
    """The one collector thread of this server process (started by the first run of app.py)."""
    thread = threading.Thread(target=_sweep, args=(every_s,), name="gmlp-gc", daemon=True)
    thread.start()
    return thread
