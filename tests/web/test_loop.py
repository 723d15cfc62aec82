"""The referral loop (#26) over HTTP, on the real database and a real SMTP server: a case
manager sends, the partner (no account, its inbox link) accepts, marks arrived with the
client's arrival code, completes; the sender sees each step. Wrong and replayed arrival
codes, every forbidden transition (403, audited), expiry in business days with the time
frozen (twice at once: once), revoke-and-purge read back from the tables, the funnel's
suppression of small counts, and no client identifier anywhere the partner can reach."""

from __future__ import annotations

import re
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import inspect, select, text, update

from app.extensions import db
from app.models import AuditEvent, OutboxMessage
from directory.referrals import expiry, loop, sending
from directory.referrals.models import Referral, ReferralConsent, ReferralEvent
from tests.factories import OrganizationFactory, ServiceFactory
from tests.mailserver import smtp_server

CASE_REF = "HT-2026-777"
SHARED = "needs and language only"
NOTE = "called the intake desk at noon"
ACCESS = "wheelchair user, step-free entrance"
INBOX_URL = re.compile(r"/inbox/([A-Za-z0-9_-]+)$")


def _org(**kw):
    org = OrganizationFactory(
        name="Harbor House", email="intake@harbor.example", language="en", **kw
    )
    service = ServiceFactory(
        organization=org, name="Harbor night shelter", category="shelter.adults_hte"
    )
    db.session.commit()
    return org, service


def _inbox_token(api, org_id) -> str:
    made = api("coordinator")("POST", f"/api/v1/organizations/{org_id}/inbox-link")
    assert made.status_code == 201, made.get_json()
    return INBOX_URL.search(made.get_json()["url"]).group(1)


def _send_body(service_id, **kw):
    return {
        "service_id": service_id,
        "case_reference": CASE_REF,
        "handoff": "warm_call",
        "consent": True,
        "consent_shared": SHARED,
        "outcome_note": NOTE,
        "send": True,
        "consent_expires_on": (date.today() + timedelta(days=30)).isoformat(),
        "urgency": "today",
        "first_contact": "client",
        "needs": {"language": "es", "interpreter": True, "accessibility": ACCESS},
        **kw,
    }


def _send(cm, service_id, **kw) -> dict:
    sent = cm("POST", "/api/v1/referrals", _send_body(service_id, **kw))
    assert sent.status_code == 201, sent.get_json()
    return sent.get_json()


def _set_state(referral_id: int, state: str) -> None:
    """Test set-up only: put a referral in ``state`` without going through the loop."""
    db.session.execute(update(Referral).where(Referral.id == referral_id).values(loop_state=state))
    db.session.commit()


# --- the whole loop -------------------------------------------------------------------------


def test_whole_loop_through_the_api(app, api, partner):
    org, service = _org()
    secret = _inbox_token(api, org.id)
    cm = api("case_manager")
    sent = _send(cm, service.id)
    loop_block = sent["loop"]
    assert loop_block["state"] == "sent"
    code = loop_block["arrival_code"]
    assert len(code) == 8
    assert code.isalnum()
    assert code.upper() == code
    assert len(loop_block["number"]) == 8
    assert loop_block["consent_expires_on"] == (date.today() + timedelta(days=30)).isoformat()
    assert [e["state"] for e in loop_block["events"]] == ["sent"]

    listed = partner("GET", f"/api/v1/inbox/{secret}/referrals")
    assert listed.status_code == 200, listed.get_json()
    (item,) = listed.get_json()
    assert item["id"] == sent["id"]
    assert item["number"] == loop_block["number"]
    assert item["need"] == "shelter.adults_hte"
    assert item["urgency"] == "today"
    assert item["first_contact"] == "client"
    assert item["needs"] == {"language": "es", "interpreter": True, "accessibility": ACCESS}
    assert item["sender"]["role"] == "case_manager"
    assert sorted(item["allowed"]) == ["accepted", "declined", "waitlisted"]
    for forbidden in ("case_reference", "arrival_code", "outcome_note", "consent_shared"):
        assert forbidden not in item
    raw = listed.get_data(as_text=True)
    assert CASE_REF not in raw
    assert code not in raw
    assert NOTE not in raw
    assert SHARED not in raw

    url = f"/api/v1/inbox/{secret}/referrals/{sent['id']}"
    accepted = partner("POST", url, {"state": "accepted"})
    assert accepted.status_code == 200, accepted.get_json()
    assert accepted.get_json()["state"] == "accepted"
    arrived = partner(
        "POST", url, {"state": "arrived", "arrival_code": code.lower()[:4] + "-" + code[4:]}
    )
    assert arrived.status_code == 200, arrived.get_json()
    done = partner("POST", url, {"state": "completed"})
    assert done.status_code == 200, done.get_json()

    seen = cm("GET", f"/api/v1/referrals/{sent['id']}").get_json()
    assert seen["loop"]["state"] == "completed"
    assert [e["state"] for e in seen["loop"]["events"]] == [
        "sent",
        "accepted",
        "arrived",
        "completed",
    ]
    assert all(e["at"].endswith("+00:00") for e in seen["loop"]["events"])
    assert seen["loop"]["arrival_used"] is True
    # the partner's changes were flagged for the sender, and reading clears the flag
    assert seen["unseen_update"] is False
    assert db.session.get(Referral, sent["id"]).sender_unseen is False


def test_sending_needs_urgency_first_contact_and_a_live_consent(api):
    _org_, service = _org()
    cm = api("case_manager")
    body = _send_body(service.id, consent_expires_on="2020-01-01")
    del body["urgency"], body["first_contact"]
    refused = cm("POST", "/api/v1/referrals", body)
    assert refused.status_code == 422
    assert set(refused.get_json()["errors"]) == {"urgency", "first_contact", "consent_expires_on"}
    named = cm(
        "POST",
        "/api/v1/referrals",
        _send_body(service.id, needs={"accessibility": "call Maria Lopez on 312 555 0123"}),
    )
    assert named.status_code == 422
    assert "needs.accessibility" in named.get_json()["errors"]
    assert db.session.scalar(select(Referral.id)) is None


def test_consent_defaults_to_90_days_and_is_per_organization(api):
    org, service = _org()
    other_org, other_service = _org()
    cm = api("case_manager")
    first = _send(cm, service.id, consent_expires_on=None)
    assert first["loop"]["consent_expires_on"] == (date.today() + timedelta(days=90)).isoformat()
    _send(cm, service.id)  # same partner, same case: the same consent record
    _send(cm, other_service.id)  # another partner: its own consent
    consents = db.session.scalars(select(ReferralConsent).order_by(ReferralConsent.id)).all()
    assert [c.organization_id for c in consents] == [org.id, other_org.id]


# --- arrival codes ---------------------------------------------------------------------------


def test_wrong_and_replayed_arrival_codes_are_refused(api, partner):
    org, service = _org()
    secret = _inbox_token(api, org.id)
    sent = _send(api("case_manager"), service.id)
    code = sent["loop"]["arrival_code"]
    url = f"/api/v1/inbox/{secret}/referrals/{sent['id']}"
    assert partner("POST", url, {"state": "accepted"}).status_code == 200
    missing = partner("POST", url, {"state": "arrived"})
    assert missing.status_code == 422
    assert "arrival_code" in missing.get_json()["errors"]
    wrong = "".join("A" if c != "A" else "B" for c in code)  # 8 characters, all different
    refused = partner("POST", url, {"state": "arrived", "arrival_code": wrong})
    assert refused.status_code == 422
    assert "arrival_code" in refused.get_json()["errors"]
    assert db.session.get(Referral, sent["id"]).loop_state == "accepted"
    ok = partner("POST", url, {"state": "arrived", "arrival_code": code})
    assert ok.status_code == 200
    replay = partner("POST", url, {"state": "arrived", "arrival_code": code})
    assert replay.status_code == 422
    assert replay.get_json()["errors"]["arrival_code"] == ["This arrival code was already used."]
    refusals = db.session.scalars(
        select(AuditEvent.detail).where(
            AuditEvent.action == "arrival", AuditEvent.outcome == "refused"
        )
    ).all()
    assert sorted(refusals) == ["replayed arrival code", "wrong arrival code"]


# --- who may set what ---------------------------------------------------------------------------

STATES = (
    "sent",
    "accepted",
    "declined",
    "waitlisted",
    "arrived",
    "completed",
    "could_not_help",
    "cancelled",
    "expired",
)
# written out by hand from the issue: the receiver answers, the sender only cancels
RECEIVER_MAY = {
    ("sent", "accepted"),
    ("sent", "declined"),
    ("sent", "waitlisted"),
    ("waitlisted", "accepted"),
    ("waitlisted", "declined"),
    ("accepted", "arrived"),
    ("waitlisted", "arrived"),
    ("arrived", "completed"),
    ("accepted", "could_not_help"),
    ("waitlisted", "could_not_help"),
    ("arrived", "could_not_help"),
}
SENDER_MAY = {("sent", "cancelled"), ("accepted", "cancelled"), ("waitlisted", "cancelled")}


def test_the_module_says_what_the_issue_says():
    receiver = {(src, dst) for dst in STATES for src in STATES if loop.may(loop.RECEIVER, src, dst)}
    sender = {(src, dst) for dst in STATES for src in STATES if loop.may(loop.SENDER, src, dst)}
    assert receiver == RECEIVER_MAY
    assert sender == SENDER_MAY


FORBIDDEN_RECEIVER = [
    (src, dst) for src in STATES for dst in STATES if (src, dst) not in RECEIVER_MAY
]


@pytest.mark.parametrize(("src", "dst"), FORBIDDEN_RECEIVER)
def test_every_forbidden_receiver_move_is_403_and_audited(api, partner, src, dst):
    org, service = _org()
    secret = _inbox_token(api, org.id)
    sent = _send(api("case_manager"), service.id)
    _set_state(sent["id"], src)
    body = {"state": dst, "reason_code": "other", "arrival_code": sent["loop"]["arrival_code"]}
    answer = partner("POST", f"/api/v1/inbox/{secret}/referrals/{sent['id']}", body)
    assert answer.status_code == 403, (src, dst, answer.get_json())
    assert "state" in answer.get_json()["errors"]
    assert db.session.get(Referral, sent["id"]).loop_state == src
    refused = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "transition", AuditEvent.outcome == "refused")
    ).one()
    assert refused.object_id == str(sent["id"])
    assert refused.actor.startswith(f"partner of organization {org.id} via inbox link")


FORBIDDEN_SENDER = [(src, dst) for src in STATES for dst in STATES if (src, dst) not in SENDER_MAY]


@pytest.mark.parametrize(("src", "dst"), FORBIDDEN_SENDER)
def test_every_forbidden_sender_move_is_403_and_audited(api, src, dst):
    _org_, service = _org()
    cm = api("case_manager")
    sent = _send(cm, service.id)
    _set_state(sent["id"], src)
    version = db.session.get(Referral, sent["id"]).version
    if dst == "cancelled":
        answer = cm("POST", f"/api/v1/referrals/{sent['id']}/cancel", {})
    else:
        answer = cm(
            "PATCH", f"/api/v1/referrals/{sent['id']}", {"loop_state": dst, "version": version}
        )
    assert answer.status_code == 403, (src, dst, answer.get_json())
    db.session.expire_all()
    assert db.session.get(Referral, sent["id"]).loop_state == src
    refused = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "transition", AuditEvent.outcome == "refused")
    ).one()
    assert refused.actor == "case_manager@test.example"


def test_sender_cancels_and_the_partner_sees_it(api, partner):
    org, service = _org()
    secret = _inbox_token(api, org.id)
    cm = api("case_manager")
    sent = _send(cm, service.id)
    cancelled = cm("POST", f"/api/v1/referrals/{sent['id']}/cancel", {"reason": "found a bed"})
    assert cancelled.status_code == 200, cancelled.get_json()
    assert cancelled.get_json()["loop"]["state"] == "cancelled"
    (item,) = partner("GET", f"/api/v1/inbox/{secret}/referrals").get_json()
    assert item["state"] == "cancelled"
    assert item["allowed"] == []


def test_decline_needs_a_reason_from_the_list(api, partner):
    org, service = _org()
    secret = _inbox_token(api, org.id)
    sent = _send(api("case_manager"), service.id)
    url = f"/api/v1/inbox/{secret}/referrals/{sent['id']}"
    bare = partner("POST", url, {"state": "declined"})
    assert bare.status_code == 422
    assert "reason_code" in bare.get_json()["errors"]
    odd = partner("POST", url, {"state": "declined", "reason_code": "busy"})
    assert odd.status_code == 422
    assert "reason_code" in odd.get_json()["errors"]
    named = partner(
        "POST", url, {"state": "declined", "reason_code": "other", "reason": "ask Maria Lopez"}
    )
    assert named.status_code == 422
    assert "reason" in named.get_json()["errors"]
    ok = partner(
        "POST", url, {"state": "declined", "reason_code": "no_capacity", "reason": "full tonight"}
    )
    assert ok.status_code == 200, ok.get_json()
    event = db.session.scalars(select(ReferralEvent).where(ReferralEvent.state == "declined")).one()
    assert (event.reason_code, event.reason) == ("no_capacity", "full tonight")


def test_an_inbox_sees_only_its_own_organizations_referrals(api, partner):
    org, service = _org()
    other_org, other_service = _org()
    mine = _inbox_token(api, org.id)
    theirs = _send(api("case_manager"), other_service.id)
    assert partner("GET", f"/api/v1/inbox/{mine}/referrals").get_json() == []
    poke = partner("POST", f"/api/v1/inbox/{mine}/referrals/{theirs['id']}", {"state": "accepted"})
    assert poke.status_code == 404
    assert partner("GET", "/api/v1/inbox/not-a-token/referrals").status_code == 404
    # a new link revokes the old one
    _inbox_token(api, org.id)
    assert partner("GET", f"/api/v1/inbox/{mine}/referrals").status_code == 404


# --- notices by e-mail --------------------------------------------------------------------------


def _body(msg) -> str:
    return msg.get_body(preferencelist=("plain",)).get_content()


@pytest.mark.parametrize("discreet", [True, False])
def test_notices_are_content_free(app, api, partner, discreet):
    org, service = _org(discreet_mail=discreet)
    secret = _inbox_token(api, org.id)  # to the outbox (no SMTP yet)
    with smtp_server(
        app, MAIL_DEFAULT_SENDER="directory@network.example", PUBLIC_BASE_URL="http://x.example"
    ) as inbox:
        sent = _send(api("case_manager"), service.id)
        url = f"/api/v1/inbox/{secret}/referrals/{sent['id']}"
        assert partner("POST", url, {"state": "accepted"}).status_code == 200
    to_partner, to_sender = inbox.messages
    assert to_partner["To"] == "intake@harbor.example"
    assert to_sender["To"] == "case_manager@test.example"
    partner_text = to_partner["Subject"] + _body(to_partner)
    if discreet:
        assert to_partner["Subject"] == "You have a new message"
        for word in ("Harbor", "shelter", "referral", "Referral", app.config["FACILITY_NAME"]):
            assert word not in partner_text
    else:
        assert to_partner["Subject"] == "You have 1 new referral"
        assert "Harbor night shelter" not in partner_text  # no service name either way
    number, code = sent["loop"]["number"], sent["loop"]["arrival_code"]
    for msg in (to_partner, to_sender):
        whole = msg.as_string()
        for secret_text in (CASE_REF, code, number, NOTE, SHARED, ACCESS):
            assert secret_text not in whole
    assert _body(to_sender).strip().endswith(f"http://x.example/referrals/{sent['id']}")


# --- expiry -------------------------------------------------------------------------------------

FRIDAY_10 = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)  # 10:00 in Chicago, a Friday


def test_business_deadline_skips_the_weekend():
    assert sending.business_deadline(FRIDAY_10.replace(tzinfo=None), 2, "America/Chicago") == (
        datetime(2026, 12, 8, 16, 0)  # Tuesday 10:00 Chicago
    )
    saturday = datetime(2026, 12, 5, 16, 0)
    assert sending.business_deadline(saturday, 2, "America/Chicago") == datetime(2026, 12, 8, 16, 0)


def test_unanswered_referral_expires_after_two_business_days_once(app, api):
    _org_, service = _org()
    runner = app.test_cli_runner()
    with time_machine.travel(FRIDAY_10, tick=False):
        sent = _send(api("case_manager"), service.id)
    notices_before = _sender_notices()
    with time_machine.travel(datetime(2026, 12, 8, 15, 59, tzinfo=UTC), tick=False):
        assert runner.invoke(args=["referrals", "expire"]).output == "0 referral(s) expired.\n"
    with time_machine.travel(datetime(2026, 12, 8, 16, 0, tzinfo=UTC), tick=False):
        assert runner.invoke(args=["referrals", "expire"]).output == "1 referral(s) expired.\n"
        assert runner.invoke(args=["referrals", "expire"]).output == "0 referral(s) expired.\n"
    db.session.expire_all()
    r = db.session.get(Referral, sent["id"])
    assert r.loop_state == "expired"
    assert r.loop_closed_at == datetime(2026, 12, 8, 16, 0)
    assert _sender_notices() == notices_before + 1


def _sender_notices() -> int:
    return len(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient == "case_manager@test.example")
        ).all()
    )


def test_two_expiry_runs_at_once_expire_and_notify_each_referral_once(app, api):
    _org_, service = _org()
    with time_machine.travel(FRIDAY_10, tick=False):
        ids = [_send(api("case_manager"), service.id)["id"] for _ in range(6)]
    db.session.remove()
    counts: list[int] = []
    barrier = threading.Barrier(2)

    def run():
        with app.app_context():
            barrier.wait()
            counts.append(expiry.expire_due(db.session, datetime(2026, 12, 9, 0, 0, tzinfo=UTC)))
            db.session.commit()
            db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sum(counts) == 6
    states = db.session.scalars(select(Referral.loop_state).where(Referral.id.in_(ids))).all()
    assert states == ["expired"] * 6
    expired_events = db.session.scalars(
        select(ReferralEvent).where(ReferralEvent.state == "expired")
    ).all()
    assert len(expired_events) == 6
    assert _sender_notices() == 6


# --- revoke and purge ---------------------------------------------------------------------------


def _every_text_in_the_database() -> str:
    """Every text and JSON value of every table (the audit log included), as one string."""
    out = []
    engine = db.engine
    for table in inspect(engine).get_table_names():
        if table == "alembic_version":
            continue
        rows = db.session.execute(text(f'SELECT * FROM "{table}"')).all()  # noqa: S608
        out.extend(repr(tuple(row)) for row in rows)
    return "\n".join(out)


def test_revoking_consent_cancels_and_purges_at_once(api, partner):
    org, service = _org()
    secret = _inbox_token(api, org.id)
    cm = api("case_manager")
    first = _send(cm, service.id)
    second = _send(cm, service.id)
    partner("POST", f"/api/v1/inbox/{secret}/referrals/{second['id']}", {"state": "accepted"})
    codes = [first["loop"]["arrival_code"], second["loop"]["arrival_code"]]
    assert CASE_REF in _every_text_in_the_database()
    revoked = cm("POST", f"/api/v1/referrals/{first['id']}/revoke-consent")
    assert revoked.status_code == 200, revoked.get_json()
    assert revoked.get_json()["loop"]["state"] == "cancelled"
    assert revoked.get_json()["loop"]["purged"] is True
    assert revoked.get_json()["case_reference"] is None
    db.session.expire_all()
    for rid in (first["id"], second["id"]):
        r = db.session.get(Referral, rid)
        assert r.loop_state == "cancelled"
        assert r.case_reference is None
        assert r.arrival_code is None
        assert r.needs_accessibility is None
        assert r.outcome_note is None
    everything = _every_text_in_the_database()
    for content in (CASE_REF, NOTE, SHARED, ACCESS, *codes):
        assert content not in everything, content
    # the partner no longer sees them
    assert partner("GET", f"/api/v1/inbox/{secret}/referrals").get_json() == []
    # the steps remain, de-identified
    states = db.session.scalars(select(ReferralEvent.state).order_by(ReferralEvent.id)).all()
    assert states == ["sent", "sent", "accepted", "cancelled", "cancelled"]


def test_purge_removes_closed_referrals_after_retention_keeping_events(app, api, partner):
    org, service = _org()
    secret = _inbox_token(api, org.id)
    cm = api("case_manager")
    with time_machine.travel(datetime(2026, 11, 2, 15, 0, tzinfo=UTC), tick=False):
        closed = _send(cm, service.id)
        partner(
            "POST",
            f"/api/v1/inbox/{secret}/referrals/{closed['id']}",
            {"state": "declined", "reason_code": "out_of_area", "reason": "we serve the north"},
        )
    with time_machine.travel(datetime(2026, 11, 20, 15, 0, tzinfo=UTC), tick=False):
        still_open = _send(cm, service.id, case_reference="HT-2026-778")
    runner = app.test_cli_runner()
    with time_machine.travel(datetime(2026, 12, 2, 14, 59, tzinfo=UTC), tick=False):
        out = runner.invoke(args=["referrals", "purge"]).output  # 29 days 23:59 after close
        assert out == "0 closed referral(s) purged.\n"
    with time_machine.travel(datetime(2026, 12, 2, 15, 0, tzinfo=UTC), tick=False):
        assert runner.invoke(args=["referrals", "purge"]).output == "1 closed referral(s) purged.\n"
    db.session.expire_all()
    assert db.session.get(Referral, closed["id"]) is None
    assert db.session.get(Referral, still_open["id"]).case_reference == "HT-2026-778"
    events = db.session.scalars(
        select(ReferralEvent).where(ReferralEvent.referral_id.is_(None)).order_by(ReferralEvent.id)
    ).all()
    assert [(e.state, e.organization_id, e.category, e.reason_code, e.reason) for e in events] == [
        ("sent", org.id, "shelter.adults_hte", None, None),
        ("declined", org.id, "shelter.adults_hte", "out_of_area", None),
    ]
    everything = _every_text_in_the_database()
    assert "we serve the north" not in everything
    assert closed["loop"]["arrival_code"] not in everything
    purge = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "purge")).all()
    assert len(purge) == 2
    assert purge[1].actor == "command referrals purge"


# --- figures -----------------------------------------------------------------------------------


def _events(org_id, category, rows):
    at = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=3)
    for state, reason, seconds in rows:
        db.session.add(
            ReferralEvent(
                organization_id=org_id,
                category=category,
                state=state,
                at=at,
                actor="receiver",
                reason_code=reason,
                answer_seconds=seconds,
            )
        )
    db.session.commit()


def test_funnel_per_partner_and_category_suppresses_small_counts(api):
    big = OrganizationFactory(name="Big Clinic")
    small = OrganizationFactory(name="Small Shelter")
    db.session.commit()
    hour = 3600
    _events(
        big.id,
        "health.free_clinic",
        [("sent", None, None)] * 8
        + [("accepted", None, s * hour) for s in (1, 2, 3, 4, 10)]
        + [("declined", "no_capacity", 5 * hour)]
        + [("arrived", None, None)] * 5
        + [("completed", None, None)] * 2
        + [("expired", "no_answer", None)] * 2,
    )
    _events(small.id, "shelter.adults_hte", [("sent", None, None)] * 3 + [("accepted", None, 60)])
    answer = api("coordinator")("GET", "/api/v1/referrals/figures?by=partner")
    assert answer.status_code == 200, answer.get_json()
    rows = {r["label"]: r for r in answer.get_json()["funnel"]}
    b = rows["Big Clinic"]
    assert (b["sent"], b["accepted"], b["arrived"]) == (8, 5, 5)
    assert b["completed"] == "fewer than 5"
    assert b["declined"] == "fewer than 5"
    assert b["expired"] == "fewer than 5"
    assert b["waitlisted"] == 0
    # answers after 1, 2, 3, 4, 5 (the decline), 10 hours: median 3.5 h
    assert b["median_hours_to_answer"] == 3.5
    assert b["decline_reasons"] == {"no_capacity": "fewer than 5"}
    assert b["expired_share"] == 0.25  # 2 of 8
    s = rows["Small Shelter"]
    assert s["sent"] == "fewer than 5"
    assert s["accepted"] == "fewer than 5"
    assert s["median_hours_to_answer"] is None
    assert s["expired_share"] is None
    by_category = api("coordinator")("GET", "/api/v1/referrals/figures?by=category").get_json()
    assert {r["key"] for r in by_category["funnel"]} == {"health.free_clinic", "shelter.adults_hte"}
    assert api("coordinator")("GET", "/api/v1/referrals/figures?by=client").status_code == 422
    assert api("case_manager")("GET", "/api/v1/referrals/figures?by=partner").status_code == 403


# --- no client identifier anywhere the partner can reach ----------------------------------------


def test_no_client_identifier_reaches_the_partner(app, api, partner, client):
    org, service = _org()
    secret = _inbox_token(api, org.id)
    cm = api("case_manager")
    # identities are refused at the door, wherever they are typed
    for field, value in (
        ("case_reference", "Maria Lopez"),
        ("case_reference", "1990-04-12"),
        ("outcome_note", "Maria Lopez, born 12/04/1990, phone 312 555 0123"),
        ("consent_shared", "her phone 312-555-0123"),
    ):
        refused = cm("POST", "/api/v1/referrals", _send_body(service.id, **{field: value}))
        assert refused.status_code == 422, (field, refused.get_json())
        assert field in refused.get_json()["errors"]
    sent = _send(cm, service.id)
    code = sent["loop"]["arrival_code"]
    surfaces = [
        partner("GET", f"/api/v1/inbox/{secret}/referrals").get_data(as_text=True),
        client.get(f"/inbox/{secret}").get_data(as_text=True),
        *(
            m.text_body + (m.html_body or "")
            for m in db.session.scalars(
                select(OutboxMessage).where(OutboxMessage.recipient == org.email)
            )
        ),
    ]
    assert "Harbor night shelter" in surfaces[1]  # the page is the partner's inbox
    for surface in surfaces:
        for identifier in (CASE_REF, code, NOTE, SHARED, "Maria", "Lopez"):
            assert identifier not in surface, identifier
    everything = _every_text_in_the_database()
    for identity in ("Maria", "Lopez", "555 0123", "555-0123", "12/04/1990"):
        assert identity not in everything, identity
