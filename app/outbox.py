"""The outbox: mail kept when no ``MAIL_SERVER`` is set, read by the people who sent it.

An admin reads every message, a coordinator the messages they sent. A kept message carries
a working personal link (a partner's key to their listing): once someone has passed it on
and says so, its tokens are masked in the stored copy, so the outbox stops being a drawer
of live keys.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, func, select

from app import audit
from app.extensions import DbSession
from app.models import OutboxMessage, User

# a token in a link: the path segment after one of the link pages, url-safe base64
_TOKEN = re.compile(r"(/(?:partner|inbox|respond|r)/)([A-Za-z0-9_-]{16,})")
MASK = "••••••"


def mask(text: str | None) -> str | None:
    """``text`` with every link token cut to its first 4 characters and a mask."""
    if text is None:
        return None
    return _TOKEN.sub(lambda m: f"{m.group(1)}{m.group(2)[:4]}{MASK}", text)


def visible(user: User) -> Select:
    """The messages ``user`` may read: all for an admin, their own sends for others."""
    stmt = select(OutboxMessage)
    if not user.has_role("admin"):
        stmt = stmt.where(OutboxMessage.sent_by_id == user.id)
    return stmt


def page(
    session: DbSession, user: User, number: int, per_page: int
) -> tuple[Sequence[OutboxMessage], int]:
    """One page of ``user``'s readable messages, newest first, and how many there are."""
    stmt = visible(user)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(OutboxMessage.id.desc()).limit(per_page).offset((number - 1) * per_page)
    ).all()
    return rows, total


def pass_on(session: DbSession, user: User, message_id: int, now: datetime) -> OutboxMessage | None:
    """Mark a message passed on (the sender forwarded it by hand): its tokens are masked.
    None when ``user`` may not read it. Audited, without the body."""
    message = session.scalar(visible(user).where(OutboxMessage.id == message_id))
    if message is None:
        return None
    if message.passed_on_at is None:
        message.passed_on_at = now.replace(tzinfo=None)
        message.text_body = mask(message.text_body)
        message.html_body = mask(message.html_body)
        session.flush()
        audit.record(session, "pass_on", "mail_outbox", message.id, detail="tokens masked")
    return message
