"""Playground: train a tiny attention, gMLP or aMLP on a sequence task and watch it learn."""

import streamlit as st

import gmlp_core.ui  # noqa: F401  first of ours, whole: concurrent first runs (gmlp_core/__init__.py)

from gmlp_core.ui.frame import require_frame
from gmlp_core.ui.layout import setup_page
from gmlp_core.ui.locale import tr
from gmlp_core.ui.views.playground import controls, run_view, settings_sidebar

require_frame()  # a fresh server can run this file without app.py: run the app instead

setup_page("pg_title")
st.caption(tr("pg_intro"))
settings = settings_sidebar()
st.markdown(tr(f"pg_explain_{settings.task}"))
live = controls(settings)
run_view(settings, live)
