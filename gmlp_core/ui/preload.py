"""What every visitor needs, loaded once per server process on a thread of its own, started by the first run of
app.py (the teacher opening the app before class), so that no student's first visit waits for it: every shipped
checkpoint through the cached loaders the pages read, each image model's first forward on the first sample, and
each language model's reading of its set's first example text (the page's default), with the W or attention
maps its view starts on.

A page that asks for one of these before the thread has made it waits for that same cached call (Streamlit's
caches compute a key once) instead of computing it a second time.
"""

from __future__ import annotations

import atexit
import threading

import streamlit as st

from ..analysis.inference import predict, prepare, token_attention
from ..formats.checkpoints import CheckpointError, list_checkpoints
from ..lessons.text import EXAMPLE_PROMPTS
from ..models import ARCHS, ATTENTION_MAPS, SPATIAL_W, spatial_weights
from . import lm_cache
from .checkpoints import CHECKPOINT_DIR, cached_checkpoint, checkpoint_label, trained_on
from .i18n import LANGUAGES, corpus_language
from .samples import decoded, sample_paths


def _vision(path: str, modified: float, model, info) -> None:
    """The image pages' first run: the sidebar's label, the first sample's prediction, W, attention (the first
    forward of a shape is the slow one)."""
    for language in LANGUAGES:
        checkpoint_label(path, modified, language)
    first = sample_paths()[0]
    image = decoded(str(first), first.read_bytes())
    predict(model, info, image)
    spatial_weights(model)
    token_attention(model, prepare(image, info)[1], 0)


def _language_model(path: str, modified: float, arch: str) -> None:
    """The Language models page's first run: the default text read, and what the model's view draws."""
    text = EXAMPLE_PROMPTS[corpus_language(trained_on(path, modified)) or "en"][0]
    lm_cache.reading(path, modified, text)
    if SPATIAL_W in ARCHS[arch].shows:
        lm_cache.causal_w(path, modified)
    if ATTENTION_MAPS in ARCHS[arch].shows:
        lm_cache.attention(path, modified, text)


_STOP = threading.Event()  # set at exit: the thread ends after the model it is on


def _preload() -> None:
    for file in list_checkpoints(CHECKPOINT_DIR):
        if _STOP.is_set():
            return
        path, modified = str(file), file.stat().st_mtime
        try:
            model, info = cached_checkpoint(path, modified)
        except CheckpointError:
            continue  # the page that opens it says why
        if ARCHS[info.arch].task == "image":
            _vision(path, modified, model, info)
        else:
            _language_model(path, modified, info.arch)


@st.cache_resource(show_spinner=False)
def start() -> threading.Thread:
    """The one preloading thread of this server process (started by the first run of app.py)."""
    thread = threading.Thread(target=_preload, name="gmlp-preload", daemon=True)
    thread.start()
    atexit.register(_stop, thread)
    return thread


def _stop(thread: threading.Thread) -> None:
    """At exit, before Python tears itself down: let the thread finish the model it is on and end (a thread still
    inside torch when the interpreter exits aborts the process)."""
    _STOP.set()
    thread.join(timeout=60)
