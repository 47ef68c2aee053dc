"""The charts as a class sees them: on a 1024x768 projector and a 390x844 phone (a real headless browser)."""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers.chart_layout import fit_problems, measure, problems
from tests.test_e2e import app_url, browser_page, no_exception, pick_from_gallery  # noqa: F401  its server, browser

pytestmark = pytest.mark.e2e

PROJECTOR = {"width": 1024, "height": 768}
PHONE = {"width": 390, "height": 844}
VIEWS = ["", "attention", "attention?variant=causal", "attention?variant=multi", "attention?variant=position",
         "attention?lang=vi", "attention?variant=position&lang=vi",  # a 10-token sentence in half-width maps
         "patches", "spatial-w", "spatial-w?checkpoint=s64.safetensors", "language-models",
         *[f"spatial-w?w_view={view}" for view in ("kernel", "picture")],  # small multiples (the others: heads')
         "spatial-w?checkpoint=s64.safetensors&w_view=picture"]


SETTLED = """() => {  // the page's script done (no running sign) and its chart count unchanged for 500 ms
    const count = document.querySelectorAll('.js-plotly-plot').length;
    const running = document.querySelector('[data-testid=stStatusWidgetRunningIcon]') !== null;
    const seen = window.__settled || (window.__settled = {count: -1, since: performance.now()});
    if (running || count !== seen.count) { seen.count = count; seen.since = performance.now(); return false; }
    return performance.now() - seen.since > 500;
}"""


def open_view(context, url: str):
    page = context.new_page()
    page.goto(url)
    expect(page.locator(".js-plotly-plot:visible").first).to_be_visible(timeout=60_000)
    page.wait_for_function(SETTLED, polling=100, timeout=30_000)  # the page's later charts
    return page


@pytest.mark.parametrize("viewport", [PROJECTOR, PHONE], ids=["projector", "phone"])
def test_no_chart_title_is_cut_and_no_tick_labels_overlap(app_url, browser_page, viewport):
    """Every page: titles inside their chart, tick labels apart on each axis, at least 12 px, not pale grey, the
    numbers in the cells apart (the Vietnamese sentence has ten tokens), every metric's value and name whole
    (Home's model card showed "s16-…", "1,64…" and "16 (…" five to a row on a projector, the language page
    "aMLP (gMLP + tiny atten…"), and every map of square cells fitted to its column: no band of white above and
    below it that it could lose (120-220 px on a phone before), and no smaller than at its figure's height."""
    touch = viewport is PHONE
    context = browser_page.context.browser.new_context(viewport=viewport, is_mobile=touch, has_touch=touch)
    found = {}
    for view in VIEWS:
        page = open_view(context, f"{app_url}/{view}")
        charts = measure(page)
        assert charts, view
        found[view or "home"] = problems(charts) + metrics_cut(page) + pale_captions(page) + fit_problems(page)
        page.close()
    context.close()
    assert {view: p for view, p in found.items() if p} == {}


def metrics_cut(page) -> list[str]:
    """The metrics' values and names that show cut (Streamlit ends them in "…" when their column is too narrow)."""
    return [f"metric {text!r} cut to {shown} of {whole} px" for text, shown, whole in page.evaluate("""() =>
        Array.from(document.querySelectorAll('[data-testid=stMetricValue] *, [data-testid=stMetricLabel] *'))
        .filter(e => getComputedStyle(e).overflowX !== 'visible')
        .map(e => [e.textContent, e.clientWidth, e.scrollWidth])""") if whole > shown + 1]


def pale_captions(page) -> list[str]:
    """Captions whose text, with every opacity above it, reads below 4.5:1 on the white page (WCAG AA)."""
    return [f"caption {text[:40]!r} at {ratio:.1f}:1" for text, ratio in page.evaluate("""() =>
        Array.from(document.querySelectorAll('[data-testid=stCaptionContainer] p')).map(p => {
            let alpha = 1;
            for (let e = p; e; e = e.parentElement) alpha *= parseFloat(getComputedStyle(e).opacity);
            const [r, g, b] = getComputedStyle(p).color.match(/\\d+/g).map(Number)
                .map(c => (255 - (255 - c) * alpha) / 255).map(c => c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
            return [p.textContent, 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)];
        })""") if ratio < 4.5]


def main_scroll(page) -> float:
    return page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTop")


def axis_ranges(chart) -> list:
    return chart.evaluate("c => [c._fullLayout.xaxis.range.slice(), c._fullLayout.yaxis.range.slice()]")


def swipe(page, x: float, y: float, up: float) -> None:
    """A thumb sliding up the screen by `up` px, as the touch screen reports it (CDP touch events)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 11):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y - up * step / 10}]})
        page.wait_for_timeout(16)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def test_a_thumb_swiping_over_a_chart_scrolls_the_page_on_a_phone(app_url, browser_page):
    """A touch swipe that starts on a heatmap moves the page (Streamlit's main area scrolls inside its own
    container) and leaves the chart's axes as they were: no drag-zoom, no pan, no 'Double-click to zoom back out'."""
    context = browser_page.context.browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = open_view(context, f"{app_url}/attention")
    chart = page.locator(".js-plotly-plot:visible").filter(has=page.locator(".xtick")).first
    chart.scroll_into_view_if_needed()
    before_ranges, before_scroll = axis_ranges(chart), main_scroll(page)
    box = chart.locator(".nsewdrag").first.bounding_box()
    swipe(page, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, 150)
    page.wait_for_timeout(800)
    scrolled = main_scroll(page) - before_scroll
    after_ranges = axis_ranges(chart)
    notices = page.locator(".notifier-note").count()
    context.close()
    assert scrolled > 100 and after_ranges == before_ranges and notices == 0


def test_a_tap_on_a_chart_shows_its_hover_label_on_a_phone_and_a_tap_elsewhere_hides_it(app_url, browser_page):
    """Touches pass through the charts to the page (so a thumb scrolls), and Plotly's hover never heard a tap: a
    phone could not read a cell's numbers or the language page's top-5 guesses."""
    context = browser_page.context.browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = open_view(context, f"{app_url}/attention")
    chart = page.locator(".js-plotly-plot:visible").filter(has=page.locator(".xtick")).first
    chart.scroll_into_view_if_needed()
    box = chart.locator(".nsewdrag").first.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.6)
    label = chart.locator(".hoverlayer .hovertext")
    expect(label).to_have_count(1, timeout=10_000)
    expect(label).to_contain_text("query token")
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] - 60)  # above the map
    expect(label).to_have_count(0, timeout=10_000)
    context.close()


def patch_tile(page, patch: int):
    """Patch `patch` of the picture view's picker, on screen."""
    tile = page.locator(".st-key-query_picker .tile").nth(patch)
    tile.scroll_into_view_if_needed()
    return tile


def test_a_thumb_sliding_over_the_patch_picker_scrolls_the_page_and_chooses_nothing(app_url, browser_page):
    """The picker's patches are buttons: a thumb that starts on one scrolls the page, and a swipe is no tap."""
    context = browser_page.context.browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = open_view(context, f"{app_url}/spatial-w?w_view=picture&token=8")
    box = patch_tile(page, 13).bounding_box()
    before = main_scroll(page)
    swipe(page, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, 150)
    page.wait_for_timeout(1500)
    scrolled, chosen = main_scroll(page) - before, re.search(r"token=(\d+)", page.url).group(1)
    context.close()
    assert scrolled > 100 and chosen == "8"


def test_a_tap_on_a_patch_of_the_picture_chooses_that_patch_on_a_touch_screen(app_url, browser_page):
    """Plotly's picture answered a tap with the patch tapped before it (in Chromium's touch emulation: 5, 15, 0
    chose 8, 8, 5), so a phone could only choose in the list; the picker's patches now answer a tap themselves."""
    context = browser_page.context.browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = open_view(context, f"{app_url}/spatial-w?w_view=picture&token=8")
    for patch in (5, 15, 0):
        patch_tile(page, patch).tap()  # a touch at the patch's centre, once it stands still
        expect(page).to_have_url(re.compile(rf"token={patch}\b"), timeout=30_000)
        expect(page.locator(".st-key-query_picker .tile.current")).to_have_text(str(patch), timeout=30_000)
    no_exception(page)
    context.close()


def mouse_zoom(page, chart) -> None:
    """Drag a box with the mouse from a chart's top-left corner to its middle."""
    box = chart.locator(".nsewdrag").first.bounding_box()
    page.mouse.move(box["x"] + 10, box["y"] + 10)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=8)
    page.mouse.up()
    page.wait_for_timeout(800)


def test_a_mouse_still_zooms_a_chart(app_url, browser_page):
    context = browser_page.context.browser.new_context(viewport=PROJECTOR)
    page = open_view(context, f"{app_url}/attention")
    chart = page.locator(".js-plotly-plot:visible").filter(has=page.locator(".xtick")).first
    before = axis_ranges(chart)
    mouse_zoom(page, chart)
    after = axis_ranges(chart)
    context.close()
    assert after != before


def test_plotlys_zoom_notice_speaks_vietnamese(app_url, browser_page):
    context = browser_page.context.browser.new_context(viewport=PROJECTOR)
    page = open_view(context, f"{app_url}/attention?lang=vi")
    mouse_zoom(page, page.locator(".js-plotly-plot:visible").filter(has=page.locator(".xtick")).first)
    notices = [note.inner_text() for note in page.locator(".notifier-note").all()]
    context.close()
    assert len(notices) == 1 and "Nhấp đúp để thu về như cũ" in notices[0]


def test_a_gallery_pick_shows_its_prediction_on_the_first_screen(app_url, browser_page):
    """On a projector the prediction stays on screen beside the gallery (it was ~1,650 px down), no caption runs
    out of its tile into the next ("airplaneautomobile"), and the top-5 scale shows 0, 50 and 100 %."""
    context = browser_page.context.browser.new_context(viewport=PROJECTOR)
    page = context.new_page()
    pick_from_gallery(page, app_url, "frog_0002")
    expect(page.get_by_test_id("stCaptionContainer").filter(has_text="frog")).not_to_have_count(0, timeout=30_000)
    metric = page.get_by_test_id("stMetricValue").bounding_box()  # where the screen shows it, as scrolled
    top5 = next(chart for chart in measure(page) if chart["title"].startswith("Top-5"))
    overflowing = page.locator(".st-key-sample_gallery .tile").evaluate_all("""tiles => tiles.filter(tile =>
        tile.querySelector('span').getBoundingClientRect().right > tile.getBoundingClientRect().right + 0.5)
        .map(tile => tile.textContent)""")  # (a locator: the gallery's tiles are in its shadow root)
    no_exception(page)
    context.close()
    assert 0 <= metric["y"] and metric["y"] + metric["height"] <= PROJECTOR["height"]
    assert overflowing == []
    # the probability scale reads to 100 % (Plotly hid its "100%", which crossed the figure's edge: 0 % and 50 %)
    assert [t["text"] for t in top5["axes"]["xaxislayer-above"]] == ["0%", "50%", "100%"]


def test_a_click_on_a_patch_chooses_the_query_patch_the_link_box_follows_and_a_trip_to_another_page_keeps_it(
        app_url, browser_page):
    context = browser_page.context.browser.new_context(viewport=PROJECTOR)
    page = open_view(context, f"{app_url}/spatial-w?w_view=picture&token=1")
    patch_tile(page, 5).click()  # s16 has no [CLS]: patch 5 is token 5
    expect(page).to_have_url(re.compile(r"token=5\b"), timeout=30_000)
    expect(page.locator(".st-key-query_picker .tile.current")).to_have_text("5", timeout=30_000)
    patch_tile(page, 14).press("Enter")  # the keyboard reaches every patch too
    expect(page).to_have_url(re.compile(r"token=14\b"), timeout=30_000)
    expect(page.locator(".st-key-query_picker .tile.current")).to_have_text("14", timeout=30_000)
    expect(page.locator(".st-key-query_picker .tile").nth(14)).to_be_focused()  # the rerun kept the keyboard's place
    # to another page and back: the view and its patch are still there (a change inside the view's fragment
    # once lost both: the page came back on its first view)
    nav = page.get_by_test_id("stSidebarNav")
    nav.get_by_text("Patches & predictions (image)").click()
    expect(page.get_by_test_id("stMetricValue")).to_be_visible(timeout=30_000)
    nav.get_by_text("Spatial W (gMLP)").click()
    expect(page.locator(".st-key-query_picker .tile.current")).to_have_text("14", timeout=30_000)
    expect(page).to_have_url(re.compile(r"w_view=picture\b.*token=14\b|token=14\b.*w_view=picture\b"))
    # the patch reruns its section alone; the sidebar's link box, drawn by the whole page, showed the patch from
    # before (and its QR code pointed there) until something else changed
    page.get_by_test_id("stSidebar").get_by_text("Link to this view").click()
    link = page.get_by_test_id("stSidebar").get_by_test_id("stCode")
    expect(link).to_contain_text("token=14", timeout=30_000)
    patch_tile(page, 9).click()
    expect(link).to_contain_text("token=9", timeout=30_000)
    # and stays open in the other language (its title changes: the browser took it for another, closed box)
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name="Tiếng Việt").click()
    expect(link).to_contain_text("lang=vi", timeout=30_000)
    no_exception(page)
    context.close()


def test_every_choice_is_a_finger_wide_target_on_a_phone(app_url, browser_page):
    """Radio buttons, toggles and checkboxes at least 40 px tall (they were 21-22 px)."""
    context = browser_page.context.browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    heights = {}
    for view in ("attention?variant=trainable", "spatial-w?w_view=picture"):
        page = open_view(context, f"{app_url}/{view}")
        for label in page.locator("[data-testid='stRadio'] label, [data-testid='stCheckbox'] label").all():
            box = label.bounding_box()
            if box and box["width"] > 0:
                heights[f"{view}: {label.inner_text().strip()}"] = box["height"]
        page.close()
    context.close()
    assert len(heights) >= 6 and {name: h for name, h in heights.items() if h < 40} == {}


def test_a_phone_in_dark_mode_gets_the_light_page_the_chart_text_is_drawn_for(app_url, browser_page):
    """Tick labels are drawn in Streamlit's dark text colour: a page following a dark system setting hid them."""
    context = browser_page.context.browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                                       color_scheme="dark")
    page = open_view(context, f"{app_url}/attention")
    background, tick = page.evaluate("() => [getComputedStyle(document.querySelector('[data-testid=stApp]'))"
                                     ".backgroundColor, getComputedStyle(document.querySelector('g.xtick > text')).fill]")
    context.close()
    assert (background, tick) == ("rgb(255, 255, 255)", "rgb(49, 51, 63)")


def test_charts_draw_with_the_apps_plotly_js_loaded_once_and_follow_their_column(app_url, browser_page):
    """The charts' code is the app's plotly.js (cartesian bundle), fetched once per browser and kept across pages;
    Streamlit's own Plotly chunk (the full plotly.js, 1.4-1.7 s to evaluate) is never fetched. A chart widens with
    its column when the sidebar closes, charts leave the page without an error when the view changes, and the
    full-screen button (in the interface's language) fills the screen, all of the chart on it."""
    context = browser_page.context.browser.new_context(viewport=PROJECTOR)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{app_url}/attention?lang=vi")
    expect(page.locator(".js-plotly-plot:visible").first).to_be_visible(timeout=60_000)
    page.get_by_test_id("stSidebarNav").locator("a[href$='spatial-w']").click()
    expect(page).to_have_url(re.compile("spatial-w"), timeout=30_000)
    page.wait_for_function(SETTLED, polling=100, timeout=60_000)
    page.get_by_test_id("stButtonGroup").first.locator("button").nth(1).click()  # another view: its charts go
    expect(page).to_have_url(re.compile("w_view=kernel"), timeout=30_000)
    page.wait_for_function(SETTLED, polling=100, timeout=60_000)
    assert errors == []
    fetched = page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
    assert sum("/_gmlp/plotly-cartesian" in name for name in fetched) == 1
    assert not [name for name in fetched if "/PlotlyChart." in name]
    chart = page.locator(".gmlp-chart:visible").first
    narrow = chart.bounding_box()["width"]
    page.get_by_test_id("stSidebar").hover()  # its close button shows under the pointer
    page.get_by_test_id("stSidebarCollapseButton").locator("button").click()
    expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "true", timeout=10_000)
    page.wait_for_function("w => document.querySelector('.gmlp-chart .main-svg').getBoundingClientRect().width > w",
                           arg=narrow + 100, timeout=10_000)
    chart.hover()
    chart.get_by_role("button", name="Toàn màn hình").click()
    page.wait_for_function("() => document.fullscreenElement?.classList.contains('gmlp-chart')", timeout=10_000)
    page.wait_for_function("""() => { const chart = document.fullscreenElement.querySelector('.main-svg')
        .getBoundingClientRect(); return chart.height > 700 && chart.bottom <= window.innerHeight; }""", timeout=10_000)
    context.close()
    assert errors == []
