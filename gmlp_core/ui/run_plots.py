"""The Playground's figures: a training run's curves, and a few token sequences over the same positions."""

from __future__ import annotations

import plotly.graph_objects as go

from .plots import FONT, TICK_FONT, axis, escape_label, figure_of


def run_curves_figure(steps: list[int], losses: list[float], accuracies: list[float], *, total_steps: int,
                      title: str = "", step_title: str = "step", loss_title: str = "loss",
                      accuracy_title: str = "accuracy") -> go.Figure:
    """A training run so far: loss (left axis) and held-out accuracy (right axis, 0-100 %) by step, the step axis
    fixed to the whole run so the curves grow across it."""
    lines = [dict(type="scatter", x=steps, y=losses, name=escape_label(loss_title), mode="lines",
                  line=dict(color="#d62728")),
             dict(type="scatter", x=steps, y=accuracies, name=escape_label(accuracy_title), mode="lines",
                  yaxis="y2", line=dict(color="#1f77b4"))]
    return figure_of(lines, dict(
        title=dict(text=escape_label(title), font=dict(size=14)), height=260, font=FONT, hovermode="x unified",
        margin=dict(l=10, r=10, t=36 if title else 10, b=10), legend=dict(orientation="h", y=-0.3),
        xaxis=axis(escape_label(step_title), range=[0, max(total_steps, 1)]),
        yaxis=axis(escape_label(loss_title), rangemode="tozero"),
        yaxis2=axis(escape_label(accuracy_title), overlaying="y", side="right", range=[0, 1.02], tickformat=".0%",
                    showgrid=False)))


def sequence_figure(rows: dict[str, list[str]], verdicts: list[bool | None], position_title: str = "position",
                    height: int = 170) -> go.Figure:
    """A few token rows over the same positions, as a table of cells: the last row coloured by verdict
    (True green, False red, None grey: not asked), the others plain."""
    names = list(rows)
    n = len(verdicts)
    colour = [[0.5] * n for _ in names[:-1]] + [[0.5 if v is None else 1.0 if v else 0.0 for v in verdicts]]
    text = [[escape_label(t) for t in rows[name]] for name in names]
    return figure_of([dict(
        type="heatmap", z=colour, x=list(range(n)), y=[escape_label(name) for name in names], text=text,
        texttemplate="%{text}", textfont=dict(size=15), showscale=False, zmin=0, zmax=1, xgap=2, ygap=2,
        colorscale=[[0, "#f4a6a6"], [0.5, "#eeeeee"], [1, "#a8dba8"]], hoverinfo="skip")], dict(
        height=height, font=FONT, margin=dict(l=10, r=10, t=10, b=10),
        xaxis=axis(escape_label(position_title), side="top", tickmode="linear", dtick=1, showgrid=False),
        yaxis=dict(autorange="reversed", showgrid=False, tickfont=TICK_FONT)))
