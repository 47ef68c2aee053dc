"""The running app in a real headless browser: Debian's Chromium driven by Playwright."""

import contextlib
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from urllib.parse import urlparse
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from gmlp_core.formats.checkpoints import load_checkpoint
from gmlp_core.formats.images import load_image
from gmlp_core.analysis.inference import predict
from tests.helpers import ROOT

pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# What the server must never log while the browser tests use it: a traceback, or Streamlit's warning
# that a widget got both a default and a Session State value (the view state must not fight the widgets)
SERVER_LOG_PROBLEMS = ("Traceback", "was created with a default value but also had its value set")


@contextlib.contextmanager
def streamlit_server():
    """A fresh `streamlit run app.py` on a free port -> its URL; its log is checked when it stops."""
    port = free_port()
    log = tempfile.TemporaryFile()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        log.seek(0)
        pytest.fail("streamlit did not start: " + log.read().decode()[-2000:])
    try:
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:  # open websockets can hold a graceful stop
            server.kill()
            server.wait(timeout=20)
        log.seek(0)
        text = log.read().decode(errors="replace")
        log.close()
    problems = [p for p in SERVER_LOG_PROBLEMS if p in text]
    assert not problems, f"the server logged {problems}:\n{text[-4000:]}"


@pytest.fixture(scope="module")
def app_url():
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser_page():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        yield page
        browser.close()


def no_exception(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0


def test_every_page_renders_and_an_upload_is_classified(app_url, browser_page, tmp_path):
    page = browser_page
    page.goto(app_url)
    expect(page.get_by_text("The chosen model")).to_be_visible(timeout=60_000)
    expect(page.locator("[data-testid='stMetricValue']").first).to_be_visible(timeout=30_000)
    no_exception(page)

    page.goto(f"{app_url}/attention")
    expect(page.get_by_role("heading", name="Attention (text)")).to_be_visible(timeout=30_000)
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
    no_exception(page)

    page.goto(f"{app_url}/spatial-w")
    expect(page.get_by_role("heading", name="Spatial W (gMLP)")).to_be_visible(timeout=30_000)
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
    no_exception(page)

    page.goto(f"{app_url}/language-models")
    expect(page.get_by_role("heading", name="Language models (text)")).to_be_visible(timeout=30_000)
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
    no_exception(page)

    page.goto(f"{app_url}/patches")
    expect(page.get_by_role("heading", name="Patches & predictions (image)")).to_be_visible(timeout=30_000)
    main = page.get_by_test_id("stMain")
    main.get_by_test_id("stRadioGroup").get_by_text("Upload", exact=True).click()
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"not really a png")
    main.locator("input[type='file']").set_input_files(str(bad))
    expect(page.locator("[data-testid='stAlertContentError']")).to_contain_text("not an image", timeout=30_000)

    good = ROOT / "gmlp_core" / "ui" / "samples" / "ship_0000.jpg"
    model, info = load_checkpoint(ROOT / "checkpoints" / "s16.safetensors")
    expected = predict(model, info, load_image(good)).top[0][0]
    main.locator("input[type='file']").set_input_files(str(good))
    metric = page.locator("[data-testid='stMetricValue']")
    expect(metric).to_be_visible(timeout=30_000)
    assert metric.inner_text().strip() == expected
    no_exception(page)


def test_a_deep_link_on_a_fresh_server_opens_that_page_inside_the_app(browser_page):
    page = browser_page
    with streamlit_server() as url:
        page.goto(f"{url}/patches?lang=vi&sample=ship_0002")
        heading = page.get_by_role("heading", name="Patch & dự đoán (ảnh)")
        expect(heading).to_be_visible(timeout=60_000)
        nav = page.locator("[data-testid='stSidebarNav']")
        expect(nav.get_by_text("Ma trận W không gian (gMLP)")).to_be_visible(timeout=30_000)
        # the app's navigation (Home, then a title per page), not the pages/-folder listing of file names
        assert nav.get_by_role("link").count() == 1 + len(list((ROOT / "pages").glob("*.py")))
        expect(nav.get_by_role("link", name="Trang chủ")).to_be_visible()
        assert urlparse(page.url).path.rstrip("/").endswith("/patches")
        expect(page.locator("[data-testid='stMetricValue']")).to_be_visible(timeout=30_000)
        assert page.get_by_text("Page not found").count() == 0
        # the next run is an ordinary one: the language, the picture and the page hold
        page.get_by_test_id("stMain").get_by_test_id("stRadioGroup").get_by_text("Tải lên", exact=True).click()
        expect(page.get_by_test_id("stFileUploader").first).to_be_visible(timeout=30_000)
        expect(heading).to_be_visible()
        assert "lang=vi" in page.url and "sample=ship_0002" in page.url
        no_exception(page)


def test_no_request_leaves_the_machine(app_url, browser_page):
    page = browser_page
    outside = []
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")) else None)
    for path in ("", "/attention", "/language-models"):
        page.goto(f"{app_url}{path}")
        expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=60_000)
    page.wait_for_timeout(1500)
    assert outside == []


def test_a_shared_link_opens_the_same_view_in_a_fresh_browser(app_url, browser_page):
    context = browser_page.context.browser.new_context(viewport={"width": 1024, "height": 768})
    fresh = context.new_page()
    fresh.goto(f"{app_url}/attention?lang=vi&sentence=Hello%20class%20of%2030&causal=1")
    expect(fresh.get_by_role("heading", name="Attention (văn bản)")).to_be_visible(timeout=60_000)
    expect(fresh.get_by_label("Câu", exact=True)).to_have_value("Hello class of 30", timeout=30_000)
    expect(fresh.get_by_test_id("stMain").get_by_text("4 token: Hello · class · of · 30")).to_be_visible()
    context.close()


def test_typed_text_survives_a_visit_to_another_page(app_url, browser_page):
    page = browser_page
    page.goto(f"{app_url}/attention")
    sentence = page.get_by_label("Sentence", exact=True)
    expect(sentence).to_be_visible(timeout=60_000)
    sentence.fill("Teachers open tools that remember")
    sentence.press("Enter")
    expect(page.get_by_test_id("stMain").get_by_text("5 tokens: Teachers · open")).to_be_visible(timeout=30_000)
    nav = page.get_by_test_id("stSidebarNav")
    nav.get_by_text("Patches & predictions (image)").click()
    expect(page.get_by_role("heading", name="Patches & predictions (image)")).to_be_visible(timeout=30_000)
    nav.get_by_text("Attention (text)").click()
    expect(page.get_by_label("Sentence", exact=True)).to_have_value("Teachers open tools that remember",
                                                                    timeout=30_000)
    assert "sentence=Teachers" in page.url


def test_the_image_page_speaks_vietnamese_class_names(app_url, browser_page):
    page = browser_page
    page.goto(f"{app_url}/patches?lang=vi&sample=ship_0002")
    metric = page.get_by_test_id("stMetricValue")
    expect(metric).to_be_visible(timeout=60_000)
    vietnamese = {"máy bay", "ô tô", "chim", "mèo", "hươu", "chó", "ếch", "ngựa", "tàu thuỷ", "xe tải"}
    assert metric.inner_text().strip() in vietnamese


def pick_from_gallery(page, app_url: str, sample: str, tap: bool = False) -> None:
    """Open the Patches page on airplane_0000, open the gallery and click (or tap) `sample`'s picture; wait for its
    use."""
    page.goto(f"{app_url}/patches?sample=airplane_0000")
    expect(page.get_by_test_id("stMetricValue")).to_be_visible(timeout=60_000)
    page.get_by_text("Sample gallery: click or tap a picture to use it").click()
    pictures = page.locator(".st-key-sample_gallery .tile")
    expect(pictures).to_have_count(20, timeout=30_000)
    names = sorted(p.stem for p in (ROOT / "gmlp_core" / "ui" / "samples").glob("*.jpg"))
    picture = pictures.nth(names.index(sample))
    picture.scroll_into_view_if_needed()
    picture.tap() if tap else picture.click()  # at the picture's centre, once it stands still
    expect(page).to_have_url(re.compile(f"sample={sample}"), timeout=30_000)
    expect(pictures.nth(names.index(sample))).to_have_attribute("aria-pressed", "true", timeout=30_000)


def test_tapping_a_gallery_picture_on_a_phone_uses_it(app_url, browser_page):
    """Plotly's gallery answered a tap with the picture tapped before it (or nothing); its pictures are buttons now.
    (A mouse click on it: test_a_gallery_pick_shows_its_prediction_on_the_first_screen.)"""
    context = browser_page.context.browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                                       has_touch=True)
    page = context.new_page()
    page.goto(app_url)  # a fresh server's first visitor on a deep link meets Streamlit's "Page not found" once
    expect(page.get_by_test_id("stMetricValue").first).to_be_visible(timeout=60_000)
    pick_from_gallery(page, app_url, "ship_0002", tap=True)
    expect(page.get_by_test_id("stCaptionContainer").filter(has_text="ship")).not_to_have_count(0, timeout=30_000)
    no_exception(page)
    context.close()


def overlaps(a: dict | None, b: dict | None) -> bool:
    return bool(a and b) and a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and \
        a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


@pytest.mark.parametrize("view", ["spatial-w?checkpoint=s64.safetensors&lang=vi&w_view=attention",
                                  "spatial-w?checkpoint=s64.safetensors&lang=vi&w_view=training",
                                  "attention?sentence=Teachers%20open%20tools%20that%20remember%20every%20question"
                                  "%20a%20student%20asked%20in%20class%20tonight&lang=en"])
def test_heatmap_titles_clear_their_column_titles_on_a_phone(app_url, browser_page, view):
    """Many or long column labels turn upright on a phone; the column title above them must not run into the title."""
    context = browser_page.context.browser.new_context(viewport={"width": 390, "height": 844})
    phone = context.new_page()
    phone.goto(f"{app_url}/{view}")
    charts = phone.locator(".js-plotly-plot").filter(has=phone.locator(".gtitle")).filter(has=phone.locator(".xtitle"))
    expect(charts.first).to_be_visible(timeout=60_000)
    phone.wait_for_timeout(1500)
    clashes, count = [], charts.count()
    for i in range(count):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        if overlaps(chart.locator(".gtitle").bounding_box(), chart.locator(".xtitle").bounding_box()):
            clashes.append(chart.locator(".gtitle").text_content())
    context.close()
    assert count >= 2 and clashes == []


def test_a_class_opening_the_link_together_on_a_fresh_server_sees_no_traceback(browser_page):
    """8 first visits at once to a server that has run no page yet (the imports race the first runs)."""
    paths = ["", "attention", "patches", "spatial-w", "language-models", "attention", "patches", "spatial-w"]
    browser = browser_page.context.browser  # one Playwright per process: the module's browser
    with streamlit_server() as url:
        contexts = [browser.new_context(viewport={"width": 1024, "height": 768}) for _ in paths]
        pages = [context.new_page() for context in contexts]
        for page, path in zip(pages, paths):
            page.goto(f"{url}/{path}", wait_until="commit")
        for page in pages:
            expect(page.locator(".js-plotly-plot:visible, [data-testid='stMetricValue']:visible").first).to_be_visible(
                timeout=120_000)
            no_exception(page)
        for context in contexts:
            context.close()


def test_each_pages_link_opened_on_another_device_shows_a_chart_and_its_time_is_printed(app_url, browser_page):
    """On a running server (the teacher opened the app a few seconds before, which preloads every model), each page's
    link opened in a fresh 1024x768 browser shows a chart, with no exception; the times are printed. The 3 s target
    is measured by benchmarks/bench_first_chart.py (a timing, not a test: it differs 2x between machines)."""
    browser = browser_page.context.browser
    teacher = browser.new_context(viewport={"width": 1024, "height": 768})
    home = teacher.new_page()
    home.goto(app_url)
    expect(home.locator(".js-plotly-plot").first).to_be_visible(timeout=60_000)
    home.wait_for_timeout(5_000)
    teacher.close()
    seconds = {}
    for path in ("", "attention", "patches", "spatial-w", "language-models", "playground"):
        student = browser.new_context(viewport={"width": 1024, "height": 768})  # another device: nothing cached
        page = student.new_page()
        start = time.perf_counter()
        page.goto(f"{app_url}/{path}", wait_until="commit")
        expect(page.locator(".js-plotly-plot:visible").first).to_be_visible(timeout=30_000)
        seconds[path or "home"] = time.perf_counter() - start
        no_exception(page)
        student.close()
    print("first chart after opening the link: " + ", ".join(f"{p} {s:.2f} s" for p, s in seconds.items()))
    assert len(seconds) == 6
