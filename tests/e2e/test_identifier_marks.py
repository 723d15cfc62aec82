"""A refused note in a real browser (#30): every identifying span highlighted with its
reason, the service's own listed phone left alone, what was typed kept for editing; the
same on the rating form."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from directory.aaaq_records import FeedbackNote
from directory.models import Organization, Phone, Service
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def _service(name: str) -> Service:
    db.session.expire_all()
    return db.session.scalar(select(Service).where(Service.name == name))


def test_refused_note_marks_each_span_with_its_reason(page, site):
    service = _service("Pilsen food pantry")
    own = db.session.scalar(select(Phone.number).where(Phone.service_id == service.id))
    own = own or db.session.scalar(
        select(Phone.number).where(Phone.organization_id == service.organization_id)
    )
    assert own, "the demo pantry lists a phone"
    log_in(page, site, "cm@test.example")
    page.goto(f"{site}/services/{service.id}")
    page.get_by_text("Add what a client said").click()
    typed = (
        f"NGUYEN Thi Hoa came with lucho paredes; called the pantry at {own}, "
        "her insta is @hoa_1999 and she lives on Elm street"
    )
    box = page.get_by_label(re.compile("What the client said"))
    box.fill(typed)
    page.get_by_role("button", name="Save note").click()

    marks = page.locator("#text-marks")
    expect(marks).to_be_visible()
    for span, reason in (
        ("NGUYEN Thi Hoa", "a person's name"),
        ("lucho paredes", "a person's name"),
        ("@hoa_1999", "a social-media account or profile link"),
        ("lives on Elm street", "a street address"),
    ):
        expect(marks.locator("p.marked mark", has_text=span)).to_have_attribute("title", reason)
        expect(marks.locator("ul.identifier-reasons li", has_text=span)).to_contain_text(reason)
    # the pantry's own listed phone is no identifier in a note about the pantry
    expect(marks.locator("mark", has_text=own)).to_have_count(0)
    expect(box).to_have_value(typed)
    assert db.session.scalar(select(FeedbackNote.id)) is None

    box.fill(f"she said the volunteers were patient; called the pantry at {own}")
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_text("Feedback note saved.")).to_be_visible()


def test_refused_rating_note_is_marked_too(page, site):
    service = _service("Free walk-in clinic")
    log_in(page, site, "coord@test.example")
    page.goto(f"{site}/services/{service.id}")
    page.get_by_text("Rate this service").click()
    page.get_by_label("Availability").select_option("3")
    note = page.get_by_label(re.compile("Note \\(optional"))
    note.fill("OKAFOR, Chidi waited two hours, plates ABC-1234 outside")
    page.get_by_role("button", name="Save rating").click()
    marks = page.locator("#note-marks")
    expect(marks.locator("mark", has_text="OKAFOR, Chidi").first).to_be_visible()
    expect(marks.locator("mark", has_text="ABC-1234").first).to_be_visible()
    expect(note).to_have_value("OKAFOR, Chidi waited two hours, plates ABC-1234 outside")


def test_the_structured_choices_save_without_free_text(page, site):
    """Structured first (#30): a note of ticked observations alone is saved and shown."""
    service = _service("Pilsen food pantry")
    log_in(page, site, "cm@test.example")
    page.goto(f"{site}/services/{service.id}")
    page.get_by_text("Add what a client said").click()
    page.get_by_label("Waited a long time").check()
    page.get_by_label("Treated with respect").check()
    page.get_by_label("Outcome").select_option("mixed")
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_text("Feedback note saved.")).to_be_visible()
    expect(page.locator("#fb-observed")).to_contain_text("waited a long time (1)")
    expect(page.locator("li.note .tag", has_text="treated with respect")).to_be_visible()
    db.session.expire_all()
    note = db.session.scalar(select(FeedbackNote))
    assert note.text is None
    assert note.observation_list == ["waited_long", "respectful"]


def test_copy_contact_puts_the_discreet_line_on_the_clipboard(browser, site):
    """'Copy contact' on a result copies the discreet line: never the service's or its
    organization's name (a shelter's name tells what it is for)."""
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, site, "cm@test.example")
        page.goto(f"{site}/?category=shelters")
        result = (
            page.locator("article, li.result")
            .filter(has=page.get_by_role("button", name="Copy contact"))
            .first
        )
        button = result.get_by_role("button", name="Copy contact")
        offered = button.get_attribute("data-copy")
        page.evaluate("navigator.clipboard.writeText('')")
        button.click()
        page.wait_for_function("async () => (await navigator.clipboard.readText()) !== ''")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == offered
        for name in [
            *db.session.scalars(select(Service.name)),
            *db.session.scalars(select(Organization.name)),
        ]:
            assert name not in copied
        assert any(ch.isdigit() for ch in copied)  # a phone to call
    finally:
        context.close()
