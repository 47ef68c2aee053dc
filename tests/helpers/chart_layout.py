"""What a reader sees of the app's Plotly charts in a browser: clipped titles, tick labels on top of each other,
small or pale tick text, a chart wider than its column, a colour bar with one number, measured from the rendered SVG
(Playwright); and a map of square cells fitted to its column badly (fit_problems)."""

from __future__ import annotations

MIN_TICK_PX = 12
PALE = "rgb(128, 132, 149)"  # Streamlit's #808495, 3.7:1 on white: too pale for a projector

# Per chart: its title texts (chart title, axis titles, colour-bar title) with their boxes and the box of the
# chart's svg, per axis (the layer that holds its ticks) the boxes, sizes and colours of its tick labels, and the
# boxes of the numbers printed in a heatmap's cells.
MEASURE_JS = """
() => [...document.querySelectorAll('.js-plotly-plot')].filter(c => c.getBoundingClientRect().width > 0)
  .map(chart => {
    const svg = chart.querySelector('svg.main-svg').getBoundingClientRect();
    const box = r => ({x: r.x, y: r.y, width: r.width, height: r.height});
    const titles = [...chart.querySelectorAll('.gtitle, .g-xtitle text, .g-ytitle text, .cbtitle text')]
      .filter(t => t.textContent.trim()).map(t => ({text: t.textContent, box: box(t.getBoundingClientRect())}));
    const axes = {};
    chart.querySelectorAll('g.xtick > text, g.ytick > text').forEach(t => {
      if (!t.textContent.trim() || t.getBoundingClientRect().width === 0) return;
      const layer = t.parentElement.parentElement;
      const name = (layer.closest('.colorbar') ? 'colorbar ' : '') + layer.getAttribute('class');
      const style = getComputedStyle(t);
      (axes[name] = axes[name] || []).push({text: t.textContent, box: box(t.getBoundingClientRect()),
                                            size: parseFloat(style.fontSize), fill: style.fill});
    });
    const cells = [...chart.querySelectorAll('g.heatmap-label > text')].filter(t => t.textContent.trim())
      .map(t => ({text: t.textContent, box: box(t.getBoundingClientRect())}));
    const heading = chart.querySelector('.gtitle');
    return {title: heading ? heading.textContent : '', svg: box(svg), frame: box(chart.getBoundingClientRect()),
            titles, axes, cells};
  })
"""


CELL_GAP_PX = 3


def overlap(a: dict, b: dict, slack: float = 1.0) -> bool:
    """Two boxes share more than `slack` px in both directions (touching edges are fine)."""
    return min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"]) > slack and \
        min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"]) > slack


def inside(inner: dict, outer: dict, slack: float = 1.0) -> bool:
    return inner["x"] >= outer["x"] - slack and inner["y"] >= outer["y"] - slack and \
        inner["x"] + inner["width"] <= outer["x"] + outer["width"] + slack and \
        inner["y"] + inner["height"] <= outer["y"] + outer["height"] + slack


def problems(charts: list[dict]) -> list[str]:
    """Every clipped title, title over a tick label, overlapping pair of tick labels or cell numbers, and small or
    pale tick label of the measured charts."""
    found = []
    for chart in charts:
        name = chart["title"] or "(untitled chart)"
        if chart["svg"]["width"] > chart["frame"]["width"] + 1:  # Streamlit draws a chart at least 150 px wide
            found.append(f"{name}: drawn {chart['svg']['width']:.0f} px wide in a {chart['frame']['width']:.0f} px "
                         "column, its right part cut off")
        for axis, labels in chart["axes"].items():
            if axis.startswith("colorbar") and len(labels) < 2:
                found.append(f"{name}: its colour bar reads only {[t['text'] for t in labels]}")
        found += [f"{name}: title {t['text']!r} cut by the chart's edge" for t in chart["titles"]
                  if not inside(t["box"], chart["svg"])]
        for axis, labels in chart["axes"].items():
            found += [f"{name} / {axis}: {a['text']!r} over {b['text']!r}"
                      for i, a in enumerate(labels) for b in labels[i + 1:] if overlap(a["box"], b["box"])]
            found += [f"{name} / {axis}: {t['text']!r} at {t['size']} px" for t in labels if t["size"] < MIN_TICK_PX]
            found += [f"{name} / {axis}: {t['text']!r} in pale {PALE}" for t in labels if t["fill"] == PALE]
        ticks = [t for labels in chart["axes"].values() for t in labels]
        found += [f"{name}: title {t['text']!r} over tick label {k['text']!r}" for t in chart["titles"] for k in ticks
                  if overlap(t["box"], k["box"])]
        cells = chart["cells"]
        # numbers in neighbouring cells at least CELL_GAP_PX apart: touching, "-0.13-0.67" read as one number
        found += [f"{name}: cell number {a['text']!r} against {b['text']!r}"
                  for i, a in enumerate(cells) for b in cells[i + 1:] if overlap(a["box"], b["box"], -CELL_GAP_PX)]
    return found


def measure(page) -> list[dict]:
    return page.evaluate(MEASURE_JS)


EMPTY_PX = 8  # a square-celled map's plot area left empty above and below it: a phone scrolled past white bands

# Per map of square cells (its rows' axis anchored to the columns'), drawn again at other heights and put back:
# its height, map side and empty band as the page left them; the side at the figure's own height (as sent); and
# the shortest height, if any, that leaves it less band and keeps its map (98 % of it): the whole band away, or
# the band less 24 or 48 px for Plotly's margins, which grow as a map gets shorter.
FIT_JS = """
async () => {
  const out = [];
  for (const chart of document.querySelectorAll('.js-plotly-plot')) {
    const full = chart._fullLayout, box = chart.closest('.gmlp-chart');
    if (!full || !full.yaxis || full.yaxis.scaleanchor !== 'x' || !box || !chart.offsetParent) continue;
    const read = () => { const f = chart._fullLayout;
      return {height: f.height, side: Math.min(f.xaxis._length, f.yaxis._length), band: f._size.h - f.yaxis._length}; };
    const left = read();
    await window.Plotly.relayout(chart, {height: box._spec.layout.height});
    const own = read();
    let cut = null;  // the shortest of these heights that keeps the map, if any is more than EMPTY_PX shorter
    for (const room of [0, 24, 48]) {
      const height = left.height - Math.floor(left.band) + room;
      if (height > left.height - %(empty)d) break;
      await window.Plotly.relayout(chart, {height});
      const tried = read();
      if (tried.side >= 0.98 * left.side) { cut = tried; break; }
    }
    await window.Plotly.relayout(chart, {height: left.height});
    const heading = chart.querySelector('.gtitle');
    out.push({title: heading ? heading.textContent : '', left, own, cut});
  }
  return out;
}
""" % {"empty": EMPTY_PX}


def fit_problems(page) -> list[str]:
    """The fitted maps' faults: a map smaller than at its figure's own height (Plotly's margins move with the
    height: a fit that took the whole band away shrank maps by 8-33 %), or a band over EMPTY_PX that the map could
    lose and keep its size."""
    found = []
    for chart in page.evaluate(FIT_JS):
        name, left, own, cut = chart["title"] or "(untitled chart)", chart["left"], chart["own"], chart["cut"]
        # (Plotly draws one map 4 px apart at nearby heights, with one tick more or less: the page's fit keeps a
        # map within 4 %; here a map 5 % smaller is shrunk, and a band is one to lose if the map keeps 98 % without)
        if left["side"] < 0.95 * own["side"] - 1:
            found.append(f"{name}: map {left['side']:.0f} px across, {own['side']:.0f} px at its figure's height")
        if left["band"] > EMPTY_PX and cut is not None:
            found.append(f"{name}: {left['band']:.0f} px of its plot area empty above and below its map; at "
                         f"{cut['height']:.0f} px instead of {left['height']:.0f} its map keeps its size")
    return found
