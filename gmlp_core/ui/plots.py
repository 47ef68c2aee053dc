"""Plotly figures for the pages: token x token heatmaps, patch views, predictions, W on the patch grid."""

from __future__ import annotations

import math
import textwrap

import numpy as np
import plotly.graph_objects as go

from ..formats.images import patch_grid
from .arrays import as_array
from .figure_cache import shared_figure
from .theme import FONT, TEXT_COLOUR, TICK_FONT

HIDDEN_COLOUR = "#d9d9d9"
WEIGHT_SCALE = "Viridis"
SIGNED_SCALE = "RdBu_r"
CELL_NUMBERS_UP_TO = 12  # tokens; beyond this a cell in a half-width column is too narrow for "0.00"
# tokens; beyond this a cell on a projector is a few pixels wide and a pixel of gap around it hid its colour (a
# 128-position W's band faded into the grid), and Plotly draws a map without gaps as one image, twice as fast;
# a small multiple (two to a row) reaches that cell size four times sooner
GAPS_UP_TO, COMPACT_GAPS_UP_TO = 64, 24
TITLE_CHARS = 40  # a title wider than this wraps: a half-width column at 1024 px or a phone holds ~45 at 14 px


def escape_label(label) -> str:
    """Text a user typed, safe in a Plotly label or hover (Plotly renders a subset of HTML there)."""
    text = str(label)
    if "&" not in text and "<" not in text and ">" not in text:  # most labels: a character, a word, a number
        return text
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def signed_bar_ticks(zmin: float, zmax: float) -> dict:
    """A narrow colour bar's ticks on a signed scale from zmin to zmax: 0 and the roundest number (1, 2 or 5 times a
    power of ten) within the larger bound on each side. Plotly's own choice for three ticks fell outside a bound
    such as 0.15 and left "0" alone, so the bar said nothing of the size of the values."""
    bound = max(abs(zmin), abs(zmax))
    if not bound > 0 or not math.isfinite(bound):
        return dict(nticks=3)
    power = 10.0 ** math.floor(math.log10(bound))
    tick = next(m * power for m in (5, 2, 1) if m * power <= bound * (1 + 1e-9))
    return dict(tickvals=[-tick, 0, tick])


def value_range(*matrices, signed: bool = False) -> tuple[float, float]:
    """(zmin, zmax) covering every finite value of the given matrices; symmetric about 0 when signed."""
    values = np.concatenate([as_array(m).ravel() for m in matrices]) if matrices else np.zeros(0)
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        finite = np.zeros(1)
    low, high = float(finite.min()), float(finite.max())
    if signed:
        bound = max(abs(low), abs(high), 1e-12)
        return -bound, bound
    return (low, high) if high > low else (low - 0.5, high + 0.5)


def axis_labels(labels) -> list[str]:
    """Position-prefixed, escaped labels: the axis categories, so a repeated token keeps its own cell."""
    return [f"{i}: {escape_label(label)}" for i, label in enumerate(labels)]


def category_axis(categories: list[str], labels) -> dict:
    """A category axis showing `labels` for its (unique, position-prefixed) categories. Plotly spaces the ticks for
    the drawn length, 1.2 font sizes apart (every label when there is room, every k-th when not), and turns
    labels wider than that upright, never slanted, so no two labels overlap on a phone or a projector."""
    return dict(type="category", tickmode="auto", tickfont=TICK_FONT, autotickangles=[0, 90],
                labelalias=dict(zip(categories, (escape_label(label) for label in labels))))


def axis(title: str, **more) -> dict:
    """A value axis: its title and tick labels in the text colour, ticks 12 px (Streamlit's theme greys them)."""
    return dict(title=dict(text=title, font=dict(color=TEXT_COLOUR)), tickfont=TICK_FONT, **more)


def wrapped(title: str) -> str:
    """A title in lines of at most TITLE_CHARS characters (Plotly never wraps one, and cuts it at the chart's edge)."""
    return "<br>".join(textwrap.wrap(title, TITLE_CHARS)) or title


def figure_of(data: list, layout: dict) -> go.Figure:
    """One Figure from trace and layout dicts: Plotly validates them once. Building a figure step by step
    (update_layout, add_shape, add_annotation) costs about 10 ms a call, which a class's reruns pay; the same
    dicts again (another student, another rerun) get the figure built before, shared and read-only."""
    return shared_figure(data, layout)


def heatmap(matrix, row_labels, col_labels, *, title: str = "", value_name: str = "value",
            row_title: str = "query token", col_title: str = "key token", hidden=None,
            hidden_text: str = "hidden", extra: dict | None = None, zrange=None, signed: bool = False,
            height: int | None = None, compact: bool = False, shapes: list | None = None,
            row_px: int | None = None, cell_numbers: bool = True) -> go.Figure:
    """A labelled (rows x cols) heatmap; hidden cells (bool mask) are left blank on a grey ground.

    extra: more matrices of the same shape shown on hover, by name (e.g. the raw scores).
    compact: for small multiples: no axis titles, a thin colour bar, small tick labels.
    row_px: rows this tall, so every row label shows (a text read down the rows); the map stretches down.
    shapes: Plotly shapes drawn over the map (cells are at 0..cols-1, 0..rows-1).
    cell_numbers: each cell's value written in it (up to CELL_NUMBERS_UP_TO tokens; hover shows it anyway).
    Hover text is one template over customdata, not a string per cell.
    """
    values = as_array(matrix)
    rows, cols = values.shape
    if len(row_labels) != rows or len(col_labels) != cols:
        raise ValueError(f"heatmap: {rows}x{cols} matrix but {len(row_labels)} row and {len(col_labels)} column labels")
    hidden_mask = as_array(hidden).astype(bool) if hidden is not None else np.zeros_like(values, dtype=bool)
    shown = np.where(hidden_mask | ~np.isfinite(values), np.nan, values)
    extra = {escape_label(name): as_array(m) for name, m in (extra or {}).items()}
    x, y = axis_labels(col_labels), axis_labels(row_labels)
    head = f"{escape_label(row_title)}: %{{y}}<br>{escape_label(col_title)}: %{{x}}<br>"
    lines = [f"{escape_label(value_name)}: %{{z:.4g}}"] + \
            [f"{name}: %{{customdata[{i}]:.4g}}" for i, name in enumerate(extra)]
    zmin, zmax = zrange if zrange is not None else value_range(shown, signed=signed)
    gap = int(max(rows, cols) <= (COMPACT_GAPS_UP_TO if compact else GAPS_UP_TO))  # pixels between cells
    # sent as float32: a map shows 4 significant digits at most, and half the bytes is half of what every rerun
    # serialises, hashes and sends for it (a 128 x 128 W was 406 KB of JSON as float64)
    data = [dict(
        type="heatmap", z=shown.astype(np.float32), x=x, y=y,
        customdata=np.stack(list(extra.values()), axis=-1).astype(np.float32) if extra else None,
        hovertemplate=head + "<br>".join(lines) + "<extra></extra>",
        colorscale=SIGNED_SCALE if signed else WEIGHT_SCALE, zmin=zmin, zmax=zmax, zmid=0 if signed else None,
        # the colour bar lies under the map: in a narrow column the width is what the matrix lacks; its title above
        # it, since under it Plotly sets the title level with the tick labels
        colorbar=dict(title=dict(text="" if compact else escape_label(value_name), side="top"),
                      orientation="h", y=-0.02, yanchor="top", len=1.0, thickness=6 if compact else 10,
                      tickfont=TICK_FONT,  # a small multiple's bar: three numbers
                      **({} if not compact else signed_bar_ticks(zmin, zmax) if signed else dict(nticks=3))),
        hoverongaps=False, xgap=gap, ygap=gap,
        # few tokens: the numbers themselves in the cells, so a class can read them off the projector
        texttemplate="%{z:.2f}" if cell_numbers and max(rows, cols) <= CELL_NUMBERS_UP_TO and not compact else None,
        textfont=dict(size=12 if max(rows, cols) <= 8 else 10),
    )]
    if hidden_mask.any():  # an invisible layer over the hidden cells, so they still name themselves on hover
        data.append(dict(
            type="heatmap", z=np.where(hidden_mask, 0.0, np.nan).astype(np.float32), x=x, y=y,
            colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale=False, hoverongaps=False,
            hovertemplate=head + escape_label(hidden_text) + "<extra></extra>"))
    # few tokens: cells fill the column like a table of numbers; many: square cells, so bands and diagonals
    # keep their shape
    square = (compact or max(rows, cols) > 12) and not row_px
    # the top margin is Plotly's to size (automargin on the title and the column axis): many or long column labels
    # turn upright and need more room, and a fixed margin let them run into the title
    heading = wrapped(escape_label(title))
    # Plotly lifts a title of several lines, once it has made room for it, by (1.3 * extra lines + 0.35) em, its
    # first line's baseline then above the chart's top edge: pad it down by that and the line's own 1 em
    extra_lines = heading.count("<br>")
    lift = round(14 * (1.35 + 1.3 * extra_lines)) if extra_lines else 0
    # (+20 for a title over stretched rows: it takes its own line above the column title, not the rows' height;
    # + the lift: a title's extra lines take their room from the figure, not from the rows)
    size = height or (400 if square else 150 + row_px * rows if row_px else
                      max(320, min(680, 130 + 30 * rows)) + (20 if title else 0)) + lift
    return figure_of(data, dict(
        title=dict(text=heading, font=dict(size=14), y=1.0, yanchor="top", yref="container",
                   pad=dict(t=8 + lift), automargin=True), height=size,
        margin=dict(l=10, r=10, t=(30 if title else 0) + 10 if compact else 10, b=10), plot_bgcolor=HIDDEN_COLOUR,
        font=FONT,
        xaxis=dict(title=dict(text="" if compact else escape_label(col_title), font=dict(color=TEXT_COLOUR)),
                   **category_axis(x, col_labels),
                   side="top", showgrid=False, constrain="domain", automargin=True),
        yaxis=dict(title=dict(text="" if compact else escape_label(row_title), font=dict(color=TEXT_COLOUR)),
                   **category_axis(y, row_labels),
                   autorange="reversed", showgrid=False, scaleanchor="x" if square else None, constrain="domain"),
        shapes=shapes or [],
    ))


def image_figure(pixels: np.ndarray, title: str = "", height: int = 260) -> go.Figure:
    """An RGB uint8 image (H, W, 3) shown pixel-exact with a pixel-coordinate hover."""
    return figure_of([_image_trace(pixels)], _image_layout(title, height))


def _image_trace(pixels: np.ndarray) -> dict:
    return dict(type="image", z=pixels, hovertemplate="x %{x}, y %{y}<br>RGB %{z}<extra></extra>")


def _image_layout(title: str, height: int, **more) -> dict:
    return dict(title=dict(text=title, font=dict(size=14)), height=height, font=FONT,
                margin=dict(l=0, r=0, t=36 if title else 0, b=0),
                xaxis=dict(visible=False, constrain="domain"),
                yaxis=dict(visible=False, scaleanchor="x", constrain="domain", autorange="reversed"), **more)


def _patch_frame(patch: int, grid: int, patch_size: int) -> list[dict]:
    """A frame around one patch of a (grid x grid) picture as a Plotly shape; none when it is off the grid."""
    if not 0 <= patch < grid * grid:
        return []
    row, col = divmod(patch, grid)
    return [dict(type="rect", x0=col * patch_size - 0.5, x1=(col + 1) * patch_size - 0.5,
                 y0=row * patch_size - 0.5, y1=(row + 1) * patch_size - 0.5, line=dict(color="black", width=3))]


def patch_grid_figure(pixels: np.ndarray, patch_size: int, title: str = "", height: int = 320) -> go.Figure:
    """The model-size image with the patch grid drawn on it and each patch's number at its centre (to choose a
    patch by clicking or tapping it: pickers.patch_picker)."""
    side = pixels.shape[0]
    grid = side // patch_size
    line = dict(color="white", width=2)
    edges = [k * patch_size - 0.5 for k in range(1, grid)]
    shapes = [dict(type="line", x0=e, x1=e, y0=-0.5, y1=side - 0.5, line=line) for e in edges] + \
             [dict(type="line", y0=e, y1=e, x0=-0.5, x1=side - 0.5, line=line) for e in edges]
    centres = [((i % grid) * patch_size + patch_size / 2 - 0.5, (i // grid) * patch_size + patch_size / 2 - 0.5)
               for i in range(grid * grid)]
    annotations = [dict(x=x, y=y, text=f"<b>{i}</b>", showarrow=False, bgcolor="rgba(0,0,0,0.45)",
                        font=dict(color="white", size=12 if grid > 4 else 14)) for i, (x, y) in enumerate(centres)]
    return figure_of([_image_trace(pixels)], _image_layout(title, height, shapes=shapes, annotations=annotations))


def patch_sequence_figure(pixels: np.ndarray, patch_size: int, cls_token: bool, title: str = "",
                          cls_label: str = "[CLS]") -> go.Figure:
    """The patches in the order the model reads them, one tile each, [CLS] first when the model has one."""
    patches = patch_grid(pixels, patch_size)
    tiles = ([np.full_like(patches[0], 200)] if cls_token else []) + list(patches)
    gap = max(1, patch_size // 4)
    strip = np.full((patch_size, len(tiles) * (patch_size + gap) - gap, 3), 255, dtype=np.uint8)
    for i, tile in enumerate(tiles):
        strip[:, i * (patch_size + gap):i * (patch_size + gap) + patch_size] = tile
    # one tile (and its gap) is one unit of x, tile k's centre at its patch number ([CLS] at -1): Plotly's own
    # ticks then number the patches, every one when there is room and every 5th or 10th when not
    unit = 1 / (patch_size + gap)
    first = -1 if cls_token else 0
    image = dict(type="image", z=strip, hoverinfo="skip", dx=unit, dy=unit, x0=first - (patch_size - 1) / 2 * unit,
                 y0=0)
    ticks = dict(nticks=len(tiles) + 1) if len(tiles) <= 20 else {}
    return figure_of([image], dict(
        title=dict(text=title, font=dict(size=14)), height=150 if len(tiles) <= 20 else 130,
        margin=dict(l=0, r=0, t=36 if title else 0, b=24), font=FONT,
        xaxis=dict(showgrid=False, zeroline=False, ticks="", tickfont=TICK_FONT, **ticks,
                   labelalias={"\u2212" + "1": cls_label} if cls_token else None),
        yaxis=dict(visible=False, scaleanchor="x", range=[(patch_size + 1) * unit, -unit / 2])))


def topk_figure(top: list[tuple[str, float]], title: str = "", value_name: str = "probability",
                texts: list[str] | None = None) -> go.Figure:
    """Horizontal bars, most likely class on top; texts: the probabilities as printed (default 12.3%)."""
    names = [escape_label(name) for name, _ in top]
    values = [p for _, p in top]
    bars = dict(type="bar", x=values, y=names, orientation="h", text=texts or [f"{p:.1%}" for p in values],
                textposition="auto", marker=dict(color=["#1f77b4"] + ["#9ecae1"] * (len(top) - 1)),
                hovertemplate="%{y}: %{x:.2%}<extra></extra>")
    # 0, 50 and 100 %, with room on the right for half of "100%": Plotly hid that label, which crossed the figure's
    # edge, and the scale read 0-50 % for bars of 0-100 %
    return figure_of([bars], dict(title=dict(text=title, font=dict(size=14)), height=60 + 36 * len(top), font=FONT,
                                  margin=dict(l=10, r=24, t=36 if title else 10, b=10),
                                  xaxis=axis(value_name, range=[0, 1], tickformat=".0%", tickvals=[0, 0.5, 1]),
                                  yaxis=dict(autorange="reversed", tickfont=TICK_FONT)))


def row_on_grid_figure(pixels: np.ndarray, row_values, patch_size: int, query: int, *, title: str = "",
                       value_name: str = "W", signed: bool = True, zrange=None, height: int = 300,
                       hover_text: str = "query reads from patch") -> go.Figure:
    """One row of W (how much `query` reads from each patch) laid over the image, patch by patch.

    row_values: (num_patches,) entries for the patch tokens only, in reading order.
    """
    values = as_array(row_values)
    grid = pixels.shape[0] // patch_size
    if values.shape != (grid * grid,):
        raise ValueError(f"row_on_grid_figure: expected {grid * grid} patch values, got {values.shape}")
    zmin, zmax = zrange if zrange is not None else value_range(values, signed=signed)
    centres = [k * patch_size + patch_size / 2 - 0.5 for k in range(grid)]
    numbers = np.arange(grid * grid).reshape(grid, grid)
    overlay = dict(
        type="heatmap", z=values.reshape(grid, grid), x=centres, y=centres, customdata=numbers, opacity=0.6,
        colorscale=SIGNED_SCALE if signed else WEIGHT_SCALE, zmin=zmin, zmax=zmax, zmid=0 if signed else None,
        colorbar=dict(title=dict(text=value_name, side="top"), orientation="h", y=-0.02, yanchor="top", len=1.0,
                      thickness=8, tickfont=TICK_FONT,  # under the picture: a narrow column keeps its width
                      **(signed_bar_ticks(zmin, zmax) if signed else dict(nticks=4))),
        hovertemplate=f"{escape_label(hover_text)} %{{customdata}}: %{{z:.4g}}<extra></extra>",
    )
    return figure_of([_image_trace(pixels), overlay],
                     _image_layout(title, height, shapes=_patch_frame(query, grid, patch_size)))


def kernel_figure(kernel, *, title: str = "", value_name: str = "mean W", row_title: str = "rows down",
                  col_title: str = "columns right", zrange=None, height: int = 300) -> go.Figure:
    """A (2g-1, 2g-1) offset kernel (gmlp_core.spatial.offset_kernel): the centre cell is the patch itself,
    the axes count patches down and to the right of it."""
    values = as_array(kernel)
    side = values.shape[0]
    offsets = [str(k) for k in range(-(side // 2), side // 2 + 1)]
    centre = offsets.index("0")
    box = dict(type="rect", x0=centre - 0.5, x1=centre + 0.5, y0=centre - 0.5, y1=centre + 0.5,
               line=dict(color="black", width=2))
    return heatmap(values, offsets, offsets, title=title, value_name=value_name, row_title=row_title,
                   col_title=col_title, signed=True, zrange=zrange, height=height, compact=True, shapes=[box])


HISTORY_LEGENDS = {"train_top1": "train top-1", "val_top1": "validation top-1", "val_top5": "validation top-5"}


def history_figure(history: list[dict], title: str = "", epoch_title: str = "epoch",
                   accuracy_title: str = "accuracy", legends: dict | None = None) -> go.Figure:
    """Per-epoch train and validation top-1 from a checkpoint's training record; legends: record key -> name."""
    epochs = [r["epoch"] for r in history]
    lines = [dict(type="scatter", x=epochs, y=[r[key] for r in history], name=name, mode="lines+markers")
             for key, name in (legends or HISTORY_LEGENDS).items() if history and key in history[0]]
    return figure_of(lines, dict(title=dict(text=title, font=dict(size=14)), height=280, font=FONT,
                                 margin=dict(l=10, r=10, t=36 if title else 10, b=10),
                                 xaxis=axis(epoch_title), yaxis=axis(accuracy_title, tickformat=".0%"),
                                 legend=dict(orientation="h", y=-0.3)))


def surprise_figure(chars: list[str], series: dict[str, tuple], title: str = "", value_name: str = "nats",
                    char_title: str = "character", guesses_title: str = "top-5 guesses") -> go.Figure:
    """How surprised each model is by every character of a text: -log p(char | the ones before).

    chars: the n characters' display labels; series: model name -> (surprise (n - 1,) for chars 1..n-1,
    guesses: n - 1 strings, the model's top-5 before each of those characters).
    """
    x = axis_labels(chars)[1:]
    lines = [dict(type="scatter", x=x, y=as_array(surprise), name=escape_label(name), mode="lines+markers",
                  customdata=[escape_label(g) for g in guesses],
                  hovertemplate=f"{escape_label(name)}<br>{escape_label(char_title)} %{{x}}: %{{y:.2f}} "
                                f"{escape_label(value_name)}<br>{escape_label(guesses_title)}: %{{customdata}}"
                                "<extra></extra>")
             for name, (surprise, guesses) in series.items()]
    return figure_of(lines, dict(
        title=dict(text=escape_label(title), font=dict(size=14)), height=300, font=FONT, hovermode="closest",
        margin=dict(l=10, r=10, t=36 if title else 10, b=10), legend=dict(orientation="h", y=-0.35),
        xaxis=dict(**category_axis(x, chars[1:]), title=dict(text=escape_label(char_title),
                                                             font=dict(color=TEXT_COLOUR))),
        yaxis=axis(escape_label(value_name), rangemode="tozero")))


def loss_curves_figure(histories: dict[str, list[dict]], title: str = "", step_title: str = "step",
                       loss_title: str = "validation loss (nats/char)") -> go.Figure:
    """Validation loss against training step, one line per model."""
    lines = [dict(type="scatter", x=[r["step"] for r in history], y=[r["val_loss"] for r in history],
                  name=escape_label(name), mode="lines") for name, history in histories.items()]
    return figure_of(lines, dict(title=dict(text=escape_label(title), font=dict(size=14)), height=300, font=FONT,
                                 margin=dict(l=10, r=10, t=36 if title else 10, b=10),
                                 legend=dict(orientation="h", y=-0.3),
                                 xaxis=axis(escape_label(step_title)), yaxis=axis(escape_label(loss_title))))
