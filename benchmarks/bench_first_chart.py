"""How long a student waits for a page's first chart after opening its link, on a running server.

    python benchmarks/bench_first_chart.py [--repeats 3]

Starts `streamlit run app.py`, opens Home once as the teacher does (which starts the preload of every model)
and waits 5 s, then opens each page's link in a fresh 1024x768 browser context (another device: nothing
cached) and times it from the request to the first Plotly chart on screen. Prints each page's times beside
an empty page's (Home's first paint without a chart: the browser's own cost), the median, and whether the
3 s target is met. Debian's Chromium, driven by Playwright.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_load import cpu_name, free_port, start_server  # noqa: E402

TARGET_S = 3.0
PAGES = ("", "attention", "patches", "spatial-w", "language-models", "playground")
CHROMIUM = "/usr/bin/chromium"


def seconds_to(page, url: str, selector: str) -> float:
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.locator(selector).first.wait_for(state="visible", timeout=60_000)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"CPU: {cpu_name()}")
    port = free_port()
    server = start_server(port, "false")
    url = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            teacher = browser.new_context(viewport={"width": 1024, "height": 768})
            seconds_to(teacher.new_page(), url, ".js-plotly-plot")
            time.sleep(5)
            teacher.close()
            reference = "Home's sidebar (no chart)"
            visits = [(reference, "", "[data-testid='stSidebarNav']")] + [
                (path or "home", path, ".js-plotly-plot:visible") for path in PAGES]
            times: dict[str, list[float]] = {label: [] for label, _, _ in visits}
            for _ in range(args.repeats):
                for label, path, selector in visits:
                    student = browser.new_context(viewport={"width": 1024, "height": 768})
                    times[label].append(seconds_to(student.new_page(), f"{url}/{path}", selector))
                    student.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    for label, values in times.items():
        median = statistics.median(values)
        verdict = "" if label == reference else ("  met" if median <= TARGET_S else f"  over the {TARGET_S:.0f} s target")
        print(f"  {label:<30} median {median:5.2f} s   ({', '.join(f'{v:.2f}' for v in values)}){verdict}")


if __name__ == "__main__":
    main()
