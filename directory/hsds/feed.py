"""What the HSDS API lists: services, services at locations, organizations, taxonomies and
taxonomy terms matching the HSDS query parameters (already parsed by ``hsds.apiparams``),
a page at a time or all of them in batches (``format=ndjson``). Reads only.

Listed services are the ones search finds (active, of an active organization). With
``modified_after`` the services changed since then that are no longer listed come too
(their status ``inactive``), so a client syncing by date learns that they closed: a
service counts as changed when it, its organization or its location was.

Taxonomies: this product's own (the Section V categories and the fields taxonomy,
``mapping.taxonomy_rows``) come from ``taxonomies()`` and ``taxonomy_terms()``, and a
term's services from ``term_condition``. Those three are where taxonomies stored from
imported packages join in.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import Session, selectinload

from app.extensions import db
from directory import taxonomy
from directory.derived import SearchEntry
from directory.hsds import mapping, schemas
from directory.hsds.source_rows import source_id
from directory.models import Location, Organization, Service
from directory.search import query
from directory.source_terms import ServiceTerm, SourceTaxonomy, SourceTerm

BATCH = 200


# --- taxonomies ---------------------------------------------------------------------------


def taxonomies() -> list[dict]:
    """Every taxonomy the API serves, as HSDS taxonomy rows."""
    return mapping.taxonomy_rows()[0]


def taxonomy_terms() -> list[dict]:
    """Every taxonomy term the API serves, as HSDS taxonomy_term rows."""
    return mapping.taxonomy_rows()[1]


def _field_condition(name: str):
    kind, default = schemas.SERVICE_FIELDS[name]
    column = getattr(Service, name)
    condition = column.is_not(None)
    if default is not None:
        condition = and_(condition, column != default)
    if kind == "str":
        condition = and_(condition, column != "")
    return condition


def term_condition(term_id: str):
    """The services linked to a taxonomy term (as the service objects' attributes link
    them), as a SQL condition; None for an unknown term. A term kept from an imported
    package's own taxonomy links the services the package linked to it."""
    term = next((t for t in taxonomy_terms() if t["id"] == term_id), None)
    if term is None:
        stored = _source(SourceTerm, term_id)
        if stored is None:
            return None
        return Service.id.in_(select(ServiceTerm.service_id).where(ServiceTerm.term_id == stored))
    if term["taxonomy_id"] == mapping.TAXONOMY_ID:
        codes, _ = taxonomy.expand([term["code"]])
        return Service.category.in_(codes)
    if term["code"] in schemas.SERVICE_FIELDS:
        return _field_condition(term["code"])
    return false()  # a field of organizations or locations: linked to no service


def taxonomy_condition(taxonomy_id: str):
    """The services linked to any term of a taxonomy; None for an unknown taxonomy."""
    if taxonomy_id == mapping.TAXONOMY_ID:
        return Service.category.is_not(None)
    if taxonomy_id == mapping.FIELDS_TAXONOMY_ID:
        return or_(*(_field_condition(name) for name in schemas.SERVICE_FIELDS))
    stored = _source(SourceTaxonomy, taxonomy_id)
    if stored is None:
        return None
    return Service.id.in_(
        select(ServiceTerm.service_id)
        .join(SourceTerm, SourceTerm.id == ServiceTerm.term_id)
        .where(SourceTerm.taxonomy_id == stored)
    )


def _source(model, given: str) -> int | None:
    """The stored source taxonomy or term of an id as the package gave it, or as the
    export derived it (``source_rows.source_id``)."""
    session = db.session
    found = session.scalar(select(model.id).where(model.hsds_id == given))
    if found is not None:
        return found
    derived = select(model.hsds_id, model.id).where(func.length(model.hsds_id) != 36)
    for hsds_id, record_id in session.execute(derived):
        if given in (hsds_id, source_id(hsds_id)):
            return record_id
    return None


# --- services and services at locations ---------------------------------------------------


def is_listed(s: Service) -> bool:
    """Listed (found by search) while it and its organization are active."""
    return s.status == "active" and s.organization.status == "active"


def _changed_since(since: datetime):
    naive = since.astimezone(UTC).replace(tzinfo=None)
    return or_(
        Service.updated_at >= naive,
        Organization.updated_at >= naive,
        Location.updated_at >= naive,
    )


def _filtered(stmt, session: Session, params: dict, *, located: bool):
    """``stmt`` (a select of service columns) joined and filtered by ``params``:
    ``search``, ``term``/``taxonomy`` (conditions), ``point`` and ``radius_km``,
    ``modified_after`` (aware datetime), ``organization_id`` (HSDS id)."""
    filters = query.Filters(q=params.get("search"))
    filters.point = params.get("point")
    filters.radius_km = params.get("radius_km")
    listed = and_(
        SearchEntry.service_id.is_not(None),
        *query.conditions(session, filters, datetime.now(UTC)),
    )
    stmt = (
        stmt.join(Service.organization)
        # the primary place's entry: one row per service, as the HSDS feed lists them
        .outerjoin(SearchEntry, and_(SearchEntry.service_id == Service.id, SearchEntry.place == 0))
        .join(Location, Service.location_id == Location.id, isouter=not located)
    )
    for key in ("term", "taxonomy"):
        if (condition := params.get(key)) is not None:
            stmt = stmt.where(condition)
    if org := params.get("organization_id"):
        stmt = stmt.where(Organization.hsds_id == org)
    if since := params.get("modified_after"):
        stmt = stmt.where(_changed_since(since))
        if not (params.get("search") or params.get("point")):
            # services no longer listed come too, so a syncing client removes them; a
            # keyword or a place cannot find them (search no longer indexes them)
            listed = or_(listed, SearchEntry.service_id.is_(None))
    return stmt.where(listed)


def with_details(stmt):
    """Load what an HSDS service object shows, in a fixed number of queries."""
    return stmt.options(
        selectinload(Service.organization),
        selectinload(Service.location).selectinload(Location.organization),
        selectinload(Service.phones),
        selectinload(Service.hours),
        selectinload(Service.verified_by),
    )


ORDER = (Service.name, Service.id)


def page_of(session: Session, stmt, count_stmt, order, page: int, per_page: int):
    """One page of ``stmt`` in ``order``, with the total (counted on ``count_stmt``)."""
    total = session.scalar(select(func.count()).select_from(count_stmt.subquery()))
    rows = session.execute(stmt.order_by(*order).limit(per_page).offset((page - 1) * per_page))
    return [r[0] if len(r) == 1 else tuple(r) for r in rows.all()], total


def services(session: Session, params: dict, page: int, per_page: int):
    stmt = with_details(_filtered(select(Service), session, params, located=False))
    count = _filtered(select(Service.id), session, params, located=False)
    return page_of(session, stmt, count, ORDER, page, per_page)


def service_locations(session: Session, params: dict, page: int, per_page: int):
    """(service, location) pairs, one per service at location. The pairs come from a join,
    so a service given at several locations is several rows, each paged correctly."""
    stmt = with_details(_filtered(select(Service, Location), session, params, located=True))
    count = _filtered(
        select(Service.id, Location.id.label("location_key")), session, params, located=True
    )
    return page_of(session, stmt, count, (*ORDER, Location.id), page, per_page)


def every(fetch) -> Iterator:
    """Every row ``fetch(page, per_page)`` finds, read in batches."""
    page = 1
    while True:
        rows, _total = fetch(page, BATCH)
        yield from rows
        if len(rows) < BATCH:
            return
        page += 1


def service(session: Session, hsds_id: str) -> Service | None:
    return session.scalar(with_details(select(Service).where(Service.hsds_id == hsds_id)))


def service_location(session: Session, sal_id: str) -> tuple[Service, Location] | None:
    """The (service, location) of a service-at-location id (ids are derived from the
    service's and the location's, ``mapping.sal_id``)."""
    pairs = session.execute(
        select(
            Service.hsds_id, Location.hsds_id, Service.id, Location.id, Service.location_id
        ).join(Location, Service.location_id == Location.id)
    )
    for s_hsds, l_hsds, s_key, l_key, own in pairs:
        if mapping.sal_id(s_hsds, l_hsds, primary=own == l_key) == sal_id:
            s = session.scalar(with_details(select(Service).where(Service.id == s_key)))
            return s, session.get(Location, l_key)
    return None


# --- organizations ------------------------------------------------------------------------


def _organizations_query(params: dict, *columns):
    stmt = select(*columns)
    if search := params.get("search"):
        stmt = stmt.where(Organization.name.ilike(f"%{search}%"))
    for key in ("term", "taxonomy"):
        if (condition := params.get(key)) is not None:
            stmt = stmt.where(Organization.services.any(condition))
    if since := params.get("modified_after"):
        stmt = stmt.where(Organization.updated_at >= since.astimezone(UTC).replace(tzinfo=None))
    return stmt


def _org_details(stmt):
    return stmt.options(
        selectinload(Organization.phones),
        selectinload(Organization.locations).selectinload(Location.organization),
        selectinload(Organization.services).options(
            selectinload(Service.organization),
            selectinload(Service.location),
            selectinload(Service.phones),
            selectinload(Service.hours),
            selectinload(Service.verified_by),
        ),
    )


def organizations(session: Session, params: dict, page: int, per_page: int, *, full=False):
    stmt = _organizations_query(params, Organization)
    if full:
        stmt = _org_details(stmt)
    count = _organizations_query(params, Organization.id)
    return page_of(session, stmt, count, (Organization.name, Organization.id), page, per_page)


def organization(session: Session, hsds_id: str) -> Organization | None:
    return session.scalar(_org_details(select(Organization).where(Organization.hsds_id == hsds_id)))
