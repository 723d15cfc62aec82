"""Assessments that guide, in a real browser (#22): a blank response is refused; the round's
respondent link is copied by its button; the PDF report downloaded in Spanish; an update
request e-mailed in French to a real SMTP server."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models import User
from assessment import instruments, rounds
from assessment.models import AssessmentRound, Facility, Response
from directory.models import Organization
from tests.e2e.conftest import log_in
from tests.mailserver import smtp_server

pytestmark = pytest.mark.e2e


def _round(answers: dict | None = None) -> AssessmentRound:
    """An open ICMEC round of the demo hospital; ``answers`` submitted by one nurse."""
    org = db.session.scalar(
        select(Organization).where(Organization.name == "Lakeshore General Hospital (demo)")
    )
    facility = Facility(organization_id=org.id)
    db.session.add(facility)
    db.session.flush()
    coordinator = db.session.scalar(select(User).where(User.email == "coord@test.example"))
    round_ = rounds.open_round(
        db.session,
        facility,
        instruments.get(instruments.SERVICE),
        coordinator,
        date.today(),
        title="Spring review",
    )
    if answers:
        rounds.save_response(
            db.session,
            round_,
            {"respondent_role": "nurse", "answers": answers, "submit": True},
            coordinator,
        )
    db.session.commit()
    return round_


def test_a_blank_response_is_refused_in_the_browser(page, site):
    round_ = _round()
    log_in(page, site, "cm@test.example")
    page.goto(f"{site}/assessments/rounds/{round_.id}/respond")  # the respondent link
    page.get_by_label("Your role").select_option("nurse")
    page.get_by_role("button", name="Start answering").click()
    # a section is a button of the page's form: moving saves the page's answers first
    page.get_by_role("navigation", name=re.compile("^Sections")).get_by_role(
        "button", name="d12"
    ).click()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("heading", name="questions not answered yet")).to_be_visible()
    page.get_by_role("button", name="Submit without them").click()
    expect(page.get_by_text("Answer at least one question before submitting.")).to_be_visible()
    db.session.expire_all()
    assert db.session.scalar(select(Response.status)) == "draft"
    page.goto(f"{site}/assessments/mine")
    expect(page.get_by_role("heading", name="Your drafts")).to_be_visible()


def test_the_copy_button_copies_the_respondent_link(browser, site):
    round_ = _round()
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        log_in(page, site, "coord@test.example")
        page.goto(f"{site}/assessments/rounds/{round_.id}")
        link = f"{site}/assessments/rounds/{round_.id}/respond"
        field = page.get_by_label("Address to share")
        expect(field).to_have_value(link)
        expect(field).to_have_attribute("readonly", "")
        page.get_by_role("button", name="Copy link").click()
        expect(page.get_by_role("status").filter(has_text="Link copied")).to_be_visible()
        assert page.evaluate("navigator.clipboard.readText()") == link
        # the copied address opens the round for a respondent
        page.goto(link)
        expect(page.get_by_role("button", name="Start answering")).to_be_visible()
    finally:
        context.close()


def test_the_pdf_report_downloaded_in_spanish(page, site):
    round_ = _round({"d09.01": "no", "d02.01": "yes", "d02.02": "no"})
    log_in(page, site, "coord@test.example")
    page.goto(f"{site}/assessments/rounds/{round_.id}")
    page.get_by_role("navigation", name="Read this site in").get_by_role(
        "link", name="Español"
    ).click()
    expect(page.get_by_role("heading", name="Objetivos sugeridos")).to_be_visible()
    page.get_by_role("button", name="Aceptar en el plan").first.click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Informe en PDF").click()
    with open(download.value.path(), "rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Resultados, los más débiles primero" in text  # a heading chosen by hand
    assert "Plan de mejora" in text
    assert "Mejorar «Safety», empezando por: d09.01" in text  # the accepted suggestion
    assert "Results, weakest first" not in text


def test_an_update_request_e_mailed_in_french(page, site, live_server):
    app, _base = live_server
    with smtp_server(app, PUBLIC_BASE_URL="http://partners.example") as inbox:
        org = db.session.scalar(
            select(Organization).where(Organization.name == "Lakeshore Freedom Network (demo)")
        )
        org.language = "fr"
        db.session.commit()
        log_in(page, site, "coord@test.example")  # the coordinator reads English
        page.goto(f"{site}/organizations/{org.id}")
        page.get_by_role("button", name="Send update request").click()
        expect(page.get_by_text("Update request e-mailed to")).to_be_visible()
    (message,) = inbox.messages
    assert message["To"] == "intake@lakeshore-freedom.example.org"
    assert message["Subject"].startswith("Merci de vérifier votre fiche")
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Ce lien est personnel et fonctionne jusqu’au" in text
    assert "Ne le transférez pas." in text
    assert "http://partners.example/partner/" in text
    assert "Please check" not in text


def test_round_respondent_and_answer_pages_have_no_accessibility_violations(browser, site):
    from axe_playwright_python.sync_playwright import Axe

    round_ = _round({"d09.01": "no", "d02.01": "yes", "d02.02": "no"})
    context = browser.new_context(bypass_csp=True)  # lets axe-core's script run
    page = context.new_page()
    try:
        log_in(page, site, "coord@test.example")
        axe = Axe()
        problems = []
        for url in (
            f"/assessments/rounds/{round_.id}",
            f"/assessments/rounds/{round_.id}/respond",
            "/assessments/mine",
        ):
            page.goto(f"{site}{url}")
            problems += [(url, v["id"], v["impact"]) for v in axe.run(page).response["violations"]]
        # the coordinator answered this round already (one response each): a case manager
        # starts one
        page.context.clear_cookies()
        log_in(page, site, "cm@test.example")
        page.goto(f"{site}/assessments/rounds/{round_.id}/respond")
        page.get_by_label("Your role").select_option("nurse")
        page.get_by_role("button", name="Start answering").click()
        page.wait_for_url("**/d01")
        problems += [("d01", v["id"], v["impact"]) for v in axe.run(page).response["violations"]]
    finally:
        context.close()
    assert problems == []
