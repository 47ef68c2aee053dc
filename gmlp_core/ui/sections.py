"""Page sections more than one page draws: a layer and heads picker, each head's map beside the average of
the chosen heads on one colour scale, and the numbers behind a map."""

from __future__ import annotations

import functools
from typing import Callable

import streamlit as st
import torch

from ..models import head_average
from .charts import plotly_chart
from .i18n import SEPARATORS, t
from .layout import box_drawn_when_open, grid
from .locale import lang, tr
from .plots import heatmap
from .state import kept
from .tables import localized, matrix_csv, matrix_frame


def chart_config() -> dict:
    """Plotly's settings for every chart in the interface's language (made once per language: a page shows up to
    20 charts a rerun); read-only."""
    return _chart_config(lang())


@functools.cache
def _chart_words(language: str) -> dict:
    return {"fullscreen": t("chart_fullscreen", language), "failed": t("chart_failed", language)}


@functools.cache
def _chart_config(language: str) -> dict:
    """No toolbar over the titles, no wheel zoom (a wheel scrolls the page), and numbers (ticks, hovers, cell
    numbers) and Plotly's own words in `language`."""
    thousands, decimal = SEPARATORS.get(language, SEPARATORS["en"])
    return {"displayModeBar": False, "scrollZoom": False, "locale": language,
            "locales": {language: {"format": {"decimal": decimal, "thousands": thousands},
                                   "dictionary": {"Double-click to zoom back out": t("chart_zoom_back", language)}}}}


def show(figure, key: str) -> None:
    """A Plotly figure across its column, in the interface's language (charts.plotly_chart)."""
    language = lang()
    plotly_chart(figure, key, _chart_config(language), _chart_words(language))


def choice_buttons(label: str, key: str, options, default, url: str, format_func) -> object:
    """A segmented control that always has one option chosen (a view, a set of models), kept and in the link.
    Streamlit's clears the choice when the chosen button is clicked again, or tapped twice on a phone; here that
    click keeps it."""
    shown = f"_{key}_shown"

    def keep_the_choice() -> None:
        if st.session_state.get(key) is None:
            st.session_state[key] = st.session_state.get(shown, default)

    value = kept(st.segmented_control, label, key=key, default=default, options=options, format_func=format_func,
                 url=url, on_change=keep_the_choice)
    value = default if value is None else value
    st.session_state[shown] = value
    return value


def heads_picker(key: str, heads: int, url: str | None = None, container=None) -> list[int]:
    """The heads to average (all of them at first), kept across pages and, with url=, in the link."""
    return kept((container or st).multiselect, tr("heads_to_average"), key=key, default=list(range(heads)),
                options=range(heads), format_func=lambda h: tr("head_n", n=h), url=url)


def layer_picker(key: str, depth: int, default: int = 0, url: str | None = None, container=None) -> int:
    """The layer to show (a slider when there is more than one), kept and, with url=, in the link."""
    if depth <= 1:
        return 0
    return kept((container or st).select_slider, tr("layer"), key=key, default=default, options=range(depth),
                url=url)


def per_head_and_average(maps: torch.Tensor, labels: list[str], chosen: list[int], *, key: str, value_name: str,
                         axes: dict, zrange=None, signed: bool = False, hidden=None, extra: list | None = None,
                         per_row: int = 2, head_height: int = 300, beside: Callable | None = None,
                         col_labels: list[str] | None = None,
                         average_row_px: int | None = None) -> torch.Tensor | None:
    """maps: (heads, n, n). Each head's map (small multiples), then the average of the chosen heads, all on one
    colour scale (zrange); beside(), when given, fills a column to the average's right; average_row_px: the
    average's rows that tall, each labelled. -> the average (n, n), or None with a notice when no head is chosen."""
    cols = col_labels or labels
    heads = maps.shape[0]
    for h, col in grid(range(heads), min(heads, per_row), multiples=key):
        with col:
            show(heatmap(maps[h], labels, cols, title=tr("head_n", n=h), value_name=value_name, signed=signed,
                         zrange=zrange, hidden=hidden, extra=extra[h] if extra else None, height=head_height,
                         compact=True, **axes), f"{key}_head_{h}")
    if not chosen:
        st.info(tr("choose_a_head"))
        return None
    average = head_average(maps, chosen)
    figure = heatmap(average, labels, cols, title=tr("average_of", heads=", ".join(map(str, sorted(chosen)))),
                     value_name=value_name, signed=signed, zrange=zrange, hidden=hidden, row_px=average_row_px, **axes)
    if beside is None:
        show(figure, f"{key}_average")
        return average
    left, right = st.columns([1.2, 1])
    with left:
        show(figure, f"{key}_average")
    with right:
        beside()
    return average


def numbers_expander(weights, labels: list[str], key: str, scores=None, context=None) -> None:
    """The weights as a table (and the scores and context behind them) with a CSV of the weights, made only while
    the expander is open (opening it reruns the page): a closed one costs a rerun nothing."""
    numbers = box_drawn_when_open(st, tr("numbers"), f"numbers_{key}")
    with numbers:
        if not numbers.open:
            return
        st.markdown(f"**{tr('weights')}**")
        st.dataframe(localized(matrix_frame(weights, labels, labels), lang()), width="stretch")
        st.download_button(tr("download_csv"), matrix_csv(weights, labels, labels), f"{key}.csv", "text/csv",
                           key=f"dl_{key}")
        if scores is not None:
            st.markdown(f"**{tr('scores')}**")
            st.dataframe(localized(matrix_frame(scores, labels, labels), lang()), width="stretch")
        if context is not None:
            st.markdown(f"**{tr('context')}**")
            columns = [f"d{i + 1}" for i in range(context.shape[1])]
            st.dataframe(localized(matrix_frame(context, labels, columns), lang()), width="stretch")
