"""Saved lists (#31) on a phone: save two services from a search to a new list, open the
list, move the second up, and find the print link, with no JavaScript needed by the forms."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def test_on_a_phone_save_two_results_to_a_new_list_and_reorder_it(browser, site):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        log_in(page, site, "cm@test.example")
        page.get_by_label("Category").select_option("shelters")
        with page.expect_navigation():
            page.get_by_role("button", name="Search").click()
        results = page.locator("article.result")
        assert results.count() >= 2
        names = [results.nth(i).locator("h2").inner_text() for i in range(2)]

        first = results.nth(0)
        first.locator("summary", has_text="Save to list").click()
        first.get_by_label("New list named").fill("Tuesday clinic")
        with page.expect_navigation():
            first.get_by_role("button", name="Save").click()
        expect(page.locator(".flash")).to_contain_text("Saved to “Tuesday clinic”")

        second = page.locator("article.result").nth(1)
        expect(second.locator("h2")).to_have_text(names[1])  # back on the same results
        second.locator("summary", has_text="Save to list").click()
        expect(second.get_by_label("Your list")).to_have_value(re.compile(r"\d+"))
        expect(second.get_by_label("Your list").locator("option:checked")).to_have_text(
            "Tuesday clinic"
        )
        with page.expect_navigation():
            second.get_by_role("button", name="Save").click()
        expect(page.locator(".flash")).to_contain_text("Saved to “Tuesday clinic”")

        page.get_by_role("navigation", name="Main").get_by_role("link", name="Lists").click()
        with page.expect_navigation():
            page.get_by_role("link", name="Tuesday clinic").click()
        headings = page.locator("#services article.result h3")
        expect(headings).to_have_text(names)
        with page.expect_navigation():
            page.get_by_role("button", name=f"Move up: {names[1]}").click()
        expect(page.locator("#services article.result h3")).to_have_text([names[1], names[0]])
        printing = page.get_by_role("link", name="Print (PDF)")
        expect(printing).to_be_visible()
        assert re.search(r"/sheets/directory\.pdf\?list=\d+$", printing.get_attribute("href"))
        # nothing on the list page is wider than the phone
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width
    finally:
        context.close()
