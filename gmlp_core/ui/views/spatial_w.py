"""The Spatial W page's sections."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np
import streamlit as st
import torch

from ...formats.checkpoints import CheckpointInfo
from ...models import head_average
from ..layout import grid
from ..locale import sig, snapshot_text, tr
from ..plots import heatmap, patch_grid_figure, row_on_grid_figure, value_range
from ..samples import clicked_index
from ..sections import show
from ..state import kept, view_fragment
from ..tables import heads_csv, matrix_csv, npy_bytes


@dataclass
class SpatialView:
    """What the page's sections share: the checkpoint, the layer and heads shown, the token labels, and the one
    colour range of the averaged W on this page."""

    info: CheckpointInfo
    layer: int
    chosen: list[int]
    labels: list[str]
    average_range: tuple

    @property
    def axes(self) -> dict:
        return dict(row_title=tr("output_token"), col_title=tr("input_token"))


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


def _patch_clicked(offset: int) -> None:
    """A click on the picker's patch k chooses token k + offset (after [CLS] when the model has one)."""
    patch = clicked_index(st.session_state.get("query_picker"))
    if patch is not None:
        st.session_state["query"] = patch + offset


@view_fragment
def rows_on_picture(view: SpatialView, layer_w: torch.Tensor, average: torch.Tensor, pixels: np.ndarray,
                    shared: bool) -> None:
    """One row of W (the query patch's) laid back onto the picture's patch grid, per head and averaged.
    layer_w: (heads, n, n); average: (n, n); pixels: (H, W, 3) at the model's size."""
    config = view.info.config
    offset = int(config.cls_token)
    picker, maps = st.columns([1, 2])  # the picture, numbered and clickable, beside the maps it chooses
    with picker:
        query = kept(st.selectbox, tr("query_patch"), key="query", default=offset + config.num_patches // 2,
                     options=range(config.seq_len), format_func=lambda m: view.labels[m], url="token")
        show(patch_grid_figure(pixels, config.patch_size, height=300, picked=query - offset,
                               hover_text=tr("patch_hover")), "query_picker",
             on_select=lambda: _patch_clicked(offset), selection_mode="points")
        st.caption(tr("pick_patch_help"))
    name = view.labels[query]
    grid_range = value_range(layer_w[:, query, offset:], signed=True) if shared else None
    rows = [(tr("head_n", n=h), layer_w[h, query, offset:]) for h in range(config.heads)]
    rows.append((tr("average_short"), average[query, offset:]))
    with maps:
        for (title, row), col in grid(rows, min(len(rows), 3), multiples="rows"):
            with col:
                show(row_on_grid_figure(pixels, row, config.patch_size, query - offset, title=title,
                                        zrange=grid_range, height=240,
                                        hover_text=tr("reads_from_patch", query=tr("token_n", name=name))),
                     f"row_{title}")
    st.caption(tr("row_explain", name=name) + (" " + tr("row_cls", value=sig(float(average[query, 0])))
                                               if config.cls_token else ""))
