"""A tap on a chart shows its hover label on a touch screen.

Touches pass through Plotly's drag layer to the page (layout.STYLE), so a thumb on a chart scrolls instead of
zooming; Plotly's hover, which listens on that layer, then never heard a tap, and a phone could not read a cell's
numbers or the language page's top-5 guesses. A listener on the page, installed once per browser tab, turns a tap
(a touch that neither moved nor lasted) on a chart into the pointer move Plotly's hover listens for, and a tap
anywhere else into its end. charts.load_chart_code installs it, with the charts' code, at the top of every run.
"""

TAP_HOVER_JS = """
function installTapHover() {
  if (window.__gmlpTapHover) return;  // one listener for the tab: it is asked for on every run of every page
  window.__gmlpTapHover = true;
  let start = null, shown = null;
  const layerAt = (x, y) => {
    const plot = document.elementFromPoint(x, y)?.closest(".js-plotly-plot");
    return plot && [...plot.querySelectorAll(".nsewdrag")].find((layer) => {
      const r = layer.getBoundingClientRect();
      return x >= r.left && x <= r.right && y >= r.top && y <= r.bottom;
    });
  };
  document.addEventListener("touchstart", (event) => {
    const touch = event.touches[0];
    start = event.touches.length === 1 ? {x: touch.clientX, y: touch.clientY, at: event.timeStamp} : null;
  }, {passive: true, capture: true});
  document.addEventListener("touchend", (event) => {
    const touch = event.changedTouches[0];
    const tap = start && Math.hypot(touch.clientX - start.x, touch.clientY - start.y) < 10 &&
                event.timeStamp - start.at < 600;
    start = null;
    if (!tap) return;
    const layer = layerAt(touch.clientX, touch.clientY);
    if (shown && shown !== layer && shown.isConnected) {
      shown.dispatchEvent(new MouseEvent("mouseout", {bubbles: true, clientX: touch.clientX, clientY: touch.clientY}));
    }
    shown = layer || null;
    if (layer) {
      layer.dispatchEvent(new MouseEvent("mousemove", {bubbles: true, clientX: touch.clientX, clientY: touch.clientY}));
    }
  }, {passive: true, capture: true});
}
"""
