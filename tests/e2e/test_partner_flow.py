"""A partner's whole flow in a browser on a phone-width screen (390 px): the e-mailed link
(from the outbox: no MAIL_SERVER), the listing without the withheld address, a suggested
change; then the coordinator accepts it from the review queue. axe finds nothing serious on
the partner's page."""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import OutboxMessage
from directory.models import Location, Service
from directory.partners import requests
from tests.e2e.conftest import log_in

PHONE = {"width": 390, "height": 844}


def _serious(results) -> list:
    return [
        (v["id"], [n["target"] for n in v["nodes"][:2]])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_partner_checks_its_listing_on_a_phone(browser, site):
    hidden = db.session.scalar(
        select(Location).where(Location.confidential.is_(True), Location.address_1.is_not(None))
    )
    org = hidden.organization
    org.email = "partner@shelter.example"
    requests.send(db.session, org, clock.now(), None)
    db.session.commit()
    body = db.session.scalar(select(OutboxMessage.text_body).order_by(OutboxMessage.id.desc()))
    path = re.search(r"/partner/[A-Za-z0-9_-]+", body).group(0)
    service = next(s for s in org.services if s.status == "active")

    context = browser.new_context(viewport=PHONE, bypass_csp=True, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{site}{path}")
    assert page.get_by_role("heading", name=re.compile("Your listing")).is_visible()
    assert hidden.address_1 not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert _serious(Axe().run(page)) == []

    new = service.walk_in is not False  # a real change whatever the demo states
    page.locator(f"#f-s{service.id}-walk_in").select_option("false" if new else "true")
    page.get_by_role("button", name="Send my changes").click()
    assert page.get_by_role("heading", name="Thank you").is_visible()
    page.goto(f"{site}{path}")
    assert "does not work any more" in page.content()  # used: no replay
    assert _serious(Axe().run(page)) == []
    context.close()

    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    coordinator = desk.new_page()
    coordinator.set_default_timeout(10_000)
    log_in(coordinator, site, "coord@test.example")
    coordinator.goto(f"{site}/review")
    coordinator.get_by_role("link", name=org.name).first.click()
    coordinator.get_by_label("Accept").first.check()
    coordinator.get_by_role("button", name="Save decisions").click()
    assert "1 change(s) applied" in coordinator.content()
    desk.close()
    db.session.expire_all()
    assert db.session.get(Service, service.id).walk_in is (not new)


def test_spanish_hours_accepted_and_an_error_reached_by_its_summary_link(browser, site):
    """#28: on a phone in Spanish, a refused field is named in a summary that takes focus;
    its link puts the focus in the field; "Lun-Vie 8:00-20:00" is then accepted."""
    org = db.session.scalar(select(Location).where(Location.confidential.is_(False))).organization
    org.email = "socio@example.org"
    requests.send(db.session, org, clock.now(), None)
    db.session.commit()
    body = db.session.scalar(select(OutboxMessage.text_body).order_by(OutboxMessage.id.desc()))
    path = re.search(r"/partner/[A-Za-z0-9_-]+", body).group(0)
    service = next(s for s in org.services if s.status == "active")
    context = browser.new_context(viewport=PHONE, is_mobile=True, locale="es-ES")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{site}{path}")
        assert page.get_by_role("heading", name=re.compile("Su ficha")).is_visible()
        hours = page.locator(f"#f-s{service.id}-hours")
        hours.fill("Lunes a Viernes, todo el día")
        page.locator("form[action$='/suggest'] button[type=submit]").click()
        summary = page.locator(".error-summary")
        assert summary.is_visible()
        assert page.evaluate("document.activeElement.classList.contains('error-summary')")
        summary.locator(f"a[href='#f-s{service.id}-hours']").click()
        assert page.evaluate("document.activeElement.id") == f"f-s{service.id}-hours"
        assert hours.get_attribute("aria-invalid") == "true"
        hours.fill("Lun-Vie 8:00-20:00")
        page.locator("form[action$='/suggest'] button[type=submit]").click()
        assert page.get_by_role("heading", name="Gracias").is_visible()
    finally:
        context.close()


def test_a_coordinator_opens_the_outbox_from_the_navigation(page, site):
    log_in(page, site, "coord@test.example")
    org = db.session.scalar(select(Location).where(Location.confidential.is_(False))).organization
    org.email = "socio@example.org"
    db.session.commit()
    page.goto(f"{site}/organizations/{org.id}")
    page.get_by_role("button", name="Send update request").click()
    assert page.get_by_text("saved to the outbox: no mail server is configured").is_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Outbox").click()
    assert page.get_by_role("heading", name="Outbox").is_visible()
    assert page.get_by_text("to socio@example.org").first.is_visible()
