"""Pictures to choose from that a mouse clicks and a finger taps: a gallery of thumbnails, or the numbered patches of
one picture. Each choice is a button in the page (a Streamlit custom component, no iframe), so a tap chooses what it
touches, a keyboard reaches every choice, and a thumb on it still scrolls the page. (A Plotly picture answered a
tap with the point tapped before it: its click reads the previous gesture's hover.)"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable

import numpy as np
import streamlit as st
from PIL import Image

_JS = """
export default function ({ data, setTriggerValue, parentElement }) {
  const root = parentElement.querySelector(".picker");
  root._choose = setTriggerValue;  // the latest render's: the buttons outlive a render
  const signature = JSON.stringify([data.columns, data.picture, data.tiles]);
  if (root._signature !== signature) {  // new choices: draw them; the same ones: keep the buttons (and the focus)
    root._signature = signature;
    root.replaceChildren();
    root.className = "picker " + (data.picture ? "patches" : "pictures") + (data.columns > 6 ? " dense" : "");
    root.style.gridTemplateColumns = `repeat(${data.columns}, minmax(0, 1fr))`;
    root.style.gridTemplateRows = data.picture ? `repeat(${data.columns}, minmax(0, 1fr))` : "";
    root.setAttribute("aria-label", data.name);
    if (data.picture) {
      const picture = document.createElement("img");
      picture.className = "picture"; picture.src = data.picture; picture.alt = "";
      root.append(picture);
    }
    data.tiles.forEach((tile, index) => {
      const button = document.createElement("button");
      button.type = "button"; button.className = "tile"; button.title = tile.title;
      if (tile.src) {
        const image = document.createElement("img");
        image.src = tile.src; image.alt = "";
        button.append(image);
      }
      const label = document.createElement("span");
      label.textContent = tile.label;
      button.append(label);
      button.addEventListener("click", () => root._choose("picked", index));
      root.append(button);
    });
  }
  root.querySelectorAll(".tile").forEach((button, index) => {
    button.classList.toggle("current", index === data.current);
    button.setAttribute("aria-pressed", String(index === data.current));
  });
}
"""

_CSS = """
.picker { display: grid; gap: 6px; position: relative; }
.tile { font: inherit; color: var(--st-text-color); background: none; cursor: pointer; border: 3px solid transparent;
  border-radius: 4px; padding: 2px; touch-action: manipulation; }
.tile:focus-visible { outline: 3px solid var(--st-primary-color); outline-offset: 1px; }
.tile.current { border-color: #ff4b4b; }
.pictures .tile { display: flex; flex-direction: column; align-items: center; gap: 2px; font-size: 13px;
  line-height: 1.2; min-height: 40px; }
/* a caption wider than its tile ends in "…" (its whole text is the tile's title): side by side, "airplane" and
   "automobile" ran into each other at 1024 px */
.pictures .tile { min-width: 0; }
.pictures .tile span { max-width: 100%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.pictures .tile img { width: 100%; aspect-ratio: 1; object-fit: cover; image-rendering: pixelated; }
.pictures .tile:hover { border-color: var(--st-border-color, #d6d6d9); }
.pictures .tile.current:hover { border-color: #ff4b4b; }
.patches { gap: 0; aspect-ratio: 1; max-width: 320px; width: 100%; margin: 0 auto; }
.patches .picture { position: absolute; inset: 0; width: 100%; height: 100%; image-rendering: pixelated; }
.patches .tile { position: relative; border: 1px solid rgba(255, 255, 255, 0.9); border-radius: 0; padding: 0;
  display: flex; align-items: center; justify-content: center; }
.patches .tile span { color: white; background: rgba(0, 0, 0, 0.45); font-weight: 700; font-size: 12px;
  padding: 0 3px; border-radius: 2px; }
.patches.dense .tile span { font-size: 10px; font-weight: 600; padding: 0 2px; background: rgba(0, 0, 0, 0.35); }
.patches .tile:hover { background: rgba(255, 255, 255, 0.2); }
.patches .tile.current { border: 3px solid #ff4b4b; }
"""

_PICKER = st.components.v2.component("gmlp_picker", html='<div class="picker" role="group"></div>', css=_CSS,
                                     js=_JS)


def data_url(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def png(pixels: np.ndarray) -> bytes:
    """An RGB uint8 picture (H, W, 3) as PNG bytes."""
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(pixels, dtype=np.uint8)).save(buffer, "PNG")
    return buffer.getvalue()


@st.cache_resource(show_spinner=False, max_entries=32)
def picture_url(pixels: np.ndarray) -> str:
    """A picture (H, W, 3) as a PNG data URL, encoded once per picture and shared: a click on a patch reruns its view
    with the same picture (a 224-px one took 5-7 ms to encode), and a class often looks at the same sample."""
    return data_url(png(pixels), "image/png")


def picture_tiles(thumbnails: list[bytes], captions: list[str], mime: str = "image/jpeg") -> list[dict]:
    """A gallery's choices: each picture with its caption under it (shown as text, never as HTML)."""
    if len(thumbnails) != len(captions):
        raise ValueError(f"picture_tiles: {len(thumbnails)} pictures but {len(captions)} captions")
    return [dict(src=data_url(data, mime), label=str(caption), title=str(caption))
            for data, caption in zip(thumbnails, captions)]


def patch_tiles(grid: int, hover_text: str) -> list[dict]:
    """A (grid x grid) picture's patches in reading order, each numbered; hover_text names a patch ("patch 5")."""
    return [dict(src=None, label=str(k), title=f"{hover_text} {k}") for k in range(grid * grid)]


def picked_index(value, count: int) -> int | None:
    """The choice a click or tap sent (the browser's word: anything may arrive), or None when it is not one of the
    count choices."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < count:
        return None
    return value


def _chosen(key: str, count: int, on_pick: Callable[[int], None]) -> None:
    index = picked_index(getattr(st.session_state.get(key), "picked", None), count)
    if index is not None:
        on_pick(index)


def pick(key: str, tiles: list[dict], columns: int, current: int | None, name: str,
         on_pick: Callable[[int], None], picture: str | None = None) -> None:
    """Draw the choices (columns a row; over `picture`, a data URL, when they are its patches), the current one
    framed; a click or tap on choice k calls on_pick(k) before the rerun it starts. name: what is chosen, for
    screen readers."""
    current = current if current is not None and 0 <= current < len(tiles) else None
    _PICKER(key=key, data=dict(tiles=tiles, columns=columns, current=current, name=name, picture=picture),
            on_picked_change=lambda: _chosen(key, len(tiles), on_pick))


def patch_picker(key: str, pixels: np.ndarray, patch_size: int, current: int | None, name: str, hover_text: str,
                 on_pick: Callable[[int], None]) -> None:
    """The picture (H, W, 3) at the model's size, its patches numbered in reading order; choosing patch k calls
    on_pick(k)."""
    grid = pixels.shape[0] // patch_size
    pick(key, patch_tiles(grid, hover_text), grid, current, name, on_pick, picture=picture_url(pixels))
