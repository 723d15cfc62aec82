"""Recording AAAQ ratings of partner services, and their history.

Every rating is kept; nothing is edited. What the ratings add up to (current values,
trend) is ``directory.aaaq``. A rating's note and its rater are read by case managers and
up only, and every such read is audited (like feedback notes); viewers get the scores.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from flask_babel import gettext as _
from sqlalchemy import select

from app import audit
from app.extensions import DbSession
from app.models import User
from directory import identifiers
from directory.aaaq_records import AAAQ_DIMENSIONS, AaaqRating
from directory.errors import Invalid
from directory.models import Service
from directory.visibility import Viewer


def reads_notes(user: Viewer) -> bool:
    """Rating notes (and who rated) are for case managers and up."""
    return bool(user is not None and user.is_authenticated and user.has_role("case_manager"))


def history(session: DbSession, service_id: int, user: Viewer) -> list:
    """Every rating, newest first, as ``user`` may read it: with note and rater for case
    managers and up (the read is audited, not committed), the scores alone otherwise."""
    rows = list(
        session.scalars(
            select(AaaqRating)
            .where(AaaqRating.service_id == service_id)
            .order_by(AaaqRating.rated_on.desc(), AaaqRating.id.desc())
        )
    )
    if not reads_notes(user):
        return [_scores_only(r) for r in rows]
    noted = [r for r in rows if r.note]
    audit.record(
        session,
        "read",
        "aaaq_ratings",
        object_id=None,
        parent=f"services:{service_id}",
        detail=f"{len(noted)} rating notes: {audit.ids(noted)}",
    )
    return rows


def _scores_only(rating: AaaqRating) -> SimpleNamespace:
    return SimpleNamespace(
        id=rating.id,
        service_id=rating.service_id,
        rated_on=rating.rated_on,
        basis=rating.basis,
        note=None,
        rater=None,
        **{d: getattr(rating, d) for d in AAAQ_DIMENSIONS},
    )


def rate_service(
    session: DbSession, service: Service, data: dict, rater: User, today: date
) -> AaaqRating:
    """Record a rating (validated by ``schemas.RatingInSchema``); not committed."""
    if not any(data.get(d) is not None for d in AAAQ_DIMENSIONS):
        raise Invalid({"_schema": [_("Rate at least one dimension (the others may be N/A).")]})
    identifiers.check_text(
        "note", data.get("note"), allow=identifiers.Allowed.from_service(service)
    )
    rated_on = data.get("rated_on") or today
    if rated_on > today:
        raise Invalid({"rated_on": [_("A rating cannot be dated in the future.")]})
    rating = AaaqRating(
        service_id=service.id,
        rater_id=rater.id,
        rated_on=rated_on,
        basis=data.get("basis", "staff_experience"),
        note=data.get("note"),
        **{d: data.get(d) for d in AAAQ_DIMENSIONS},
    )
    session.add(rating)
    session.flush()
    return rating
