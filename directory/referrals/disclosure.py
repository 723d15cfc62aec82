"""What each side is shown of a live referral: the partner's inbox and exactly what travels
to the receiving organization (``partner_view``: no case reference, no note, no arrival
code), and the ``loop`` block of the sender's own record (``sender_view``)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import case, select

from app.extensions import DbSession
from directory.referrals import loop
from directory.referrals.models import Referral, ReferralConsent


def inbox(session: DbSession, org_id: int, limit: int = 200) -> list[Referral]:
    """The organization's live referrals: open ones first (urgent first), then the rest,
    newest first. Purged ones are gone."""
    rows = session.scalars(
        select(Referral)
        .join(ReferralConsent, ReferralConsent.id == Referral.consent_id)
        .where(*loop.shared_with(org_id))
        # open ones first in SQL, so the limit never pushes an open referral out
        .order_by(
            case((Referral.loop_state.in_(loop.OPEN), 0), else_=1),
            Referral.sent_at.desc(),
            Referral.id.desc(),
        )
        .limit(limit)
    ).all()
    rank = {"now": 0, "today": 1, "routine": 2}
    return sorted(
        rows,
        key=lambda r: (not loop.is_open(r), rank.get(r.urgency or "", 3) if loop.is_open(r) else 0),
    )


@dataclass
class Sender:
    role: str
    facility: str


def partner_view(referral: Referral) -> dict:
    """Exactly what travels to the receiving organization: no case reference, no note,
    no arrival code, nothing about the client beyond the need."""
    sender = referral.case_manager
    return {
        "id": referral.id,
        "number": referral.loop_number,
        "state": referral.loop_state,
        "service": {"id": referral.service.id, "name": referral.service.name},
        "need": referral.need,
        "urgency": referral.urgency,
        "first_contact": referral.first_contact,
        "needs": {
            "language": referral.needs_language,
            "interpreter": referral.needs_interpreter,
            "accessibility": referral.needs_accessibility,
        },
        "consent_expires_on": referral.consent_record.expires_on
        if referral.consent_record
        else None,
        "sender": {
            "role": sender.role if sender else None,
            "facility": current_app.config["FACILITY_NAME"],
        },
        "sent_at": referral.sent_at,
        "respond_by": referral.respond_by,
        "events": events_of(referral),
        "allowed": [
            t
            for (actor, t) in loop.MOVES
            if actor == loop.RECEIVER and loop.may(actor, referral.loop_state, t)
        ],
    }


def events_of(referral: Referral) -> list[dict]:
    return [
        {"state": e.state, "at": e.at, "reason": e.reason_code, "by": e.actor}
        for e in referral.events
    ]


def sender_view(referral: Referral) -> dict | None:
    """The ``loop`` block of the sender's referral: state, arrival code, events (None for
    a referral only recorded)."""
    if referral.loop_state is None:
        return None
    consent = referral.consent_record
    return {
        "state": referral.loop_state,
        "number": referral.loop_number,
        "arrival_code": referral.arrival_code,
        "arrival_used": referral.arrival_used_at is not None,
        "urgency": referral.urgency,
        "first_contact": referral.first_contact,
        "needs": {
            "language": referral.needs_language,
            "interpreter": referral.needs_interpreter,
            "accessibility": referral.needs_accessibility,
        },
        "consent_expires_on": consent.expires_on if consent else None,
        "consent_revoked": consent is None or consent.revoked_at is not None,
        "sent_at": referral.sent_at,
        "respond_by": referral.respond_by,
        "reason_code": referral.loop_reason_code,
        "reason": referral.loop_reason,
        "purged": referral.purged_at is not None,
        "events": events_of(referral),
    }
