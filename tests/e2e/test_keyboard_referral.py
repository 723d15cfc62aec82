"""The whole referral flow by keyboard only (#22): sign in, search, reach a result, open it,
record a warm hand-off referral; no mouse, and the focus visible at every stop."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from directory.referrals.models import Referral
from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e

FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName, id: el.id, text: (el.textContent || '').trim().slice(0, 80),
    href: el.getAttribute('href') || '',
    outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
  };
}"""


def tab_to(page, wanted, limit: int = 80) -> dict:
    """Press Tab until ``wanted(focus)`` holds; every element passed on the way shows a
    visible focus ring (an outline at least 2 px wide)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS)
        if focus is None:
            continue
        assert focus["outline"] != "none", focus
        assert focus["width"] >= 2, focus
        if wanted(focus):
            return focus
    raise AssertionError(f"not reached by {limit} Tabs")


def test_the_whole_referral_flow_by_keyboard(page, site):
    page.goto(f"{site}/login")
    tab_to(page, lambda f: f["id"] == "email")
    page.keyboard.type("cm@test.example")
    tab_to(page, lambda f: f["id"] == "password")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Find a referral")

    # search: the keyword field, then Enter; the result count takes focus
    tab_to(page, lambda f: f["id"] == "q")
    page.keyboard.type("Survivor case management")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#results-count")).to_be_focused()

    # the first result's name is the next link after the count
    first = page.locator("article.result h2 a").first
    href, name = first.get_attribute("href"), first.inner_text().strip()
    tab_to(page, lambda f: f["tag"] == "A" and f["href"] == href)
    expect(first).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(name)

    # open the referral form
    tab_to(page, lambda f: f["tag"] == "A" and f["text"] == "Refer a client")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(f"Refer to {name}")

    # fill it by keyboard: case code, hand-off by type-ahead, consent with Space
    tab_to(page, lambda f: f["id"] == "f-case_reference")
    page.keyboard.type("HT-2026-021")
    tab_to(page, lambda f: f["id"] == "f-handoff")
    page.keyboard.type("I called")  # type-ahead picks "I called the partner (warm call)"
    expect(page.locator("#f-handoff")).to_have_value("warm_call")
    tab_to(page, lambda f: f["id"] == "f-consent")
    page.keyboard.press("Space")
    expect(page.locator("#f-consent")).to_be_checked()
    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Record referral")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("Referral recorded")).to_be_visible()
    assert re.search(r"/referrals/\d+$", page.url)

    db.session.expire_all()
    referral = db.session.scalars(select(Referral)).one()
    assert (referral.case_reference, referral.handoff, referral.consent) == (
        "HT-2026-021",
        "warm_call",
        True,
    )
