"""Usable in the moment (#22): after a search on a phone, the results come first."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def _in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"]


def test_on_a_phone_the_first_result_is_visible_without_scrolling(browser, site):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        log_in(page, site, "cm@test.example")
        page.get_by_label("Category").select_option("shelters")
        page.get_by_label("Near (place or ZIP)").fill("60601")
        with page.expect_navigation():
            page.get_by_role("button", name="Search").click()
        count = page.locator("#results-count")
        expect(count).to_be_focused()
        first = page.locator("article.result").first
        assert _in_view(page, first.locator("h2"))  # its name
        assert _in_view(page, first.locator("a[href^='tel:']").first)  # a phone to call
        handoff = first.locator("dt", has_text="Warm hand-off")
        if handoff.count():
            assert _in_view(page, handoff)
        # the filters fold into one line that says what was searched
        summary = page.locator("details.filters-panel > summary")
        expect(summary).to_contain_text("Shelters")
        expect(summary).to_contain_text("60601")
        expect(page.get_by_label("Near (place or ZIP)")).to_be_hidden()
        summary.click()
        expect(page.get_by_label("Near (place or ZIP)")).to_be_visible()
    finally:
        context.close()


def test_a_refused_search_focuses_an_error_summary_that_links_to_the_field(page, site):
    log_in(page, site, "cm@test.example")
    page.get_by_label("Near (place or ZIP)").fill("Nowhereville Xyzzy")
    with page.expect_navigation():
        page.get_by_role("button", name="Search").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Near (place or ZIP)")).to_be_focused()
