"""View state that outlives a page's widgets and travels in the URL.

Streamlit forgets a widget's value when a page without that widget runs; app.py re-asserts these
keys on every run so a page change keeps the view. The keys in URL_STATE are mirrored into
st.query_params, so a reload keeps the view and a copied link opens it in another browser.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable
from urllib.parse import urlencode

import streamlit as st

from .i18n import LANGUAGES
from .widgets import SAMPLE_DIR, tr

PERSISTENT = (  # widget keys whose values should survive a visit to another page (and a run of the frame
    # from inside a page on a fresh server's first run, where Streamlit sees the widgets as new: ui.frame)
    "lang", "sentence", "variant", "embedding_source", "embedding_dim", "d_out", "heads", "seed", "scale", "causal", "dropout",
    "shared_scale", "avg_heads", "image_source", "sample", "layer", "w_heads", "w_shared", "snapshot",
    "w_image_source", "w_sample", "query", "lm_text", "lm_view", "lm_attention_layer", "lm_attention_heads",
    "lm_gmlp_layer", "lm_gmlp_heads", "lm_amlp_layer", "lm_amlp_heads", "lm_temperature", "lm_top_k", "lm_seed",
    "lm_length", "lm_snapshot", "lm_snapshot_layer",
)


def _choice(options) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text not in options:
            raise ValueError(f"{text!r} is not one of {', '.join(map(str, options))}")
        return text
    return parse


def _integer(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = int(text)
        if not low <= value <= high:
            raise ValueError(f"{value} is outside {low}..{high}")
        return value
    return parse


def _sample(text: str) -> Path:
    path = SAMPLE_DIR / f"{text}.jpg"
    if not path.is_file():
        raise ValueError(f"{text!r} is not a sample picture")
    return path


def _flag(text: str) -> bool:
    return _choice(("0", "1"))(text) == "1"


# session key -> (URL parameter, value -> text, text -> value; raises ValueError when the text is unusable)
URL_STATE: dict[str, tuple[str, Callable, Callable]] = {
    "lang": ("lang", str, _choice(tuple(LANGUAGES))),
    "checkpoint": ("checkpoint", str, str),
    "sentence": ("sentence", str, str),
    "variant": ("variant", str, _choice(("simplified", "trainable", "causal", "multi"))),
    "causal": ("causal", lambda v: str(int(v)), _flag),
    "heads": ("heads", str, _integer(1, 64)),
    "d_out": ("d_out", str, _integer(1, 64)),
    "sample": ("sample", lambda p: Path(p).stem, _sample),
    "layer": ("layer", str, _integer(0, 1000)),
    "query": ("token", str, _integer(0, 100_000)),
    "lm_text": ("text", str, str),
    "lm_view": ("view", str, _choice(("attention", "gmlp", "amlp", "training", "generate"))),
}


def keep_widget_state() -> None:
    """Re-assert every persistent widget value, so Streamlit keeps it while another page runs."""
    for key in PERSISTENT:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def restore_from_url() -> list[str]:
    """On a session's first run, the URL's view parameters into session state -> the ones ignored."""
    if st.session_state.get("_url_restored"):
        return []
    st.session_state["_url_restored"] = True
    ignored = []
    for key, (param, _, parse) in URL_STATE.items():
        if param not in st.query_params:
            continue
        try:
            st.session_state[key] = parse(st.query_params[param])
        except ValueError as err:
            ignored.append(f"{param}: {err}")
    return ignored


def mirror_to_url() -> None:
    """The current view into st.query_params (only what differs from what is there)."""
    for key, (param, to_text, _) in URL_STATE.items():
        if key in st.session_state and st.session_state[key] is not None:
            text = to_text(st.session_state[key])
            if st.query_params.get(param) != text:
                st.query_params[param] = text


def share_link() -> None:
    """The link to this exact view, copyable from the sidebar (the address bar holds it too)."""
    base = (st.context.url or "").split("?", 1)[0]
    query = urlencode({param: st.query_params[param] for param, *_ in URL_STATE.values() if param in st.query_params})
    with st.sidebar.expander(tr("share_link"), icon=":material/link:"):
        st.code(f"{base}?{query}" if query else base, language=None, wrap_lines=True)
        st.caption(tr("share_link_help"))
