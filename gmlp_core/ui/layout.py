"""Page set-up and the small-multiples grid every page uses."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from .locale import lang, tr

FAVICON = Path(__file__).resolve().parent / "favicon.png"  # a local file: no request leaves the machine for it


# On a touch screen a thumb on a chart scrolls the page: Plotly's drag layer (which would zoom or pan, and stops
# the page's scroll) lets touches through to the page; a mouse still zooms, and a tap still shows the hover label
# (touch.py). (Pictures to choose from are buttons,
# not charts: pickers.py.) Choices a finger can hit: 40 px tall.
STYLE = """<style>
@media (pointer: coarse) {
  .js-plotly-plot .draglayer * { pointer-events: none !important; }
}
/* a component with nothing to see (charts.load_chart_code) takes no room */
.st-key-chart_code { display: none; }
[data-testid="stRadio"] label, [data-testid="stCheckbox"] label { min-height: 40px; align-items: center; }
/* captions (every page's explanations) darker than Streamlit's 60 % opacity, 3.9:1 on white: 6.8:1 on a projector */
[data-testid="stCaptionContainer"] { opacity: 0.8; }
/* a metric's name wraps instead of ending in "…" (the language page's "aMLP (gMLP + tiny attention)") */
[data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"], [data-testid="stMetricLabel"] p {
  white-space: normal; overflow: visible; text-overflow: clip; }
/* a column holding a sticky_ container stays on screen while its neighbour (a gallery) scrolls */
[data-testid="stColumn"]:has([class*="st-key-sticky_"]) { position: sticky; top: 4rem; align-self: flex-start; }
@media (max-width: 640px) {  /* a phone */
  /* numbers in a map's cells a size smaller, so "10,38" and "-7,18" stay apart */
  .js-plotly-plot g.heatmap-label > text { font-size: 9px !important; }
  /* small multiples stay side by side instead of one a screen */
  [class*="st-key-multiples_"] [data-testid="stColumn"] { min-width: 0 !important; flex: 1 1 0 !important; }
}
</style>"""


def setup_page(title_key: str, heading: str | None = None) -> None:
    """Page config, the app's style and the page heading (by default the page title)."""
    st.set_page_config(page_title=f"{tr(title_key)} · gMLP Explorer", page_icon=str(FAVICON), layout="wide")
    st.html(STYLE)
    st.title(heading or tr(title_key))


def grid(items, per_row: int, gap: str = "small", multiples: str | None = None):
    """(item, column) pairs, per_row columns a row: the small-multiples layout every page uses.
    multiples: a name for a grid of charts that stays per_row a row on a phone (Streamlit stacks columns there)."""
    items = list(items)
    box = st.container(key=f"multiples_{multiples}") if multiples else st
    for start in range(0, len(items), per_row):
        yield from zip(items[start:start + per_row], box.columns(per_row, gap=gap))


def box_drawn_when_open(container, label: str, key: str, **kwargs):
    """An expander (st.expander's kwargs) whose contents the caller draws only while it is open (`.open`; opening it
    reruns the page); st.session_state[key] says whether it is. Its title is in the learner's language, and the
    browser takes a box whose title changed for another, closed one: each language has a box of its own, opened or
    closed as the learner left the last one (a teacher projecting the link's QR code switched to Vietnamese, and the
    box closed)."""
    shown = f"{key}_{lang()}"
    st.session_state[shown] = bool(st.session_state.get(key))

    def remember() -> None:
        st.session_state[key] = bool(st.session_state[shown])

    return container.expander(label, key=shown, on_change=remember, **kwargs)
