"""Users, their roles and API tokens, and the append-only audit log."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import NoReturn

from flask_login import UserMixin
from sqlalchemy import JSON, Connection, ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from app.extensions import Model, db

ROLES = ("viewer", "case_manager", "coordinator", "admin")
"""Roles in increasing order of power: each may do all that the ones before it may."""


def utcnow() -> datetime:
    """The current time in UTC (a callable, so defaults are evaluated per row)."""
    return datetime.now(UTC).replace(tzinfo=None)


def role_rank(role: str | None) -> int:
    """Position of ``role`` in ``ROLES``; -1 for none or unknown."""
    return ROLES.index(role) if role in ROLES else -1


class User(UserMixin, Model):
    """A staff member. ``session_version`` changes to end every session of the user."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    def get_id(self) -> str:
        """Flask-Login id: the user id and session version, so old cookies stop working."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def has_role(self, role: str) -> bool:
        """True when this user's role is ``role`` or a more powerful one."""
        return role_rank(self.role) >= role_rank(role)


class ApiToken(Model):
    """A bearer token; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    # None: a token issued before expiry existed; it ends API_TOKEN_DAYS after created_at
    expires_at: Mapped[datetime | None]
    revoked: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship(back_populates="tokens")

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, days: int = 90) -> tuple[ApiToken, str]:
        """A new token for ``user``, valid ``days``: the row to add and the secret to show
        once."""
        secret = secrets.token_urlsafe(32)
        expires = utcnow() + timedelta(days=days)
        return cls(user=user, token_hash=cls.hash(secret), expires_at=expires), secret

    def expiry(self, days: int) -> datetime:
        """When this token stops working (``days``: ``API_TOKEN_DAYS``, for old tokens)."""
        return self.expires_at or (self.created_at + timedelta(days=days))


class LoginThrottle(Model):
    """Failed logins in a row for one typed e-mail (the account's own row) or for one client
    trying it (an address, or a device that signed in to it before), shared by every worker
    and machine.

    ``key`` is an HMAC of the normalised e-mail under the app's secret key, so the table
    says nothing of what was typed (a password typed into the e-mail box stays unreadable)
    and an e-mail with no account is throttled exactly like one with an account (the
    lock-out does not tell which accounts exist).
    """

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    locked_until: Mapped[datetime | None]
    # a client's row (one address or device trying one e-mail): the e-mail's own key, so
    # that an admin's unlock clears every client's row; None on the account's own row
    account_key: Mapped[str | None] = mapped_column(String(64), index=True)


class AuditEvent(Model):
    """One audit entry: who did what to which record, when, with which outcome.

    Append-only: the ORM refuses updates and deletes of these rows (see the listener
    below) and no route changes them. ``changes`` holds field names with old and new
    values, except for fields a model lists in ``__audit_redact__`` (their values are
    never stored, only that they changed).
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(40), index=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(64))
    # the record whose history this entry belongs to, e.g. "services:12" for its hours
    parent: Mapped[str | None] = mapped_column(String(80), index=True)
    changes: Mapped[dict | None] = mapped_column(JSON)
    outcome: Mapped[str] = mapped_column(String(20), default="ok")
    detail: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (db.Index("ix_audit_object", "object_type", "object_id"),)


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete an audit entry."""


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_audit_change(mapper: Mapper, connection: Connection, target: AuditEvent) -> NoReturn:  # noqa: ARG001
    raise AuditLogIsAppendOnly("audit entries cannot be changed or deleted")


class OutboxMessage(Model):
    """An e-mail the app would have sent, kept when no ``MAIL_SERVER`` is set (the demo,
    an offline install) to read at ``/admin/outbox``: an admin reads every message, a
    coordinator those they sent (``sent_by_id``). It holds working links until someone
    marks it passed on (``passed_on_at``): then its tokens are masked (``app.outbox``).
    Not in the audit log, for the links it holds."""

    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sender: Mapped[str] = mapped_column(String(254))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    sent_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    passed_on_at: Mapped[datetime | None]


JOB_STATUSES = ("queued", "running", "done", "failed")


class Job(Model):
    """A piece of long work run by the worker (``app.jobs``): an import, an export, a large
    sheet, an e-mail. ``params`` holds what the work needs (cleared when it finishes if it
    held anything secret, e.g. an e-mail's text with a partner's link); ``result`` what it
    produced (a report, a file to download); ``error`` why it failed, in words a user reads.
    ``progress`` is a percentage while running (null: the work cannot tell)."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    progress: Mapped[int | None] = mapped_column(default=0)
    params: Mapped[dict | None] = mapped_column(JSON)
    result: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class CommandLock(Model):
    """A scheduled command running somewhere (``app.locks``, SQLite; PostgreSQL uses an
    advisory lock): one row per command name while it runs, so a second host skips it.
    ``expires_at`` frees the lock of a host that died mid-run."""

    __tablename__ = "locks"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    acquired_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
