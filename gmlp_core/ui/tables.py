"""Matrices as labelled tables and downloadable files (CSV, .npy)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from ..analysis.spatial import GridStructure, uniform_share
from .arrays import as_array
from .i18n import SEPARATORS


def unique_labels(labels) -> list[str]:
    """Position-prefixed labels, so a token that occurs twice still names its own row and column."""
    return [f"{i}: {label}" for i, label in enumerate(labels)]


def matrix_frame(matrix, row_labels, col_labels) -> pd.DataFrame:
    """(rows, cols) -> DataFrame indexed by row labels, columns named by col labels."""
    return pd.DataFrame(as_array(matrix), index=unique_labels(row_labels), columns=unique_labels(col_labels))


def localized(frame: pd.DataFrame, lang: str, decimals: int = 4):
    """frame for st.dataframe with its numbers written in the language (0,4376 in Vietnamese); the values stay
    numbers, so the table still sorts by value."""
    thousands, decimal = SEPARATORS.get(lang, SEPARATORS["en"])
    return frame.style.format(precision=decimals, decimal=decimal, thousands=thousands)


def matrix_csv(matrix, row_labels, col_labels) -> str:
    return matrix_frame(matrix, row_labels, col_labels).to_csv(float_format="%.6g")


def heads_csv(matrices, labels) -> str:
    """(heads, n, n) -> long CSV with one line per cell: head, row (output token), column (input token), value."""
    values = as_array(matrices)
    heads, rows, cols = values.shape
    frame = pd.DataFrame({
        "head": np.repeat(np.arange(heads), rows * cols),
        "row": np.tile(np.repeat(np.asarray(labels, dtype=object), cols), heads),
        "column": np.tile(np.asarray(labels, dtype=object), heads * rows),
        "value": values.ravel(),
    })
    return frame.to_csv(index=False, float_format="%.6g")


def npy_bytes(matrix) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, as_array(matrix).astype(np.float32), allow_pickle=False)
    return buffer.getvalue()


def grid_structure_frame(views: list[tuple[str, GridStructure]], grid: int, columns: dict[str, str], percent,
                         number) -> pd.DataFrame:
    """One row per (name, GridStructure of a W on the grid): percentages through `percent`, other numbers through
    `number(value, decimals)` (the language's formats).

    columns: titles for near, baseline, self_share, peak, explained, symmetry."""
    baseline = percent(uniform_share(grid))
    rows = []
    for name, s in views:
        rows.append({columns["near"]: percent(s.near), columns["baseline"]: baseline,
                     columns["self_share"]: percent(s.self_share), columns["peak"]: f"({s.peak[0]:+d}, {s.peak[1]:+d})",
                     columns["explained"]: percent(s.explained), columns["symmetry"]: "+" * (s.symmetry >= 0) + number(s.symmetry, 2)})
    return pd.DataFrame(rows, index=[name for name, _ in views])
