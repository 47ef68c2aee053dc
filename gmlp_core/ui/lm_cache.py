"""The language-model page's computations, cached on (checkpoint file version, inputs)."""

from __future__ import annotations

import streamlit as st
import torch

from ..language import generate, read_text
from ..models import attention_maps, spatial_weights
from .widgets import cached_checkpoint


@st.cache_data(show_spinner=False, max_entries=256)
def reading(path: str, modified: float, text: str):
    model, info = cached_checkpoint(path, modified)
    return read_text(model, info.tokenizer, text)


@st.cache_data(show_spinner=False, max_entries=256)
def attention(path: str, modified: float, text: str) -> torch.Tensor:
    """(layers, heads, n, n) for the typed text (n = kept characters)."""
    model, info = cached_checkpoint(path, modified)
    return attention_maps(model, reading(path, modified, text).ids)


@st.cache_data(show_spinner=False, max_entries=8)
def causal_w(path: str, modified: float) -> torch.Tensor:
    """(layers, heads, block, block): the same for every text."""
    return spatial_weights(cached_checkpoint(path, modified)[0])


@st.cache_data(show_spinner=False, max_entries=256)
def continuation(path: str, modified: float, prompt: str, length: int, temperature: float, top_k: int,
                 seed: int) -> str:
    model, info = cached_checkpoint(path, modified)
    return generate(model, info.tokenizer, prompt, length, temperature, top_k, seed)
