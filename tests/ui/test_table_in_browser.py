"""The hand-typed embedding table in a real browser: what a learner types is read as typed or refused by name."""

import re

import pytest
from playwright.sync_api import expect

from tests.test_e2e import app_url, browser_page  # noqa: F401  the module's server and browser

pytestmark = pytest.mark.e2e

ROW = 35  # the grid's row height (and its header's), in CSS pixels


def typed_into(page, row: int, column: int, text: str) -> None:
    """Type text into the table's cell (1-based row, 0 = the token column) as a learner does: select it, open its
    editor, replace what is there, Enter."""
    grid = page.get_by_test_id("stDataFrame").first
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 60, box["y"] + ROW * row + ROW // 2)
    for _ in range(column):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    editor = page.locator("textarea.gdg-input")  # the grid's cell editor
    editor.fill(text)
    editor.press("Enter")


def grid_cells(page):
    return page.get_by_test_id("stDataFrame").first.locator("[role=gridcell]")  # the grid's hidden text twin


def test_a_decimal_comma_is_kept_a_bad_number_is_named_and_an_added_row_is_blank(app_url, browser_page):  # noqa: F811
    page = browser_page
    page.goto(f"{app_url}/attention?lang=vi&embedding=table")
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("stMain").get_by_text("10 token: Hành")).to_be_visible(timeout=30_000)
    typed_into(page, 2, 1, "0,5")  # a numeric column made this 5
    expect(page).to_have_url(re.compile(r"table=H%C3%A0nh_0%2C43_0%2C15_0%2C89~tr%C3%ACnh_0%2C5_"),
                             timeout=30_000)
    expect(grid_cells(page).nth(5)).to_have_text("0,5", timeout=30_000)
    typed_into(page, 3, 2, "1e9")  # a numeric column made this 19
    alert = page.get_by_test_id("stAlert").filter(has_text="hàng 3, cột d2: '1e9' quá lớn")
    expect(alert).to_be_visible(timeout=30_000)
    typed_into(page, 3, 2, "0,9")
    expect(alert).to_have_count(0, timeout=30_000)
    page.get_by_test_id("stDataFrame").first.hover()
    page.get_by_role("button", name="Add row").click()
    page.keyboard.press("Escape")
    expect(grid_cells(page)).to_have_count(44, timeout=30_000)
    texts = grid_cells(page).all_inner_texts()
    assert texts[4:6] == ["trình", "0,5"] and texts[-4:] == ["", "", "", ""] and "None" not in texts
