"""What every visitor needs, loaded once per server process on a thread of its own, started by the first run of
app.py (the teacher opening the app before class), so that no student's first visit waits for it: every shipped
checkpoint through the cached loaders the pages read, each image model's prediction for every sample and what
Spatial W computes for each layer, and each language model's reading of its set's first example text (the page's
default), with the W or attention maps its view starts on.

A page that asks for one of these before the thread has made it waits for that same cached call (Streamlit's
caches compute a key once) instead of computing it a second time.

Once done, everything alive then (the libraries, the models, the caches just filled: about 470,000 objects the
garbage collector tracks) is moved to the collector's permanent generation (gc.freeze). A full collection, which
the janitor runs every minute and Python now and then, holds the interpreter lock while it walks every tracked
object: over these it took about 230 ms, a pause in every student's request at that moment. What a class creates
afterwards (sessions, their uploads, figures) is collected as before (benchmarks/bench_gc.py).
"""

from __future__ import annotations

import atexit
import gc
import threading
from pathlib import Path

import streamlit as st

from ..formats.checkpoints import CheckpointError, list_checkpoints
from ..formats.images import load_image
from ..lessons.text import EXAMPLE_PROMPTS
from ..models import ARCHS, ATTENTION_MAPS, SPATIAL_W, spatial_weights
from ..threads import one_torch_thread
from . import lm_cache, vision_cache
from .checkpoints import CHECKPOINT_DIR, cached_checkpoint, checkpoint_label, trained_on
from .i18n import LANGUAGES, corpus_language
from .samples import sample_paths


def _vision(file: Path, model, info) -> None:
    """The image pages' first runs: the sidebar's label, every sample's prediction (a class picks among them), and
    on Spatial W (all heads, the first sample) each layer's W structure and attention."""
    for language in LANGUAGES:
        checkpoint_label(str(file), file.stat().st_mtime, language)
    images = {str(sample): load_image(sample.read_bytes()) for sample in sample_paths()}
    for key, image in images.items():
        vision_cache.prediction(model, info, file, key, image)
    spatial_weights(model)
    first, image = next(iter(images.items()))
    for layer in range(info.config.depth):
        vision_cache.structure(model, file, layer, list(range(info.config.heads)))
        vision_cache.attention(model, info, file, first, image, layer)


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
    one_torch_thread()
    for file in list_checkpoints(CHECKPOINT_DIR):
        if _STOP.is_set():
            return
        path, modified = str(file), file.stat().st_mtime
        try:
            model, info = cached_checkpoint(path, modified)
        except CheckpointError:
            continue  # the page that opens it says why
        if ARCHS[info.arch].task == "image":
            _vision(file, model, info)
        else:
            _language_model(path, modified, info.arch)
    gc.freeze()  # what lives now lives as long as the server: no full collection walks it again


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
