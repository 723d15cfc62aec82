"""The referral loop in a browser (#26): a case manager sends a referral from the form, the
partner opens its inbox on a phone (390 px) in Spanish, accepts it and marks the client
arrived with the arrival code; the case manager's page shows it arrived. axe finds nothing
serious on the inbox. ``LOOP_SCREENSHOT=path`` saves the phone's inbox as the picture in
docs/referrals.md."""

from __future__ import annotations

import os
import re

from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from app import clock
from app.extensions import db
from directory.models import Service
from directory.partners import inbox
from directory.referrals.models import Referral
from tests.e2e.conftest import log_in

PHONE = {"width": 390, "height": 844}


def _serious(results) -> list:
    return [
        (v["id"], [n["target"] for n in v["nodes"][:2]])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_partner_answers_on_a_phone_in_spanish(browser, page, site):
    service = db.session.scalars(
        select(Service).where(Service.status == "active").order_by(Service.id)
    ).first()
    org = service.organization
    _link, token = inbox.issue(db.session, org, clock.now(), None)
    db.session.commit()

    log_in(page, site, "cm@test.example")
    page.goto(f"{site}/referrals/new?service_id={service.id}")
    page.locator("#f-case_reference").fill("HT-2026-321")
    page.locator("#f-handoff").select_option("warm_call")
    page.locator("#f-consent").check()
    page.locator("#f-send").check()
    page.locator("#f-urgency").select_option("today")
    page.locator("#f-first_contact").select_option("client")
    page.locator("#f-needs-language").select_option("es")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/referrals/\d+$"))
    code = page.locator(".arrival-code").inner_text().strip()
    assert len(code) == 8
    referral_url = page.url

    phone = browser.new_context(viewport=PHONE, is_mobile=True, locale="es-ES")
    partner = phone.new_page()
    partner.set_default_timeout(10_000)
    partner.goto(f"{site}/inbox/{token}")
    assert partner.get_by_role("heading", name=re.compile("Bandeja de derivaciones")).is_visible()
    assert "HT-2026-321" not in partner.content()
    assert code not in partner.content()
    assert partner.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert _serious(Axe().run(partner)) == []
    if shot := os.environ.get("LOOP_SCREENSHOT"):
        partner.screenshot(path=shot, full_page=True)
    partner.get_by_role("button", name="Aceptar").click()
    partner.get_by_label(re.compile("Código de llegada")).fill(code.lower())
    partner.get_by_role("button", name="Marcar llegada").click()
    assert partner.locator(".badge", has_text="llegó").is_visible()
    phone.close()

    page.goto(referral_url)
    assert page.locator('[data-loop-state="arrived"]').is_visible()
    db.session.expire_all()
    assert db.session.scalars(select(Referral.loop_state)).one() == "arrived"
