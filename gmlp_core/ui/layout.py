"""Page set-up and the small-multiples grid every page uses."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from .locale import tr

FAVICON = Path(__file__).resolve().parent / "favicon.png"  # a local file: no request leaves the machine for it


def setup_page(title_key: str, heading: str | None = None) -> None:
    """Page config and the page heading (by default the page title)."""
    st.set_page_config(page_title=f"{tr(title_key)} · gMLP Explorer", page_icon=str(FAVICON), layout="wide")
    st.title(heading or tr(title_key))


def grid(items, per_row: int, gap: str = "small"):
    """(item, column) pairs, per_row columns a row: the small-multiples layout every page uses."""
    items = list(items)
    for start in range(0, len(items), per_row):
        yield from zip(items[start:start + per_row], st.columns(per_row, gap=gap))
