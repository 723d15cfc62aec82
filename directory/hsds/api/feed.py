"""What the HSDS API lists: services, services at locations and organizations matching the
HSDS query parameters (already parsed by ``hsds.api.params``), a page at a time or all of
them in batches (``format=ndjson``); taxonomies and taxonomy terms are ``taxonomy_feed``'s.
Reads only.

Listed services are the ones search finds (active, of an active organization). With
``modified_after`` the services changed since then that are no longer listed come too
(their status ``inactive``), so a client syncing by date learns that they closed: a
service counts as changed when it, its organization or a location it is given at was.

Services at locations: one row per place a service is given at (``places``: each stored
``service_at_location``, and the primary location of a service no stored place is at),
the same set and ids as the export (``locations.service_places``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    Subquery,
    and_,
    case,
    cast,
    exists,
    func,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased, selectinload

# the loader options selectinload() returns (SQLAlchemy names their type only privately)
from sqlalchemy.orm.strategy_options import _AbstractLoad

from app.extensions import DbSession
from directory import geo
from directory.derived import SearchEntry
from directory.hsds import mapping
from directory.hsds.locations import service_places
from directory.models import Location, Organization, Service
from directory.search.filters import Filters, conditions
from directory.service_locations import ServiceAtLocation
from directory.source_terms import ServiceTerm, SourceTerm

BATCH = 200

AnySelect = Select[*tuple[Any, ...]]
"""A select whose columns the caller chooses (the feed's queries come in several shapes)."""
S = TypeVar("S", bound=AnySelect)
T = TypeVar("T")


# --- services and services at locations ---------------------------------------------------


def is_listed(s: Service) -> bool:
    """Listed (found by search) while it and its organization are active."""
    return s.status == "active" and s.organization.status == "active"


def _changed_since(since: datetime, *, at_place: bool = False) -> ColumnElement[bool]:
    """Changed since ``since``: the service, its organization or a location it is given
    at (``at_place``: the row's own location, for a service at a location)."""
    naive = since.astimezone(UTC).replace(tzinfo=None)
    where = [
        Service.updated_at >= naive,
        Organization.updated_at >= naive,
        Location.updated_at >= naive,
    ]
    if not at_place:
        place = aliased(Location)
        where.append(
            exists()
            .where(ServiceAtLocation.service_id == Service.id)
            .where(place.id == ServiceAtLocation.location_id, place.updated_at >= naive)
        )
    return or_(*where)


def places() -> Subquery:
    """Every place a service is given at, as SQL rows (``service_id``, ``location_id``,
    ``place_key``: the stored ``ServiceAtLocation``'s id, NULL for a primary location no
    stored place is at); the same set as ``locations.service_places``."""
    sal = ServiceAtLocation
    stored = select(
        sal.service_id.label("service_id"),
        sal.location_id.label("location_id"),
        sal.id.label("place_key"),
    )
    primary = select(
        Service.id, Service.location_id, cast(null(), Integer).label("place_key")
    ).where(
        Service.location_id.is_not(None),
        ~exists().where(sal.service_id == Service.id, sal.location_id == Service.location_id),
    )
    return union_all(stored, primary).subquery("places")


def _near_place(point: geo.Point, radius_km: float) -> ColumnElement[bool]:
    """The row's place lies within the radius of ``point``, measured from the place's
    search point (``visibility.search_point``: a withheld place's town centre)."""
    lat0, lat1, lon0, lon1 = geo.bounding_box(point.lat, point.lon, radius_km)
    k = geo.KM_PER_DEGREE
    dlat = (Location.search_lat - point.lat) * k
    dlon = (Location.search_lon - point.lon) * (k * math.cos(math.radians(point.lat)))
    return and_(
        Location.search_lat.between(lat0, lat1),
        Location.search_lon.between(lon0, lon1),
        dlat * dlat + dlon * dlon <= radius_km * radius_km,
    )


def _filtered(
    stmt: AnySelect, session: DbSession, params: dict, *, place: Subquery | None = None
) -> AnySelect:
    """``stmt`` (a select of service columns) joined and filtered by ``params``:
    ``search``, ``term``/``taxonomy`` (conditions), ``point`` and ``radius_km``,
    ``modified_after`` (aware datetime), ``organization_id`` (HSDS id). With ``place``
    (``places()``), one row per place the service is given at, the radius measured from
    that place."""
    filters = Filters(q=params.get("search"))
    if place is None:
        filters.point = params.get("point")
        filters.radius_km = params.get("radius_km")
    listed = and_(
        SearchEntry.service_id.is_not(None),
        *conditions(session, filters, datetime.now(UTC)),
    )
    stmt = (
        stmt.select_from(Service)
        .join(Service.organization)
        # the primary place's search entry: one row per service (search lists a service at
        # each place; the feed's own places are ``places()``)
        .outerjoin(SearchEntry, and_(SearchEntry.service_id == Service.id, SearchEntry.place == 0))
    )
    if place is None:
        stmt = stmt.outerjoin(Location, Service.location_id == Location.id)
    else:
        stmt = stmt.join(place, place.c.service_id == Service.id).join(
            Location, Location.id == place.c.location_id
        )
        if params.get("point") is not None:
            stmt = stmt.where(_near_place(params["point"], params["radius_km"]))
    for key in ("term", "taxonomy"):
        if (condition := params.get(key)) is not None:
            stmt = stmt.where(condition)
    if org := params.get("organization_id"):
        stmt = stmt.where(Organization.hsds_id == org)
    if since := params.get("modified_after"):
        stmt = stmt.where(_changed_since(since, at_place=place is not None))
        if not (params.get("search") or params.get("point")):
            # services no longer listed come too, so a syncing client removes them; a
            # keyword or a place cannot find them (search no longer indexes them)
            listed = or_(listed, SearchEntry.service_id.is_(None))
    return stmt.where(listed)


def _term_links() -> _AbstractLoad:
    return (
        selectinload(Service.term_links)
        .selectinload(ServiceTerm.term)
        .options(selectinload(SourceTerm.source_taxonomy), selectinload(SourceTerm.parent))
    )


def with_details(stmt: S) -> S:
    """Load what an HSDS service object shows, in a fixed number of queries."""
    return stmt.options(
        _term_links(),
        selectinload(Service.organization),
        selectinload(Service.location).selectinload(Location.organization),
        selectinload(Service.phones),
        selectinload(Service.hours),
        selectinload(Service.verified_by),
        selectinload(Service.at_locations).options(
            selectinload(ServiceAtLocation.hours),
            selectinload(ServiceAtLocation.location).selectinload(Location.organization),
        ),
    )


ORDER = (Service.name, Service.id)


def page_of(
    session: DbSession,
    stmt: AnySelect,
    count_stmt: AnySelect,
    order: Sequence[Any],
    page: int,
    per_page: int,
) -> tuple[list[Any], int]:
    """One page of ``stmt`` in ``order``, with the total (counted on ``count_stmt``)."""
    total = session.scalars(select(func.count()).select_from(count_stmt.subquery())).one()
    rows = session.execute(stmt.order_by(*order).limit(per_page).offset((page - 1) * per_page))
    return [r[0] if len(r) == 1 else tuple(r) for r in rows.all()], total


def services(session: DbSession, params: dict, page: int, per_page: int) -> tuple[list[Any], int]:
    stmt = with_details(_filtered(select(Service), session, params))
    count = _filtered(select(Service.id), session, params)
    return page_of(session, stmt, count, ORDER, page, per_page)


def _stored(s: Service, place_key: int | None) -> ServiceAtLocation | None:
    return next((p for p in s.at_locations if p.id == place_key), None)


def service_locations(
    session: DbSession, params: dict, page: int, per_page: int
) -> tuple[list[tuple[Service, Location, ServiceAtLocation | None]], int]:
    """(service, location, stored place or None) triples, one per place a service is
    given at (``places``): a service at two places is two rows, each paged correctly;
    the primary place first."""
    place = places()
    stmt = with_details(
        _filtered(select(Service, Location, place.c.place_key), session, params, place=place)
    )
    count = _filtered(
        select(Service.id, Location.id.label("location_key")), session, params, place=place
    )
    primary_first = case((Location.id == Service.location_id, 0), else_=1)
    rows, total = page_of(
        session, stmt, count, (*ORDER, primary_first, place.c.place_key), page, per_page
    )
    return [(s, loc, _stored(s, key)) for s, loc, key in rows], total


def every(fetch: Callable[[int, int], tuple[Sequence[T], Any]]) -> Iterator[T]:
    """Every row ``fetch(page, per_page)`` finds, read in batches."""
    page = 1
    while True:
        rows, _total = fetch(page, BATCH)
        yield from rows
        if len(rows) < BATCH:
            return
        page += 1


def service(session: DbSession, hsds_id: str) -> Service | None:
    return session.scalar(with_details(select(Service).where(Service.hsds_id == hsds_id)))


def service_location(
    session: DbSession, sal: str
) -> tuple[Service, Location, ServiceAtLocation | None] | None:
    """The (service, location, stored place or None) of a service-at-location id, as
    ``locations.service_places`` gives it: a stored place's own id, else the id derived
    from the service's (and the location's) ids; None for an unknown id."""
    key = session.scalar(
        select(ServiceAtLocation.service_id).where(ServiceAtLocation.hsds_id == sal)
    )
    if key is None:
        # a derived id: the primary place of a service no stored place is at, or a stored
        # place kept without an id of its own (uuid5 ids are not reversible: compare)
        place = places()
        rows = session.execute(
            select(Service.id, Service.hsds_id, Location.hsds_id, Service.location_id, Location.id)
            .join(place, place.c.service_id == Service.id)
            .join(Location, Location.id == place.c.location_id)
            .outerjoin(ServiceAtLocation, ServiceAtLocation.id == place.c.place_key)
            .where(ServiceAtLocation.hsds_id.is_(None))
        )
        key = next(
            (
                service_key
                for service_key, s_hsds, l_hsds, primary, l_key in rows
                if mapping.sal_id(s_hsds, l_hsds, primary=primary == l_key) == sal
            ),
            None,
        )
        if key is None:
            return None
    s = session.scalar(with_details(select(Service).where(Service.id == key)))
    if s is None:  # gone since the id was read
        return None
    return next(((s, loc, p) for found, loc, p in service_places(s) if found == sal), None)


# --- organizations ------------------------------------------------------------------------


def _organizations_query(params: dict, *columns: Any) -> AnySelect:
    stmt = select(*columns)
    if search := params.get("search"):
        stmt = stmt.where(Organization.name.ilike(f"%{search}%"))
    for key in ("term", "taxonomy"):
        if (condition := params.get(key)) is not None:
            stmt = stmt.where(Organization.services.any(condition))
    if since := params.get("modified_after"):
        stmt = stmt.where(Organization.updated_at >= since.astimezone(UTC).replace(tzinfo=None))
    return stmt


def _org_details(stmt: S) -> S:
    return stmt.options(
        selectinload(Organization.phones),
        selectinload(Organization.locations).selectinload(Location.organization),
        selectinload(Organization.services).options(
            _term_links(),
            selectinload(Service.organization),
            selectinload(Service.location),
            selectinload(Service.phones),
            selectinload(Service.hours),
            selectinload(Service.verified_by),
            selectinload(Service.at_locations).options(
                selectinload(ServiceAtLocation.hours),
                selectinload(ServiceAtLocation.location).selectinload(Location.organization),
            ),
        ),
    )


def organizations(
    session: DbSession, params: dict, page: int, per_page: int, *, full: bool = False
) -> tuple[list[Any], int]:
    stmt = _organizations_query(params, Organization)
    if full:
        stmt = _org_details(stmt)
    count = _organizations_query(params, Organization.id)
    return page_of(session, stmt, count, (Organization.name, Organization.id), page, per_page)


def organization(session: DbSession, hsds_id: str) -> Organization | None:
    return session.scalar(_org_details(select(Organization).where(Organization.hsds_id == hsds_id)))
