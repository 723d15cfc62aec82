"""Warm hand-off referrals: record, follow up, close; and what their outcomes say.

The toolkit's warm hand-off: the professional contacts the partner directly, or helps the
client call from the facility, with the client's permission; then the facility finds out
whether the client got there. A referral holds no client identity: a case reference chosen
by the facility (checked so it cannot be a name, phone, e-mail or date), and notes checked
like feedback notes. Case managers see their own referrals; coordinators see all.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Integer, Select, func, select
from sqlalchemy.orm import selectinload

from app import audit, clock
from app.extensions import DbSession
from app.models import User
from directory import identifiers
from directory.errors import IdentifiersFound, Invalid, NotFound, Stale
from directory.models import Service
from directory.referrals import loop, sending
from directory.referrals.models import Referral

CLOSED = ("connected", "not_connected", "declined", "unreachable")
DEFAULT_FOLLOW_UP_DAYS = 7


def create(
    session: DbSession, data: dict, user: User, today: date, now: datetime | None = None
) -> Referral:
    """Record a referral (validated by ``schemas.ReferralInSchema``); with ``send``, also
    send it to the receiving organization's inbox (``sending.send``). Not committed."""
    errors: dict[str, list[str]] = {}
    if data.get("send"):
        errors.update(sending.check_send(data, today))
    if problem := identifiers.case_reference_problem(data["case_reference"]):
        errors["case_reference"] = [problem]
    if not data.get("handoff"):  # the page asks after the fact, with no choice made for the user
        errors["handoff"] = ["Say how the hand-off happened."]
    if not data.get("consent"):
        errors["consent"] = ["The client's consent is required before referring."]
    service = session.get(Service, data["service_id"])
    if service is None or service.status != "active":
        errors["service_id"] = ["No such active service."]
    follow_up = data.get("follow_up_on") or today + timedelta(days=DEFAULT_FOLLOW_UP_DAYS)
    if follow_up < today:
        errors["follow_up_on"] = ["The follow-up date cannot be in the past."]
    allow = identifiers.Allowed.from_service(service)
    found: dict[str, IdentifiersFound] = {}
    for field in ("consent_shared", "outcome_note"):
        try:
            identifiers.check_text(field, data.get(field), allow=allow)
        except IdentifiersFound as exc:
            errors.update(exc.errors)
            found[field] = exc
    if errors:
        invalid = Invalid(errors, "Invalid referral.")
        invalid.identifiers = found  # the spans, for the page to mark (identifiers.marks_for)
        raise invalid
    assert service is not None  # else errors["service_id"] was set, and raised above
    referral = Referral(
        service_id=service.id,
        case_manager_id=user.id,
        case_reference=data["case_reference"].strip(),
        handoff=data["handoff"],
        consent=True,
        consent_shared=data.get("consent_shared"),
        need=data.get("need") or service.category or "",
        interpreter_language=data.get("interpreter_language"),
        follow_up_on=follow_up,
        status="pending",
        referred_on=today,
        outcome_note=data.get("outcome_note"),
    )
    session.add(referral)
    session.flush()
    if data.get("send"):
        sending.send(session, referral, data, user, now or clock.now())
    return referral


def visible(user: User) -> Select[Referral]:
    """The referrals ``user`` may see, as a query."""
    stmt = select(Referral)
    if not user.has_role("coordinator"):
        stmt = stmt.where(Referral.case_manager_id == user.id)
    return stmt


def get(session: DbSession, referral_id: int, user: User) -> Referral:
    """One referral the user may see (audited read); ``NotYours`` otherwise."""
    referral = session.scalar(visible(user).where(Referral.id == referral_id))
    if referral is None:
        audit.record(session, "read", "referrals", referral_id, outcome="refused")
        session.commit()
        raise NotFound(message=f"No referral with id {referral_id}.")
    audit.record(session, "read", "referrals", referral_id, parent=f"referrals:{referral_id}")
    return referral


def listing(
    session: DbSession,
    user: User,
    *,
    due: bool,
    today: date,
    status: str | None = None,
    limit: int = 200,
) -> list[Referral]:
    """The user's referrals: with ``due``, pending ones whose follow-up date has come,
    oldest first; else open ones first, then the rest, newest first. Audited."""
    stmt = visible(user).options(selectinload(Referral.service).selectinload(Service.organization))
    if due:
        stmt = stmt.where(Referral.status == "pending", Referral.follow_up_on <= today)
        stmt = stmt.order_by(Referral.follow_up_on, Referral.id)
    else:
        if status:
            stmt = stmt.where(Referral.status == status)
        stmt = stmt.order_by(
            (Referral.status != "pending").cast(Integer), Referral.follow_up_on, Referral.id.desc()
        )
    rows = list(session.scalars(stmt.limit(limit)))
    audit.record(session, "read", "referrals", detail=f"list of {len(rows)}: {audit.ids(rows)}")
    return rows


def mark_seen(referral: Referral, user: User) -> Referral:
    """The sender read the referral: its update notice in the app is cleared."""
    if referral.sender_unseen and referral.case_manager_id == user.id:
        referral.sender_unseen = False
    return referral


def unseen_count(session: DbSession, user: User) -> int:
    """Sent referrals of ``user`` with a partner's change not yet seen (the app's notice)."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Referral)
            .where(Referral.case_manager_id == user.id, Referral.sender_unseen.is_(True))
        )
        or 0  # a count is never None; the stubs cannot know
    )


def update(
    session: DbSession, referral: Referral, data: dict, today: date, now: datetime | None = None
) -> Referral:
    """Follow up: change status, reason, note, follow-up date. Closed stays closed. A
    ``loop_state`` is the loop's (``loop.sender_set``: the sender may only cancel)."""
    data = dict(data)
    version = data.pop("version", None)
    if version is not None and version != referral.version:
        raise Stale(referral.version)
    if "loop_state" in data:
        loop.sender_set(session, referral, data.pop("loop_state"), now or clock.now())
    errors: dict[str, list[str]] = {}
    status = data.get("status", referral.status)
    if referral.status in CLOSED and status == "pending":
        errors["status"] = [f"A closed referral ({referral.status}) cannot become pending again."]
    reason = data.get("not_connected_reason", referral.not_connected_reason)
    if status == "not_connected" and not reason:
        errors["not_connected_reason"] = ["Say why the client did not connect."]
    if "follow_up_on" in data and data["follow_up_on"] < today and status == "pending":
        errors["follow_up_on"] = ["The follow-up date cannot be in the past."]
    found: dict[str, IdentifiersFound] = {}
    try:
        identifiers.check_text(
            "outcome_note",
            data.get("outcome_note"),
            allow=identifiers.Allowed.from_service(referral.service),
        )
    except IdentifiersFound as exc:
        errors.update(exc.errors)
        found["outcome_note"] = exc
    if errors:
        invalid = Invalid(errors, "Invalid referral.")
        invalid.identifiers = found
        raise invalid
    for key in ("status", "outcome_note", "follow_up_on"):
        if key in data:
            setattr(referral, key, data[key])
    referral.not_connected_reason = reason if status == "not_connected" else None
    if status in CLOSED and referral.closed_on is None:
        referral.closed_on = today
    session.flush()
    return referral
