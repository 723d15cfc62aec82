"""Standing capacity links: a shelter posts "3 beds free" without a login, at once and
audited; the link has no expiry and works until a coordinator revokes it (a new one
revokes the old)."""

from __future__ import annotations

from datetime import datetime

from app.extensions import DbSession
from directory.errors import Invalid
from directory.models import Organization
from directory.partners import links
from directory.partners import mail as messages
from directory.partners.models import PartnerLink
from directory.partners.requests import deliver, naive


def send(session: DbSession, org: Organization, now: datetime, by_id: int | None) -> PartnerLink:
    if not org.email:
        raise Invalid({"email": ["The organization has no listed e-mail: add one first."]})
    links.revoke_all(session, org.id, "capacity", naive(now))
    link, token = links.issue(session, org.id, "capacity", naive(now), by_id, days=None)
    deliver(session, messages.capacity_link(org, token), link, by_id)
    return link


def revoke(session: DbSession, org: Organization, now: datetime) -> list[int]:
    return links.revoke_all(session, org.id, "capacity", naive(now))
