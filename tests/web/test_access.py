"""Default-deny: every route × method × role against the table of what each role may do."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent
from assessment.models import AssessmentRound, Facility, PlanGoal, Response
from directory.aaaq_records import FeedbackNote
from directory.models import Organization, Service
from tests.factories import ServiceFactory

ROLE_ORDER = ("anonymous", "viewer", "case_manager", "coordinator", "admin")

# The least role each (method, rule) needs; None = public. Every route must be listed:
# a new route fails ``test_every_route_is_in_the_table`` until it is.
ALLOWED = {
    ("GET", "/login"): None,
    ("POST", "/login"): None,
    ("GET", "/health"): None,
    ("GET", "/metrics"): None,  # its own check: METRICS_ALLOW or an admin token (test_ops)
    ("GET", "/jobs/<int:job_id>"): "viewer",  # the owner's or an admin's (test_jobs)
    ("GET", "/jobs/<int:job_id>/download"): "viewer",
    ("GET", "/api/v1/jobs/<int:job_id>"): "viewer",
    ("POST", "/api/v1/hsds/imports"): "coordinator",
    ("POST", "/hsds/export"): "coordinator",
    ("GET", "/language"): None,
    ("GET", "/static/<path:filename>"): None,
    ("POST", "/logout"): "viewer",
    ("GET", "/"): "viewer",
    ("GET", "/services/<int:service_id>"): "viewer",
    ("GET", "/services/<int:service_id>/handout.pdf"): "viewer",
    ("GET", "/organizations"): "viewer",
    ("GET", "/organizations/<int:org_id>"): "viewer",
    ("GET", "/organizations/new"): "coordinator",
    ("POST", "/organizations/new"): "coordinator",
    ("GET", "/organizations/<int:org_id>/edit"): "coordinator",
    ("POST", "/organizations/<int:org_id>/edit"): "coordinator",
    ("POST", "/organizations/<int:org_id>/status"): "coordinator",
    ("GET", "/services/new"): "coordinator",
    ("POST", "/services/new"): "coordinator",
    ("GET", "/services/<int:service_id>/edit"): "coordinator",
    ("POST", "/services/<int:service_id>/edit"): "coordinator",
    ("POST", "/services/<int:service_id>/verify"): "coordinator",
    ("GET", "/services/<int:service_id>/quick"): "coordinator",
    ("POST", "/services/<int:service_id>/quick"): "coordinator",
    ("POST", "/services/<int:service_id>/status"): "coordinator",
    ("POST", "/services/<int:service_id>/ratings"): "coordinator",
    ("POST", "/services/<int:service_id>/feedback"): "case_manager",
    ("POST", "/feedback/<int:note_id>/hide"): "coordinator",
    ("POST", "/services/<int:service_id>/capacity"): "coordinator",
    ("GET", "/review"): "coordinator",
    ("GET", "/api/v1/services/<int:service_id>/ratings"): "viewer",
    ("POST", "/api/v1/services/<int:service_id>/ratings"): "coordinator",
    ("GET", "/api/v1/services/<int:service_id>/feedback"): "case_manager",
    ("POST", "/api/v1/services/<int:service_id>/feedback"): "case_manager",
    ("POST", "/api/v1/feedback/<int:note_id>/hide"): "coordinator",
    ("PUT", "/api/v1/services/<int:service_id>/capacity"): "coordinator",
    ("GET", "/api/v1/services/<int:service_id>/history"): "coordinator",
    ("GET", "/api/v1/review-queue"): "coordinator",
    ("GET", "/referrals/new"): "case_manager",
    ("POST", "/referrals/new"): "case_manager",
    ("GET", "/referrals"): "case_manager",
    ("GET", "/referrals/<int:referral_id>"): "case_manager",
    ("POST", "/referrals/<int:referral_id>"): "case_manager",
    ("GET", "/referrals/figures"): "coordinator",
    ("GET", "/referrals/figures.csv"): "coordinator",
    ("GET", "/api/v1/referrals"): "case_manager",
    ("POST", "/api/v1/referrals"): "case_manager",
    ("GET", "/api/v1/referrals/<int:referral_id>"): "case_manager",
    ("PATCH", "/api/v1/referrals/<int:referral_id>"): "case_manager",
    ("GET", "/api/v1/referrals/figures"): "coordinator",
    # the referral loop (tests/web/test_loop.py)
    ("POST", "/referrals/<int:referral_id>/cancel"): "case_manager",
    ("POST", "/referrals/<int:referral_id>/revoke-consent"): "case_manager",
    ("GET", "/referrals/<int:referral_id>/consent-receipt"): "case_manager",
    ("GET", "/referrals/<int:referral_id>/consent-receipt.pdf"): "case_manager",
    ("POST", "/api/v1/referrals/<int:referral_id>/cancel"): "case_manager",
    ("POST", "/api/v1/referrals/<int:referral_id>/revoke-consent"): "case_manager",
    ("POST", "/organizations/<int:org_id>/inbox-link"): "coordinator",
    ("POST", "/api/v1/organizations/<int:org_id>/inbox-link"): "coordinator",
    ("DELETE", "/api/v1/organizations/<int:org_id>/inbox-link"): "coordinator",
    # the partner's inbox: no login, the standing inbox link is the key
    ("GET", "/inbox/<token>"): None,
    ("POST", "/inbox/<token>/referrals/<int:referral_id>"): None,
    ("POST", "/inbox/<token>/capacity"): None,
    ("GET", "/api/v1/inbox/<token>/referrals"): None,
    ("POST", "/api/v1/inbox/<token>/referrals/<int:referral_id>"): None,
    ("GET", "/assessments"): "coordinator",
    ("POST", "/assessments/facilities"): "coordinator",
    ("POST", "/assessments/facilities/<int:facility_id>/rounds"): "coordinator",
    ("GET", "/assessments/rounds/<int:round_id>"): "coordinator",
    ("POST", "/assessments/rounds/<int:round_id>/close"): "coordinator",
    ("GET", "/assessments/rounds/<int:round_id>/report.pdf"): "coordinator",
    ("POST", "/assessments/rounds/<int:round_id>/goals"): "coordinator",
    ("POST", "/assessments/goals/<int:goal_id>"): "coordinator",
    ("GET", "/assessments/facilities/<int:facility_id>/compare"): "coordinator",
    ("GET", "/assessments/network"): "coordinator",
    ("GET", "/assessments/mine"): "viewer",
    ("GET", "/assessments/rounds/<int:round_id>/respond"): "viewer",
    ("POST", "/assessments/rounds/<int:round_id>/respond"): "viewer",
    ("POST", "/assessments/rounds/<int:round_id>/suggestions/<section>/dismiss"): "coordinator",
    ("POST", "/assessments/goals/<int:goal_id>/restore"): "coordinator",
    ("GET", "/assessments/responses/<int:response_id>/<section>"): "viewer",
    ("POST", "/assessments/responses/<int:response_id>/<section>"): "viewer",
    ("GET", "/api/v1/instruments"): "coordinator",
    ("GET", "/api/v1/instruments/<code>"): "coordinator",
    ("GET", "/api/v1/facilities"): "coordinator",
    ("POST", "/api/v1/facilities"): "coordinator",
    ("GET", "/api/v1/facilities/<int:facility_id>"): "coordinator",
    ("POST", "/api/v1/facilities/<int:facility_id>/assessments"): "coordinator",
    ("GET", "/api/v1/rounds/<int:round_id>/suggested-goals"): "coordinator",
    ("GET", "/api/v1/facilities/<int:facility_id>/scores"): "coordinator",
    ("GET", "/api/v1/rounds/<int:round_id>/goals"): "coordinator",
    ("POST", "/api/v1/rounds/<int:round_id>/goals"): "coordinator",
    ("PATCH", "/api/v1/goals/<int:goal_id>"): "coordinator",
    ("GET", "/sheets"): "viewer",
    ("GET", "/sheets/directory"): "viewer",
    ("GET", "/sheets/directory.pdf"): "viewer",
    ("GET", "/sheets/directory.csv"): "viewer",
    ("GET", "/sheets/card"): "viewer",
    ("POST", "/sheets/card"): "coordinator",
    ("GET", "/sheets/card.pdf"): "viewer",
    ("GET", "/hsds"): "coordinator",
    ("GET", "/hsds/export.zip"): "coordinator",
    ("POST", "/hsds/import"): "coordinator",
    ("GET", "/api/hsds/"): "viewer",
    ("GET", "/api/hsds/openapi.json"): "viewer",
    ("GET", "/api/hsds/services"): "viewer",
    ("POST", "/api/hsds/services"): "viewer",
    ("GET", "/api/hsds/services/<hsds_id>"): "viewer",
    ("GET", "/api/hsds/service_at_locations"): "viewer",
    ("POST", "/api/hsds/service_at_locations"): "viewer",
    ("GET", "/api/hsds/service_at_locations/<hsds_id>"): "viewer",
    ("GET", "/api/hsds/organizations"): "viewer",
    ("POST", "/api/hsds/organizations"): "viewer",
    ("GET", "/api/hsds/organizations/<hsds_id>"): "viewer",
    ("GET", "/api/hsds/taxonomies"): "viewer",
    ("POST", "/api/hsds/taxonomies"): "viewer",
    ("GET", "/api/hsds/taxonomies/<hsds_id>"): "viewer",
    ("GET", "/api/hsds/taxonomy_terms"): "viewer",
    ("POST", "/api/hsds/taxonomy_terms"): "viewer",
    ("GET", "/api/hsds/taxonomy_terms/<hsds_id>"): "viewer",
    ("GET", "/admin/users"): "admin",
    ("POST", "/admin/users"): "admin",
    ("POST", "/admin/users/<int:user_id>"): "admin",
    ("GET", "/admin/audit"): "admin",
    ("GET", "/admin/outbox"): "coordinator",
    ("POST", "/admin/outbox/<int:message_id>/passed-on"): "coordinator",
    # partners: no login, the e-mailed link is the key (tests/web/test_partners.py)
    ("GET", "/partner/<token>"): None,
    ("POST", "/partner/<token>/confirm"): None,
    ("POST", "/partner/<token>/suggest"): None,
    ("POST", "/partner/<token>/capacity"): None,
    ("POST", "/organizations/<int:org_id>/update-request"): "coordinator",
    ("POST", "/organizations/<int:org_id>/capacity-link"): "coordinator",
    ("GET", "/update-requests/<int:request_id>"): "coordinator",
    ("POST", "/update-requests/<int:request_id>/decisions"): "coordinator",
    ("POST", "/api/v1/organizations/<int:org_id>/update-requests"): "coordinator",
    ("GET", "/api/v1/update-requests"): "coordinator",
    ("GET", "/api/v1/update-requests/<int:request_id>"): "coordinator",
    ("POST", "/api/v1/update-requests/<int:request_id>/decisions"): "coordinator",
    ("POST", "/api/v1/organizations/<int:org_id>/capacity-links"): "coordinator",
    ("DELETE", "/api/v1/organizations/<int:org_id>/capacity-links"): "coordinator",
    ("GET", "/account/password"): "viewer",
    ("POST", "/account/password"): "viewer",
    ("GET", "/api/v1/openapi.json"): "viewer",
    ("GET", "/api/v1/categories"): "viewer",
    ("GET", "/api/v1/services"): "viewer",
    ("POST", "/api/v1/services"): "coordinator",
    ("GET", "/api/v1/services/<int:service_id>"): "viewer",
    ("GET", "/api/v1/services/<int:service_id>/share"): "viewer",
    ("PATCH", "/api/v1/services/<int:service_id>"): "coordinator",
    ("DELETE", "/api/v1/services/<int:service_id>"): "coordinator",
    ("POST", "/api/v1/services/<int:service_id>/verify"): "coordinator",
    ("GET", "/api/v1/organizations"): "viewer",
    ("POST", "/api/v1/organizations"): "coordinator",
    ("GET", "/api/v1/organizations/<int:org_id>"): "viewer",
    ("PATCH", "/api/v1/organizations/<int:org_id>"): "coordinator",
    ("DELETE", "/api/v1/organizations/<int:org_id>"): "coordinator",
    # saved lists: anyone who may search keeps lists; the owner rule is test_saved_lists's
    ("GET", "/lists"): "viewer",
    ("POST", "/lists"): "viewer",
    ("GET", "/lists/<int:list_id>"): "viewer",
    ("POST", "/lists/<int:list_id>/rename"): "viewer",
    ("POST", "/lists/<int:list_id>/shared"): "viewer",
    ("POST", "/lists/<int:list_id>/items/<int:service_id>"): "viewer",
    ("GET", "/lists/<int:list_id>/delete"): "viewer",
    ("POST", "/lists/<int:list_id>/delete"): "viewer",
    ("GET", "/lists/<int:list_id>/handout.pdf"): "viewer",
    ("GET", "/lists/save"): "viewer",
    ("POST", "/lists/save"): "viewer",
    ("GET", "/api/v1/lists"): "viewer",
    ("POST", "/api/v1/lists"): "viewer",
    ("GET", "/api/v1/lists/<int:list_id>"): "viewer",
    ("PATCH", "/api/v1/lists/<int:list_id>"): "viewer",
    ("DELETE", "/api/v1/lists/<int:list_id>"): "viewer",
}


def routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, rule


def test_every_route_is_in_the_table(app):
    found = {(m, r.rule) for m, r in routes(app)}
    assert found == set(ALLOWED), (found - set(ALLOWED), set(ALLOWED) - found)


def _url(rule: str, ids: dict) -> str:
    url = rule.replace("<path:filename>", "app.css")
    return re.sub(r"<(?:int:)?(\w+)>", lambda m: str(ids[m.group(1)]), url)


def _counts():
    return (
        db.session.scalar(select(func.count()).select_from(Organization)),
        db.session.scalar(select(func.count()).select_from(Service)),
        db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action != "login")
        ),
    )


@pytest.mark.parametrize("role", ROLE_ORDER)
def test_each_role_gets_exactly_what_the_table_allows(app, client, login, role):
    service = ServiceFactory()
    note = FeedbackNote(
        service_id=service.id, text="kind staff", outcome="helpful", noted_on=date.today()
    )
    db.session.add(note)
    db.session.commit()
    facility = Facility(organization_id=service.organization_id)
    db.session.add(facility)
    db.session.flush()
    round_ = AssessmentRound(
        facility_id=facility.id,
        instrument="icmec-service-assessment",
        title="Test round",
        started_on=date.today(),
    )
    db.session.add(round_)
    db.session.flush()
    response = Response(round_id=round_.id, respondent_role="nurse", answers={}, ratings={})
    goal = PlanGoal(
        round_id=round_.id, horizon="10_days", section="d01", text="Train", due_on=date.today()
    )
    db.session.add_all([response, goal])
    db.session.commit()
    ids = {
        "service_id": service.id,
        "org_id": service.organization_id,
        "note_id": note.id,
        "referral_id": 999999,
        "facility_id": facility.id,
        "round_id": round_.id,
        "goal_id": goal.id,
        "response_id": response.id,
        "code": "icmec-service-assessment",
        "section": "d01",
        "hsds_id": service.hsds_id,
        "user_id": 999999,
        "request_id": 999999,
        "job_id": 999999,
        "message_id": 999999,
        "list_id": 999999,
    }
    if role != "anonymous":
        login(role)
    for (method, rule), needed in ALLOWED.items():
        if needed is None or rule == "/logout":
            continue
        allowed = role != "anonymous" and ROLE_ORDER.index(role) >= ROLE_ORDER.index(needed)
        before = _counts()
        url = _url(rule, ids) + (f"?service_id={service.id}" if rule == "/referrals/new" else "")
        response = client.open(
            url,
            method=method,
            json={} if "/api/" in rule else None,
            data=None if "/api/" in rule else {},
        )
        code = response.status_code
        if allowed:
            assert code not in (401, 403), (method, rule, role, code)
            assert code < 500, (method, rule, role, code)
            assert not (code == 302 and "/login" in response.headers.get("Location", "")), (
                method,
                rule,
                role,
            )
            continue
        if role == "anonymous":
            if rule.startswith("/api/"):
                assert code == 401, (method, rule, code)
            else:
                assert code == 302, (method, rule, code)
                assert "/login" in response.headers["Location"]
        else:
            assert code == 403, (method, rule, role, code)
        assert _counts() == before, (method, rule, role)


def test_api_refuses_a_bad_token(client):
    response = client.get("/api/v1/services", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert response.get_json()["code"] == 401


def test_tokens_do_not_open_pages(client, token):
    headers = token("admin")
    response = client.get("/", headers=headers)
    assert response.status_code == 302


def test_a_token_beside_a_session_is_judged_alone(client, login, token):
    """A request that names its credentials gets their rights, not the cookie's: an
    admin's browser session does not lift a viewer's token, nor rescue a bad one."""
    login("admin")
    service = ServiceFactory()
    db.session.commit()
    verify = f"/api/v1/services/{service.id}/verify"
    assert client.post(verify, headers=token("viewer")).status_code == 403
    bad = client.get("/api/v1/services", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    basic = client.get("/api/v1/services", headers={"Authorization": "Basic YTpi"})
    assert basic.status_code == 401
    assert client.post(verify, headers=token("coordinator")).status_code == 200
    assert client.get("/api/v1/services").status_code == 200  # the session alone still works
