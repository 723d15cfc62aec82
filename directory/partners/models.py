"""The partner feature's records: links (hashed tokens), update requests and the changes a
partner suggested."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models import User, utcnow
from directory.models import Organization, Service

PURPOSES = ("update", "capacity", "inbox")


class PartnerLink(Model):
    """A personal link's key: only the SHA-256 of the token is kept. Scoped to one
    organization and one purpose (``update``: the listing, answered once; ``capacity``:
    standing, no expiry, until revoked)."""

    __tablename__ = "partner_links"
    __audited__ = True
    __audit_redact__ = ("token_hash",)
    __audit_parent__ = ("organizations", "organization_id")
    if TYPE_CHECKING:  # not a column: set when the link is mailed (partners.requests.deliver)
        mail_job_id: int | None

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime | None]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    # where the e-mail carrying the link went: "smtp" (the mail server took it) or
    # "outbox" (no mail server: kept for a person to pass on); None before 0020
    delivered_via: Mapped[str | None] = mapped_column(String(10))

    organization: Mapped[Organization] = relationship()


class UpdateRequest(Model):
    """An e-mail asking a partner to check its listing, and what came of it.

    ``status``: ``sent`` (waiting), ``overdue`` (not answered within the link's 30 days),
    ``answered`` (confirmed or changes suggested), ``revoked`` (a newer request replaced it).
    """

    __tablename__ = "update_requests"
    __audited__ = True
    __audit_redact__ = ("note",)
    __audit_parent__ = ("organizations", "organization_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    link_id: Mapped[int | None] = mapped_column(ForeignKey("partner_links.id", ondelete="SET NULL"))
    sent_to: Mapped[str] = mapped_column(String(254))
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    expires_at: Mapped[datetime]
    reminded_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None] = mapped_column(index=True)
    answer: Mapped[str | None] = mapped_column(String(20))  # confirmed | suggested
    note: Mapped[str | None] = mapped_column(Text)  # the partner's note to the coordinator
    revoked_at: Mapped[datetime | None]

    organization: Mapped[Organization] = relationship()
    link: Mapped[PartnerLink | None] = relationship()
    sent_by: Mapped[User | None] = relationship()
    suggestions: Mapped[list[Suggestion]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="Suggestion.id"
    )

    def status(self, now: datetime) -> str:
        """``answered``, ``revoked``, ``overdue`` or ``sent`` at ``now`` (naive UTC)."""
        if self.answered_at is not None:
            return "answered"
        if self.revoked_at is not None:
            return "revoked"
        return "overdue" if self.expires_at <= now else "sent"

    @property
    def pending(self) -> list[Suggestion]:
        """Suggestions no coordinator has decided yet."""
        return [s for s in self.suggestions if s.decision is None]


class Suggestion(Model):
    """One field of one service as the partner would have it. ``seen`` is what the partner
    was shown (None where the address was not shown), ``proposed`` what they typed."""

    __tablename__ = "partner_suggestions"
    __audited__ = True
    __audit_parent__ = ("services", "service_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("update_requests.id", ondelete="CASCADE"), index=True
    )
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(40))
    seen: Mapped[str | dict | None] = mapped_column(JSON)
    proposed: Mapped[str | dict | None] = mapped_column(JSON)
    seen_version: Mapped[int]
    decision: Mapped[str | None] = mapped_column(String(10))  # accepted | rejected
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]

    request: Mapped[UpdateRequest] = relationship(back_populates="suggestions")
    service: Mapped[Service] = relationship()
    decided_by: Mapped[User | None] = relationship()
