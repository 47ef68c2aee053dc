"""The learner's own text, with its examples one click away."""

from __future__ import annotations

import streamlit as st

from .locale import tr
from .state import kept


def example_picker(examples, target_key: str, pick_key: str, format_func=str) -> None:
    """Example pills that write the picked example into the text widget `target_key`, once per pick,
    so the learner can then edit it (picking the same pill again does not undo the edit)."""
    example = st.pills(tr("examples"), examples, key=pick_key, format_func=format_func)
    last_key = f"_{pick_key}_last"
    if example and st.session_state.get(last_key) != example:
        st.session_state[target_key] = example
    st.session_state[last_key] = example


def text_with_examples(label: str, key: str, default: str, examples, pick_key: str, format_func=str,
                       area_height: int | None = None, max_chars: int = 2000, url: str | None = None) -> str:
    """The learner's text (a persistent widget, `default` at first) with its examples behind a button
    beside it, so a 1024x768 projector's first screen keeps its room for the charts; a text area when
    area_height is given, else one line."""
    typed, more = st.columns([4, 1], vertical_alignment="bottom")
    with more.popover(tr("examples"), width="stretch"):
        example_picker(examples, key, pick_key, format_func)
    if area_height:
        return kept(typed.text_area, label, key=key, default=default, url=url, max_chars=max_chars,
                    height=area_height)
    return kept(typed.text_input, label, key=key, default=default, url=url, max_chars=max_chars)
