"""Creating, editing, verifying and deactivating directory records.

Service functions take a session and validated data (from ``catalog.schemas``), raise
domain errors (``directory.errors``), and never commit: the caller commits once, so nothing
half-written is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from types import SimpleNamespace
from typing import TypeVar

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app import audit
from app.extensions import DbSession, Model
from app.models import AuditEvent, User
from directory import geo, visibility
from directory.catalog import share
from directory.errors import Invalid, NotFound, Stale
from directory.models import Location, Organization, Phone, Service, ServiceHours, Versioned

M = TypeVar("M", bound=Model)
Listed = TypeVar("Listed", Organization, Service)  # the records with a status


def get(session: DbSession, model: type[M], record_id: int) -> M:
    obj = session.get(model, record_id)
    if obj is None:
        raise NotFound(message=f"No {model.__tablename__[:-1]} with id {record_id}.")
    return obj


def check_version(obj: Versioned, data: dict) -> None:
    """Refuse an edit made from an older read (``version`` missing means no check)."""
    version = data.pop("version", None)
    if version is not None and version != obj.version:
        raise Stale(obj.version)


def _set_phones(owner: Organization | Service, phones: list[dict]) -> None:
    owner.phones = [Phone(**p) for p in phones]


def create_organization(session: DbSession, data: dict) -> Organization:
    data = dict(data)
    data.pop("version", None)
    phones = data.pop("phones", [])
    org = Organization(**data)
    _set_phones(org, phones)
    session.add(org)
    session.flush()
    return org


def update_organization(session: DbSession, org: Organization, data: dict) -> Organization:
    data = dict(data)
    check_version(org, data)
    if "phones" in data:
        _set_phones(org, data.pop("phones"))
    for key, value in data.items():
        setattr(org, key, value)
    session.flush()
    return org


_PLACE_KEYS = ("address_1", "city", "postal_code", "latitude")


def _apply_location(session: DbSession, service: Service, data: dict | None) -> None:
    """Give ``service`` the location described by ``data`` (None: no location).

    PATCH semantics: a key left out keeps the stored value, ``confidential`` above all (a
    changed street never makes a shelter public; ``visibility.carry_withholding``). Only an
    explicit ``confidential: false`` publishes a withheld place, and that gets its own audit
    entry. A location shared with other services is copied before it is changed."""
    if data is None:
        service.location = None
        return
    old = service.location
    loc = old
    if loc is None or len(loc.services) > 1:
        loc = Location(organization=service.organization)
        if old is not None:
            for column in Location.__table__.columns.keys():
                if column not in ("id", "hsds_id", "organization_id", "version"):
                    setattr(loc, column, getattr(old, column))
        loc.country = loc.country or "US"
        session.add(loc)
    published = visibility.is_withheld(old) and data.get("confidential") is False
    if "confidential" not in data:
        data = visibility.carry_withholding(old, data) if old is not None else data
    for key, value in data.items():
        setattr(loc, key, value)
    if not any(getattr(loc, k) not in (None, "") for k in _PLACE_KEYS):
        message = _("Give at least a city, a postal code or coordinates.")
        raise Invalid({"location": [message]})
    place_location(loc)
    service.location = loc
    if published:
        session.flush()
        audit.record(
            session, "publish", "locations", loc.id, detail="confidential place made public"
        )


def place_location(loc: Location | SimpleNamespace) -> None:
    """Fill a location's time zone and the point search measures from
    (``visibility.search_point``)."""
    point = visibility.search_point(loc)
    loc.search_lat, loc.search_lon = point if point else (None, None)
    exact = (
        (loc.latitude, loc.longitude)
        if loc.latitude is not None and loc.longitude is not None
        else None
    )
    if not loc.timezone and (where := exact or point):
        loc.timezone = geo.timezone_at(*where)


def _apply_service(session: DbSession, service: Service, data: dict) -> None:
    data = dict(data)
    share.check_discreet_name(data.get("discreet_name"))
    if "organization_id" in data:
        org = session.get(Organization, data.pop("organization_id"))
        if org is None:
            raise Invalid({"organization_id": [_("No such organization.")]})
        service.organization = org
    if "hours" in data:
        service.hours = [ServiceHours(**span) for span in data.pop("hours")]
    if "phones" in data:
        _set_phones(service, data.pop("phones"))
    old_location = service.location_id
    if "location_id" in data:
        location_id = data.pop("location_id")
        if location_id is None:
            service.location = None
        else:
            loc = session.get(Location, location_id)
            if loc is None or loc.organization_id != service.organization.id:
                message = _("No such location of this service’s organization.")
                raise Invalid({"location_id": [message]})
            service.location = loc
    if "location" in data:
        _apply_location(session, service, data.pop("location"))
    moved = service.location is None or service.location.id != old_location
    if old_location is not None and moved:
        # moved by hand: its old primary place is not kept as one of its other places
        service.at_locations = [p for p in service.at_locations if p.location_id != old_location]
    if isinstance(data.get("languages"), list):
        data["languages"] = " ".join(data["languages"])
    for key, value in data.items():
        setattr(service, key, value if value is not None or key not in _NOT_NULL else "")
    if service.min_age is not None and service.max_age is not None:
        if service.min_age > service.max_age:
            raise Invalid({"max_age": [_("Minimum age is above maximum age.")]})


_NOT_NULL = {"languages"}


def create_service(session: DbSession, data: dict) -> Service:
    service = Service()
    data = dict(data)
    data.pop("version", None)
    _apply_service(session, service, data)
    session.add(service)
    session.flush()
    return service


def update_service(session: DbSession, service: Service, data: dict) -> Service:
    data = dict(data)
    check_version(service, data)
    _apply_service(session, service, data)
    session.flush()
    return service


def verify_service(session: DbSession, service: Service, user: User, today: date) -> Service:
    """Stamp that a person checked the record today (not the same as editing it)."""
    service.last_verified = today
    service.verified_by_id = user.id
    service.verified_via = None
    session.flush()
    return service


def set_status(session: DbSession, obj: Listed, status: str, version: int | None = None) -> Listed:
    """Deactivate or reactivate an organization or a service (records are never deleted
    from the directory by users: history and referrals keep pointing at them)."""
    check_version(obj, {"version": version})
    obj.status = status
    session.flush()
    return obj


def organizations(
    session: DbSession, q: str | None, status: str | None, page: int, per_page: int
) -> tuple[Sequence[Organization], int]:
    stmt = select(Organization)
    if q:
        stmt = stmt.where(Organization.name.ilike(f"%{q}%"))
    if status:
        stmt = stmt.where(Organization.status == status)

    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(Organization.name)
        .options(selectinload(Organization.services), selectinload(Organization.phones))
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return rows, total


def update_capacity(session: DbSession, service: Service, data: dict, now_utc: datetime) -> Service:
    """Record the capacity a service reports now (beds, appointments, cases free)."""
    data = dict(data)
    check_version(service, data)
    service.capacity_unit = data["unit"]
    service.capacity_available = data["available"]
    service.capacity_maximum = data.get("maximum")
    service.capacity_updated_at = now_utc.replace(tzinfo=None)
    session.flush()
    return service


def change_history(
    session: DbSession, kind: str, record_id: int, limit: int = 200
) -> list[AuditEvent]:
    """Who changed what and when on a record and its parts (hours, phones, locations...)."""
    return list(
        session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.parent == f"{kind}:{record_id}",
                AuditEvent.action.in_(("create", "update", "delete")),
            )
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(limit)
        )
    )
