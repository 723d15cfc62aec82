"""Update requests: sending one (a new request revokes the organization's older link),
reminders after ``REMIND_AFTER_DAYS``, who is due, and the coordinator's board of requests
sent, answered and overdue.

Services here never commit; the page, API or command does, after the mail went out (to the
outbox in the same transaction, or to the SMTP server: a refusal rolls everything back).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import exists, or_, select
from sqlalchemy.orm import selectinload

from app import mail as mailer
from app.clock import today_at
from app.extensions import DbSession
from directory.errors import Invalid, MailNotSent
from directory.models import Organization, Service
from directory.partners import links
from directory.partners import mail as messages
from directory.partners.models import PartnerLink, UpdateRequest

REMIND_AFTER_DAYS = 14
DUE_AFTER_MONTHS = 11
STATUSES = ("sent", "answered", "overdue")


def naive(moment: datetime) -> datetime:
    """Stored moments are naive UTC."""
    return moment.replace(tzinfo=None)


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier (the month's last day when it has fewer days)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def deliver(session: DbSession, mail: mailer.Mail, link: PartnerLink, by_id: int | None) -> str:
    """Send ``mail`` carrying ``link``; the link records where it went ("queued" for the
    mail server's job, or "outbox" when no mail server is set), so the sender is told the
    truth (``partners.pages.mail_told``). A mail server's
    refusal raises ``MailNotSent`` with its reason (the caller rolls back)."""
    mail.sent_by_id = by_id
    try:
        link.delivered_via = mailer.send(session, mail)
        link.mail_job_id = mail.job_id  # not a column: for telling the sender what came of it
    except mailer.MailError as exc:
        raise MailNotSent(
            message=_("the mail server did not take the message (%(reason)s)", reason=exc.reason)
        ) from exc
    return link.delivered_via


def send(session: DbSession, org: Organization, now: datetime, by_id: int | None) -> UpdateRequest:
    """E-mail ``org``'s listed contact a new personal link (valid ``links.VALID_DAYS``);
    any earlier link and open request of the organization is revoked."""
    if not org.email:
        raise Invalid({"email": ["The organization has no listed e-mail: add one first."]})
    if org.status != "active" or not any(s.status == "active" for s in org.services):
        raise Invalid({"organization": ["The organization has no active service to check."]})
    now = naive(now)
    links.revoke_all(session, org.id, "update", now)
    for old in session.scalars(
        select(UpdateRequest).where(
            UpdateRequest.organization_id == org.id,
            UpdateRequest.answered_at.is_(None),
            UpdateRequest.revoked_at.is_(None),
        )
    ):
        old.revoked_at = now
    link, token = links.issue(session, org.id, "update", now, by_id, days=links.VALID_DAYS)
    request = UpdateRequest(
        organization=org,
        link=link,
        sent_to=org.email,
        sent_by_id=by_id,
        sent_at=now,
        expires_at=link.expires_at,
    )
    session.add(request)
    session.flush()
    assert link.expires_at is not None  # issued for VALID_DAYS
    deliver(session, messages.update_request(org, token, today_at(link.expires_at)), link, by_id)
    return request


def remind(session: DbSession, request: UpdateRequest, now: datetime) -> None:
    """Send the reminder with a fresh link (the token is not kept, so the old one cannot be
    re-sent): the old link is revoked, the request's expiry stays."""
    now = naive(now)
    org = request.organization
    links.revoke_all(session, org.id, "update", now)
    link, token = links.issue(session, org.id, "update", now, request.sent_by_id, days=1)
    link.expires_at = request.expires_at
    request.link = link
    request.reminded_at = now
    session.flush()
    mail = messages.update_request(org, token, today_at(link.expires_at), reminder=True)
    deliver(session, mail, link, request.sent_by_id)


def reminders_due(session: DbSession, now: datetime) -> list[UpdateRequest]:
    """Open requests sent ``REMIND_AFTER_DAYS`` ago or more, not reminded, not expired."""
    now = naive(now)
    return list(
        session.scalars(
            select(UpdateRequest).where(
                UpdateRequest.answered_at.is_(None),
                UpdateRequest.revoked_at.is_(None),
                UpdateRequest.reminded_at.is_(None),
                UpdateRequest.expires_at > now,
                UpdateRequest.sent_at <= now - timedelta(days=REMIND_AFTER_DAYS),
            )
        )
    )


def due_organizations(
    session: DbSession, today: date, now: datetime, *, due_only: bool
) -> list[Organization]:
    """Active organizations with an e-mail and an active service; ``due_only``: one of
    those services not verified for ``DUE_AFTER_MONTHS`` (or never), and no request of
    theirs still waiting for an answer."""
    stmt = select(Organization).where(
        Organization.status == "active",
        Organization.email.is_not(None),
        Organization.email != "",
        exists().where(Service.organization_id == Organization.id, Service.status == "active"),
    )
    if due_only:
        cutoff = months_before(today, DUE_AFTER_MONTHS)
        stmt = stmt.where(
            exists().where(
                Service.organization_id == Organization.id,
                Service.status == "active",
                or_(Service.last_verified.is_(None), Service.last_verified <= cutoff),
            ),
            ~exists().where(
                UpdateRequest.organization_id == Organization.id,
                UpdateRequest.answered_at.is_(None),
                UpdateRequest.revoked_at.is_(None),
                UpdateRequest.expires_at > naive(now),
            ),
        )
    return list(
        session.scalars(
            stmt.order_by(Organization.name).options(selectinload(Organization.services))
        )
    )


def listing(
    session: DbSession, status: str | None, now: datetime, limit: int = 500
) -> list[UpdateRequest]:
    """Requests by status (``sent``, ``answered``, ``overdue``; None: those three), newest
    first; answered ones with undecided suggestions first."""
    now = naive(now)
    stmt = select(UpdateRequest).where(UpdateRequest.revoked_at.is_(None))
    if status == "answered":
        stmt = stmt.where(UpdateRequest.answered_at.is_not(None))
    elif status == "sent":
        stmt = stmt.where(UpdateRequest.answered_at.is_(None), UpdateRequest.expires_at > now)
    elif status == "overdue":
        stmt = stmt.where(UpdateRequest.answered_at.is_(None), UpdateRequest.expires_at <= now)
    rows = session.scalars(
        stmt.order_by(UpdateRequest.sent_at.desc(), UpdateRequest.id.desc())
        .limit(limit)
        .options(
            selectinload(UpdateRequest.organization),
            selectinload(UpdateRequest.suggestions),
        )
    ).all()
    return sorted(rows, key=lambda r: not r.pending)


@dataclass
class Board:
    """The review queue's part: requests waiting for a decision, waiting for the partner,
    and overdue."""

    answered: list
    sent: list
    overdue: list


def board(session: DbSession, now: datetime, limit: int = 100) -> Board:
    answered = [r for r in listing(session, "answered", now, limit) if r.pending]
    return Board(
        answered=answered,
        sent=listing(session, "sent", now, limit),
        overdue=listing(session, "overdue", now, limit),
    )
