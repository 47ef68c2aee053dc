"""The interface language: the current one, its strings, numbers, class names and error messages."""

from __future__ import annotations

import streamlit as st

from .i18n import CATALOGUE, class_name, date_text, device_text, number, percent, significant, t
from .markdown import literal


def lang() -> str:
    return st.session_state.get("lang", "en")


def tr(key: str, **values) -> str:
    return t(key, lang(), **values)


def explain(err: Exception) -> str:
    """An error's message in the chosen language, ready for Markdown: the catalogue's sentence for its code
    (gmlp_core.errors), else (English, or an error without a code) its own English text; escaped as text, since
    it carries file names, tensor names and values from a file or a user."""
    code = getattr(err, "code", None)
    if not code or lang() not in CATALOGUE.get(f"err_{code}", {}):
        return literal(str(err))
    values = {k: number_text(v) for k, v in err.values.items()}
    return literal(tr(f"err_{code}", **values))


def number_text(value):
    """An error's value as the learner's language writes it: integers grouped, fractions to 3 significant digits."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    return num(value) if isinstance(value, int) else sig(value)


def num(value: float, decimals: int = 0) -> str:
    """A number in the user's language's format (1,837,514 / 1.837.514)."""
    return number(value, lang(), decimals)


def pct(fraction: float, decimals: int = 1) -> str:
    return percent(fraction, lang(), decimals)


def sig(value: float, digits: int = 3) -> str:
    """A number to `digits` significant digits in the user's language's format (powers of ten written out)."""
    return significant(value, lang(), digits)


def date(timestamp: str) -> str:
    return date_text(timestamp, lang())


def device(name: str) -> str:
    return device_text(name, lang())


def cls(name: str) -> str:
    """A class name in the user's language where the catalogue knows it."""
    return class_name(name, lang())


def snapshot_text(label: str) -> str:
    """A W snapshot's recorded label ('init', 'epoch 3', 'step 400') in the user's language."""
    kind, _, n = label.partition(" ")
    if label == "init":
        return tr("snapshot_init")
    if kind == "epoch" and n.isdigit():
        return tr("snapshot_epoch", n=n)
    if kind == "step" and n.isdigit():
        return tr("snapshot_step", n=n)
    return label


def structure_columns() -> dict[str, str]:
    """Column titles for gmlp_core.ui.tables.grid_structure_frame, in the chosen language."""
    return {key: tr(f"structure_{key}") for key in ("near", "baseline", "self_share", "peak", "explained", "symmetry")}
