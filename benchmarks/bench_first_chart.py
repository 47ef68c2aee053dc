"""How long a student waits for a page's first chart after opening its link, on a running server.

    python benchmarks/bench_first_chart.py [--repeats 3] [--proxy] [--mbps 10] [--phases] [--busy-core]

Starts `streamlit run app.py`, opens Home once as the teacher does (which starts the preload of every model)
and waits 5 s, then opens each page's link in a fresh 1024x768 browser context (another device: nothing
cached) and times it from the request to the first Plotly chart on screen. Prints each page's times beside
an empty page's (Home's first paint without a chart: the browser's own cost), the median, and whether the
3 s target is met, and the bytes a fresh browser fetched over HTTP for it (the page's scripts and styles; the
websocket's messages are not counted). Debian's Chromium, driven by Playwright.

--proxy: the browsers go through README.md's nginx configuration (read from there, in front of the one server), which
compresses what Streamlit sends uncompressed. --mbps N: each browser's link is N Mbit/s down and up with 20 ms of
latency (Chromium's network emulation), as on a classroom's Wi-Fi; a class shares one access point, so 30 students
opening the link together each get a fraction of it. --phases: where each page's wait goes, read in the browser
(milliseconds from its request): the sidebar drawn (Streamlit's own start), the first chart's frame (the app's chart
element in the page), the app's plotly.js downloaded, the first chart begun (plotly.js evaluated and drawing); its
observer costs the page a little time. --busy-core: another program keeps one of the machine's cores busy while the
pages are opened (bench_load's), as on a teacher's laptop that is never idle.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_load import busy_core, cpu_name, free_port, nginx, start_server  # noqa: E402

TARGET_S = 3.0
PAGES = ("", "attention", "patches", "spatial-w", "language-models", "playground")
CHROMIUM = "/usr/bin/chromium"


def seconds_to(page, url: str, selector: str) -> float:
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.locator(selector).first.wait_for(state="visible", timeout=120_000)
    return time.perf_counter() - start


def fresh_browser(browser, mbps: float | None):
    """A new browser context (another device: nothing cached) and its page, on a link of mbps Mbit/s (None: as
    fast as the machine: no DevTools session, which would slow the browser it measures)."""
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    if mbps:
        cdp = context.new_cdp_session(page)
        rate = mbps * 1e6 / 8
        cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 20, "downloadThroughput": rate,
                                                       "uploadThroughput": rate})
    return context, page


def bytes_received(page) -> int:
    """What came over HTTP so far (compressed when it was, headers included), from the page's Resource Timing."""
    return int(page.evaluate("""() => performance.getEntries()
        .filter(e => e.transferSize !== undefined).reduce((sum, e) => sum + e.transferSize, 0)"""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--proxy", action="store_true", help="through README.md's nginx (needs nginx on PATH)")
    parser.add_argument("--mbps", type=float, default=None, help="each browser's link, Mbit/s (default: unlimited)")
    parser.add_argument("--phases", action="store_true", help="where each page's wait goes (read in the browser)")
    parser.add_argument("--busy-core", action="store_true", help="keep one core busy with another program")
    args = parser.parse_args()
    print(f"CPU: {cpu_name()}; {'through nginx' if args.proxy else 'straight to Streamlit'}; "
          f"{f'{args.mbps:g} Mbit/s' if args.mbps else 'unlimited'} link; "
          f"{'one core kept busy' if args.busy_core else 'no other load'}")
    port = free_port()
    server = start_server(port, "false")
    try:
        with contextlib.ExitStack() as stack:
            if args.proxy:
                port = stack.enter_context(nginx([port]))[0]
            stack.enter_context(busy_core(args.busy_core))
            times, received, phases = visit_pages(f"http://127.0.0.1:{port}", args)
    finally:
        server.terminate()
        server.wait(timeout=30)
    reference = next(iter(times))
    for label, values in times.items():
        median = statistics.median(values)
        verdict = "" if label == reference else ("  met" if median <= TARGET_S else f"  over the {TARGET_S:.0f} s target")
        print(f"  {label:<30} median {median:5.2f} s   ({', '.join(f'{v:.2f}' for v in values)})   "
              f"{statistics.median(received[label]) / 1e6:.2f} MB{verdict}")
    if args.phases:
        print("  where the wait goes, ms from the request (median): sidebar / first chart's frame / "
              "plotly.js downloaded / first chart begun")
        for label, marks in phases.items():
            medians = [statistics.median(m[name] for m in marks) if all(m.get(name) for m in marks) else float("nan")
                       for name in PHASES]
            print(f"  {label:<30} " + " / ".join(f"{m:5.0f}" for m in medians))


PHASES = ("sidebar", "frame", "downloaded", "chart")
MARK_PHASES = """new MutationObserver(() => {
  const now = performance.now(), marks = window.__phases = window.__phases || {};
  const seen = (name, selector) => { if (!marks[name] && document.querySelector(selector)) marks[name] = now; };
  seen("sidebar", "[data-testid=stSidebarNav]");
  seen("frame", ".gmlp-chart");
  seen("chart", ".js-plotly-plot");
}).observe(document, {subtree: true, childList: true});"""


def phases_of(page) -> dict[str, float]:
    return page.evaluate("""() => {
      const plotly = performance.getEntriesByType("resource").find(e => e.name.includes("/_gmlp/plotly-"));
      return {...window.__phases, downloaded: plotly ? plotly.responseEnd : null}; }""")


def visit_pages(url: str, args) -> tuple[dict[str, list[float]], dict[str, list[int]], dict[str, list[dict]]]:
    """The teacher's visit (starts the preload), then each page's link in a fresh browser, args.repeats times ->
    (seconds to the first chart, bytes received, with --phases the browser's marks) by page, an empty page's
    sidebar first."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        teacher = browser.new_context(viewport={"width": 1024, "height": 768})
        seconds_to(teacher.new_page(), url, ".js-plotly-plot")
        time.sleep(5)
        teacher.close()
        visits = [("Home's sidebar (no chart)", "", "[data-testid='stSidebarNav']")] + [
            (path or "home", path, ".js-plotly-plot:visible") for path in PAGES]
        times: dict[str, list[float]] = {label: [] for label, _, _ in visits}
        received: dict[str, list[int]] = {label: [] for label, _, _ in visits}
        phases: dict[str, list[dict]] = {label: [] for label, path, _ in visits if path or label == "home"}
        for _ in range(args.repeats):
            for label, path, selector in visits:
                student, page = fresh_browser(browser, args.mbps)
                if args.phases:
                    page.add_init_script(MARK_PHASES)
                times[label].append(seconds_to(page, f"{url}/{path}", selector))
                received[label].append(bytes_received(page))
                if args.phases and label in phases:
                    phases[label].append(phases_of(page))
                student.close()
        browser.close()
    return times, received, phases


if __name__ == "__main__":
    main()
