"""Keeping the directory current: the coordinator's review queue.

A record is due for review when no one has verified it within ``STALE_AFTER_DAYS`` (or
ever), when it has no Section V category (an import left it uncategorized), when its AAAQ
is falling, or when most recent client feedback says it did not help.
``last_verified`` is when a person checked the record, not when it was last edited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Integer, func, or_, select
from sqlalchemy.orm import selectinload

from app.extensions import DbSession
from directory import aaaq
from directory.aaaq_records import AaaqRating, FeedbackNote
from directory.models import Organization, Service
from directory.referrals import figures

MIN_NOTES = 3  # "mostly not helpful" needs at least this many notes in 12 months


MIN_NOTES = 3  # "mostly not helpful" needs at least this many notes in 12 months


@dataclass
class ReviewItem:
    service: Service
    reasons: list[str] = field(default_factory=list)


def review_queue(session: DbSession, today: date, *, limit: int = 500) -> list[ReviewItem]:
    """Services to review, least recently verified first (never verified at the top)."""
    stale_days = current_app.config["STALE_AFTER_DAYS"]
    cutoff = today - timedelta(days=stale_days)
    active = (Service.status == "active", Organization.status == "active")
    flagged: dict[int, list[str]] = {}

    stale = session.execute(
        select(Service.id, Service.last_verified)
        .join(Service.organization)
        .where(*active, or_(Service.last_verified.is_(None), Service.last_verified < cutoff))
    )
    for sid, verified in stale:
        flagged.setdefault(sid, []).append(
            _("never verified")
            if verified is None
            else _("not verified since %(date)s", date=verified.isoformat())
        )

    uncategorized = session.scalars(
        select(Service.id).join(Service.organization).where(*active, Service.category.is_(None))
    )
    for sid in uncategorized:
        flagged.setdefault(sid, []).append(_("no Section V category: choose one"))

    rated = session.scalars(
        select(AaaqRating.service_id)
        .distinct()
        .where(AaaqRating.rated_on >= today - timedelta(days=2 * aaaq.WINDOW_DAYS))
    ).all()
    for sid, s in aaaq.summaries(session, list(rated), today).items():
        if s.trend == "down":
            flagged.setdefault(sid, []).append(
                _(
                    "AAAQ falling (%(before).1f → %(now).1f)",
                    before=s.previous_overall,
                    now=s.overall,
                )
            )

    year_ago = today - timedelta(days=365)
    counts = session.execute(
        select(
            FeedbackNote.service_id,
            func.count(),
            func.sum((FeedbackNote.outcome == "not_helpful").cast(Integer)),
        )
        .where(FeedbackNote.noted_on >= year_ago, FeedbackNote.hidden.is_(False))
        .group_by(FeedbackNote.service_id)
    )
    for sid, total, bad in counts:
        if total >= MIN_NOTES and (bad or 0) * 2 > total:
            flagged.setdefault(sid, []).append(
                _("mostly not helpful feedback (%(bad)s of %(total)s)", bad=bad, total=total)
            )

    for sid, reason in figures.review_flags(session):
        flagged.setdefault(sid, []).append(reason)

    if not flagged:
        return []
    services = sorted(
        session.scalars(
            select(Service)
            .join(Service.organization)
            .where(Service.id.in_(list(flagged)), *active)
            .options(selectinload(Service.organization))
        ).all(),
        key=lambda s: (s.last_verified or date.min, s.name),
    )
    return [ReviewItem(s, flagged[s.id]) for s in services[:limit]]
