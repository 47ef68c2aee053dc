"""Spatial W (gMLP): the learned token-mixing matrices of a checkpoint, per head and averaged."""

import streamlit as st

import gmlp_core.ui  # noqa: F401  first of ours, whole: concurrent first runs (gmlp_core/__init__.py)

from gmlp_core.analysis.inference import token_labels
from gmlp_core.models import head_average, spatial_weights
from gmlp_core.ui.checkpoints import current_checkpoint, current_file
from gmlp_core.ui.frame import require_frame
from gmlp_core.ui.layout import setup_page
from gmlp_core.ui.locale import tr
from gmlp_core.ui.plots import value_range
from gmlp_core.ui.sections import choice_buttons, heads_picker, layer_picker
from gmlp_core.ui.state import kept
from gmlp_core.ui.views.spatial_w import SHOW, VIEWS, SpatialView

require_frame()  # a fresh server can run this file without app.py: run the app instead

setup_page("w_title")
st.caption(tr("w_intro"))
model, info = current_checkpoint()
config = info.config
weights = spatial_weights(model)  # (layers, heads, n, n)

with st.sidebar:
    st.subheader(tr("controls"))
    layer = layer_picker("layer", config.depth, url="layer")
    chosen = heads_picker("w_heads", config.heads, url="w_heads")
    shared = kept(st.toggle, tr("shared_scale"), key="w_shared", default=True, url="w_shared")

# one view at a time: only what is shown is computed and drawn
shown = choice_buttons(tr("w_view"), "w_view", VIEWS, VIEWS[0], "w_view", lambda v: tr(f"w_view_{v}"))

layer_w = weights[layer]
if not chosen:
    st.warning(tr("choose_a_head"))
    st.stop()
average = head_average(layer_w, chosen)
signed_range = value_range(layer_w, signed=True) if shared else None
# one colour scale for the averaged W wherever it appears on this page (and for its snapshots)
average_range = signed_range or value_range(average, signed=True)
SHOW[shown](SpatialView(model, info, current_file(), layer, layer_w, chosen, average, token_labels(config), shared,
                        signed_range, average_range))
