"""A case manager and a coordinator in a real browser."""

from __future__ import annotations

import pytest
from babel.dates import format_date
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from directory.models import Service
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_case_manager_finds_a_spanish_speaking_shelter_nearby(page, site):
    log_in(page, site, "cm@test.example")
    page.get_by_label("Category").select_option("shelters")
    page.get_by_label("Language").select_option("es")
    page.get_by_label("Near (place or ZIP)").fill("60601")
    page.get_by_label("Within").select_option("50")
    with page.expect_navigation():
        page.get_by_role("button", name="Search").click()
    assert "category=shelters" in page.url
    assert "language=es" in page.url
    results = page.locator("article.result")
    assert results.count() >= 3
    assert "km" in results.first.inner_text()
    # a confidential shelter shows its phone and town, never its street address
    confidential = [
        results.nth(i).inner_text()
        for i in range(results.count())
        if "Confidential location" in results.nth(i).inner_text()
    ]
    assert confidential
    assert all("Demo Avenue" not in card and "+1 " in card for card in confidential)
    assert page.locator("a[href^='tel:+1']").count() >= 3
    results.first.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Warm hand-off")).to_be_visible()


def test_coordinator_fixes_a_validation_error_then_saves(page, site):
    log_in(page, site, "coord@test.example")
    page.goto(f"{site}/organizations")
    page.get_by_role("link", name="Pilsen Survivor Health Clinic (demo)").click()
    page.get_by_role("link", name="Health clinic for survivors of trafficking").click()
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Direct phone").fill("12345")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Nothing was saved")).to_be_visible()
    expect(page.locator("#handoff_phone-error")).to_be_visible()
    page.get_by_label("Direct phone").fill("+1 312 555 0188")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Service saved.")).to_be_visible()
    expect(page.locator("a[href='tel:+13125550188']")).to_have_count(1)
    page.get_by_role("button", name="Mark verified today").click()
    expect(page.get_by_text("Marked verified today")).to_be_visible()


@pytest.mark.parametrize(("locale", "babel_locale"), [("en-GB", "en_GB"), ("fr-FR", "fr_FR")])
def test_dates_are_shown_in_the_browsers_locale(browser, site, locale, babel_locale):
    """The browser's language (its Accept-Language) decides how dates read."""
    service = db.session.scalars(
        select(Service).where(Service.last_verified.is_not(None)).order_by(Service.id)
    ).first()
    context = browser.new_context(locale=locale)
    page = context.new_page()
    try:
        log_in(page, site, "cm@test.example")
        page.goto(f"{site}/services/{service.id}")
        stamp = page.locator(f"time[datetime='{service.last_verified.isoformat()}']").first
        shown = stamp.inner_text()
        assert shown == format_date(service.last_verified, "medium", locale=babel_locale)
        assert shown != format_date(service.last_verified, "medium", locale="en_US")
    finally:
        context.close()
