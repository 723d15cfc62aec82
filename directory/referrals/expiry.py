"""What time ends in the referral loop: an unanswered referral expires at its
``respond_by``, a consent past its end date ends its referrals' sharing, and the content of
closed referrals is purged (``REFERRAL_RETENTION_DAYS``; events stay, de-identified). Run by
``flask referrals expire`` and the retention steps (``flask purge``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from app import audit
from app.extensions import DbSession
from directory.referrals import loop, notices
from directory.referrals.models import Referral, ReferralConsent, ReferralEvent


def strip_content(session: DbSession, referral: Referral, now: datetime) -> None:
    """Remove what a referral says beyond its de-identified steps: the case reference,
    notes, needs, the arrival code, the partner's reason text (also on its events)."""
    for key in (
        "case_reference",
        "consent_shared",
        "outcome_note",
        "interpreter_language",
        "urgency",
        "first_contact",
        "needs_language",
        "needs_interpreter",
        "needs_accessibility",
        "arrival_code",
        "loop_reason",
    ):
        setattr(referral, key, None)
    referral.purged_at = loop.naive(now)
    session.execute(
        update(ReferralEvent)
        .where(ReferralEvent.referral_id == referral.id)
        .values(reason=None)
        .execution_options(synchronize_session=False)
    )
    session.flush()


def expire_due(session: DbSession, now: datetime) -> int:
    """Expire every sent referral not answered by its ``respond_by``; the sender is told
    (content-free). Each one in its own transaction, moved by a conditional UPDATE: two
    runs at once (two hosts) expire and notify each referral once. Returns how many this
    run expired."""
    ids = list(
        session.scalars(
            select(Referral.id).where(
                Referral.loop_state == "sent", Referral.respond_by <= loop.naive(now)
            )
        )
    )
    session.commit()
    done = 0
    for rid in ids:
        referral = session.get(Referral, rid)
        if referral is None:
            continue
        if loop.move(session, referral, "expired", loop.SYSTEM, now, reason_code="no_answer"):
            notices.sender_update(session, referral)
            done += 1
        session.commit()
    return done + lapse_consents(session, now)


def lapse_consents(session: DbSession, now: datetime) -> int:
    """A consent past its end date ends its referrals' sharing, as a revoked one does: every
    open referral under it is cancelled ("consent_expired") and the content of all of them
    purged at once (the partner keeps nothing; the sender is told). Run with ``expire``;
    each consent in its own transaction. Returns how many referrals were cancelled."""
    today = loop.local_today(now)
    lapsed = list(
        session.scalars(
            select(ReferralConsent.id).where(
                ReferralConsent.revoked_at.is_(None), ReferralConsent.expires_on < today
            )
        )
    )
    session.commit()
    cancelled = 0
    for cid in lapsed:
        rows = session.scalars(
            select(Referral).where(Referral.consent_id == cid, Referral.purged_at.is_(None))
        ).all()
        for r in rows:
            if loop.is_open(r) and loop.move(
                session, r, "cancelled", loop.SYSTEM, now, reason_code="consent_expired"
            ):
                notices.sender_update(session, r)
                cancelled += 1
            strip_content(session, r, now)
        consent = session.get(ReferralConsent, cid)
        if consent is not None:
            consent.case_reference = None
        session.commit()
    return cancelled


def purge_closed_referrals(session: DbSession, now: datetime) -> int:
    """Remove sent referrals closed more than ``REFERRAL_RETENTION_DAYS`` ago: the
    referral rows go (their content with them), their events stay de-identified (state,
    time, partner, category, reason code; no referral id, no text), and consent records
    left without a referral and no longer live go too. Audited; not committed. Returns how
    many referrals were removed."""
    days = current_app.config["REFERRAL_RETENTION_DAYS"]
    cutoff = loop.naive(now) - timedelta(days=days)
    ids = list(
        session.scalars(
            select(Referral.id).where(
                Referral.loop_state.in_(loop.CLOSED), Referral.loop_closed_at <= cutoff
            )
        )
    )
    if ids:
        session.execute(
            update(ReferralEvent)
            .where(ReferralEvent.referral_id.in_(ids))
            .values(referral_id=None, reason=None)
            .execution_options(synchronize_session=False)
        )
        # Core, not the ORM: an ORM delete would write the old values into the audit log
        session.execute(
            delete(Referral)
            .where(Referral.id.in_(ids))
            .execution_options(synchronize_session=False)
        )
    today = loop.local_today(now)
    orphan = select(ReferralConsent.id).where(
        ~select(Referral.id).where(Referral.consent_id == ReferralConsent.id).exists(),
        (ReferralConsent.revoked_at.is_not(None)) | (ReferralConsent.expires_on < today),
    )
    consent_ids = list(session.scalars(orphan))
    if consent_ids:
        session.execute(
            delete(ReferralConsent)
            .where(ReferralConsent.id.in_(consent_ids))
            .execution_options(synchronize_session=False)
        )
    session.expire_all()
    audit.record(
        session,
        "purge",
        "referrals",
        detail=f"{len(ids)} closed referral(s) and {len(consent_ids)} consent record(s) "
        f"removed (closed before {cutoff:%Y-%m-%d})",
    )
    session.flush()
    return len(ids)
