"""Warm hand-off referrals: create, follow up, close; identifier checks; who sees what;
the due list over time; the connection-rate arithmetic; unmet searches."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent
from directory.models import UnmetSearch
from directory.referrals.models import Referral
from tests.factories import ServiceFactory


@pytest.fixture
def as_role(client, token):
    def make(role):
        headers = token(role)

        def call(method, url, json=None):
            return client.open(url, method=method, json=json, headers=headers)

        return call

    return make


def body(service_id, **kw):
    return {
        "service_id": service_id,
        "case_reference": "HT-2026-014",
        "handoff": "warm_call",
        "consent": True,
        **kw,
    }


def test_create_follow_up_and_close(as_role):
    s = ServiceFactory(category="legal.aid")
    cm = as_role("case_manager")
    created = cm("POST", "/api/v1/referrals", body(s.id, interpreter_language="tir"))
    assert created.status_code == 201, created.get_json()
    r = created.get_json()
    assert r["status"] == "pending"
    assert r["need"] == "legal.aid"  # defaults to the service's category
    assert r["interpreter_language"] == "ti"
    assert r["follow_up_on"] == (date.today() + timedelta(days=7)).isoformat()
    closed = cm(
        "PATCH",
        f"/api/v1/referrals/{r['id']}",
        {"status": "connected", "outcome_note": "got an appointment", "version": 1},
    )
    assert closed.status_code == 200, closed.get_json()
    assert closed.get_json()["closed_on"] == date.today().isoformat()
    back = cm("PATCH", f"/api/v1/referrals/{r['id']}", {"status": "pending", "version": 2})
    assert back.status_code == 422
    assert "status" in back.get_json()["errors"]
    stale = cm("PATCH", f"/api/v1/referrals/{r['id']}", {"status": "declined", "version": 1})
    assert stale.status_code == 409


@pytest.mark.parametrize(
    "ref",
    [
        "Maria Lopez",
        "maria",
        "3125550123",
        "(312) 555-0123",
        "ana@mail.example",
        "1999-03-04",
        "03/04/1999",
        "12-03-1999",
        "x",
    ],
)
def test_case_reference_cannot_identify_the_client(as_role, ref):
    s = ServiceFactory()
    response = as_role("case_manager")("POST", "/api/v1/referrals", body(s.id, case_reference=ref))
    assert response.status_code == 422
    assert "case_reference" in response.get_json()["errors"]
    assert db.session.scalar(select(Referral)) is None


@pytest.mark.parametrize("ref", ["HT-2026-014", "HT-7", "CASE-88", "LFN-2025-0042"])
def test_ordinary_case_codes_pass(as_role, ref):
    s = ServiceFactory()
    response = as_role("case_manager")("POST", "/api/v1/referrals", body(s.id, case_reference=ref))
    assert response.status_code == 201, response.get_json()


@pytest.mark.parametrize(
    "ref",
    [
        "HT-123-45-6789",
        "SSN-123-45-6789",
        "CURP-GOLM850314",
        "C1234",
        "2026/0042",
        "NW.17#3",
        "CASE_88",
        "HT-1985-0314",
    ],
)
def test_only_the_networks_case_code_is_stored(as_role, ref):
    """Whatever a case reference holds, only the configured shape is accepted (#30)."""
    s = ServiceFactory()
    response = as_role("case_manager")("POST", "/api/v1/referrals", body(s.id, case_reference=ref))
    assert response.status_code == 422
    assert "case_reference" in response.get_json()["errors"]
    assert db.session.scalar(select(Referral)) is None


def test_case_reference_pattern_from_the_configuration(app, as_role):
    app.config["CASE_REFERENCE_PATTERN"] = r"^NW\.\d{2}#\d{1,3}$"
    s = ServiceFactory()
    cm = as_role("case_manager")
    assert cm("POST", "/api/v1/referrals", body(s.id, case_reference="NW.17#3")).status_code == 201
    refused = cm("POST", "/api/v1/referrals", body(s.id, case_reference="HT-2026-014"))
    assert refused.status_code == 422


def test_bad_referrals_name_each_field(as_role):
    s = ServiceFactory()
    cm = as_role("case_manager")
    response = cm(
        "POST",
        "/api/v1/referrals",
        body(
            s.id,
            consent=False,
            follow_up_on=(date.today() - timedelta(days=1)).isoformat(),
            outcome_note="Mr Lopez will call",
        ),
    )
    errors = response.get_json()["errors"]
    assert set(errors) == {"consent", "follow_up_on", "outcome_note"}
    missing = cm("POST", "/api/v1/referrals", {"service_id": s.id})
    assert set(missing.get_json()["errors"]) == {"case_reference", "handoff", "consent"}
    bad_handoff = cm("POST", "/api/v1/referrals", body(s.id, handoff="email"))
    assert "handoff" in bad_handoff.get_json()["errors"]
    r = cm("POST", "/api/v1/referrals", body(s.id)).get_json()
    no_reason = cm(
        "PATCH", f"/api/v1/referrals/{r['id']}", {"status": "not_connected", "version": 1}
    )
    assert "not_connected_reason" in no_reason.get_json()["errors"]


def test_case_managers_see_only_their_own(as_role):
    s = ServiceFactory()
    a = as_role("case_manager")
    b = as_role("case_manager_b")
    mine = a("POST", "/api/v1/referrals", body(s.id)).get_json()
    assert b("GET", f"/api/v1/referrals/{mine['id']}").status_code == 404
    assert (
        b(
            "PATCH", f"/api/v1/referrals/{mine['id']}", {"status": "declined", "version": 1}
        ).status_code
        == 404
    )
    assert b("GET", "/api/v1/referrals").get_json() == []
    assert [r["id"] for r in a("GET", "/api/v1/referrals").get_json()] == [mine["id"]]
    coordinator = as_role("coordinator")
    assert coordinator("GET", f"/api/v1/referrals/{mine['id']}").status_code == 200
    assert as_role("viewer")("GET", "/api/v1/referrals").status_code == 403
    db.session.expire_all()
    assert db.session.get(Referral, mine["id"]).status == "pending"
    refused = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.object_type == "referrals", AuditEvent.outcome == "refused"
        )
    ).all()
    assert len(refused) == 2


def test_due_list_over_time(as_role):
    s = ServiceFactory()
    cm = as_role("case_manager")
    with time_machine.travel(datetime(2026, 11, 2, 15, 0, tzinfo=UTC), tick=False):
        soon = cm("POST", "/api/v1/referrals", body(s.id, case_reference="C-1")).get_json()
        later = cm(
            "POST", "/api/v1/referrals", body(s.id, case_reference="C-2", follow_up_on="2026-11-20")
        ).get_json()
        assert cm("GET", "/api/v1/referrals?due=true").get_json() == []
    with time_machine.travel(datetime(2026, 11, 9, 15, 0, tzinfo=UTC), tick=False):
        due = cm("GET", "/api/v1/referrals?due=true").get_json()
        assert [r["case_reference"] for r in due] == ["C-1"]
    with time_machine.travel(datetime(2026, 11, 25, 15, 0, tzinfo=UTC), tick=False):
        due = cm("GET", "/api/v1/referrals?due=true").get_json()
        assert [r["case_reference"] for r in due] == ["C-1", "C-2"]  # oldest first
        cm("PATCH", f"/api/v1/referrals/{soon['id']}", {"status": "connected", "version": 1})
        due = cm("GET", "/api/v1/referrals?due=true").get_json()
        assert [r["id"] for r in due] == [later["id"]]


def test_connection_rate_arithmetic_and_figures(as_role):
    s = ServiceFactory(category="shelter.children")
    other = ServiceFactory(category="food")
    cm = as_role("case_manager")
    outcomes = ["connected", "connected", "connected", "not_connected", "declined", None]
    for i, outcome in enumerate(outcomes):
        r = cm("POST", "/api/v1/referrals", body(s.id, case_reference=f"R-{i}")).get_json()
        if outcome:
            extra = {"not_connected_reason": "no_capacity"} if outcome == "not_connected" else {}
            cm("PATCH", f"/api/v1/referrals/{r['id']}", {"status": outcome, "version": 1, **extra})
    cm("POST", "/api/v1/referrals", body(other.id, case_reference="F-1"))
    item = cm("GET", f"/api/v1/services/{s.id}").get_json()
    # 6 referrals, 5 with an outcome, 3 connected: 3 / 5 = 0.6 (pending excluded)
    assert item["referrals"] == {"count": 6, "closed": 5, "connection_rate": 0.6}
    figures = as_role("coordinator")("GET", "/api/v1/referrals/figures").get_json()
    month = date.today().isoformat()[:7]
    rows = {r["group"]: r for r in figures["by_month"] if r["month"] == month}
    assert rows["shelters"]["referrals"] == 6
    assert rows["shelters"]["connection_rate"] == 0.6
    assert rows["food"]["referrals"] == 1
    assert rows["food"]["connection_rate"] is None
    assert figures["totals"] == {
        "referrals": 7,
        "closed": 5,
        "connected": 3,
        "connection_rate": 0.6,
    }


def test_no_capacity_outcome_flags_the_record_for_review(as_role):
    s = ServiceFactory(name="Full shelter", last_verified=date.today() - timedelta(days=3))
    cm = as_role("case_manager")
    r = cm("POST", "/api/v1/referrals", body(s.id)).get_json()
    cm(
        "PATCH",
        f"/api/v1/referrals/{r['id']}",
        {"status": "not_connected", "not_connected_reason": "no_capacity", "version": 1},
    )
    queue = as_role("coordinator")("GET", "/api/v1/review-queue").get_json()
    assert queue[0]["service"]["name"] == "Full shelter"
    assert queue[0]["reasons"][0].startswith("referral outcome: no capacity")


def test_searches_that_found_nothing_are_counted_without_client_details(as_role, client):
    ServiceFactory(category="food", languages="en")
    viewer = as_role("viewer")
    viewer("GET", "/api/v1/services?category=shelter.males&language=ti&q=maria&near=60601")
    viewer("GET", "/api/v1/services?category=shelter.males&language=ti&q=other&near=60601")
    viewer("GET", "/api/v1/services?category=food")  # found something: not counted
    rows = db.session.scalars(select(UnmetSearch)).all()
    assert len(rows) == 2
    assert rows[0].categories == "shelter.males"
    assert "languages=ti" in rows[0].filters
    assert "maria" not in rows[0].filters
    assert "60601" not in rows[0].filters
    figures = as_role("coordinator")("GET", "/api/v1/referrals/figures").get_json()
    assert figures["unmet"][0]["searches"] == 2


def test_referral_pages(client, login):
    s = ServiceFactory(name="Legal clinic", handoff_name="Ana (test)")
    login("case_manager")
    form = client.get(f"/referrals/new?service_id={s.id}").get_data(as_text=True)
    assert "Ana (test)" in form
    assert "Warm hand-off" in form
    bad = client.post(
        f"/referrals/new?service_id={s.id}",
        data={"service_id": s.id, "case_reference": "Maria Lopez", "handoff": "warm_call"},
    )
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert 'id="case_reference-error"' in page
    assert 'id="consent-error"' in page
    ok = client.post(
        f"/referrals/new?service_id={s.id}",
        data={
            "service_id": s.id,
            "case_reference": "HT-7",
            "handoff": "accompanied",
            "consent": "true",
            "need": "legal.aid",
        },
    )
    assert ok.status_code == 302
    referral = db.session.scalar(select(Referral))
    follow = client.post(
        f"/referrals/{referral.id}",
        data={"status": "not_connected", "not_connected_reason": "not_eligible", "version": "1"},
    )
    assert follow.status_code == 302
    listing = client.get("/referrals").get_data(as_text=True)
    assert "HT-7" in listing
    assert "not connected" in listing
    login("case_manager_b")
    assert client.get(f"/referrals/{referral.id}").status_code == 404
    login("coordinator")
    csv = client.get("/referrals/figures.csv").get_data(as_text=True)
    assert (
        csv.removeprefix("\ufeff").splitlines()[0]
        == "month,group,referrals,closed,connected,connection_rate"
    )
    assert "HT-7" not in csv


def test_refused_referral_form_has_a_linked_error_summary_and_invalid_fields(client, login):
    """An empty referral form (#28): the refusals listed at the top in a summary that takes
    focus (``data-focus``), each a link to its field; the refused field is aria-invalid and
    its hint and error are tied to it with aria-describedby."""
    service = ServiceFactory()
    db.session.commit()
    login("case_manager")
    page = client.post("/referrals/new", data={"service_id": service.id})
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert '<div class="error-summary" role="alert" tabindex="-1" data-focus>' in html
    assert 'href="#f-case_reference"' in html
    field = html[html.index('<input id="f-case_reference"') :]
    field = field[: field.index(">")]
    assert 'aria-invalid="true"' in field
    assert "aria-describedby=" in field
