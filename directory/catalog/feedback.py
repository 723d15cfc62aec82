"""De-identified client feedback on partner services, and its summary.

A note says what a client said about a service and how it went (helpful / mixed / not
helpful). It is refused if it holds anything that looks like a client identifier. Viewers
never see notes; case managers see visible ones; coordinators also see hidden ones.
Every read is audited.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select

from app import audit
from app.extensions import DbSession
from app.models import User
from directory import identifiers
from directory.aaaq_records import OBSERVATION_CODES, OUTCOMES, FeedbackNote
from directory.errors import Invalid
from directory.models import Service


def add_note(
    session: DbSession, service: Service, data: dict, author: User, today: date
) -> FeedbackNote:
    """Save a feedback note (validated by ``schemas.FeedbackInSchema``); not committed. The
    observations are fixed choices and identify nobody; the free text, when given, goes
    through the identifier check."""
    text = (data.get("text") or "").strip() or None
    identifiers.check_text("text", text, allow=identifiers.Allowed.from_service(service))
    chosen = set(data.get("observations") or ())
    note = FeedbackNote(
        service_id=service.id,
        author_id=author.id,
        text=text,
        observations=" ".join(c for c in OBSERVATION_CODES if c in chosen) or None,
        outcome=data["outcome"],
        channel=data.get("channel", "client_told_staff"),
        noted_on=data.get("noted_on") or today,
    )
    session.add(note)
    session.flush()
    return note


def notes(
    session: DbSession, service_id: int, user: User, *, limit: int | None = None
) -> list[FeedbackNote]:
    """The notes ``user`` may read, newest first; the read is audited."""
    stmt = select(FeedbackNote).where(FeedbackNote.service_id == service_id)
    if not user.has_role("coordinator"):
        stmt = stmt.where(FeedbackNote.hidden.is_(False))
    stmt = stmt.order_by(FeedbackNote.noted_on.desc(), FeedbackNote.id.desc())
    if limit:
        stmt = stmt.limit(limit)
    rows = list(session.scalars(stmt))
    audit.record(
        session,
        "read",
        "feedback_notes",
        object_id=None,
        parent=f"services:{service_id}",
        detail=f"{len(rows)} notes: {audit.ids(rows)}",
    )
    return rows


def hide(session: DbSession, note: FeedbackNote, user: User, reason: str | None) -> None:
    """Hide a note from case managers (kept, and the change audited). The reason is a free
    text about what a client said: it goes through the identifier check too."""
    if reason is not None and len(reason) > 300:  # the API's schema says so; the page too
        raise Invalid({"reason": [_("At most 300 characters.")]})
    service = session.get(Service, note.service_id)
    identifiers.check_text("reason", reason, allow=identifiers.Allowed.from_service(service))
    note.hidden = True
    note.hidden_by_id = user.id
    note.hidden_reason = reason
    session.flush()


_OUTCOME_COUNTS = (
    select(FeedbackNote.service_id, FeedbackNote.outcome, func.count())
    .where(
        FeedbackNote.service_id.in_(bindparam("ids", expanding=True)),
        FeedbackNote.hidden.is_(False),
        FeedbackNote.noted_on >= bindparam("since"),
    )
    .group_by(FeedbackNote.service_id, FeedbackNote.outcome)
)
"""Built once: search pages ask for it on every request."""


def observation_counts(session: DbSession, service_id: int, today: date) -> dict[str, int]:
    """Visible notes of the last 12 months per observation chosen, most said first."""
    stmt = select(FeedbackNote.observations).where(
        FeedbackNote.service_id == service_id,
        FeedbackNote.hidden.is_(False),
        FeedbackNote.noted_on >= today - timedelta(days=365),
        FeedbackNote.observations.is_not(None),
    )
    counts = dict.fromkeys(OBSERVATION_CODES, 0)
    for chosen in session.scalars(stmt):
        for code in (chosen or "").split():  # never None: the query asks for a value
            if code in counts:
                counts[code] += 1
    ranked = sorted((c for c in counts if counts[c]), key=lambda c: -counts[c])
    return {code: counts[code] for code in ranked}


def outcome_counts(session: DbSession, service_ids: list[int], today: date) -> dict[int, dict]:
    """Visible notes of the last 12 months per service, counted by outcome."""
    out = {sid: dict.fromkeys(OUTCOMES, 0) for sid in service_ids}
    if not service_ids:
        return out
    params = {"ids": service_ids, "since": today - timedelta(days=365)}
    rows = session.connection().execute(_OUTCOME_COUNTS, params)
    for sid, outcome, n in rows:
        out[sid][outcome] = n
    return out
