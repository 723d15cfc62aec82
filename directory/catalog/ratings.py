"""Recording AAAQ ratings of partner services, and their history.

Every rating is kept; nothing is edited. What the ratings add up to (current values,
trend) is ``directory.aaaq``.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.models import User
from directory import identifiers
from directory.errors import Invalid
from directory.models import AAAQ_DIMENSIONS, AaaqRating, Service


def history(session: Session, service_id: int) -> list[AaaqRating]:
    """Every rating of the service, newest first; reading their notes is audited (the ids of
    the ratings that carry one). The caller commits."""
    rows = list(
        session.scalars(
            select(AaaqRating)
            .where(AaaqRating.service_id == service_id)
            .order_by(AaaqRating.rated_on.desc(), AaaqRating.id.desc())
        )
    )
    noted = [r for r in rows if r.note]
    if noted:
        audit.record(
            session,
            "read",
            "aaaq_ratings",
            parent=f"services:{service_id}",
            detail=f"{len(noted)} rating notes: {audit.ids(noted)}",
        )
    return rows


def rate_service(
    session: Session, service: Service, data: dict, rater: User, today: date
) -> AaaqRating:
    """Record a rating (validated by ``schemas.RatingInSchema``); not committed."""
    if not any(data.get(d) is not None for d in AAAQ_DIMENSIONS):
        raise Invalid({"_schema": ["Rate at least one dimension (the others may be N/A)."]})
    identifiers.check_text("note", data.get("note"))
    rated_on = data.get("rated_on") or today
    if rated_on > today:
        raise Invalid({"rated_on": ["A rating cannot be dated in the future."]})
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
