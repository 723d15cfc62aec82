"""The partner's referral inbox: a standing link per organization (no account; only the
token's SHA-256 kept; revocable; a new one revokes the old), through which the receiving
organization lists the referrals sent to it and answers them. What a referral may become
and who may set it is ``directory.referrals.loop``'s alone; this module only finds the
organization from the link and acts as it (audited as "partner via inbox link").
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from flask import g

from app import mail as mailer
from app.extensions import DbSession
from app.links import mailed_url
from directory.errors import Invalid, MailNotSent
from directory.models import Organization, Service
from directory.partners import answers, links
from directory.partners import mail as messages
from directory.partners.models import PartnerLink
from directory.partners.requests import naive
from directory.referrals import disclosure, loop
from directory.referrals.models import Referral

PURPOSE = "inbox"


def url(token: str) -> str:
    """The inbox's address, from ``PUBLIC_BASE_URL`` (what the partner can reach)."""
    return mailed_url(f"/inbox/{token}")


def issue(
    session: DbSession, org: Organization, now: datetime, by_id: int | None
) -> tuple[PartnerLink, str]:
    """A new standing inbox link for ``org`` (any older one revoked), e-mailed to the
    organization when it lists an address; the token (only here in clear) returned for
    the coordinator to hand over."""
    if org.status != "active":
        raise Invalid({"organization": ["The organization is not active."]})
    links.revoke_all(session, org.id, PURPOSE, naive(now))
    link, token = links.issue(session, org.id, PURPOSE, naive(now), by_id, days=None)
    if org.email:
        try:
            mailer.send(session, messages.inbox_link(org, url(token)))
        except mailer.MailError as exc:
            raise MailNotSent(message=str(exc)) from exc
    return link, token


def revoke(session: DbSession, org: Organization, now: datetime) -> list[int]:
    return links.revoke_all(session, org.id, PURPOSE, naive(now))


def open_inbox(session: DbSession, token: str, now: datetime) -> PartnerLink:
    """The live inbox link for ``token`` (``NotFound`` otherwise), and act as its partner
    for the audit log."""
    link = links.find(session, token, PURPOSE, naive(now))
    g.audit_actor = f"partner of organization {link.organization_id} via inbox link {link.id}"
    return link


def referrals(session: DbSession, token: str, now: datetime) -> tuple[PartnerLink, list[Referral]]:
    link = open_inbox(session, token, now)
    return link, disclosure.inbox(session, link.organization_id)


def act(session: DbSession, token: str, referral_id: int, data: dict, now: datetime) -> Referral:
    """The partner answers one of its referrals (``loop.receiver_act``)."""
    link = open_inbox(session, token, now)
    return loop.receiver_act(session, link.organization_id, referral_id, data, now)


def post_capacity(
    session: DbSession, token: str, service_id: int | None, values: Mapping[str, str], now: datetime
) -> Service:
    """The partner states its free places from the inbox: the service's capacity now, at
    once, stamped with this moment (the partner's statement), audited as the partner."""
    link = open_inbox(session, token, now)
    return answers.capacity_now(
        session, link, service_id, values, now, "No such service in this inbox."
    )


def services(session: DbSession, link: PartnerLink) -> list[Service]:
    """The organization's active services, for the inbox's "free places" part."""
    return answers.services_of(session, link.organization_id)
