"""Every page the browser can open, checked by axe-core for violations of *any* impact
(#22): each signed-in page as the role that uses it, the partner's page, the printable
sheet, and the login page. Every GET route that is not an API or a file is walked, so a
new page joins the walk by being a route."""

from __future__ import annotations

import re
from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import current_app
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import Job, OutboxMessage, User
from app.users import create_user
from assessment import instruments, rounds
from assessment.models import Facility
from directory.lists import saved as lists
from directory.models import Organization, Service
from directory.partners import requests
from directory.referrals import handoff, sending
from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

NOT_PAGES = {
    "/health",  # JSON
    "/language",  # a redirect that sets the language
    "/assessments/rounds/<int:round_id>/report.pdf",
    "/hsds/export.zip",  # starts an export job: a redirect to the job's page
    "/metrics",  # Prometheus text
    "/jobs/<int:job_id>/download",
    "/referrals/figures.csv",
    "/services/<int:service_id>/handout.pdf",
    "/referrals/<int:referral_id>/consent-receipt.pdf",
    "/sheets/card.pdf",
    "/sheets/directory.csv",
    "/sheets/directory.pdf",
    "/lists/<int:list_id>/handout.pdf",
}


def _rules() -> set[str]:
    return {
        r.rule
        for r in current_app.url_map.iter_rules()
        if "GET" in r.methods and not r.rule.startswith(("/api", "/static"))
    }


def _world() -> dict:
    """One of each thing a page shows: a referral, an assessment round with a response, a
    partner's update request (its e-mailed link), keyed by the route parameter."""
    coord = db.session.scalar(select(User).where(User.email == "coord@test.example"))
    cm = db.session.scalar(select(User).where(User.email == "cm@test.example"))
    service = db.session.scalar(select(Service).where(Service.name == "Pilsen food pantry"))
    org = db.session.scalar(
        select(Organization).where(Organization.name == "Lakeshore General Hospital (demo)")
    )
    referral = handoff.create(
        db.session,
        {
            "service_id": service.id,
            "case_reference": "CASE-101",
            "handoff": "warm_call",
            "consent": True,
        },
        cm,
        date.today(),
    )
    # sent to the partner: its page shows the loop, and it has a consent receipt
    sending.send(
        db.session, referral, {"urgency": "today", "first_contact": "client"}, cm, clock.now()
    )
    facility = Facility(organization_id=org.id)
    db.session.add(facility)
    db.session.flush()
    round_ = rounds.open_round(
        db.session, facility, instruments.get(instruments.SERVICE), coord, date.today()
    )
    response = rounds.save_response(
        db.session, round_, {"answers": {}, "submit": False, "respondent_role": "nurse"}, coord
    )
    org.email = "partner@lakeshore.example"
    update = requests.send(db.session, org, clock.now(), coord.id)
    job = Job(  # a finished import: its page shows the report
        kind="hsds_import",
        status="done",
        progress=100,
        result={
            "version": "3.x",
            "source": "p",
            "evidence": "its columns",
            "services": 1,
            "organizations": 1,
            "locations": 0,
            "created": 1,
            "updated": 0,
            "tables": {"services": {"read": 1, "stored": 1, "merged": 0, "rejected": 0}},
            "rejected": ["services:3:name: required"],
            "dropped": [],
            "left_out": [],
            "deactivated": [],
            "not_kept": {"x": "not in HSDS"},
        },
    )
    db.session.add(job)
    # a saved list of the admin who walks the pages (its owner's page: every control), with
    # a service at a withheld place on it
    admin = db.session.scalar(select(User).where(User.email == "admin@test.example"))
    shelter = db.session.scalar(
        select(Service).where(Service.category.like("shelter%")).order_by(Service.id)
    )
    saved_list = lists.create(
        db.session,
        {"name": "Tuesday clinic", "service_ids": [service.id, shelter.id]},
        admin,
        clock.now(),
    )
    db.session.commit()
    body = db.session.scalar(select(OutboxMessage.text_body).order_by(OutboxMessage.id.desc()))
    return {
        "service_id": service.id,
        "org_id": org.id,
        "referral_id": referral.id,
        "facility_id": facility.id,
        "round_id": round_.id,
        "response_id": response.id,
        "section": "d01",
        "request_id": update.id,
        "job_id": job.id,
        "list_id": saved_list.id,
        "partner": re.search(r"/partner/[A-Za-z0-9_-]+", body).group(0),
    }


QUERIES = {
    "/referrals/new": "?service_id={service_id}",
    "/services/new": "?organization_id={org_id}",
    "/lists/save": "?service_id={service_id}",
}
"""Pages that need a query: a referral is to a service, a new service of an organization."""


def _path(rule: str, world: dict) -> str:
    path = re.sub(r"<(?:int:)?(\w+)>", lambda m: str(world[m.group(1)]), rule)
    return path + QUERIES.get(rule, "").format(**world)


EXTRA = [
    "/?category=shelters&near=60601&radius_km=50",  # results, distances, open-now badges
    "/?q=zzzz-nothing",  # no results
    "/sheets/directory?category=shelters&lang=es",  # the print view, in Spanish
]


def _violations(page) -> list:
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"][:2]])
        for v in Axe().run(page).response["violations"]
    ]


def _walk(page, site: str, urls: list[str], *, allowed=(200,)) -> list:
    problems = []
    for url in urls:
        response = page.goto(f"{site}{url}")
        assert response is not None, url
        assert response.status in allowed, (url, response.status)
        if response.status == 200:
            problems += [(url, *v) for v in _violations(page)]
    return problems


def test_every_page_has_no_accessibility_violation_of_any_impact(browser, site):
    create_user("admin@test.example", "admin", PASSWORD)
    db.session.commit()
    world = _world()
    # the partner's inbox is walked with axe on a phone in Spanish in test_loop_inbox.py
    walked = sorted(_rules() - NOT_PAGES - {"/login", "/partner/<token>", "/inbox/<token>"})
    urls = [_path(rule, world) for rule in walked] + EXTRA
    # on a laptop, in English: the partner's page and the login page, then an admin, who
    # opens every page (a coordinator's pages are the same templates)
    context = browser.new_context(bypass_csp=True)  # lets axe-core's script run
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems = _walk(page, site, [world["partner"], "/login"])
    log_in(page, site, "admin@test.example")
    problems += _walk(page, site, urls)
    context.close()
    # on a phone, in Spanish: a case manager, on the pages a case manager may open (another
    # respondent's answers are not found, as if they did not exist)
    context = browser.new_context(
        bypass_csp=True, viewport={"width": 390, "height": 844}, locale="es-ES"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, site, "cm@test.example")
    problems += [("es, phone", *p) for p in _walk(page, site, urls, allowed=(200, 403, 404))]
    context.close()
    assert problems == []


def test_what_is_not_walked_is_still_a_route(live_server):
    """The walk takes every GET route but those listed as not pages: a stale entry there
    (a route renamed into a page) would hide a page from the walk."""
    assert NOT_PAGES <= _rules()
