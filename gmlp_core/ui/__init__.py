"""The app's presentation: the only package that imports Streamlit.

    frame.py        app.py around every page, however it is reached; the language selector
    state.py        kept(): a widget whose value outlives its page and travels in the link
    locale.py       the current language: strings, numbers, class names, error messages
    i18n.py         every string a user sees, English and Vietnamese (no Streamlit)
    markdown.py     user text shown as itself inside Markdown
    layout.py       page set-up, the small-multiples grid
    touch.py        a tap on a chart shows its hover label on a touch screen
    inputs.py       a text with its examples
    sections.py     sections several pages draw: layer / heads pickers, per head + average, the numbers
    checkpoints.py  cached checkpoints, the sidebar's choice and uploads, the language-model sets
    samples.py      the sample pictures, their gallery, the current picture
    lm_cache.py     the language-model page's computations, cached
    vision_cache.py the image pages' computations (predictions, attention, W's structure), cached
    janitor.py      a full garbage collection once a minute (closed sessions' uploads)
    preload.py      every shipped model and its first reading, loaded on a thread when the app first runs
    plots.py        Plotly figures (no Streamlit: unit-tested on their own)
    figure_cache.py a figure built once per content, shared by every session and rerun
    tables.py       matrices as tables, CSV and .npy
    samples/        the gallery's CIFAR-10 test images
"""

# Imported whole here, before any page or app.py draws anything (every script imports this package first, see
# gmlp_core/__init__.py): Plotly imports pandas lazily, and eight students opening a freshly started server at
# once raced that import ("partially initialized module 'pandas'"); the UI's own modules likewise.
import pandas  # noqa: E402, F401
import plotly.graph_objects  # noqa: E402, F401

from . import (checkpoints, frame, i18n, inputs, janitor, layout, lm_cache, locale, markdown, plots,  # noqa: E402, F401
               preload, run_plots, samples, sections, share, state, tables, touch, views, vision_cache)
