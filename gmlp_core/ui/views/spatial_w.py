"""The Spatial W page's views of one layer's W, one at a time: per head and averaged, as a kernel on the patch grid,
during training, laid back on a picture, and beside the attention a picture gives."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np
import streamlit as st
import torch

from ...formats.checkpoints import CheckpointInfo
from ...formats.images import model_image
from ...models import head_average
from ..layout import grid
from ..locale import num, pct, sig, snapshot_text, structure_columns, tr
from ..markdown import literal
from ..pickers import patch_picker
from ..plots import heatmap, kernel_figure, row_on_grid_figure, value_range
from ..samples import current_image, decoded, sample_gallery, sample_label, sample_picker
from ..sections import per_head_and_average, show
from ..state import kept, view_fragment
from ..tables import grid_structure_frame, heads_csv, matrix_csv, npy_bytes
from ..vision_cache import attention as cached_attention, structure as cached_structure

@dataclass
class SpatialView:
    """What the page's views share: the checkpoint (file: the cached computations' key, None for this session's
    upload), the layer's W for every head (heads, n, n), the heads averaged and their average (n, n), the token
    labels, and the colour ranges: every head's (None when each map has its own) and the averaged W's on this
    page."""

    model: torch.nn.Module
    info: CheckpointInfo
    file: str | None
    layer: int
    layer_w: torch.Tensor
    chosen: list[int]
    average: torch.Tensor
    labels: list[str]
    shared: bool
    signed_range: tuple | None
    average_range: tuple

    @property
    def axes(self) -> dict:
        return dict(row_title=tr("output_token"), col_title=tr("input_token"))


def heads_view(view: SpatialView) -> None:
    """Each head's W, then the average of the chosen heads with what it means and the downloads beside it."""
    st.subheader(tr("w_per_head", layer=view.layer))
    per_head_and_average(view.layer_w, view.labels, view.chosen, key="w", value_name="W", axes=view.axes,
                         zrange=view.signed_range, signed=True,
                         beside=lambda: notes_and_downloads(view.layer_w, view.average, view.labels, view.layer))


def kernel_view(view: SpatialView) -> None:
    """W as a kernel on the patch grid (is it local, a shift, symmetric?): each head's, the average's, and their
    numbers."""
    config = view.info.config
    st.subheader(tr("w_kernel_title", layer=view.layer))
    structure = cached_structure(view.model, view.file, view.layer, view.chosen)  # each head's, then the average's
    kernel_range = value_range(structure.kernels, signed=True) if view.shared else None
    names = [tr("head_n", n=h) for h in range(config.heads)]
    kernel_views = list(zip(names + [tr("average_short")], structure.kernels))  # (2g-1, 2g-1) each
    for (title, kernel), col in grid(kernel_views, 2, multiples="kernels"):  # a column >= 150 px on a phone
        with col:
            show(kernel_figure(kernel, title=title, value_name=tr("mean_w"), row_title=tr("rows_down"),
                               col_title=tr("columns_right"), zrange=kernel_range, height=240),
                 f"kernel_{title}")
    st.caption(tr("w_kernel_explain"))
    # a measure a row, a head a column: six long measure names across were wider than a projector's column, and
    # the last three (the ones the caption explains) were out of sight
    structure_views = list(zip(names + [tr("average_short")], structure.structures))
    st.dataframe(grid_structure_frame(structure_views, config.grid_size, structure_columns(), pct, num).T,
                 width="stretch")


def notes_and_downloads(layer_w: torch.Tensor, average: torch.Tensor, labels: list[str], layer: int) -> None:
    """Beside the averaged W: what it means, and W (averaged, or every head) as CSV and .npy.
    layer_w: (heads, n, n); average: (n, n)."""
    st.markdown(tr("w_explain", n=len(labels)))
    # each file is written when its button is clicked, not on every rerun of the page
    st.download_button(tr("download_avg_csv"), partial(matrix_csv, average, labels, labels),
                       f"W_layer{layer}_average.csv", "text/csv", key="dl_avg_csv")
    st.download_button(tr("download_heads_csv"), partial(heads_csv, layer_w, labels), f"W_layer{layer}_heads.csv",
                       "text/csv", key="dl_heads_csv")
    st.download_button(tr("download_avg_npy"), partial(npy_bytes, average), f"W_layer{layer}_average.npy",
                       "application/octet-stream", key="dl_avg_npy")
    st.download_button(tr("download_heads_npy"), partial(npy_bytes, layer_w), f"W_layer{layer}_heads.npy",
                       "application/octet-stream", key="dl_heads_npy")


@view_fragment
def snapshots_section(view: SpatialView) -> None:
    """W at initialisation beside W at the snapshot the slider picks (averaged over the chosen heads)."""
    info = view.info
    st.subheader(tr("w_training"))
    if info.snapshots is None or len(info.snapshots) < 2:
        st.info(tr("no_snapshots"))
        return
    labels = info.snapshot_labels
    picked = kept(st.select_slider, tr("snapshot"), key="snapshot", default=labels[-1], options=labels,
                  format_func=snapshot_text, url="snapshot")
    at_init = head_average(info.snapshots[0, view.layer], view.chosen)
    at_pick = head_average(info.snapshots[labels.index(picked), view.layer], view.chosen)
    left, right = st.columns(2)
    with left:
        show(heatmap(at_init, view.labels, view.labels, title=tr("w_at_init"), value_name="W",
                     signed=True, zrange=view.average_range, **view.axes), "w_init")
    with right:
        show(heatmap(at_pick, view.labels, view.labels, title=tr("w_at", label=snapshot_text(picked)),
                     value_name="W", signed=True, zrange=view.average_range, **view.axes),
             "w_snapshot")
    st.caption(tr("w_training_explain"))


@view_fragment
def rows_on_picture(view: SpatialView, pixels: np.ndarray) -> None:
    """One row of W (the query patch's) laid back onto the picture's patch grid, per head and averaged.
    pixels: (H, W, 3) at the model's size."""
    config, layer_w, average = view.info.config, view.layer_w, view.average
    offset = int(config.cls_token)
    picker, maps = st.columns([1, 2])  # the picture, numbered and clickable, beside the maps it chooses
    with picker:
        query = kept(st.selectbox, tr("query_patch"), key="query", default=offset + config.num_patches // 2,
                     options=range(config.seq_len), format_func=lambda m: view.labels[m], url="token")
        # a click or tap on patch k chooses token k + offset (after [CLS] when the model has one)
        patch_picker("query_picker", pixels, config.patch_size, query - offset, tr("query_patch"), tr("patch_hover"),
                     lambda patch: st.session_state.__setitem__("query", patch + offset))
        st.caption(tr("pick_patch_help"))
    name = view.labels[query]
    grid_range = value_range(layer_w[:, query, offset:], signed=True) if view.shared else None
    rows = [(tr("head_n", n=h), layer_w[h, query, offset:]) for h in range(config.heads)]
    rows.append((tr("average_short"), average[query, offset:]))
    with maps:
        for (title, row), col in grid(rows, 2, multiples="rows"):  # a column >= 150 px beside the picture
            with col:
                show(row_on_grid_figure(pixels, row, config.patch_size, query - offset, title=title,
                                        zrange=grid_range, height=240,
                                        hover_text=tr("reads_from_patch", query=tr("token_n", name=name))),
                     f"row_{title}")
    st.caption(tr("row_explain", name=name) + (" " + tr("row_cls", value=sig(float(average[query, 0])))
                                               if config.cls_token else ""))


def picture_for_w() -> tuple[str, object] | None:
    """The picture the last two views read: the one chosen on Patches & predictions, or a sample -> (its cache key,
    the image), or None (with the page's notice) when there is none yet."""
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
            return None
        image_key, image, image_name = chosen_image
    st.caption(tr("image_caption", name=literal(image_name)))
    return image_key, image


def picture_view(view: SpatialView) -> None:
    """Which patches a patch reads from: its row of W on the picture (a fragment: the query patch redraws these
    maps only)."""
    st.subheader(tr("w_on_image"))
    picture = picture_for_w()
    if picture is not None:
        rows_on_picture(view, np.asarray(model_image(picture[1], view.info.config.image_size)))


def attention_view(view: SpatialView) -> None:
    """The attention a picture gives at this layer beside W, on the same token axes: change the picture, and only
    the attention changes."""
    st.subheader(tr("attention_vs_w"))
    picture = picture_for_w()
    if picture is None:
        return
    image_key, image = picture
    attention = cached_attention(view.model, view.info, view.file, image_key, image, view.layer)  # (n, n)
    left, right = st.columns(2)
    with left:
        show(heatmap(attention, view.labels, view.labels, title=tr("attention_on_image"),
                     value_name=tr("weight"), **view.axes), "attention")
    with right:
        show(heatmap(view.average, view.labels, view.labels, title=tr("w_same_for_all"), value_name="W",
                     signed=True, zrange=view.average_range, **view.axes), "w_beside")
    st.info(tr("attention_vs_w_explain"))


SHOW = {"heads": heads_view, "kernel": kernel_view, "training": snapshots_section, "picture": picture_view,
        "attention": attention_view}
VIEWS = tuple(SHOW)  # the page shows one at a time, "heads" first
