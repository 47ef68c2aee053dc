"""The language-model page's computations, cached on (checkpoint file version, inputs).

Results are shared, not copied (st.cache_resource): st.cache_data would unpickle a copy of the tensors on every
rerun that reads them (1 MB of W per model), and the pages only read them."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator

import plotly.graph_objects as go
import streamlit as st
import torch

from ..analysis.language import generate_stream, guesses_text, read_text
from ..models import attention_maps, causal_mask, head_average, spatial_weights
from .plots import heatmap
from .checkpoints import cached_checkpoint


@st.cache_resource(show_spinner=False, max_entries=256)
def reading(path: str, modified: float, text: str):
    model, info = cached_checkpoint(path, modified)
    return read_text(model, info.tokenizer, text)


@st.cache_resource(show_spinner=False, max_entries=256)
def guesses(path: str, modified: float, text: str) -> list[str]:
    """The model's top next characters after each character but the last (the surprise chart's hover), made once
    per text: a rerun that changes a view does not format them again."""
    read = reading(path, modified, text)
    return guesses_text(cached_checkpoint(path, modified)[1].tokenizer, read.top_ids[:-1], read.top_probs[:-1])


@st.cache_resource(show_spinner=False, max_entries=256)
def attention(path: str, modified: float, text: str) -> torch.Tensor:
    """(layers, heads, n, n) for the typed text (n = kept characters)."""
    return attention_maps(cached_checkpoint(path, modified)[0], reading(path, modified, text).ids)


@st.cache_resource(show_spinner=False, max_entries=8)
def causal_w(path: str, modified: float) -> torch.Tensor:
    """(layers, heads, block, block): the same for every text."""
    return spatial_weights(cached_checkpoint(path, modified)[0])


@st.cache_resource(show_spinner=False, max_entries=64)
def full_w_figure(path: str, modified: float, layer: int, heads: tuple[int, ...], title: str, row_title: str,
                  col_title: str, hidden_text: str = "hidden", snapshot: int | None = None) -> go.Figure:
    """The whole block x block W of one layer, averaged over heads (at a training snapshot, or as trained):
    the same for every text, so built once per choice and shared (never modified by the pages)."""
    info = cached_checkpoint(path, modified)[1]
    weights = causal_w(path, modified)[layer] if snapshot is None else info.snapshots[snapshot, layer]
    positions = [str(i) for i in range(weights.shape[-1])]
    return heatmap(head_average(weights, list(heads) or None), positions, positions, value_name="W", signed=True,
                   title=title, height=700, row_title=row_title, col_title=col_title,
                   hidden=causal_mask(len(positions)), hidden_text=hidden_text)


FINISHED_TEXTS = 512  # continuations kept for every session (a class asking for the same one shares it)


@st.cache_resource(show_spinner=False)
def _finished() -> OrderedDict:
    return OrderedDict()


def continuation(path: str, modified: float, prompt: str, length: int, temperature: float, top_k: int,
                 seed: int) -> Iterator[str]:
    """The continuation's text so far, growing a character at a time as the model writes it (at once when this
    exact continuation was written before, for any session)."""
    key = (path, modified, prompt, length, temperature, top_k, seed)
    done = _finished()
    if key in done:
        done.move_to_end(key)
        yield done[key]
        return
    model, info = cached_checkpoint(path, modified)
    text = ""
    for char in generate_stream(model, info.tokenizer, prompt, length, temperature, top_k, seed):
        text += char
        yield text
    done[key] = text
    while len(done) > FINISHED_TEXTS:
        done.popitem(last=False)
