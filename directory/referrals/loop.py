"""The referral loop: a referral SENT to the receiving organization, which answers it.

The one place that says which states a live referral has, who may set each (``MOVES``),
and moves it (``receiver_act``, ``sender_set``, ``move``), and which referrals a partner
reaches (``shared_with``). Its neighbours do the rest, never deciding a transition
themselves: ``sending`` (the client's consent per partner, the random number and arrival
code, revoking consent), ``expiry`` (unanswered referrals, lapsed consents, the purge of
closed ones) and ``disclosure`` (what travels to the partner, and what the sender sees).
Pages, the API, the partner's inbox and the CLI call these functions.

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
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select, update

from app import audit, clock
from app.extensions import DbSession, rowcount
from directory import identifiers
from directory.errors import Forbidden, IdentifiersFound, Invalid, NotFound
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


def naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None)


def normalize_code(text: str | None) -> str:
    """What the partner typed as an arrival code, without spaces and dashes, upper-case."""
    return "".join(c for c in (text or "").upper() if c.isalnum())


def local_today(now: datetime) -> date:
    return now.astimezone(ZoneInfo(current_app.config["DIRECTORY_TIMEZONE"])).date()


# --- moving between states ----------------------------------------------------------------


def add_event(
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
        at=naive(now),
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


def move(
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
    naive_now = naive(now)
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
    add_event(session, referral, target, actor, now, reason_code, reason, seconds)
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
    if not move(session, referral, target, RECEIVER, now, reason_code=reason_code, reason=reason):
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
            .values(arrival_used_at=naive(now))
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
    if not move(session, referral, target, SENDER, now, reason=reason):
        raise _refuse(session, referral, SENDER, target)
    return referral


# --- which referrals a partner reaches ----------------------------------------------------


def shared_with(org_id: int) -> tuple:
    """A referral the client consented to share with ``org_id`` (the consent names the
    organization: a service moved to another organization later takes none of them with
    it), under a consent neither withdrawn nor past its end, its content not purged."""
    return (
        ReferralConsent.organization_id == org_id,
        ReferralConsent.revoked_at.is_(None),
        ReferralConsent.expires_on >= local_today(clock.now()),
        Referral.loop_state.is_not(None),
        Referral.purged_at.is_(None),
    )


def inbox_referral(session: DbSession, org_id: int, referral_id: int) -> Referral:
    """A live referral sent to ``org_id`` (its content not purged), else ``NotFound``."""
    referral = session.scalar(
        select(Referral)
        .join(ReferralConsent, ReferralConsent.id == Referral.consent_id)
        .where(Referral.id == referral_id, *shared_with(org_id))
    )
    if referral is None:
        raise NotFound(message=f"No referral {referral_id} in this inbox.")
    return referral
