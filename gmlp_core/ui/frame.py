"""The app's frame (app.py: language, checkpoint, navigation) around every page, however a page is reached.

On a freshly started server Streamlit's first script run uses its old pages/-folder mode: a URL
such as /attention runs pages/1_attention.py on its own, without app.py. A page therefore starts
with require_frame(): when app.py is not running around it, the page runs app.py instead (whose
navigation then runs the page inside the frame) and stops. A page opened on its own (a test of one
page file, where neither `streamlit run app.py` nor an earlier run of app.py says where the app is)
runs alone, as asked.
"""

from __future__ import annotations

import contextlib
import runpy
import sys
import threading
from pathlib import Path

import streamlit as st

from ..threads import one_torch_thread
from .i18n import LANGUAGES
from .state import kept

APP = "app.py"
_frame = threading.local()  # Streamlit runs each session's script in its own thread


@contextlib.contextmanager
def within_frame(app_file: str):
    """app.py runs its navigation inside this (with its own __file__), so the page it runs knows the
    frame is drawn, and later runs of this session know where the app is."""
    st.session_state["_app_file"] = str(app_file)
    _frame.active = True
    try:
        yield
    finally:
        _frame.active = False


def _app_file() -> Path | None:
    """app.py of this session: recorded by an earlier run, or the script `streamlit run app.py` was given."""
    recorded = st.session_state.get("_app_file")
    if recorded:
        return Path(recorded)
    main = Path(sys.argv[0]) if sys.argv else None  # `streamlit run app.py` sets sys.argv[0] to app.py
    return main if main is not None and main.name == APP else None


def require_frame() -> None:
    """First statement of every page file: run the whole app instead when Streamlit ran this page on its own.
    The script's thread runs torch on one intra-op thread (gmlp_core/threads.py)."""
    one_torch_thread()
    if getattr(_frame, "active", False):
        return
    app = _app_file()
    if app is None or not app.is_file():  # a page opened on its own (a test of one page): run it alone
        return
    runpy.run_path(str(app), run_name="__main__")
    st.stop()


def language_selector() -> None:
    """The interface language, in the sidebar of every page, kept and in the link."""
    kept(st.sidebar.selectbox, "Language / Ngôn ngữ", key="lang", default="en", options=LANGUAGES,
         format_func=LANGUAGES.get, url="lang")
