"""The Spatial W page's sections."""

from __future__ import annotations

import streamlit as st
import torch

from ..locale import tr
from ..tables import heads_csv, matrix_csv, npy_bytes


def notes_and_downloads(layer_w: torch.Tensor, average: torch.Tensor, labels: list[str], layer: int) -> None:
    """Beside the averaged W: what it means, and W (averaged, or every head) as CSV and .npy.
    layer_w: (heads, n, n); average: (n, n)."""
    st.markdown(tr("w_explain", n=len(labels)))
    st.download_button(tr("download_avg_csv"), matrix_csv(average, labels, labels), f"W_layer{layer}_average.csv",
                       "text/csv", key="dl_avg_csv")
    st.download_button(tr("download_heads_csv"), heads_csv(layer_w, labels), f"W_layer{layer}_heads.csv",
                       "text/csv", key="dl_heads_csv")
    st.download_button(tr("download_avg_npy"), npy_bytes(average), f"W_layer{layer}_average.npy",
                       "application/octet-stream", key="dl_avg_npy")
    st.download_button(tr("download_heads_npy"), npy_bytes(layer_w), f"W_layer{layer}_heads.npy",
                       "application/octet-stream", key="dl_heads_npy")
