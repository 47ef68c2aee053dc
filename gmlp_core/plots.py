"""Plotly figures for the pages: token x token heatmaps, patch views, predictions, W on the patch grid."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .images import patch_grid

HIDDEN_COLOUR = "#d9d9d9"
WEIGHT_SCALE = "Viridis"
SIGNED_SCALE = "RdBu_r"
FONT = dict(family="Inter, Segoe UI, Arial, sans-serif", size=12)


def _array(matrix) -> np.ndarray:
    return matrix.detach().cpu().numpy().astype(float) if hasattr(matrix, "detach") else np.asarray(matrix, float)


def value_range(*matrices, signed: bool = False) -> tuple[float, float]:
    """(zmin, zmax) covering every finite value of the given matrices; symmetric about 0 when signed."""
    values = np.concatenate([_array(m).ravel() for m in matrices]) if matrices else np.zeros(0)
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        finite = np.zeros(1)
    low, high = float(finite.min()), float(finite.max())
    if signed:
        bound = max(abs(low), abs(high), 1e-12)
        return -bound, bound
    return (low, high) if high > low else (low - 0.5, high + 0.5)


def heatmap(matrix, row_labels, col_labels, *, title: str = "", value_name: str = "value",
            row_title: str = "query token", col_title: str = "key token", hidden=None,
            hidden_text: str = "hidden", extra: dict | None = None, zrange=None, signed: bool = False,
            height: int | None = None, compact: bool = False) -> go.Figure:
    """A labelled (rows x cols) heatmap; hidden cells (bool mask) are left blank on a grey ground.

    extra: more matrices of the same shape shown on hover, by name (e.g. the raw scores).
    compact: for small multiples: no axis titles, no colour bar (hover gives the numbers), small tick labels.
    """
    values = _array(matrix)
    rows, cols = values.shape
    if len(row_labels) != rows or len(col_labels) != cols:
        raise ValueError(f"heatmap: {rows}x{cols} matrix but {len(row_labels)} row and {len(col_labels)} column labels")
    hidden_mask = _array(hidden).astype(bool) if hidden is not None else np.zeros_like(values, dtype=bool)
    shown = np.where(hidden_mask | ~np.isfinite(values), np.nan, values)
    extra = {name: _array(m) for name, m in (extra or {}).items()}
    hover = []
    for i in range(rows):
        line = []
        for j in range(cols):
            head = f"{row_title}: {row_labels[i]}<br>{col_title}: {col_labels[j]}<br>"
            if hidden_mask[i, j]:
                line.append(head + hidden_text)
                continue
            parts = [f"{value_name}: {values[i, j]:.4g}"] + [f"{n}: {m[i, j]:.4g}" for n, m in extra.items()]
            line.append(head + "<br>".join(parts))
        hover.append(line)
    zmin, zmax = zrange if zrange is not None else value_range(shown, signed=signed)
    figure = go.Figure(go.Heatmap(
        z=shown, x=list(range(cols)), y=list(range(rows)), text=hover, hovertemplate="%{text}<extra></extra>",
        colorscale=SIGNED_SCALE if signed else WEIGHT_SCALE, zmin=zmin, zmax=zmax, zmid=0 if signed else None,
        colorbar=dict(title=dict(text=value_name, side="right"), thickness=12), showscale=not compact,
        hoverongaps=True, xgap=1, ygap=1,
    ))
    size = height or max(260, min(640, 60 + 26 * rows))
    ticks = dict(size=8 if compact or max(rows, cols) > 24 else 11)
    figure.update_layout(
        title=dict(text=title, font=dict(size=14)), height=size, margin=dict(l=10, r=10, t=40 if title else 10, b=10),
        plot_bgcolor=HIDDEN_COLOUR, font=FONT,
        xaxis=dict(title="" if compact else col_title, tickmode="array", tickvals=list(range(cols)),
                   ticktext=list(map(str, col_labels)), side="top", showgrid=False, constrain="domain",
                   tickfont=ticks, tickangle=0 if compact else None),
        yaxis=dict(title="" if compact else row_title, tickmode="array", tickvals=list(range(rows)),
                   ticktext=list(map(str, row_labels)), autorange="reversed", showgrid=False, scaleanchor="x",
                   constrain="domain", tickfont=ticks),
    )
    return figure


def image_figure(pixels: np.ndarray, title: str = "", height: int = 260) -> go.Figure:
    """An RGB uint8 image (H, W, 3) shown pixel-exact with a pixel-coordinate hover."""
    figure = go.Figure(go.Image(z=pixels, hovertemplate="x %{x}, y %{y}<br>RGB %{z}<extra></extra>"))
    _image_layout(figure, title, height)
    return figure


def _image_layout(figure: go.Figure, title: str, height: int) -> None:
    figure.update_layout(title=dict(text=title, font=dict(size=14)), height=height, font=FONT,
                         margin=dict(l=0, r=0, t=36 if title else 0, b=0))
    figure.update_xaxes(visible=False, constrain="domain")
    figure.update_yaxes(visible=False, scaleanchor="x", constrain="domain")


def patch_grid_figure(pixels: np.ndarray, patch_size: int, title: str = "", height: int = 320) -> go.Figure:
    """The model-size image with the patch grid drawn on it and each patch's number at its centre."""
    figure = image_figure(pixels, title, height)
    side = pixels.shape[0]
    grid = side // patch_size
    for k in range(1, grid):
        edge = k * patch_size - 0.5
        figure.add_shape(type="line", x0=edge, x1=edge, y0=-0.5, y1=side - 0.5, line=dict(color="white", width=2))
        figure.add_shape(type="line", y0=edge, y1=edge, x0=-0.5, x1=side - 0.5, line=dict(color="white", width=2))
    for index in range(grid * grid):
        row, col = divmod(index, grid)
        figure.add_annotation(x=col * patch_size + patch_size / 2 - 0.5, y=row * patch_size + patch_size / 2 - 0.5,
                              text=f"<b>{index}</b>", showarrow=False,
                              font=dict(color="white", size=max(9, 16 - grid)), bgcolor="rgba(0,0,0,0.45)")
    return figure


def patch_sequence_figure(pixels: np.ndarray, patch_size: int, cls_token: bool, title: str = "",
                          cls_label: str = "[CLS]") -> go.Figure:
    """The patches in the order the model reads them, one tile each, [CLS] first when the model has one."""
    patches = patch_grid(pixels, patch_size)
    tiles = ([np.full_like(patches[0], 200)] if cls_token else []) + list(patches)
    labels = ([cls_label] if cls_token else []) + [str(i) for i in range(len(patches))]
    gap = max(1, patch_size // 4)
    strip = np.full((patch_size, len(tiles) * (patch_size + gap) - gap, 3), 255, dtype=np.uint8)
    for i, tile in enumerate(tiles):
        strip[:, i * (patch_size + gap):i * (patch_size + gap) + patch_size] = tile
    figure = go.Figure(go.Image(z=strip, hoverinfo="skip"))
    for i, label in enumerate(labels):
        figure.add_annotation(x=i * (patch_size + gap) + patch_size / 2 - 0.5, y=patch_size + 0.5, yanchor="top",
                              text=label, showarrow=False, font=dict(size=10))
    figure.update_layout(title=dict(text=title, font=dict(size=14)), height=150 if len(tiles) <= 20 else 130,
                         margin=dict(l=0, r=0, t=36 if title else 0, b=24), font=FONT)
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False, scaleanchor="x", range=[patch_size + 3, -0.5])
    return figure


def topk_figure(top: list[tuple[str, float]], title: str = "", value_name: str = "probability") -> go.Figure:
    """Horizontal bars, most likely class on top, probabilities as percentages."""
    names = [name for name, _ in top]
    values = [p for _, p in top]
    figure = go.Figure(go.Bar(
        x=values, y=names, orientation="h", text=[f"{p:.1%}" for p in values], textposition="auto",
        marker_color=["#1f77b4"] + ["#9ecae1"] * (len(top) - 1),
        hovertemplate="%{y}: %{x:.2%}<extra></extra>",
    ))
    figure.update_layout(title=dict(text=title, font=dict(size=14)), height=60 + 36 * len(top), font=FONT,
                         margin=dict(l=10, r=10, t=36 if title else 10, b=10),
                         xaxis=dict(title=value_name, range=[0, 1], tickformat=".0%"),
                         yaxis=dict(autorange="reversed"))
    return figure


def row_on_grid_figure(pixels: np.ndarray, row_values, patch_size: int, query: int, *, title: str = "",
                       value_name: str = "W", signed: bool = True, zrange=None, height: int = 300,
                       query_label: str = "") -> go.Figure:
    """One row of W (how much `query` reads from each patch) laid over the image, patch by patch.

    row_values: (num_patches,) entries for the patch tokens only, in reading order.
    """
    values = _array(row_values)
    grid = pixels.shape[0] // patch_size
    if values.shape != (grid * grid,):
        raise ValueError(f"row_on_grid_figure: expected {grid * grid} patch values, got {values.shape}")
    zmin, zmax = zrange if zrange is not None else value_range(values, signed=signed)
    centres = [k * patch_size + patch_size / 2 - 0.5 for k in range(grid)]
    numbers = np.arange(grid * grid).reshape(grid, grid)
    figure = image_figure(pixels, title, height)
    figure.add_trace(go.Heatmap(
        z=values.reshape(grid, grid), x=centres, y=centres, customdata=numbers, opacity=0.6,
        colorscale=SIGNED_SCALE if signed else WEIGHT_SCALE, zmin=zmin, zmax=zmax, zmid=0 if signed else None,
        colorbar=dict(title=dict(text=value_name, side="right"), thickness=12),
        hovertemplate=f"{query_label or 'query'} reads from patch %{{customdata}}: %{{z:.4g}}<extra></extra>",
    ))
    if 0 <= query < grid * grid:
        row, col = divmod(query, grid)
        figure.add_shape(type="rect", x0=col * patch_size - 0.5, x1=(col + 1) * patch_size - 0.5,
                         y0=row * patch_size - 0.5, y1=(row + 1) * patch_size - 0.5, line=dict(color="black", width=3))
    return figure


def history_figure(history: list[dict], title: str = "", epoch_title: str = "epoch",
                   accuracy_title: str = "accuracy") -> go.Figure:
    """Per-epoch train and validation top-1 from a checkpoint's training record."""
    epochs = [r["epoch"] for r in history]
    figure = go.Figure()
    for key, name in (("train_top1", "train top-1"), ("val_top1", "validation top-1"), ("val_top5", "validation top-5")):
        if history and key in history[0]:
            figure.add_trace(go.Scatter(x=epochs, y=[r[key] for r in history], name=name, mode="lines+markers"))
    figure.update_layout(title=dict(text=title, font=dict(size=14)), height=280, font=FONT,
                         margin=dict(l=10, r=10, t=36 if title else 10, b=10),
                         xaxis=dict(title=epoch_title), yaxis=dict(title=accuracy_title, tickformat=".0%"),
                         legend=dict(orientation="h", y=-0.3))
    return figure
