"""Sending a referral to the receiving organization's inbox, under the client's consent to
share with that organization (recorded per partner, with its end date), and the client
withdrawing that consent. Which states follow, and who may set them, is ``loop``'s."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from app.extensions import DbSession
from app.models import User
from directory import identifiers
from directory.errors import IdentifiersFound, Invalid
from directory.models import Organization
from directory.referrals import loop, notices
from directory.referrals.expiry import strip_content
from directory.referrals.models import Referral, ReferralConsent


def _code(length: int) -> str:
    return "".join(secrets.choice(loop.CODE_ALPHABET) for _ in range(length))


def business_deadline(sent_at: datetime, days: int, tz: str) -> datetime:
    """``days`` business days (Monday–Friday, in the network's time zone) after
    ``sent_at``, at the same time of day; naive UTC like every stored moment. Sent on a
    Saturday with 2 days: Tuesday at that time."""
    zone = ZoneInfo(tz)
    local = sent_at.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone)
    day, left = local.date(), days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    moment = datetime.combine(day, local.timetz().replace(tzinfo=None), tzinfo=zone)
    return loop.naive(moment.astimezone(ZoneInfo("UTC")))


def check_send(data: dict, today: date) -> dict[str, list[str]]:
    """The sending fields' own rules (the referral's others are ``handoff.create``'s):
    urgency and first contact must be said (no default: "unknown is not yes"), the
    consent's end date not past, the accessibility text free of identifiers."""
    errors: dict[str, list[str]] = {}
    if not data.get("urgency"):
        errors["urgency"] = ["Say how urgent it is: routine, today or now."]
    if not data.get("first_contact"):
        errors["first_contact"] = ["Say who makes first contact: client, case_manager or none."]
    expires = data.get("consent_expires_on")
    if expires is not None and expires < today:
        errors["consent_expires_on"] = ["The consent's end date has passed: ask again."]
    needs = data.get("needs") or {}
    try:
        identifiers.check_text("needs.accessibility", needs.get("accessibility"))
    except IdentifiersFound as exc:
        errors.update(exc.errors)
    return errors


def _consent(
    session: DbSession,
    org: Organization,
    user: User,
    case_reference: str,
    expires: date,
    today: date,
) -> ReferralConsent:
    """The client's live consent to share with ``org`` (recorded by this case manager
    under this case reference), its end date set to ``expires``; a new one if none."""
    consent = session.scalar(
        select(ReferralConsent).where(
            ReferralConsent.organization_id == org.id,
            ReferralConsent.case_manager_id == user.id,
            ReferralConsent.case_reference == case_reference,
            ReferralConsent.revoked_at.is_(None),
            ReferralConsent.expires_on >= today,
        )
    )
    if consent is None:
        consent = ReferralConsent(
            organization_id=org.id,
            case_manager_id=user.id,
            case_reference=case_reference,
            given_on=today,
            expires_on=expires,
        )
        session.add(consent)
    else:
        consent.expires_on = expires
    session.flush()
    return consent


def _unique_number(session: DbSession) -> str:
    while True:
        number = _code(loop.NUMBER_LENGTH)
        if session.scalar(select(Referral.id).where(Referral.loop_number == number)) is None:
            return number


def send(session: DbSession, referral: Referral, data: dict, user: User, now: datetime) -> Referral:
    """Make a recorded referral live: a consent record naming the receiving organization,
    a random number and arrival code, the sending fields, the ``sent`` event, and a
    content-free notice to the partner. ``data`` passed ``check_send``. Not committed."""
    today = loop.local_today(now)
    org = referral.service.organization
    days = current_app.config["REFERRAL_CONSENT_DAYS"]
    expires = data.get("consent_expires_on") or today + timedelta(days=days)
    needs = data.get("needs") or {}
    consent = _consent(session, org, user, referral.case_reference or "", expires, today)
    referral.consent_id = consent.id
    referral.loop_state = "sent"
    referral.loop_number = _unique_number(session)
    referral.arrival_code = _code(loop.ARRIVAL_CODE_LENGTH)
    referral.urgency = data["urgency"]
    referral.first_contact = data["first_contact"]
    referral.needs_language = needs.get("language")
    referral.needs_interpreter = needs.get("interpreter")
    referral.needs_accessibility = (needs.get("accessibility") or "").strip() or None
    referral.sent_at = loop.naive(now)
    referral.respond_by = business_deadline(
        loop.naive(now),
        current_app.config["REFERRAL_RESPONSE_DAYS"],
        current_app.config["DIRECTORY_TIMEZONE"],
    )
    loop.add_event(session, referral, "sent", loop.SENDER, now)
    session.flush()
    notices.new_referral(session, org)
    return referral


def consent_live(referral: Referral, today: date) -> bool:
    """The consent under which the referral was sent still holds today."""
    c = referral.consent_record
    return c is not None and c.revoked_at is None and c.expires_on >= today


def revoke_consent(session: DbSession, referral: Referral, now: datetime) -> list[int]:
    """The client withdrew consent to share with this partner: the consent is revoked,
    every open referral under it cancelled, and the content of all its referrals purged at
    once (the case reference leaves the consent too). Returns the referral ids touched."""
    consent = referral.consent_record
    if consent is None:
        raise Invalid({"consent": ["This referral was not sent under a consent record."]})
    if consent.revoked_at is None:
        consent.revoked_at = loop.naive(now)
    touched = list(session.scalars(select(Referral).where(Referral.consent_id == consent.id)))
    for r in touched:
        if loop.is_open(r):
            loop.move(session, r, "cancelled", loop.SYSTEM, now, reason_code="consent_revoked")
        strip_content(session, r, now)
    consent.case_reference = None
    session.flush()
    return [r.id for r in touched]
