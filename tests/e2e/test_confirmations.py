"""Confirmations shown where the user is (#22): after saving a feedback note far down the
service page, "Feedback note saved" is in view, inside the feedback section, without
scrolling; on a laptop in English and on a phone in Spanish."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from directory.models import Service
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("locale", "viewport", "words"),
    [
        (
            "en-US",
            {"width": 1366, "height": 768},
            {
                "add": "Add what a client said",
                "said": "What the client said",
                "save": "Save note",
                "saved": "Feedback note saved.",
            },
        ),
        (
            "es-MX",
            {"width": 390, "height": 844},
            {
                "add": "Añadir lo que dijo un cliente",
                "said": "Lo que dijo el cliente",
                "save": "Guardar nota",
                "saved": "Nota de comentarios guardada.",
            },
        ),
    ],
)
def test_the_feedback_confirmation_is_in_view_after_saving(browser, site, locale, viewport, words):
    db.session.expire_all()
    service_id = db.session.scalar(select(Service.id).where(Service.name == "Pilsen food pantry"))
    context = browser.new_context(locale=locale, viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, site, "cm@test.example")
        page.goto(f"{site}/services/{service_id}")
        page.get_by_text(words["add"]).click()
        page.get_by_label(re.compile(words["said"])).fill("the volunteers were patient")
        with page.expect_navigation():
            page.get_by_role("button", name=words["save"]).click()
        assert page.url.endswith(f"/services/{service_id}#feedback")
        confirmation = page.locator("#feedback [role=status]")
        expect(confirmation).to_have_text(words["saved"])
        expect(confirmation).to_be_in_viewport()  # no scrolling needed
        assert page.evaluate("window.scrollY") > 0  # the page opened at the section, not the top
        box = confirmation.bounding_box()
        assert box is not None
        assert 0 <= box["y"]
        assert box["y"] + box["height"] <= viewport["height"]
        # the only confirmation on the page: none at the top, out of sight
        expect(page.locator("main [role=status]", has_text=words["saved"])).to_have_count(1)
    finally:
        context.close()
