"""The coordinator's quick edit in a browser (#28): one phone number corrected from the review
queue in at most 3 clicks and one page load, on a laptop in English and a phone in Spanish;
the hours' Monday-to-Friday quick fill."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from directory.models import Service
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("locale", "viewport"),
    [("en-US", {"width": 1280, "height": 900}), ("es-ES", {"width": 390, "height": 844})],
)
def test_one_phone_number_corrected_from_the_queue(browser, site, locale, viewport):
    context = browser.new_context(locale=locale, viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, site, "coord@test.example")
        page.goto(f"{site}/review")
        row = page.locator("#queue tbody tr").first
        name = row.locator("td").first.inner_text()
        loads: list[str] = []
        page.on("load", lambda: loads.append(page.url))
        clicks = 0
        row.locator("a[href*='/quick']").click()
        clicks += 1
        page.wait_for_url("**/quick?from=review")
        page.locator("#q-phones summary").click()
        clicks += 1
        page.locator("#f-phones-0-number").fill("+1 312 555 0123")
        with page.expect_navigation():
            page.locator("button[value=verify_next]").first.click()
            clicks += 1
        assert clicks <= 3
        assert len(loads) == 2  # the quick page, then the next record after the save
        expect(page.locator(".flash")).to_contain_text(name)
        db.session.expire_all()
        service = db.session.query(Service).filter_by(name=name).one()
        assert service.phones[0].number == "+13125550123"
        assert service.last_verified is not None
        assert f"/services/{service.id}/" not in page.url  # moved on to the next record
    finally:
        context.close()


def test_monday_to_friday_filled_in_one_click(page, site):
    log_in(page, site, "coord@test.example")
    service = db.session.query(Service).order_by(Service.id).first()
    page.goto(f"{site}/services/{service.id}/quick")
    page.locator("#q-hours summary").click()
    page.locator("#q-opens").fill("08:00")
    page.locator("#q-closes").fill("20:00")
    page.locator("[data-fill-weekdays]").click()
    for day in ("Mon", "Fri"):
        expect(page.locator(f"[data-day={day}] [data-opens]").first).to_have_value("08:00")
    page.locator("[data-day=Fri] [data-copy-day=Sat]").click()
    expect(page.locator("[data-day=Sat] [data-closes]").first).to_have_value("20:00")
    with page.expect_navigation():
        page.locator("button[value=save]").first.click()
    db.session.expire_all()
    spans = sorted(
        (h.weekday, h.opens, h.closes) for h in db.session.get(Service, service.id).hours
    )
    assert [s for s in spans if s[1] == 480 and s[2] == 1200][:6] == [
        (d, 480, 1200) for d in range(6)
    ]
