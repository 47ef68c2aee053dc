"""What a fresh browser spends on plotly.js before its first chart, for the full bundle and lighter ones.

    python benchmarks/bench_plotly_bundles.py [--repeats 5] [BUNDLE.js ...]

Every page's first chart waits for Streamlit's Plotly chunk (the full plotly.js, 4.7 MB): this loads each bundle in a
fresh Chromium context (nothing cached), from memory (no network), and times its load and evaluation, then one
40 x 40 heatmap drawn with it. Without arguments it measures the full bundle plotly.py ships; give more files to
compare, e.g. plotly.js's cartesian bundle (scatter, bar, heatmap, image: everything the app draws), fetched once with

    npm pack plotly.js-cartesian-dist-min@3 && tar xzf plotly.js-cartesian-dist-min-*.tgz
    python benchmarks/bench_plotly_bundles.py package/plotly-cartesian.min.js
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import plotly
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_load import cpu_name  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
FULL = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
PAGE = "<html><body><div id='chart' style='width: 600px'></div></body></html>"
TIMED = """async () => {
    const start = performance.now();
    await new Promise((loaded, failed) => {
        const script = document.createElement('script');
        script.src = 'http://bundle.test/plotly.js'; script.onload = loaded; script.onerror = failed;
        document.head.appendChild(script);
    });
    const evaluated = performance.now();
    const z = Array.from({length: 40}, (_, i) => Array.from({length: 40}, (_, j) => Math.sin(i * j)));
    await Plotly.newPlot('chart', [{type: 'heatmap', z}], {height: 400});
    return [evaluated - start, performance.now() - evaluated];
}"""


def timed(browser, source: str) -> tuple[float, float]:
    """(load and evaluation, first heatmap) in ms, in a fresh context."""
    context = browser.new_context()
    page = context.new_page()
    page.route("http://bundle.test/", lambda route: route.fulfill(body=PAGE, content_type="text/html"))
    page.route("http://bundle.test/plotly.js",
               lambda route: route.fulfill(body=source, content_type="application/javascript"))
    page.goto("http://bundle.test/")
    result = page.evaluate(TIMED)
    context.close()
    return result[0], result[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bundles", nargs="*", type=Path, help="more plotly.js bundles to compare with the full one")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"CPU: {cpu_name()}")
    sources = {path: path.read_text(encoding="utf-8") for path in [FULL, *args.bundles]}
    times: dict[Path, list[tuple[float, float]]] = {path: [] for path in sources}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for _ in range(args.repeats):  # alternating, so a slower minute of the machine hits every bundle alike
            for path, source in sources.items():
                times[path].append(timed(browser, source))
        browser.close()
    for path, values in times.items():
        print(f"  {path.name:<28} {len(sources[path]) / 1e6:5.2f} MB   load and evaluation median "
              f"{statistics.median(v[0] for v in values):6.0f} ms   first heatmap {statistics.median(v[1] for v in values):5.0f} ms")


if __name__ == "__main__":
    main()
