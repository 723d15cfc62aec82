"""The referral loop: a referral SENT to the receiving organization, which answers it.

The one place that says which states a live referral has, who may set each (``MOVES``),
what travels to the partner (``partner_view``) and what never does, the client's consent
per partner (with its expiry and revocation), expiry of unanswered referrals and the purge
of closed ones. Pages, the API, the partner's inbox and the CLI call these functions; none
of them decides a transition itself.

Privacy design (docs/referrals.md): the partner sees a random referral number, the
service, the need (category), urgency, language/interpreter/accessibility needs, who makes
first contact, the consent's end date and the sender's role and facility. Never a name,
birth date, phone, case reference or any hash of them: the case reference stays on the
sender's record and is purged with the content. The arrival code (8 characters, given to the
client) proves an arrival without naming anyone; the partner types it, never reads it.

States map to the FHIR Task states of the HL7 SDOH Clinical Care guide (``FHIR_TASK``), so a
FHIR adapter is a translation, not a redesign.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import case, delete, select, update

from app import audit, clock
from app.extensions import DbSession, rowcount
from app.models import User
from directory import identifiers
from directory.errors import Forbidden, IdentifiersFound, Invalid, NotFound
from directory.models import Organization
from directory.referrals import notices
from directory.referrals.models import LOOP_REASONS, Referral, ReferralConsent, ReferralEvent

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
OPEN = ("sent", "accepted", "waitlisted", "arrived")
CLOSED = ("declined", "completed", "could_not_help", "cancelled", "expired")
ANSWERS = ("accepted", "declined", "waitlisted")
"""The partner's first answer to a sent referral (its "time to answer" ends there)."""

SENDER, RECEIVER, SYSTEM = "sender", "receiver", "system"

MOVES: dict[tuple[str, str], frozenset[str]] = {
    # receiver: the receiving organization, through its inbox link
    (RECEIVER, "accepted"): frozenset({"sent", "waitlisted"}),
    (RECEIVER, "declined"): frozenset({"sent", "waitlisted"}),
    (RECEIVER, "waitlisted"): frozenset({"sent"}),
    (RECEIVER, "arrived"): frozenset({"accepted", "waitlisted"}),
    (RECEIVER, "completed"): frozenset({"arrived"}),
    (RECEIVER, "could_not_help"): frozenset({"accepted", "waitlisted", "arrived"}),
    # sender: the case manager who sent it (or a coordinator)
    (SENDER, "cancelled"): frozenset({"sent", "accepted", "waitlisted"}),
    # system: the expiry command, and a revoked consent
    (SYSTEM, "expired"): frozenset({"sent"}),
    (SYSTEM, "cancelled"): frozenset({"sent", "accepted", "waitlisted", "arrived"}),
}
"""Who may move a referral into a state, and from which states. Anything else is refused
(403) and audited. ``sent`` is set only by sending."""

FHIR_TASK = {
    "sent": ("requested", None),
    "accepted": ("accepted", None),
    "declined": ("rejected", "statusReason required"),
    "waitlisted": ("on-hold", None),
    "arrived": ("in-progress", None),
    "completed": ("completed", None),
    "could_not_help": ("failed", "statusReason required"),
    "cancelled": ("cancelled", None),
    "expired": ("cancelled", "statusReason: no response in time"),
}
"""Each state as the SDOH Clinical Care guide's Task.status (and its statusReason)."""

REASONS = LOOP_REASONS
"""Why a partner declined or could not help (a reason code is required for both)."""
NEEDS_REASON = ("declined", "could_not_help")
REASON_MAX = 500
ACCESSIBILITY_MAX = 300
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""Arrival codes and referral numbers: no 0/O, 1/I/L, so a code read aloud is typed right."""
ARRIVAL_CODE_LENGTH = 8
NUMBER_LENGTH = 8


def may(actor: str, current: str | None, target: str) -> bool:
    """May ``actor`` move a referral in state ``current`` to ``target``?"""
    return current in MOVES.get((actor, target), frozenset())


def is_open(referral: Referral) -> bool:
    return referral.loop_state in OPEN


def _naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None)


def _code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalize_code(text: str | None) -> str:
    """What the partner typed as an arrival code, without spaces and dashes, upper-case."""
    return "".join(c for c in (text or "").upper() if c.isalnum())


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
    return _naive(moment.astimezone(ZoneInfo("UTC")))


# --- sending ----------------------------------------------------------------------------


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
        number = _code(NUMBER_LENGTH)
        if session.scalar(select(Referral.id).where(Referral.loop_number == number)) is None:
            return number


def send(session: DbSession, referral: Referral, data: dict, user: User, now: datetime) -> Referral:
    """Make a recorded referral live: a consent record naming the receiving organization,
    a random number and arrival code, the sending fields, the ``sent`` event, and a
    content-free notice to the partner. ``data`` passed ``check_send``. Not committed."""
    today = _local_today(now)
    org = referral.service.organization
    days = current_app.config["REFERRAL_CONSENT_DAYS"]
    expires = data.get("consent_expires_on") or today + timedelta(days=days)
    needs = data.get("needs") or {}
    consent = _consent(session, org, user, referral.case_reference or "", expires, today)
    referral.consent_id = consent.id
    referral.loop_state = "sent"
    referral.loop_number = _unique_number(session)
    referral.arrival_code = _code(ARRIVAL_CODE_LENGTH)
    referral.urgency = data["urgency"]
    referral.first_contact = data["first_contact"]
    referral.needs_language = needs.get("language")
    referral.needs_interpreter = needs.get("interpreter")
    referral.needs_accessibility = (needs.get("accessibility") or "").strip() or None
    referral.sent_at = _naive(now)
    referral.respond_by = business_deadline(
        _naive(now),
        current_app.config["REFERRAL_RESPONSE_DAYS"],
        current_app.config["DIRECTORY_TIMEZONE"],
    )
    _event(session, referral, "sent", SENDER, now)
    session.flush()
    notices.new_referral(session, org)
    return referral


def _local_today(now: datetime) -> date:
    return now.astimezone(ZoneInfo(current_app.config["DIRECTORY_TIMEZONE"])).date()


def consent_live(referral: Referral, today: date) -> bool:
    """The consent under which the referral was sent still holds today."""
    c = referral.consent_record
    return c is not None and c.revoked_at is None and c.expires_on >= today


# --- moving between states ----------------------------------------------------------------


def _event(
    session: DbSession,
    referral: Referral,
    state: str,
    actor: str,
    now: datetime,
    reason_code: str | None = None,
    reason: str | None = None,
    answer_seconds: int | None = None,
) -> ReferralEvent:
    event = ReferralEvent(
        referral_id=referral.id,
        organization_id=referral.service.organization_id,
        category=referral.need or referral.service.category,
        state=state,
        at=_naive(now),
        actor=actor,
        reason_code=reason_code,
        reason=reason,
        answer_seconds=answer_seconds,
    )
    session.add(event)
    return event


def _refuse(session: DbSession, referral: Referral, actor: str, target: str) -> Forbidden:
    """Audit a refused transition (committed at once: the request's own work rolls back)
    and the error to raise."""
    session.rollback()
    audit.record(
        session,
        "transition",
        "referrals",
        referral.id,
        outcome="refused",
        detail=f"{actor} may not set {target} from {referral.loop_state}",
        parent=f"referrals:{referral.id}",
    )
    session.commit()
    return Forbidden(
        {
            "state": [
                f"The {actor} may not set '{target}' on a referral that is '{referral.loop_state}'."
            ]
        },
        "This change is not allowed.",
    )


def _move(
    session: DbSession,
    referral: Referral,
    target: str,
    actor: str,
    now: datetime,
    *,
    reason_code: str | None = None,
    reason: str | None = None,
) -> bool:
    """Move ``referral`` to ``target`` if it is still in a state ``actor`` may move it
    from. A conditional UPDATE: two moves at once (two expiry runs, a double click) do it
    once; False when another got there first."""
    allowed = MOVES.get((actor, target), frozenset())
    values: dict = {"loop_state": target, "version": Referral.version + 1}
    naive_now = _naive(now)
    answering = actor == RECEIVER and target in ANSWERS and referral.answered_at is None
    if answering:
        values["answered_at"] = naive_now
    if target in CLOSED:
        values["loop_closed_at"] = naive_now
    if actor == RECEIVER:
        values["sender_unseen"] = True
    if reason_code is not None or reason is not None:
        values["loop_reason_code"], values["loop_reason"] = reason_code, reason
    moved = rowcount(
        session.execute(
            update(Referral)
            .where(Referral.id == referral.id, Referral.loop_state.in_(allowed))
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    )
    if moved != 1:
        return False
    seconds = None
    if answering and referral.sent_at is not None:
        seconds = int((naive_now - referral.sent_at).total_seconds())
    session.refresh(referral)
    _event(session, referral, target, actor, now, reason_code, reason, seconds)
    audit.record(
        session,
        "transition",
        "referrals",
        referral.id,
        detail=f"{actor}: {target}" + (f" ({reason_code})" if reason_code else ""),
        parent=f"referrals:{referral.id}",
    )
    session.flush()
    return True


def receiver_act(
    session: DbSession, org_id: int, referral_id: int, data: dict, now: datetime
) -> Referral:
    """The receiving organization (``org_id``, through its inbox) sets a state: accept,
    decline (reason code required), waitlist, arrived (the client's one-time arrival code
    required), completed, could not help (reason code required). A state only the sender or
    the system sets, or a move from the wrong state, is refused (403, audited)."""
    referral = inbox_referral(session, org_id, referral_id)
    target = data["state"]
    if not may(RECEIVER, referral.loop_state, target):
        if target == "arrived" and referral.arrival_used_at is not None:
            audit.record(
                session,
                "arrival",
                "referrals",
                referral.id,
                outcome="refused",
                detail="replayed arrival code",
                parent=f"referrals:{referral.id}",
            )
            session.commit()
            raise Invalid({"arrival_code": ["This arrival code was already used."]})
        raise _refuse(session, referral, RECEIVER, target)
    reason_code, reason = data.get("reason_code"), (data.get("reason") or "").strip() or None
    errors: dict[str, list[str]] = {}
    if target in NEEDS_REASON and not reason_code:
        errors["reason_code"] = [f"Say why: one of {', '.join(REASONS)}."]
    if reason and len(reason) > REASON_MAX:
        errors["reason"] = [f"At most {REASON_MAX} characters."]
    try:
        identifiers.check_text("reason", reason)
    except IdentifiersFound as exc:
        errors.update(exc.errors)
    if errors:
        raise Invalid(errors, "Not saved.")
    if target == "arrived":
        _spend_arrival_code(session, referral, data.get("arrival_code"), now)
    if not _move(session, referral, target, RECEIVER, now, reason_code=reason_code, reason=reason):
        raise _refuse(session, referral, RECEIVER, target)
    notices.sender_update(session, referral)
    return referral


def _spend_arrival_code(
    session: DbSession, referral: Referral, typed: str | None, now: datetime
) -> None:
    """Check the typed code against the referral's in constant time, and spend it once (a
    conditional UPDATE: a replay, or two at once, finds it spent)."""
    code = normalize_code(typed)
    if not code:
        raise Invalid({"arrival_code": ["Type the arrival code the client shows you."]})
    expected = referral.arrival_code or ""
    # bytes: compare_digest refuses non-ASCII text (a code typed on a Cyrillic keyboard)
    if len(code) != ARRIVAL_CODE_LENGTH or not hmac.compare_digest(
        code.encode(), expected.encode()
    ):
        audit.record(
            session,
            "arrival",
            "referrals",
            referral.id,
            outcome="refused",
            detail="wrong arrival code",
            parent=f"referrals:{referral.id}",
        )
        session.commit()
        raise Invalid({"arrival_code": ["This is not the arrival code of this referral."]})
    spent = rowcount(
        session.execute(
            update(Referral)
            .where(Referral.id == referral.id, Referral.arrival_used_at.is_(None))
            .values(arrival_used_at=_naive(now))
            .execution_options(synchronize_session=False)
        )
    )
    if spent != 1:
        raise Invalid({"arrival_code": ["This arrival code was already used."]})


def sender_set(
    session: DbSession, referral: Referral, target: str, now: datetime, reason: str | None = None
) -> Referral:
    """The sender sets a state: only ``cancelled`` (from an open state before arrival);
    anything else is refused (403, audited)."""
    if referral.loop_state is None:
        raise Invalid({"state": ["This referral was recorded, not sent: nothing to cancel."]})
    if not may(SENDER, referral.loop_state, target):
        raise _refuse(session, referral, SENDER, target)
    reason = (reason or "").strip() or None
    identifiers.check_text("reason", reason)
    if not _move(session, referral, target, SENDER, now, reason=reason):
        raise _refuse(session, referral, SENDER, target)
    return referral


def revoke_consent(session: DbSession, referral: Referral, now: datetime) -> list[int]:
    """The client withdrew consent to share with this partner: the consent is revoked,
    every open referral under it cancelled, and the content of all its referrals purged at
    once (the case reference leaves the consent too). Returns the referral ids touched."""
    consent = referral.consent_record
    if consent is None:
        raise Invalid({"consent": ["This referral was not sent under a consent record."]})
    if consent.revoked_at is None:
        consent.revoked_at = _naive(now)
    touched = list(session.scalars(select(Referral).where(Referral.consent_id == consent.id)))
    for r in touched:
        if is_open(r):
            _move(session, r, "cancelled", SYSTEM, now, reason_code="consent_revoked")
        strip_content(session, r, now)
    consent.case_reference = None
    session.flush()
    return [r.id for r in touched]


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
    referral.purged_at = _naive(now)
    session.execute(
        update(ReferralEvent)
        .where(ReferralEvent.referral_id == referral.id)
        .values(reason=None)
        .execution_options(synchronize_session=False)
    )
    session.flush()


# --- expiry and purge -------------------------------------------------------------------------


def expire_due(session: DbSession, now: datetime) -> int:
    """Expire every sent referral not answered by its ``respond_by``; the sender is told
    (content-free). Each one in its own transaction, moved by a conditional UPDATE: two
    runs at once (two hosts) expire and notify each referral once. Returns how many this
    run expired."""
    ids = list(
        session.scalars(
            select(Referral.id).where(
                Referral.loop_state == "sent", Referral.respond_by <= _naive(now)
            )
        )
    )
    session.commit()
    done = 0
    for rid in ids:
        referral = session.get(Referral, rid)
        if referral is None:
            continue
        if _move(session, referral, "expired", SYSTEM, now, reason_code="no_answer"):
            notices.sender_update(session, referral)
            done += 1
        session.commit()
    return done + lapse_consents(session, now)


def lapse_consents(session: DbSession, now: datetime) -> int:
    """A consent past its end date ends its referrals' sharing, as a revoked one does: every
    open referral under it is cancelled ("consent_expired") and the content of all of them
    purged at once (the partner keeps nothing; the sender is told). Run with ``expire``;
    each consent in its own transaction. Returns how many referrals were cancelled."""
    today = _local_today(now)
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
            if is_open(r) and _move(
                session, r, "cancelled", SYSTEM, now, reason_code="consent_expired"
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
    cutoff = _naive(now) - timedelta(days=days)
    ids = list(
        session.scalars(
            select(Referral.id).where(
                Referral.loop_state.in_(CLOSED), Referral.loop_closed_at <= cutoff
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
    today = _local_today(now)
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


# --- what each side sees ------------------------------------------------------------------


def _shared_with(org_id: int) -> tuple:
    """A referral the client consented to share with ``org_id`` (the consent names the
    organization: a service moved to another organization later takes none of them with
    it), under a consent neither withdrawn nor past its end, its content not purged."""
    return (
        ReferralConsent.organization_id == org_id,
        ReferralConsent.revoked_at.is_(None),
        ReferralConsent.expires_on >= _local_today(clock.now()),
        Referral.loop_state.is_not(None),
        Referral.purged_at.is_(None),
    )


def inbox_referral(session: DbSession, org_id: int, referral_id: int) -> Referral:
    """A live referral sent to ``org_id`` (its content not purged), else ``NotFound``."""
    referral = session.scalar(
        select(Referral)
        .join(ReferralConsent, ReferralConsent.id == Referral.consent_id)
        .where(Referral.id == referral_id, *_shared_with(org_id))
    )
    if referral is None:
        raise NotFound(message=f"No referral {referral_id} in this inbox.")
    return referral


def inbox(session: DbSession, org_id: int, limit: int = 200) -> list[Referral]:
    """The organization's live referrals: open ones first (urgent first), then the rest,
    newest first. Purged ones are gone."""
    rows = session.scalars(
        select(Referral)
        .join(ReferralConsent, ReferralConsent.id == Referral.consent_id)
        .where(*_shared_with(org_id))
        # open ones first in SQL, so the limit never pushes an open referral out
        .order_by(
            case((Referral.loop_state.in_(OPEN), 0), else_=1),
            Referral.sent_at.desc(),
            Referral.id.desc(),
        )
        .limit(limit)
    ).all()
    rank = {"now": 0, "today": 1, "routine": 2}
    return sorted(
        rows, key=lambda r: (not is_open(r), rank.get(r.urgency or "", 3) if is_open(r) else 0)
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
            t for (actor, t) in MOVES if actor == RECEIVER and may(actor, referral.loop_state, t)
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
