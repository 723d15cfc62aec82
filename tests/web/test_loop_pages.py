"""The referral loop through the pages (#26): a case manager sends from the referral form,
the partner answers on its inbox page (in Spanish), the sender's page shows each step; the
consent receipt prints in en/es/fr and as a one-page PDF; the partner's organization page
shows the funnel; capacity carries the time the partner stated it and goes stale."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta

import flask_babel
import pytest
import time_machine
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage
from directory.models import Service
from directory.referrals.models import Referral, ReferralEvent
from tests.factories import OrganizationFactory, ServiceFactory

CASE_REF = "HT-2026-900"


def _org(**kw):
    org = OrganizationFactory(name="Casa Refugio", email="intake@casa.example", **kw)
    service = ServiceFactory(
        organization=org, name="Refugio nocturno", category="shelter.adults_hte"
    )
    db.session.commit()
    return org, service


def _inbox_link(client, login, org_id) -> str:
    login("coordinator")
    done = client.post(f"/organizations/{org_id}/inbox-link", follow_redirects=True)
    found = re.search(r"/inbox/([A-Za-z0-9_-]{20,})", done.get_data(as_text=True))
    assert found, done.get_data(as_text=True)
    client.post("/logout")
    return found.group(1)


def _send_form(client, service_id, **kw):
    form = {
        "service_id": str(service_id),
        "case_reference": CASE_REF,
        "handoff": "warm_call",
        "consent": "true",
        "send": "true",
        "urgency": "now",
        "first_contact": "case_manager",
        "needs.language": "es",
        "needs.interpreter": "false",
        "needs.accessibility": "",
        "follow_up_on": (date.today() + timedelta(days=3)).isoformat(),
        **kw,
    }
    return client.post(f"/referrals/new?service_id={service_id}", data=form)


def test_send_answer_and_see_it_through_the_pages(client, login):
    org, service = _org()
    token = _inbox_link(client, login, org.id)
    login("case_manager")
    sent = _send_form(client, service.id)
    assert sent.status_code == 302, sent.get_data(as_text=True)
    referral = db.session.scalars(select(Referral)).one()
    page = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert referral.arrival_code in page
    assert 'data-loop-state="sent"' in page
    client.post("/logout")

    es = {"Accept-Language": "es"}
    # the test's app context outlives requests: forget the English translations it cached
    flask_babel.refresh()
    inbox = client.get(f"/inbox/{token}", headers=es)
    assert inbox.status_code == 200
    html = inbox.get_data(as_text=True)
    assert 'lang="es"' in html
    assert "Aceptar" in html
    assert "Refugio nocturno" in html
    assert CASE_REF not in html
    assert referral.arrival_code not in html
    act = f"/inbox/{token}/referrals/{referral.id}"
    assert client.post(act, data={"state": "accepted"}, headers=es).status_code == 303
    wrong = client.post(act, data={"state": "arrived", "arrival_code": "ZZZZZZZZ"}, headers=es)
    assert wrong.status_code == 422
    assert "arrival" in wrong.get_data(as_text=True).lower() or "llegada" in wrong.get_data(
        as_text=True
    )
    ok = client.post(
        act, data={"state": "arrived", "arrival_code": referral.arrival_code}, headers=es
    )
    assert ok.status_code == 303
    forbidden = client.post(act, data={"state": "cancelled"}, headers=es)
    assert forbidden.status_code == 403

    login("case_manager")
    db.session.expire_all()
    assert db.session.get(Referral, referral.id).sender_unseen is True
    mine = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert 'data-loop-state="arrived"' in mine
    assert db.session.get(Referral, referral.id).sender_unseen is False


def test_the_form_names_each_missing_sending_field(client, login):
    _org_, service = _org()
    login("case_manager")
    refused = _send_form(client, service.id, urgency="", first_contact="")
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'id="urgency-error"' in html
    assert 'id="first_contact-error"' in html
    assert db.session.scalar(select(Referral.id)) is None


def test_sender_cancels_and_withdraws_consent_on_the_page(client, login):
    org, service = _org()
    login("case_manager")
    _send_form(client, service.id)
    referral = db.session.scalars(select(Referral)).one()
    assert client.post(f"/referrals/{referral.id}/cancel").status_code == 302
    db.session.expire_all()
    assert db.session.get(Referral, referral.id).loop_state == "cancelled"
    assert client.post(f"/referrals/{referral.id}/revoke-consent").status_code == 302
    db.session.expire_all()
    r = db.session.get(Referral, referral.id)
    assert r.case_reference is None
    assert r.purged_at is not None
    page = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert CASE_REF not in page


@pytest.mark.parametrize(
    ("lang", "title"),
    [
        ("en", "Consent to share a referral"),
        ("es", "Consentimiento para compartir una derivación"),
        ("fr", "Consentement au partage d’une orientation"),
    ],
)
def test_consent_receipt_prints_in_three_languages_on_one_page(client, login, lang, title):
    org, service = _org()
    login("case_manager")
    _send_form(client, service.id)
    referral = db.session.scalars(select(Referral)).one()
    html = client.get(f"/referrals/{referral.id}/consent-receipt?lang={lang}")
    assert html.status_code == 200
    text = html.get_data(as_text=True)
    assert title in text
    assert "Casa Refugio" in text
    assert referral.arrival_code in text
    assert CASE_REF not in text
    pdf = client.get(f"/referrals/{referral.id}/consent-receipt.pdf?lang={lang}")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.data))
    assert len(reader.pages) == 1
    assert title.split()[0] in reader.pages[0].extract_text()


def test_organization_page_shows_the_funnel_suppressed(client, login):
    org, _service = _org()
    at = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=2)
    for state, n in (("sent", 6), ("accepted", 5), ("arrived", 2)):
        for _ in range(n):
            db.session.add(
                ReferralEvent(organization_id=org.id, state=state, at=at, actor="receiver")
            )
    db.session.commit()
    login("viewer")
    html = client.get(f"/organizations/{org.id}").get_data(as_text=True)
    assert "Sent 6 → accepted 5 → arrived fewer than 5 → completed 0" in html


# --- capacity: the time the partner stated it ----------------------------------------------


def test_capacity_from_a_suggestion_keeps_the_partners_time_and_goes_stale(client, token):
    org = OrganizationFactory(email="beds@partner.example")
    shelter = ServiceFactory(organization=org, name="Night beds", category="shelter.adults_hte")
    db.session.commit()
    coord = token("coordinator")
    answered = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
    with time_machine.travel(answered - timedelta(hours=1), tick=False):
        sent = client.post(f"/api/v1/organizations/{org.id}/update-requests", headers=coord)
        assert sent.status_code == 201, sent.get_json()
    mail = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == "beds@partner.example")
    ).one()
    secret = re.search(r"/partner/([A-Za-z0-9_-]+)", mail.text_body).group(1)
    with time_machine.travel(answered, tick=False):
        said = client.post(
            f"/partner/{secret}/suggest",
            data={
                f"s{shelter.id}.capacity_available": "4",
                f"s{shelter.id}.capacity_maximum": "10",
                f"s{shelter.id}.capacity_unit": "beds",
            },
        )
        assert said.status_code == 200, said.get_data(as_text=True)
    request_id = sent.get_json()["id"]
    approved = answered + timedelta(days=3, hours=1)  # 73 h after the partner said it
    with time_machine.travel(approved, tick=False):
        diff = client.get(f"/api/v1/update-requests/{request_id}", headers=coord).get_json()
        (row,) = diff["suggestions"]
        done = client.post(
            f"/api/v1/update-requests/{request_id}/decisions",
            json={"accepted": [row["id"]], "versions": {str(shelter.id): row["service_version"]}},
            headers=coord,
        )
        assert done.status_code == 200, done.get_json()
        db.session.expire_all()
        assert db.session.get(Service, shelter.id).capacity_updated_at == datetime(2026, 11, 2, 15)
        item = client.get(f"/api/v1/services/{shelter.id}", headers=coord).get_json()
        assert item["capacity"] is None
        assert item["capacity_stale"] is True
        found = client.get("/api/v1/services?has_capacity=true", headers=coord).get_json()
        assert found["total"] == 0
    with time_machine.travel(answered + timedelta(hours=71), tick=False):
        item = client.get(f"/api/v1/services/{shelter.id}", headers=coord).get_json()
        assert item["capacity"]["available"] == 4
        assert item["capacity"]["updated_at"] == "2026-11-02T15:00:00+00:00"


def test_free_places_stated_from_the_inbox_carry_that_moment(client, login, token):
    org, service = _org()
    secret = _inbox_link(client, login, org.id)
    stated = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)
    with time_machine.travel(stated, tick=False):
        page = client.get(f"/inbox/{secret}").get_data(as_text=True)
        assert 'id="places"' in page
        saved = client.post(
            f"/inbox/{secret}/capacity",
            data={"service_id": str(service.id), "available": "2", "maximum": "8", "unit": "beds"},
        )
        assert saved.status_code == 303
    other = ServiceFactory()
    db.session.commit()
    refused = client.post(
        f"/inbox/{secret}/capacity", data={"service_id": str(other.id), "available": "5"}
    )
    assert refused.status_code == 404  # another organization's service: not on this link
    bad = client.post(
        f"/inbox/{secret}/capacity",
        data={"service_id": str(service.id), "available": "lots"},
        follow_redirects=True,
    )
    assert bad.status_code == 200
    assert "Not saved" in bad.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Service, service.id).capacity_updated_at == datetime(2026, 11, 30, 18)
    assert db.session.get(Service, service.id).capacity_available == 2  # "lots" not saved
    coord = token("coordinator")
    with time_machine.travel(stated + timedelta(hours=71), tick=False):
        login("viewer")  # inside the frozen time: a session opened days earlier has ended
        found = client.get("/api/v1/services?has_capacity=true", headers=coord).get_json()
        assert [i["id"] for i in found["items"]] == [service.id]
        assert "call first" not in client.get("/?q=Refugio").get_data(as_text=True)
    with time_machine.travel(stated + timedelta(hours=73), tick=False):
        found = client.get("/api/v1/services?has_capacity=true", headers=coord).get_json()
        assert found["total"] == 0
        login("viewer")
        listing = client.get("/?q=Refugio").get_data(as_text=True)
        assert "Refugio nocturno" in listing
        assert "capacity unknown — call first" in listing


def test_a_new_inbox_link_is_shown_once_in_the_answer_never_kept_in_the_session(client, login):
    """The session is a signed, not encrypted, cookie: a link flashed there would stay
    readable in the coordinator's browser after the page is gone."""
    org, _service = _org()
    login("coordinator")
    answer = client.post(f"/organizations/{org.id}/inbox-link")
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    found = re.search(r"/inbox/([A-Za-z0-9_-]{20,})", page)
    assert found, page
    assert answer.headers["Cache-Control"] == "no-store"
    with client.session_transaction() as session:
        assert found.group(1) not in repr(dict(session))
    # the organization's page afterwards does not show it again
    again = client.get(f"/organizations/{org.id}").get_data(as_text=True)
    assert found.group(1) not in again
