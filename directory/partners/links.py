"""Personal links: a random token given once (in an e-mail), only its SHA-256 stored,
scoped to one organization and one purpose, with expiry and single use where it applies.

A link that is unknown, expired, used, revoked or for another purpose is simply not found:
the partner sees one "this link no longer works" page, never which of these it was.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from app.extensions import DbSession, rowcount
from directory.errors import NotFound
from directory.partners.models import PartnerLink

VALID_DAYS = 30
TOKEN_BYTES = 32
MAX_TOKEN = 100  # longer text in the URL is not a token: refused before hashing


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(
    session: DbSession,
    org_id: int,
    purpose: str,
    now: datetime,
    by_id: int | None,
    *,
    days: int | None = None,
) -> tuple[PartnerLink, str]:
    """A new link and its token (the only time the token exists in clear). ``days`` None:
    standing (capacity links)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = PartnerLink(
        token_hash=digest(token),
        organization_id=org_id,
        purpose=purpose,
        created_at=now,
        created_by_id=by_id,
        expires_at=None if days is None else now + timedelta(days=days),
    )
    session.add(link)
    session.flush()
    return link, token


def find(session: DbSession, token: str, purpose: str, now: datetime) -> PartnerLink:
    """The live link for ``token`` and ``purpose``, or ``NotFound``."""
    if not token or len(token) > MAX_TOKEN:
        raise NotFound(message="No such link.")
    link = session.scalar(select(PartnerLink).where(PartnerLink.token_hash == digest(token)))
    if (
        link is None
        or link.purpose != purpose
        or link.revoked_at is not None
        or link.used_at is not None
        or (link.expires_at is not None and link.expires_at <= now)
        # a partner the network deactivated (dropped, or found compromised) keeps no way in
        or (link.organization is not None and link.organization.status != "active")
    ):
        raise NotFound(message="No such link.")
    return link


def use(session: DbSession, link: PartnerLink, now: datetime) -> None:
    """Spend a single-use link. The conditional update makes two answers sent at the same
    moment (a double click, a replay) count once: the second finds nothing to spend."""
    spent = rowcount(
        session.execute(
            update(PartnerLink)
            .where(PartnerLink.id == link.id, PartnerLink.used_at.is_(None))
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
    )
    if spent != 1:
        raise NotFound(message="No such link.")
    session.refresh(link)


def revoke_all(session: DbSession, org_id: int, purpose: str, now: datetime) -> list[int]:
    """Revoke the organization's live links of ``purpose``; their ids."""
    links = session.scalars(
        select(PartnerLink).where(
            PartnerLink.organization_id == org_id,
            PartnerLink.purpose == purpose,
            PartnerLink.revoked_at.is_(None),
        )
    ).all()
    for link in links:
        link.revoked_at = now
    session.flush()
    return [link.id for link in links]
