"""The charts' look: Streamlit's light theme written out as a Plotly template, in every figure the app builds.

Streamlit's chart element themed a figure in the browser (and its template held placeholder colours only that element
replaced); the app's own chart element (charts.py) draws a figure as it is, so the figure carries its whole look.
Text is Streamlit's dark text colour, 12 px at least: its theme's pale grey ticks (#808495, 3.7:1 on white) were too
faint to read off a projector.
"""

from __future__ import annotations

import plotly.io as pio
import streamlit  # noqa: F401  first: importing Streamlit makes its own template Plotly's default, replaced below

TEXT_COLOUR = "#31333F"  # Streamlit's text colour
FONT = dict(family="Inter, Segoe UI, Arial, sans-serif", size=12, color=TEXT_COLOUR)
TICK_FONT = dict(size=12, color=TEXT_COLOUR)  # the smallest text a class reads off a projector
HEADING_FAMILY = '"Source Sans", "Source Sans Pro", sans-serif'  # Streamlit's headings (its own web font)
GRID_COLOUR = "#e6eaf1"  # Streamlit's light theme: grid and tick lines, a hover label's border
BORDER_COLOUR = "rgba(49, 51, 63, 0.2)"
# Streamlit's categorical chart colours (its light theme), for lines and bars that name none, its strong ones first:
# its second, a pale blue (#83c9ff), drew Home's validation curve and the gMLP's surprise too faint for a projector
COLOURS = ["#0068c9", "#ff2b2b", "#29b09d", "#ff8700", "#6d3fc0", "#83c9ff", "#ffabab", "#7defa1", "#ffd16a",
           "#d5dae5"]

TEMPLATE = {"layout": {
    "colorway": COLOURS, "font": dict(FONT), "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
    "title": {"font": {"family": HEADING_FAMILY, "size": 16, "weight": 600, "color": TEXT_COLOUR}, "x": 0,
              "xanchor": "left", "pad": {"l": 2}},
    "legend": {"font": {"size": 12, "color": TEXT_COLOUR}, "bordercolor": "rgba(0,0,0,0)", "borderwidth": 0,
               "valign": "top"},
    "xaxis": {"showgrid": False, "zeroline": False, "gridcolor": GRID_COLOUR, "zerolinecolor": GRID_COLOUR,
              "tickcolor": GRID_COLOUR, "linecolor": GRID_COLOUR, "automargin": True,
              "title": {"font": {"size": 14, "color": TEXT_COLOUR}, "standoff": 16}},
    "yaxis": {"gridcolor": GRID_COLOUR, "zerolinecolor": GRID_COLOUR, "tickcolor": GRID_COLOUR,
              "linecolor": GRID_COLOUR, "automargin": True, "ticklabelposition": "outside",
              "title": {"font": {"size": 14, "color": TEXT_COLOUR}, "standoff": 16}},
    # a hover label names its line whole: Plotly cut names after 15 characters ("validation t..." twice on Home)
    "hoverlabel": {"namelength": -1, "bgcolor": "#ffffff", "bordercolor": BORDER_COLOUR,
                   "font": {"color": TEXT_COLOUR, "family": FONT["family"], "size": 12}},
    "margin": {"pad": 8, "l": 0, "r": 0},
}}
pio.templates["gmlp_explorer"] = TEMPLATE
pio.templates.default = "gmlp_explorer"  # every figure, validated or not (figure_cache)
