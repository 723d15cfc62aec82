"""What a partner does with a link: open its listing, confirm it ("all still correct"),
suggest changes, or post its capacity. No account: the link is the key, and every change
is audited as "partner via link" (``g.audit_actor``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from flask import g
from marshmallow import ValidationError
from sqlalchemy import select

from app.clock import today_at
from app.extensions import DbSession
from directory import identifiers
from directory.catalog import records
from directory.errors import Invalid, NotFound
from directory.models import Service
from directory.partners import links, proposals
from directory.partners.models import PartnerLink, Suggestion, UpdateRequest
from directory.partners.requests import naive

VIA = "partner link"
NOTE_MAX = 2000


def act_as_partner(link: PartnerLink, request: UpdateRequest | None = None) -> None:
    """Audit what follows as the partner, via this link."""
    what = f"update request {request.id}" if request else f"capacity link {link.id}"
    g.audit_actor = f"partner of organization {link.organization_id} via {what}"


def open_request(
    session: DbSession, token: str, now: datetime
) -> tuple[PartnerLink, UpdateRequest]:
    """The live update link for ``token`` and its request (``NotFound`` otherwise)."""
    link = links.find(session, token, "update", naive(now))
    request = session.scalar(select(UpdateRequest).where(UpdateRequest.link_id == link.id))
    if request is None or request.revoked_at is not None or request.answered_at is not None:
        raise NotFound(message="No such link.")
    return link, request


def services_of(session: DbSession, org_id: int) -> list[Service]:
    """The organization's active services: all a link shows or changes."""
    return list(
        session.scalars(
            select(Service)
            .where(Service.organization_id == org_id, Service.status == "active")
            .order_by(Service.name, Service.id)
        )
    )


def _stamp(services: Iterable[Service], now: datetime) -> None:
    for service in services:
        service.last_verified = today_at(now)
        service.verified_by_id = None
        service.verified_via = VIA


def confirm(session: DbSession, token: str, now: datetime) -> UpdateRequest:
    """ "All still correct": every active service of the organization is verified today,
    by the partner via the link; the link is spent (a replay finds nothing)."""
    link, request = open_request(session, token, now)
    act_as_partner(link, request)
    links.use(session, link, naive(now))
    _stamp(services_of(session, link.organization_id), now)
    request.answered_at, request.answer = naive(now), "confirmed"
    session.flush()
    return request


def suggest(
    session: DbSession, token: str, form: Mapping[str, str], now: datetime
) -> UpdateRequest:
    """Suggested changes, field by field, for the coordinator to decide. Services the
    partner left unchanged are verified today (the partner saw them and changed nothing);
    the others when the coordinator has decided. ``form`` keys are ``s<id>.<field>``
    plus ``note``. Invalid input raises ``Invalid`` keyed by those form names."""
    link, request = open_request(session, token, now)
    services = services_of(session, link.organization_id)
    found, errors, changed = [], {}, set()
    for service in services:
        prefix = f"s{service.id}."
        part = {k[len(prefix) :]: v for k, v in form.items() if k.startswith(prefix)}
        changes, problems = proposals.read(service, part)
        errors.update({prefix + k: v for k, v in problems.items()})
        for change in changes:
            found.append(Suggestion(service=service, seen_version=service.version, **change))
            changed.add(service.id)
    note = (form.get("note") or "").strip() or None
    if note and len(note) > NOTE_MAX:
        errors["note"] = [f"At most {NOTE_MAX} characters."]
    if errors:
        raise Invalid(errors, "Some changes could not be read: see the fields marked.")
    if not found:
        raise Invalid(
            {"_schema": ["Nothing was changed. If all is still right, press “All still correct”."]}
        )
    identifiers.check_text("note", note, allow=identifiers.Allowed.from_services(services))
    act_as_partner(link, request)
    links.use(session, link, naive(now))
    request.suggestions.extend(found)
    request.note = note
    request.answered_at, request.answer = naive(now), "suggested"
    _stamp([s for s in services if s.id not in changed], now)
    session.flush()
    return request


def open_capacity(session: DbSession, token: str, now: datetime) -> PartnerLink:
    return links.find(session, token, "capacity", naive(now))


def post_capacity(
    session: DbSession,
    token: str,
    service_id: int | None,
    values: Mapping[str, str],
    now: datetime,
) -> Service:
    """A standing capacity link's post: the service's capacity now, at once (no approval),
    audited as the partner. The service must be the link's organization's."""
    link = open_capacity(session, token, now)
    act_as_partner(link)
    return capacity_now(session, link, service_id, values, now, "No such service on this link.")


def capacity_now(
    session: DbSession,
    link: PartnerLink,
    service_id: int | None,
    values: Mapping[str, str],
    now: datetime,
    missing: str,
) -> Service:
    """A partner's statement of free places for one of its organization's active services
    (``missing`` when the id is no such service), stamped with this moment."""
    service = session.get(Service, service_id) if service_id else None
    if (
        service is None
        or service.organization_id != link.organization_id
        or service.status != "active"  # a deactivated listing takes no capacity
    ):
        raise NotFound(message=missing)
    try:
        data = proposals.capacity_data(values)
    except ValidationError as exc:
        raise Invalid(proposals.errors_of(exc)) from exc
    records.update_capacity(session, service, data, now)
    return service
