"""Partners keep their listings current (#20), against a real SMTP server (aiosmtpd on
127.0.0.1): the message arrives, its link works once, suggestions reach the coordinator,
acceptance changes the record with an audit entry, rejection changes nothing, replay and
expiry are refused, and the partner page holds no withheld address and no other
organization's data."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, OutboxMessage
from directory.aaaq_records import FeedbackNote
from directory.models import Service
from directory.partners.models import PartnerLink, UpdateRequest
from tests.factories import LocationFactory, OrganizationFactory, PhoneFactory, ServiceFactory
from tests.mailserver import smtp_server

LINK = re.compile(r"http://partners\.example/partner/([A-Za-z0-9_-]+)")


@pytest.fixture
def smtp(app):
    """A real SMTP server on a free port of 127.0.0.1, the app configured to use it."""
    with smtp_server(
        app,
        MAIL_DEFAULT_SENDER="directory@network.example",
        PUBLIC_BASE_URL="http://partners.example",
    ) as inbox:
        yield inbox


def _text(msg) -> str:
    return msg.get_body(preferencelist=("plain",)).get_content()


def _shelter():
    """A partner with a withheld shelter and an open clinic; and another partner."""
    org = OrganizationFactory(email="intake@partner.example", name="Harbor House")
    hidden = LocationFactory(
        organization=org, address_1="77 Secret Lane", postal_code="60699", confidential=True
    )
    shelter = ServiceFactory(
        organization=org,
        location=hidden,
        name="Harbor night shelter",
        category="shelter.adults_hte",
    )
    clinic = ServiceFactory(organization=org, name="Harbor clinic", category="health.free_clinic")
    PhoneFactory(service=shelter, number="+13125550111")
    other = ServiceFactory(name="Other partner's pantry", description="OTHER-ORG-TEXT")
    db.session.add(
        FeedbackNote(
            service_id=shelter.id, text="FEEDBACK-TEXT", outcome="helpful", noted_on=date.today()
        )
    )
    db.session.commit()
    return org, shelter, clinic, other


def _send(client, token, org_id) -> str:
    response = client.post(f"/api/v1/organizations/{org_id}/update-requests", headers=token)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_request_arrives_and_all_correct_works_once(app, client, token, smtp):
    org, shelter, clinic, other = _shelter()
    body = _send(client, token("coordinator"), org.id)
    assert body["sent_to"] == "intake@partner.example"
    assert body["expires_at"]
    assert len(smtp.messages) == 1
    msg = smtp.messages[0]
    assert msg["To"] == "intake@partner.example"
    assert msg.get_body(preferencelist=("html",)) is not None
    secret = LINK.search(_text(msg)).group(1)
    stored = db.session.scalars(select(PartnerLink.token_hash)).all()
    assert secret not in stored
    assert len(stored) == 1  # only the hash is kept

    page = client.get(f"/partner/{secret}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Harbor night shelter" in html
    assert "Harbor clinic" in html
    assert "77 Secret Lane" not in html, html
    assert "60699" not in html
    assert "OTHER-ORG-TEXT" not in html
    assert "pantry" not in html
    assert "FEEDBACK-TEXT" not in html

    done = client.post(f"/partner/{secret}/confirm")
    assert done.status_code == 200
    for s in (shelter, clinic):
        db.session.refresh(s)
        assert s.last_verified == date.today()
        assert s.verified_via == "partner link"
    db.session.refresh(other)
    assert other.last_verified is None
    events = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.object_type == "services", AuditEvent.action == "update"
        )
    ).all()
    assert events
    assert all("partner of organization" in e.actor for e in events)

    assert client.post(f"/partner/{secret}/confirm").status_code == 404  # no replay
    gone = client.get(f"/partner/{secret}")
    assert gone.status_code == 404
    assert "new link" in gone.get_data(as_text=True)
    listed = client.get("/api/v1/update-requests?status=answered", headers=token("coordinator"))
    assert listed.get_json()["total"] == 1


def test_suggestion_accepted_and_rejected(app, client, token, smtp, login):
    org, shelter, clinic, _other = _shelter()
    headers = token("coordinator")
    _send(client, headers, org.id)
    secret = LINK.search(_text(smtp.messages[0])).group(1)
    s, c = f"s{shelter.id}.", f"s{clinic.id}."
    form = {
        s + "hours": "Mon-Fri 08:00-20:00",
        s + "walk_in": "true",
        s + "cost": "free",
        s + "capacity_available": "3",
        s + "capacity_maximum": "12",
        s + "capacity_unit": "beds",
        s + "address_ok": "no",
        s + "address_1": "12 New Road",
        s + "city": "Chicago",
        s + "postal_code": "60602",
        c + "description": "Free clinic, walk in.",
        "note": "We moved in March.",
    }
    assert client.post(f"/partner/{secret}/suggest", data=form).status_code == 200
    assert client.post(f"/partner/{secret}/suggest", data=form).status_code == 404

    listed = client.get("/api/v1/update-requests?status=answered", headers=headers).get_json()
    req = listed["items"][0]
    assert req["pending"] == 6
    assert req["note"] == "We moved in March."
    by_field = {x["field"]: x for x in req["suggestions"]}
    assert by_field["walk_in"]["now"] == "not stated"
    assert by_field["walk_in"]["proposed"] == "Yes"
    assert by_field["address"]["seen"] == "(not shown)"

    accept = [by_field[f]["id"] for f in ("hours", "walk_in", "address", "capacity")]
    reject = [by_field[f]["id"] for f in ("cost", "description")]
    versions = {str(shelter.id): shelter.version}
    answer = client.post(
        f"/api/v1/update-requests/{req['id']}/decisions",
        json={"accepted": accept, "rejected": reject, "versions": versions},
        headers=headers,
    )
    assert answer.status_code == 200, answer.get_json()
    db.session.expire_all()
    shelter, clinic = db.session.get(Service, shelter.id), db.session.get(Service, clinic.id)
    assert shelter.walk_in is True
    assert shelter.cost is None  # rejected: unchanged
    assert [(h.weekday, h.opens, h.closes) for h in shelter.hours][0] == (0, 480, 1200)
    assert shelter.capacity_available == 3
    assert shelter.capacity_maximum == 12
    assert shelter.location.address_1 == "12 New Road"
    assert shelter.location.confidential is True  # a new address stays withheld
    seen = client.get(f"/api/v1/services/{shelter.id}", headers=token("viewer")).get_json()
    assert seen["address"] is None
    assert "12 New Road" not in json.dumps(seen)  # nor does a viewer read it
    assert clinic.description == "A test service."
    assert shelter.last_verified == date.today()
    approved = db.session.scalars(
        select(AuditEvent).where(AuditEvent.detail.like("proposed by the partner via link%"))
    ).all()
    assert approved
    assert all("approved by coordinator@test.example" in e.detail for e in approved)
    assert {e.object_type for e in approved} >= {"services", "locations"}

    again = client.post(
        f"/api/v1/update-requests/{req['id']}/decisions",
        json={"accepted": accept, "versions": versions},
        headers=headers,
    )
    assert again.status_code == 422


def test_stale_version_is_refused(app, client, token, smtp):
    org, shelter, _clinic, _other = _shelter()
    headers = token("coordinator")
    _send(client, headers, org.id)
    secret = LINK.search(_text(smtp.messages[0])).group(1)
    client.post(f"/partner/{secret}/suggest", data={f"s{shelter.id}.walk_in": "false"})
    req = client.get("/api/v1/update-requests?status=answered", headers=headers).get_json()[
        "items"
    ][0]
    answer = client.post(
        f"/api/v1/update-requests/{req['id']}/decisions",
        json={"accepted": [req["suggestions"][0]["id"]], "versions": {str(shelter.id): 999}},
        headers=headers,
    )
    assert answer.status_code == 409
    db.session.expire_all()
    assert db.session.get(Service, shelter.id).walk_in is None


def test_invalid_suggestion_is_shown_not_stored(app, client, token, smtp):
    org, shelter, _clinic, _other = _shelter()
    _send(client, token("coordinator"), org.id)
    secret = LINK.search(_text(smtp.messages[0])).group(1)
    bad = client.post(f"/partner/{secret}/suggest", data={f"s{shelter.id}.hours": "whenever"})
    assert bad.status_code == 422
    assert "Mon-Fri 09:00-17:00" in bad.get_data(as_text=True)
    nothing = client.post(f"/partner/{secret}/suggest", data={})
    assert nothing.status_code == 422
    assert client.get(f"/partner/{secret}").status_code == 200  # the link is not spent


def test_expired_and_superseded_links_are_refused(app, client, token, smtp):
    org, *_ = _shelter()
    headers = token("coordinator")
    _send(client, headers, org.id)
    first = LINK.search(_text(smtp.messages[0])).group(1)
    _send(client, headers, org.id)
    second = LINK.search(_text(smtp.messages[1])).group(1)
    assert client.get(f"/partner/{first}").status_code == 404  # a new request revokes
    assert client.get(f"/partner/{second}").status_code == 200
    with time_machine.travel(datetime.now(UTC) + timedelta(days=31)):
        assert client.get(f"/partner/{second}").status_code == 404
        overdue = client.get("/api/v1/update-requests?status=overdue", headers=headers)
        assert overdue.get_json()["total"] == 1
    assert client.get("/partner/not-a-token").status_code == 404


def test_discreet_partner_gets_a_neutral_subject_in_its_language(app, client, token, smtp):
    org, *_ = _shelter()
    org.discreet_mail, org.language = True, "es"
    db.session.commit()
    _send(client, token("coordinator"), org.id)
    msg = smtp.messages[0]
    text = _text(msg).lower()
    assert msg["Subject"] == "Por favor revise su ficha"
    for word in ("traffick", "trata", "shelter", "harbor", "referral network directory"):
        assert word not in msg["Subject"].lower()
        assert word not in text.split("http")[0]


def test_capacity_link_updates_at_once_and_can_be_revoked(app, client, token, smtp):
    org, shelter, _clinic, other = _shelter()
    headers = token("coordinator")
    assert (
        client.post(f"/api/v1/organizations/{org.id}/capacity-links", headers=headers).status_code
        == 201
    )
    secret = LINK.search(_text(smtp.messages[0])).group(1)
    assert client.get(f"/partner/{secret}").status_code == 200
    posted = client.post(
        f"/partner/{secret}/capacity",
        data={"service_id": shelter.id, "available": "3", "maximum": "10", "unit": "beds"},
    )
    assert posted.status_code == 303
    db.session.expire_all()
    assert db.session.get(Service, shelter.id).capacity_available == 3
    foreign = client.post(
        f"/partner/{secret}/capacity", data={"service_id": other.id, "available": "1"}
    )
    assert foreign.status_code == 404
    assert client.post(f"/partner/{secret}/confirm").status_code == 404  # wrong purpose
    client.delete(f"/api/v1/organizations/{org.id}/capacity-links", headers=headers)
    assert client.get(f"/partner/{secret}").status_code == 404


def test_without_mail_server_the_outbox_holds_it(app, client, token, login):
    org, *_ = _shelter()
    _send(client, token("coordinator"), org.id)
    assert db.session.scalar(select(OutboxMessage.recipient)) == "intake@partner.example"
    login("admin")
    page = client.get("/admin/outbox")
    assert page.status_code == 200
    assert "/partner/" in page.get_data(as_text=True)


def test_command_sends_to_due_partners_and_reminds(app, smtp):
    org, shelter, clinic, other = _shelter()
    other.organization.email = "pantry@other.example"
    other.last_verified = date.today()
    db.session.commit()
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["directory", "request-updates", "--due", "--dry-run"])
    assert "Harbor House" in dry.output
    assert "pantry" not in dry.output
    assert not smtp.messages
    runner.invoke(args=["directory", "request-updates", "--due"])
    assert [m["To"] for m in smtp.messages] == ["intake@partner.example"]
    runner.invoke(args=["directory", "request-updates", "--due"])
    assert len(smtp.messages) == 1  # still waiting: not sent again
    with time_machine.travel(datetime.now(UTC) + timedelta(days=15)):
        runner.invoke(args=["directory", "request-updates", "--due"])
    assert len(smtp.messages) == 2
    assert smtp.messages[1]["Subject"].startswith("Reminder")
    req = db.session.scalar(select(UpdateRequest))
    assert req.reminded_at is not None


def test_partner_pages_are_rate_limited(database_url):
    from app import create_app
    from app.config import config_for_tests

    limited = create_app(
        {
            **config_for_tests(database_url),
            "RATELIMIT_ENABLED": True,
            "PARTNER_RATE_LIMIT": "3/minute",
        }
    )
    client = limited.test_client()
    codes = [client.get("/partner/guessed-token").status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]
