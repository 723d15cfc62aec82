"""What a hostile reading of the referral loop found, each fixed and stated here: a
consent past its end stops the sharing (open referrals cancelled, content purged); the
inbox follows the organization the client consented to, not wherever the service moved;
a deactivated partner's link opens nothing; a code typed on a Cyrillic keyboard is a 422;
the client's needs never reach the audit log; open referrals are never pushed out of a
busy inbox by closed ones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import time_machine
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent
from directory.referrals.models import Referral
from tests.factories import OrganizationFactory
from tests.web.test_loop import _inbox_token, _org, _send, _set_state


def test_a_consent_past_its_end_cancels_and_purges_its_open_referrals(app, api, partner):
    org, service = _org()
    secret = _inbox_token(api, org.id)
    end = date.today() + timedelta(days=1)
    sent = _send(api("case_manager"), service.id, consent_expires_on=end.isoformat())
    url = f"/api/v1/inbox/{secret}/referrals/{sent['id']}"
    assert partner("POST", url, {"state": "accepted"}).status_code == 200  # open, answered
    # two days on, past the consent's last day: the scheduled expiry run ends the sharing
    later = datetime.combine(end + timedelta(days=1), datetime.min.time(), UTC) + timedelta(
        hours=18
    )
    with time_machine.travel(later, tick=False):
        result = app.test_cli_runner().invoke(args=["referrals", "expire"])
        assert result.exit_code == 0, result.output
        listed = partner("GET", f"/api/v1/inbox/{secret}/referrals")
        assert listed.get_json() == []
        acted = partner("POST", url, {"state": "waitlisted"})
        assert acted.status_code == 404
    db.session.expire_all()
    referral = db.session.get(Referral, sent["id"])
    assert referral.loop_state == "cancelled"
    assert referral.loop_reason_code == "consent_expired"
    assert referral.purged_at is not None
    assert referral.case_reference is None
    assert referral.needs_language is None
    assert referral.urgency is None


def test_the_inbox_follows_the_consent_not_a_moved_service(app, api, partner):
    org, service = _org()
    secret = _inbox_token(api, org.id)
    sent = _send(api("case_manager"), service.id)
    other = OrganizationFactory(name="Elsewhere Org", email="in@elsewhere.example")
    db.session.commit()
    other_secret = _inbox_token(api, other.id)
    service.organization_id = other.id  # a careless edit moves the service
    db.session.commit()
    assert partner("GET", f"/api/v1/inbox/{other_secret}/referrals").get_json() == []
    moved = partner(
        "POST", f"/api/v1/inbox/{other_secret}/referrals/{sent['id']}", {"state": "accepted"}
    )
    assert moved.status_code == 404
    (kept,) = partner("GET", f"/api/v1/inbox/{secret}/referrals").get_json()
    assert kept["id"] == sent["id"]


def test_a_deactivated_partners_inbox_link_opens_nothing(app, api, partner, client):
    org, service = _org()
    secret = _inbox_token(api, org.id)
    _send(api("case_manager"), service.id)
    org.status = "inactive"
    db.session.commit()
    assert partner("GET", f"/api/v1/inbox/{secret}/referrals").status_code == 404
    page = client.get(f"/inbox/{secret}")
    assert page.status_code in (404, 410)


def test_an_arrival_code_typed_in_cyrillic_is_a_422_naming_it(app, api, partner):
    org, service = _org()
    secret = _inbox_token(api, org.id)
    sent = _send(api("case_manager"), service.id)
    url = f"/api/v1/inbox/{secret}/referrals/{sent['id']}"
    assert partner("POST", url, {"state": "accepted"}).status_code == 200
    typed = partner("POST", url, {"state": "arrived", "arrival_code": "АВС2-3456"})
    assert typed.status_code == 422, typed.get_data(as_text=True)[:300]
    assert "arrival_code" in typed.get_json()["errors"]


def test_the_clients_needs_never_reach_the_audit_log(app, api):
    org, service = _org()
    _send(api("case_manager"), service.id)
    entries = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "referrals")
    ).all()
    changes = [e.changes or {} for e in entries]
    assert any("needs_language" in c for c in changes)  # the change is recorded ...
    for c in changes:
        for key in ("needs_language", "needs_interpreter", "urgency", "first_contact"):
            if key in c:
                assert c[key] == "(changed)", (key, c[key])  # ... never its value


def test_open_referrals_come_first_even_past_the_inbox_limit(app, api):
    from directory.referrals import disclosure

    org, service = _org()
    cm = api("case_manager")
    first = _send(cm, service.id)  # the oldest, still open
    for _ in range(3):
        _set_state(_send(cm, service.id)["id"], "completed")
    listed = disclosure.inbox(db.session, org.id, limit=2)
    assert listed[0].id == first["id"]
