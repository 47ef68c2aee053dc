"""The app's chart element: a Plotly figure drawn by plotly.js's cartesian bundle, which the app serves itself.

st.plotly_chart draws with Streamlit's own Plotly code, the full plotly.js (4.7 MB), which a fresh browser spent
1.4-1.7 s evaluating before any page's first chart could begin (benchmarks/bench_first_chart.py --phases). Every
chart the app draws (heatmaps, scatter lines, bars, pictures) is in plotly.js's cartesian bundle (1.4 MB, 0.46 s
to evaluate here: benchmarks/bench_plotly_bundles.py). The bundle (plotly.js 3.7.0, MIT licence beside it) is
served by the app at BUNDLE_PATH (app.py's st.App route, gzip-compressed once, cached by the browser), loaded once
per browser tab by the first chart, and each chart is a custom component (no iframe) that hands its figure to
Plotly.react.

Streamlit's chart element also themed each figure; theme.TEMPLATE writes that look into every figure instead. A
chart keeps Streamlit's width (its column), its
figure's height, a full-screen button, and the chart settings of the interface's language (sections.chart_config).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import orjson
import streamlit as st

from .touch import TAP_HOVER_JS


BUNDLE = Path(__file__).parent / "assets" / "plotly-cartesian-3.7.0.min.js"
BUNDLE_PATH = "/_gmlp/" + BUNDLE.name  # versioned by its name: a browser may keep it for good
_LOADER = """
const BUNDLE = %(bundle)s;

function plotly() {  // plotly.js, loaded once per browser tab by whichever asks first
  if (!window.__gmlpPlotly) {
    window.__gmlpPlotly = window.Plotly ? Promise.resolve(window.Plotly) : new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = BUNDLE;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => { window.__gmlpPlotly = null; script.remove(); reject(new Error("plotly.js")); };
      document.head.append(script);
    });
  }
  return window.__gmlpPlotly;
}
""" % {"bundle": json.dumps(BUNDLE_PATH)}

_JS = _LOADER + """
// One chart drawn per task, in the order they arrive (top first), the browser free to paint between them: a page
// of 20 charts shows its first as soon as it is drawn, not once all are (one task drew them all before).
const queue = window.__gmlpChartQueue || (window.__gmlpChartQueue = []);
const next = new MessageChannel();  // a task of its own, never throttled (a timer in a background tab is)
next.port1.onmessage = () => drawOne();

function draw(task) {
  queue.push(task);
  if (queue.length === 1) drawOne();
}

function drawOne() {
  if (!queue.length) return;
  plotly().then((Plotly) => {
    try { queue[0](Plotly); } finally { queue.shift(); next.port2.postMessage(0); }
  }, (error) => { queue.splice(0).forEach((task) => task(null)); });
}

// A map of square cells (its rows' axis anchored to the columns') in a column narrower than the figure is tall:
// Plotly centres the map in its plot area and leaves bands of white above and below it (120-220 px on a phone), so
// the figure gives up that height. Plotly's margins move with the height (a shorter map turns its column labels
// upright, and the taller top margin shrinks the map further), so a height counts only once drawn with the map as
// large as at the figure's own height: the whole band away, else the band less some room for the margins (a few
// draws, the first time only: the next figure of the same height at this width, a snapshot slider's step, is drawn
// at the height found). Not in full screen, where the map has the screen.
const square = (plot) => { const f = plot._fullLayout; return f && f.yaxis && f.yaxis.scaleanchor === "x" ? f : null; };
const side = (full) => Math.min(full.xaxis._length, full.yaxis._length);
const band = (full) => full._size.h - full.yaxis._length;
const kept = (full, largest) => side(full) >= 0.96 * largest - 1;  // the same map: Plotly's own ticks move it 4 px

async function fitted(box, plot, spec) {
  let full = square(plot);
  if (document.fullscreenElement === box || !full) return;
  const own = spec.layout.height, width = box.clientWidth, fit = box._fit;
  // each try drawn, then read; false once a newer figure came (it fits itself)
  const at = async (height) => {
    await box._plotly.relayout(plot, {height});
    full = plot._fullLayout;
    return box._spec === spec && document.fullscreenElement !== box;
  };
  if (fit && full.height === fit.height) {  // drawn at the height found before: kept if the map is as large
    if (kept(full, fit.side) && band(full) <= 2) return;
    if (!(await at(own))) return;
  }
  const largest = side(full);
  let best = full.height;
  // the whole band away first; when that shrinks the map, the band less 24, 48 or 96 px left for the margins
  for (const room of [0, 24, 48, 96]) {
    if (band(full) <= 2) break;
    const height = best - Math.floor(band(full)) + room;
    if (height >= best) break;
    if (!(await at(height))) return;
    if (kept(full, largest)) best = height; else if (!(await at(best))) return;
  }
  if (full.height !== best && !(await at(best))) return;
  if (!kept(full, largest)) { box._fit = null; await at(own); return; }  // Plotly settled otherwise: as it was
  box._fit = best < own ? {width, own, height: best, side: largest} : null;
}

function drawn(box, plot, spec) {  // the figure at its height for this width, then fitted to its map
  return box._plotly.react(plot, spec.data, layoutFor(box, spec), spec.config).then(() => fitted(box, plot, spec));
}

function layoutFor(box, spec) {
  const layout = {...spec.layout, autosize: true};
  delete layout.width;
  const fit = box._fit;
  if (fit && fit.width === box.clientWidth && fit.own === spec.layout.height) layout.height = fit.height;
  if (document.fullscreenElement === box) layout.height = window.innerHeight - 32;  // inside its 16-px padding
  return layout;
}

export default function ({ data, parentElement }) {
  const box = parentElement.querySelector(".gmlp-chart");
  const plot = box.querySelector(".plot");
  const text = typeof data === "string" ? data : new TextDecoder().decode(data);
  if (box._text === text) return;  // the same figure again (a rerun that changed something else)
  box._text = text;
  const spec = JSON.parse(text);
  box._spec = spec;
  const full = box.querySelector(".full");
  full.title = spec.fullscreen; full.setAttribute("aria-label", spec.fullscreen);
  if (!box._ready) {
    box._ready = true;
    full.addEventListener("click", () => {
      if (document.fullscreenElement === box) document.exitFullscreen(); else box.requestFullscreen?.();
    });
    const redraw = () => box._plotly && drawn(box, plot, box._spec).catch(() => {});
    box.addEventListener("fullscreenchange", redraw);
    let width = 0;
    new ResizeObserver(() => {  // the column's width changed (the sidebar, a rotated phone, full screen): drawn
      // again at the figure's own height, then fitted (not for a chart leaving the page or hidden: Plotly draws
      // only a displayed plot; a fitted chart's new height is no new width)
      if (box.clientWidth !== width && box._plotly && plot.data && plot.isConnected && plot.offsetParent) {
        width = box.clientWidth;
        redraw();
      }
    }).observe(box);
  }
  draw((Plotly) => {
    if (box._spec !== spec || !box.isConnected) return;  // a newer figure came, or the chart left the page
    if (!Plotly) { plot.textContent = spec.failed; return; }
    box._plotly = Plotly;
    drawn(box, plot, spec).catch(() => {});
  });
}
"""

_CSS = """
.gmlp-chart { position: relative; width: 100%; background: #ffffff; }
.gmlp-chart:fullscreen { padding: 16px; box-sizing: border-box; }
.gmlp-chart .full { position: absolute; top: 0; right: 0; z-index: 2; opacity: 0; border: 1px solid #d6d6d9;
  background: #ffffff; color: #31333f; border-radius: 4px; width: 28px; height: 28px; padding: 0; cursor: pointer;
  display: flex; align-items: center; justify-content: center; }
.gmlp-chart:hover .full, .gmlp-chart .full:focus-visible, .gmlp-chart:fullscreen .full { opacity: 1; }
@media (hover: none) { .gmlp-chart .full { display: none; } }
"""

# Material Design's "fullscreen" icon (Apache 2.0), drawn inline: no font on a classroom laptop had the ⛶ character
_FULL_SCREEN_ICON = ('<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path fill="currentColor" '
                     'd="M7 14H5v5h5v-2H7v-3zm-2-4h2V7h3V5H5v5zm12 7h-3v2h5v-5h-2v3zM14 5v2h3v3h2V5h-5z"/></svg>')
_CHART = st.components.v2.component(
    "gmlp_chart", html='<div class="gmlp-chart"><button type="button" class="full">' + _FULL_SCREEN_ICON +
                       '</button><div class="plot"></div></div>', css=_CSS, js=_JS,
    isolate_styles=False)  # in the page, not a shadow root: plotly.js styles its charts from the document's head


_CODE = st.components.v2.component(
    "gmlp_chart_code", html="<span hidden></span>",
    js=_LOADER + TAP_HOVER_JS + "\nexport default function () { plotly().catch(() => {}); installTapHover(); }\n")


def load_chart_code() -> None:
    """Start loading plotly.js as the sidebar appears, before the page's first chart asks for it, and install the
    tab's tap listener (touch.py); nothing to see, layout.STYLE hides its box. The browser fetches and evaluates
    plotly.js while the page is still on its way."""
    _CODE(key="chart_code")


def payload(figure, config: dict, words: dict) -> bytes:
    """What a chart sends its component: the figure as Plotly's JSON with the chart settings and the element's
    words (its full-screen button, the notice when plotly.js could not load); made once per figure and language
    for the shared figures (figure_cache), whose JSON form never changes. (The figure's dict already holds its
    arrays as Plotly's base64 typed arrays: orjson writes it as it is, 0.01 ms for a 16 x 16 map.)"""
    key = config.get("locale")
    made = getattr(figure, "_payloads", None)
    if made is not None and key in made:
        return made[key]
    sent = orjson.dumps(dict(figure.to_dict(), config=config, **words), option=orjson.OPT_SERIALIZE_NUMPY)
    if made is not None:
        made[key] = sent
    return sent


def plotly_chart(figure, key: str, config: dict, words: dict) -> None:
    """A Plotly figure across its column, drawn in the browser by the app's plotly.js."""
    _CHART(key=key, data=payload(figure, config, words), width="stretch")


def bundle_route():
    """The route that serves plotly.js's cartesian bundle (app.py's st.App): gzip-compressed once, when the client
    accepts it (Streamlit leaves its own scripts uncompressed), and cached by the browser for good."""
    from starlette.responses import Response
    from starlette.routing import Route

    body = BUNDLE.read_bytes()
    packed = gzip.compress(body, compresslevel=9, mtime=0)
    cache = {"Cache-Control": "public, max-age=31536000, immutable", "Vary": "Accept-Encoding"}

    async def serve(request) -> Response:
        if "gzip" in request.headers.get("accept-encoding", ""):
            return Response(packed, media_type="text/javascript", headers={**cache, "Content-Encoding": "gzip"})
        return Response(body, media_type="text/javascript", headers=cache)

    return Route(BUNDLE_PATH, serve, methods=["GET", "HEAD"])
