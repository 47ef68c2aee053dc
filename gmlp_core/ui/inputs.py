"""The learner's own input: text with its examples one click away, and a hand-typed embedding table."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlsplit

import streamlit as st

from ..lessons.text import EXAMPLE_TABLES, MAX_CELL_CHARS, table_from_link, table_to_link
from .locale import lang, num, tr
from .markdown import literal
from .share import camera_allowed
from .state import declare, kept


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


def _linked_table(text: str) -> list[list[str]]:
    try:
        return table_from_link(text)
    except ValueError:
        raise ValueError(tr("link_bad_table")) from None


def embedding_table(key: str, url: str | None = None) -> list[list[str]]:
    """The hand-typed embedding table, one row per token: its text, then its numbers (at first the language's
    example sentence). Every cell is text that gmlp_core.lessons.text reads (a decimal comma included, anything
    else refused by name): a numeric column would silently read '0,5' as 5. Kept across pages and, with url=, in
    the link as one value. -> the rows as edited, [token, d1, d2, ...], each cell a string."""
    rows_key, base_key = f"{key}_rows", f"_{key}_base"
    declare(rows_key, url=url, parse=_linked_table, to_text=table_to_link)
    if rows_key not in st.session_state:
        tokens, embeddings = EXAMPLE_TABLES.get(lang(), EXAMPLE_TABLES["en"])
        st.session_state[rows_key] = [[token, *(num(v, 2) for v in row)] for token, row in zip(tokens, embeddings)]
    if key not in st.session_state:  # the editor is new (first shown, or back from another page): the kept rows
        st.session_state[base_key] = st.session_state[rows_key]
    base = st.session_state[base_key]
    columns = ["token"] + [f"d{j}" for j in range(1, len(base[0]) if base else 4)]
    edited = st.data_editor({column: [row[j] for row in base] for j, column in enumerate(columns)}, key=key,
                            num_rows="dynamic", width="stretch", placeholder="",
                            column_config={column: st.column_config.TextColumn(column, default="",
                                                                               max_chars=MAX_CELL_CHARS)
                                           for column in columns})
    rows = [["" if cell is None else str(cell) for cell in row] for row in zip(*(edited[c] for c in columns))]
    st.session_state[rows_key] = rows
    return rows


def camera_photo(label: str, key: str):
    """st.camera_input, with a plain word in its place when the browser will refuse the camera: the page came over
    plain HTTP from another machine (README: HTTPS for the camera). -> the photo, or None."""
    url = st.context.url
    if not camera_allowed(url):
        st.warning(tr("camera_needs_https", host=literal(urlsplit(url).hostname or "")))
    return st.camera_input(label, key=key)


def decimal_slider(label: str, low: float, high: float, step: float, *, key: str, default: float,
                   url: str | None = None, container=None) -> float:
    """A slider over low..high in steps whose numbers are written in the learner's language (st.slider writes
    0.05 in every language); kept and, with url=, in the link."""
    decimals = max(0, -Decimal(str(step)).as_tuple().exponent)
    options = [round(low + i * step, decimals) for i in range(round((high - low) / step) + 1)]
    return kept((container or st).select_slider, label, key=key, default=default, options=options,
                format_func=lambda value: num(value, decimals), url=url)
