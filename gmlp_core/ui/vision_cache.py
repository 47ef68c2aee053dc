"""The image pages' computations, cached on (checkpoint file version, picture, choice) and shared by every session:
a class revisiting a sample, a layer or a set of heads gets the result made before instead of a forward pass.

A checkpoints/ file is named by its path and modification time (a retrained file is another key); this session's
uploaded checkpoint (file None) is computed as before, never shared. A picture is named by its key (a sample's
path, an upload's or a photo's id), as the decode cache names it. Results are shared, not copied
(st.cache_resource): the pages only read them."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
import torch
from PIL import Image

from ..analysis.inference import Prediction, predict, prepare, token_attention
from ..analysis.spatial import LayerStructure, layer_structure
from ..models import head_average, spatial_weights
from .checkpoints import cached_checkpoint


def _version(file: Path) -> tuple[str, float]:
    return str(file), file.stat().st_mtime


def prediction(model, info, file: Path | None, picture: str, image: Image.Image) -> Prediction:
    """predict(model, info, image); file: the checkpoints/ file model was loaded from, None for an upload."""
    return predict(model, info, image) if file is None else _prediction(*_version(file), picture, image)


@st.cache_resource(show_spinner=False, max_entries=256)
def _prediction(path: str, modified: float, picture: str, _image: Image.Image) -> Prediction:
    model, info = cached_checkpoint(path, modified)
    return predict(model, info, _image)


def attention(model, info, file: Path | None, picture: str, image: Image.Image, layer: int) -> torch.Tensor:
    """(n, n): token_attention's weights for the tokens entering block `layer` of this picture."""
    if file is None:
        return _attention_weights(model, info, image, layer)
    return _attention(*_version(file), picture, image, layer)


@st.cache_resource(show_spinner=False, max_entries=256)  # (n, n) each: 17 KB for s64's 65 tokens
def _attention(path: str, modified: float, picture: str, _image: Image.Image, layer: int) -> torch.Tensor:
    return _attention_weights(*cached_checkpoint(path, modified), _image, layer)


def _attention_weights(model, info, image: Image.Image, layer: int) -> torch.Tensor:
    return token_attention(model, prepare(image, info)[1], layer).weights


def structure(model, file: Path | None, layer: int, chosen: list[int]) -> LayerStructure:
    """The layer's W on its patch grid, each head and the average of the chosen heads (analysis.spatial)."""
    if file is None:
        return _layer_structure(model, layer, chosen)
    return _structure(*_version(file), layer, tuple(sorted(chosen)))


@st.cache_resource(show_spinner=False, max_entries=256)
def _structure(path: str, modified: float, layer: int, chosen: tuple[int, ...]) -> LayerStructure:
    return _layer_structure(cached_checkpoint(path, modified)[0], layer, list(chosen))


def _layer_structure(model, layer: int, chosen: list[int]) -> LayerStructure:
    layer_w = spatial_weights(model)[layer]
    return layer_structure(layer_w, head_average(layer_w, chosen), model.config.grid_size)
