"""The whole product tried as a new user would, in a real browser (Debian's chromium)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from assessment import instruments, rounds
from assessment.models import Facility
from directory.models import Organization, Service
from directory.referrals.models import Referral
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def service_id(name: str) -> int:
    db.session.expire_all()
    return db.session.scalar(select(Service.id).where(Service.name == name))


def test_refer_then_close_the_referral(page, site):
    log_in(page, site, "cm@test.example")
    page.goto(f"{site}/services/{service_id('Survivor case management')}")
    page.get_by_role("link", name="Refer a client").click()
    expect(page.get_by_text("Dana Ortiz (demo)")).to_be_visible()
    page.get_by_label("Case reference").fill("Maria Lopez")
    page.get_by_role("button", name="Record referral").click()
    expect(page.locator("#case_reference-error")).to_be_visible()
    expect(page.locator("#consent-error")).to_be_visible()
    # no hand-off is chosen for the case manager before it happened (#22)
    expect(page.locator("#handoff-error")).to_be_visible()
    page.get_by_label("How did the hand-off happen?").select_option("warm_call")
    page.get_by_label("Case reference").fill("HT-2026-014")
    page.get_by_label("The client agreed to this referral").check()
    page.get_by_role("button", name="Record referral").click()
    expect(page.get_by_text("Referral recorded")).to_be_visible()
    page.get_by_label("Outcome").select_option("connected")
    page.get_by_role("button", name="Save follow-up").click()
    expect(page.get_by_text("Follow-up saved.")).to_be_visible()
    db.session.expire_all()
    assert db.session.scalar(select(Referral.status)) == "connected"


def test_feedback_with_an_identifier_is_refused_then_saved(page, site):
    log_in(page, site, "cm@test.example")
    page.goto(f"{site}/services/{service_id('Pilsen food pantry')}")
    page.get_by_text("Add what a client said").click()
    page.get_by_label(re.compile("What the client said")).fill(
        "Mrs. Alvarez said the volunteers were patient"
    )
    page.get_by_role("button", name="Save note").click()
    expect(page.locator("mark", has_text="Mrs. Alvarez").first).to_be_visible()
    page.get_by_label(re.compile("What the client said")).fill(
        "she said the volunteers were patient"
    )
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_text("Feedback note saved.")).to_be_visible()
    expect(page.get_by_text("she said the volunteers were patient")).to_be_visible()


def test_coordinator_rates_aaaq(page, site):
    log_in(page, site, "coord@test.example")
    page.goto(f"{site}/services/{service_id('Free walk-in clinic')}")
    page.get_by_text("Rate this service").click()
    page.get_by_label("Availability").select_option("3")
    page.get_by_label("Accessibility").select_option("2")
    page.get_by_label("Quality").select_option("3")
    page.get_by_role("button", name="Save rating").click()
    expect(page.get_by_text("AAAQ rating saved.")).to_be_visible()
    expect(page.locator("table.aaaq").get_by_text("2.7")).to_be_visible()  # (3 + 2 + 3) / 3


def test_build_a_sheet_and_download_the_pdf(page, site):
    log_in(page, site, "viewer@test.example")
    page.get_by_role("link", name="Print", exact=True).click()
    page.get_by_label("Groups").select_option(["hotlines", "shelters"])
    page.get_by_label("Sheet language").select_option("es")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("entries · about")).to_be_visible()
    expect(page.get_by_role("heading", name="Líneas de ayuda")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    with open(download.value.path(), "rb") as fh:
        assert fh.read(4) == b"%PDF"


def test_answer_one_domain_and_see_its_score(page, site):
    org = db.session.scalar(
        select(Organization).where(Organization.name == "Lakeshore General Hospital (demo)")
    )
    facility = Facility(organization_id=org.id)
    db.session.add(facility)
    db.session.flush()
    coordinator = db.session.scalar(
        select(db.Model.metadata.tables["users"].c.id).where(
            db.Model.metadata.tables["users"].c.email == "coord@test.example"
        )
    )
    rounds.open_round(
        db.session,
        facility,
        instruments.get(instruments.SERVICE),
        type("U", (), {"id": coordinator})(),
        __import__("datetime").date.today(),
    )
    db.session.commit()
    log_in(page, site, "cm@test.example")
    page.get_by_role("link", name="Assessments").click()
    page.get_by_role("button", name="Start answering").click()
    page.wait_for_url(re.compile(r"/d01$"))
    page.goto(page.url.replace("/d01", "/d02"))
    page.get_by_label("YES").nth(0).check()
    page.get_by_label("YES").nth(1).check()
    page.get_by_label("NO").nth(2).check()
    page.get_by_label("4 Somewhat strong").check()
    page.get_by_role("button", name="Save and finish later").click()
    expect(page.get_by_text("Saved. You can finish later")).to_be_visible()
    page.get_by_role("link", name="Continue").click()
    page.wait_for_url(re.compile(r"/d\d\d$"))
    page.goto(re.sub(r"/d\d\d$", "/d12", page.url))
    page.get_by_role("button", name="Submit my answers").click()
    # the unanswered questions are listed first (#22); the respondent submits without them
    expect(page.get_by_text("not answered yet")).to_be_visible()
    page.get_by_role("button", name="Submit without them").click()
    expect(page.get_by_text("your answers are submitted")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    log_in(page, site, "coord@test.example")
    page.get_by_role("link", name="Assessments").click()
    page.get_by_role("link", name=re.compile(r"^ICMEC Service Assessment Tool \d")).click()
    expect(page.get_by_text("1 submitted response")).to_be_visible()
    row = page.locator("tr", has_text="d02 · Privacy/confidentiality")
    expect(row).to_contain_text("66.7%")  # 2 YES of 3 applicable
    expect(row).to_contain_text("4.0")


def test_search_filters_live_in_the_url_and_back_works(page, site):
    log_in(page, site, "viewer@test.example")
    page.get_by_label("Category").select_option("food")
    with page.expect_navigation():  # until the results page has loaded
        page.get_by_role("button", name="Search").click()
    first = page.url
    assert "category=food" in first
    page.get_by_label("Language").select_option("zh")
    with page.expect_navigation():
        page.get_by_role("button", name="Search").click()
    assert "language=zh" in page.url
    page.go_back()
    expect(page).to_have_url(first)
    expect(page.get_by_label("Category")).to_have_value("food")
    page.goto(f"{site}/?q=zzzz-nothing")
    expect(page.get_by_text("No service matches all of these filters.")).to_be_visible()
    # the empty result explains itself: what dropping the words would find, one tap away
    expect(page.locator("#relaxations")).to_contain_text("What each filter costs:")


def test_share_block_and_qr_code(page, site):
    log_in(page, site, "viewer@test.example")
    page.goto(f"{site}/services/{service_id('Survivor case management')}")
    # issue #18: discreet by default (no service name with a tell-tale word in it), and
    # the plain version one deliberate click away
    text = page.get_by_label("Text to paste into a message").input_value()
    assert "Survivor" not in text
    assert "+1312555" in text
    expect(page.get_by_role("img", name=re.compile("QR code")).locator("svg")).to_be_visible()
    expect(page.get_by_role("button", name="Copy contact")).to_be_visible()
    page.get_by_role("link", name="Show plain version").click()
    text = page.get_by_label("Text to paste into a message").input_value()
    assert "Survivor case management" in text


def test_keyboard_reaches_the_search_button_with_visible_focus(page, site):
    log_in(page, site, "viewer@test.example")
    reached = None
    for _ in range(40):
        page.keyboard.press("Tab")
        label = page.evaluate("document.activeElement.textContent.trim()")
        if label == "Search" and page.evaluate("document.activeElement.tagName") == "BUTTON":
            reached = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            break
    assert reached not in (None, "none")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("p.count")).to_be_visible()


def test_search_page_is_usable_at_360_pixels(browser, site):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    log_in(page, site, "viewer@test.example")
    page.goto(f"{site}/?category=shelters")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 362
    # after a search the filters fold into one line on a phone (#22); one tap opens them
    page.locator("details.filters-panel > summary").click()
    expect(page.get_by_role("button", name="Search")).to_be_visible()
    context.close()
