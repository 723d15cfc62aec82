"""The referrals' records: a warm hand-off (``Referral``), and for a live one the client's
consent per partner (``ReferralConsent``) and its de-identified steps (``ReferralEvent``).
What may happen to them is ``referrals.loop``'s and ``referrals.handoff``'s."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models import User, utcnow
from directory.models import Organization, Service

HANDOFFS = ("warm_call", "client_called_from_facility", "accompanied", "information_only")
REFERRAL_STATUSES = ("pending", "connected", "not_connected", "declined", "unreachable")
NOT_CONNECTED_REASONS = (
    "no_capacity",
    "not_eligible",
    "could_not_reach",
    "client_declined",
    "other",
)

URGENCIES = ("routine", "today", "now")
FIRST_CONTACTS = ("client", "case_manager", "none")
LOOP_REASONS = ("no_capacity", "not_eligible", "out_of_area", "could_not_reach", "other")


class Referral(Model):
    """A warm hand-off to a partner service, and whether the client got there.

    Never holds who the client is: ``case_reference`` is the facility's own code, checked so
    it cannot be a name, phone, e-mail or date; notes are checked for identifiers too.
    """

    __tablename__ = "referrals"
    __audited__ = True
    __audit_redact__ = (
        "case_reference",  # purged with the referral's content: not kept in the audit log
        "outcome_note",
        "consent_shared",
        "needs_accessibility",
        "needs_language",  # a rare language in a small network can point at one person
        "needs_interpreter",
        "interpreter_language",
        "urgency",
        "first_contact",
        "arrival_code",
        "loop_reason",
    )
    __audit_parent__ = ("referrals", "id")

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="RESTRICT"), index=True
    )
    case_manager_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    # None once a sent referral's content is purged (``referrals.expiry``)
    case_reference: Mapped[str | None] = mapped_column(String(40))
    handoff: Mapped[str] = mapped_column(String(40))
    consent: Mapped[bool]
    consent_shared: Mapped[str | None] = mapped_column(String(300))
    need: Mapped[str] = mapped_column(String(60))
    interpreter_language: Mapped[str | None] = mapped_column(String(3))
    follow_up_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    not_connected_reason: Mapped[str | None] = mapped_column(String(30))
    outcome_note: Mapped[str | None] = mapped_column(Text)
    referred_on: Mapped[date]
    closed_on: Mapped[date | None]
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # --- the live loop (``directory.referrals.loop``): None while only recorded, not sent.
    # What travels to the partner is exactly ``disclosure.partner_view``; the case reference
    # and the notes above never do.
    loop_state: Mapped[str | None] = mapped_column(String(20), index=True)
    loop_number: Mapped[str | None] = mapped_column(String(12), unique=True)
    urgency: Mapped[str | None] = mapped_column(String(10))
    first_contact: Mapped[str | None] = mapped_column(String(20))
    needs_language: Mapped[str | None] = mapped_column(String(3))
    needs_interpreter: Mapped[bool | None]
    needs_accessibility: Mapped[str | None] = mapped_column(String(300))
    consent_id: Mapped[int | None] = mapped_column(
        ForeignKey("referral_consents.id", ondelete="SET NULL"), index=True
    )
    arrival_code: Mapped[str | None] = mapped_column(String(8))
    arrival_used_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    respond_by: Mapped[datetime | None] = mapped_column(index=True)
    answered_at: Mapped[datetime | None]
    loop_closed_at: Mapped[datetime | None] = mapped_column(index=True)
    loop_reason_code: Mapped[str | None] = mapped_column(String(30))
    loop_reason: Mapped[str | None] = mapped_column(Text)
    purged_at: Mapped[datetime | None]
    sender_unseen: Mapped[bool] = mapped_column(default=False)

    service: Mapped[Service] = relationship()
    case_manager: Mapped[User] = relationship()
    consent_record: Mapped[ReferralConsent | None] = relationship()
    events: Mapped[list[ReferralEvent]] = relationship(
        back_populates="referral", order_by="ReferralEvent.id"
    )

    __table_args__ = (Index("ix_referrals_due", "status", "follow_up_on"),)
    __mapper_args__ = {"version_id_col": version}


class ReferralConsent(Model):
    """The client's written, time-limited consent to share a referral with ONE organization
    (VAWA/FVPSA: per agency, with an end date). Keyed by the facility's case reference,
    which is removed when the consent is revoked or its referrals purged."""

    __tablename__ = "referral_consents"
    __audited__ = True
    __audit_redact__ = ("case_reference",)
    __audit_parent__ = ("organizations", "organization_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    case_manager_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    case_reference: Mapped[str | None] = mapped_column(String(40))
    given_on: Mapped[date]
    expires_on: Mapped[date]
    revoked_at: Mapped[datetime | None]

    organization: Mapped[Organization] = relationship()
    case_manager: Mapped[User] = relationship()


class ReferralEvent(Model):
    """One step of a live referral: the state reached, when, by whom (``sender``,
    ``receiver``, ``system``), and a reason code. De-identified: it names the partner and
    the category, never the client; it outlives the referral's purge (the figures count
    these), while its free-text ``reason`` is purged with the referral's content."""

    __tablename__ = "referral_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int | None] = mapped_column(
        ForeignKey("referrals.id", ondelete="SET NULL"), index=True
    )
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    category: Mapped[str | None] = mapped_column(String(60))
    state: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(10))
    reason_code: Mapped[str | None] = mapped_column(String(30))
    reason: Mapped[str | None] = mapped_column(Text)
    # on the partner's first answer: seconds since the referral was sent (the figures'
    # "time to answer", kept without keeping which referral it was)
    answer_seconds: Mapped[int | None]

    referral: Mapped[Referral | None] = relationship(back_populates="events")
