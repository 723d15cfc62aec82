"""Facilities, assessment rounds, respondents' answers and improvement-plan goals."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models import User, utcnow
from directory.models import Organization

RESPONDENT_ROLES = (
    "clinician",
    "nurse",
    "mental_health",
    "leadership",
    "front_office",
    "security",
    "shelter_staff",
    "case_manager",
    "law_enforcement",
    "lived_experience",
    "other",
)
HORIZONS = ("10_days", "1_month", "3_months", "6_months", "1_year")
GOAL_STATUSES = ("not_started", "in_progress", "done", "dropped")
# a plan_goals row may also hold a suggested goal the coordinator dismissed (status
# "dismissed", see assessment.suggestions): kept so it is not proposed again, never a goal


class Facility(Model):
    """An organization that assesses itself or is assessed by the network."""

    __tablename__ = "facilities"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), unique=True
    )
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organization: Mapped[Organization] = relationship()
    rounds: Mapped[list[AssessmentRound]] = relationship(
        back_populates="facility", order_by="AssessmentRound.started_on"
    )

    @property
    def name(self) -> str:
        return self.organization.name


class AssessmentRound(Model):
    """One instrument taken by a facility's respondents over a period."""

    __tablename__ = "assessment_rounds"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(
        ForeignKey("facilities.id", ondelete="CASCADE"), index=True
    )
    instrument: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(200))
    started_on: Mapped[date]
    closed_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    facility: Mapped[Facility] = relationship(back_populates="rounds")
    responses: Mapped[list[Response]] = relationship(back_populates="round", order_by="Response.id")
    goals: Mapped[list[PlanGoal]] = relationship(back_populates="round", order_by="PlanGoal.id")


class Response(Model):
    """One respondent's answers (identified by role only). A draft is not counted."""

    __tablename__ = "assessment_responses"
    __audited__ = True
    __audit_parent__ = ("assessment_rounds", "round_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("assessment_rounds.id", ondelete="CASCADE"))
    respondent_role: Mapped[str] = mapped_column(String(30))
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    ratings: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    round: Mapped[AssessmentRound] = relationship(back_populates="responses")
    entered_by: Mapped[User | None] = relationship()

    __table_args__ = (Index("ix_assessment_responses_round_status", "round_id", "status"),)
    __mapper_args__ = {"version_id_col": version}


class PlanGoal(Model):
    """An improvement-plan goal for a horizon (10 days ... 1 year), tied to a section."""

    __tablename__ = "plan_goals"
    __audited__ = True
    __audit_parent__ = ("assessment_rounds", "round_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("assessment_rounds.id", ondelete="CASCADE"))
    horizon: Mapped[str] = mapped_column(String(10))
    section: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="not_started")
    due_on: Mapped[date]
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    round: Mapped[AssessmentRound] = relationship(back_populates="goals")

    __mapper_args__ = {"version_id_col": version}
