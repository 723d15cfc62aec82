"""The AAAQ's records: a coordinator's rating of a service (``AaaqRating``) and what a client
said of it (``FeedbackNote``, its observations chosen per AAAQ dimension). The scores
computed from them are ``directory.aaaq``'s; saving them, ``catalog.ratings`` and
``catalog.feedback``."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models import User, utcnow

AAAQ_DIMENSIONS = ("availability", "accessibility", "acceptability", "quality")
RATING_BASES = ("site_visit", "staff_experience", "client_feedback", "phone_check")
OUTCOMES = ("helpful", "mixed", "not_helpful")
CHANNELS = ("client_told_staff", "survey", "focus_group", "advisory_board")
# what clients commonly say, per AAAQ dimension: a note of choices needs no free text, and a
# choice can never identify anyone (#30, "structured first"); labels in directory.templating
OBSERVATIONS = {
    "availability": ("seen_quickly", "waited_long", "turned_away_full", "hard_to_reach"),
    "accessibility": (
        "interpreter_offered",
        "no_interpreter",
        "asked_for_documents",
        "hard_to_get_there",
        "cost_a_barrier",
    ),
    "acceptability": ("respectful", "felt_judged", "privacy_respected", "felt_unsafe"),
    "quality": ("needs_met", "turned_away_not_eligible", "sent_elsewhere", "followed_up"),
}
OBSERVATION_CODES = tuple(code for codes in OBSERVATIONS.values() for code in codes)


class AaaqRating(Model):
    """One coordinator's AAAQ rating of a service on one date (WHO framework: 1 = poor,
    2 = moderate, 3 = excellent compliance; None = N/A, the service is not available).
    Ratings are never edited: each is kept as history."""

    __tablename__ = "aaaq_ratings"
    __audited__ = True
    __audit_redact__ = ("note",)  # like a feedback note: the text is never logged
    __audit_parent__ = ("services", "service_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"))
    rater_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    rated_on: Mapped[date]
    availability: Mapped[int | None]
    accessibility: Mapped[int | None]
    acceptability: Mapped[int | None]
    quality: Mapped[int | None]
    basis: Mapped[str] = mapped_column(String(30), default="staff_experience")
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    rater: Mapped[User | None] = relationship()

    __table_args__ = (Index("ix_aaaq_ratings_service_date", "service_id", "rated_on"),)


class FeedbackNote(Model):
    """What a client said about a service, de-identified: never a name, phone, e-mail,
    date of birth, address or ID number (checked on save by ``directory.identifiers``)."""

    __tablename__ = "feedback_notes"
    __audited__ = True
    __audit_redact__ = ("text",)
    __audit_parent__ = ("services", "service_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str | None] = mapped_column(Text)  # optional: the choices may say it all
    outcome: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(30), default="client_told_staff")
    # chosen OBSERVATION_CODES, space-separated, in the catalogue's order
    observations: Mapped[str | None] = mapped_column(String(400))
    noted_on: Mapped[date]
    hidden: Mapped[bool] = mapped_column(default=False)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    hidden_reason: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])

    __table_args__ = (Index("ix_feedback_notes_service_date", "service_id", "noted_on"),)

    @property
    def observation_list(self) -> list[str]:
        return (self.observations or "").split()
