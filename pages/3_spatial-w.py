"""Spatial W (gMLP): the learned token-mixing matrices of a checkpoint, per head and averaged."""

import numpy as np
import streamlit as st

import gmlp_core.ui  # noqa: F401  first of ours, whole: concurrent first runs (gmlp_core/__init__.py)

from gmlp_core.analysis.inference import token_labels
from gmlp_core.formats.images import model_image
from gmlp_core.models import head_average, spatial_weights
from gmlp_core.ui.checkpoints import current_checkpoint, current_file
from gmlp_core.ui.frame import require_frame
from gmlp_core.ui.layout import grid, setup_page
from gmlp_core.ui.locale import num, pct, structure_columns, tr
from gmlp_core.ui.markdown import literal
from gmlp_core.ui.plots import heatmap, kernel_figure, value_range
from gmlp_core.ui.samples import current_image, decoded, sample_gallery, sample_label, sample_picker
from gmlp_core.ui.sections import heads_picker, layer_picker, per_head_and_average, show
from gmlp_core.ui.state import kept
from gmlp_core.ui.tables import grid_structure_frame
from gmlp_core.ui.views.spatial_w import SpatialView, notes_and_downloads, rows_on_picture, snapshots_section
from gmlp_core.ui.vision_cache import attention as cached_attention, structure as cached_structure

require_frame()  # a fresh server can run this file without app.py: run the app instead

setup_page("w_title")
st.caption(tr("w_intro"))
model, info = current_checkpoint()
file = current_file()  # the cached computations' key; None for this session's upload
config = info.config
weights = spatial_weights(model)  # (layers, heads, n, n)
labels = token_labels(config)
names = dict(row_title=tr("output_token"), col_title=tr("input_token"))

with st.sidebar:
    st.subheader(tr("controls"))
    layer = layer_picker("layer", config.depth, url="layer")
    chosen = heads_picker("w_heads", config.heads, url="w_heads")
    shared = kept(st.toggle, tr("shared_scale"), key="w_shared", default=True, url="w_shared")

layer_w = weights[layer]
if not chosen:
    st.warning(tr("choose_a_head"))
    st.stop()
average = head_average(layer_w, chosen)
signed_range = value_range(layer_w, signed=True) if shared else None
# one colour scale for the averaged W wherever it appears on this page (and for its snapshots)
average_range = signed_range or value_range(average, signed=True)


# ---- W per head and averaged (the average on the page's one scale for it)
st.subheader(tr("w_per_head", layer=layer))
per_head_and_average(layer_w, labels, chosen, key="w", value_name="W", axes=names, zrange=signed_range, signed=True,
                     beside=lambda: notes_and_downloads(layer_w, average, labels, layer))

# ---- W as a kernel on the patch grid: is it local, a shift, symmetric?
st.subheader(tr("w_kernel_title", layer=layer))
structure = cached_structure(model, file, layer, chosen)  # each head's, then the average's kernel and numbers
kernel_range = value_range(structure.kernels, signed=True) if shared else None
view_names = [tr("head_n", n=h) for h in range(config.heads)]
kernel_views = list(zip(view_names + [tr("average_short")], structure.kernels))  # (2g-1, 2g-1) each
for (title, kernel), col in grid(kernel_views, min(len(kernel_views), 3), multiples="kernels"):
    with col:
        show(kernel_figure(kernel, title=title, value_name=tr("mean_w"), row_title=tr("rows_down"),
                           col_title=tr("columns_right"), zrange=kernel_range, height=240),
             f"kernel_{title}")
st.caption(tr("w_kernel_explain"))
structure_views = list(zip(view_names + [tr("average_of", heads=", ".join(map(str, chosen)))], structure.structures))
st.dataframe(grid_structure_frame(structure_views, config.grid_size, structure_columns(), pct, num), width="stretch")

# ---- W during training (a fragment: the slider redraws its two maps only)
view = SpatialView(info, layer, chosen, labels, average_range)
snapshots_section(view)

# ---- the image both views read
st.subheader(tr("w_on_image"))
use = kept(st.radio, tr("image_for_w"), key="w_image_source", default="current", options=["current", "sample"],
           horizontal=True, format_func=lambda s: tr(f"w_image_{s}"), url="w_source")
if use == "sample":
    picked_sample = sample_picker("w_sample", url="w_sample")
    sample_gallery("w_sample", picked_sample)
    image_key = str(picked_sample)
    image, image_name = decoded(image_key, picked_sample.read_bytes()), sample_label(picked_sample)
else:
    chosen_image = current_image()
    if chosen_image is None:
        st.stop()
    image_key, image, image_name = chosen_image
pixels = np.asarray(model_image(image, config.image_size))
st.caption(tr("image_caption", name=literal(image_name)))

rows_on_picture(view, layer_w, average, pixels, shared)  # a fragment: the query patch redraws these maps only

# ---- attention beside W on the same token axis
st.subheader(tr("attention_vs_w"))
attention = cached_attention(model, info, file, image_key, image, layer)  # (n, n)
left, right = st.columns(2)
with left:
    show(heatmap(attention, labels, labels, title=tr("attention_on_image"),
                 value_name=tr("weight"), **names), "attention")
with right:
    show(heatmap(average, labels, labels, title=tr("w_same_for_all"), value_name="W", signed=True,
                 zrange=average_range, **names), "w_beside")
st.info(tr("attention_vs_w_explain"))
