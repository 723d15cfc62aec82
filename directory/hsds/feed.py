"""What the HSDS API lists: services, services at locations and organizations matching
the HSDS query parameters (already parsed by ``hsds.api``), a page at a time. Reads only."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from directory import taxonomy
from directory.derived import SearchEntry
from directory.hsds.mapping import taxonomy_rows
from directory.hsds.source_rows import source_id
from directory.models import Organization, Service
from directory.search import query
from directory.source_terms import ServiceTerm, SourceTaxonomy, SourceTerm


def category_of_term(term_id: str) -> str | None:
    """The Section V code of one of this product's taxonomy terms, or None."""
    return next((t["code"] for t in taxonomy_rows()[1] if t["id"] == term_id), None)


def term_params(session: Session, term_id: str) -> dict | None:
    """``taxonomy_term_id`` as ``services_query`` parameters: one of this product's
    category terms (``category``) or a term kept from a source's taxonomy
    (``source_term``, its id as the source gave it or as exported); None when unknown."""
    if code := category_of_term(term_id):
        return {"category": code}
    found = _source(session, SourceTerm, term_id)
    return {"source_term": found} if found is not None else None


def taxonomy_params(session: Session, taxonomy_id: str) -> dict | None:
    """``taxonomy_id`` of a source taxonomy as ``services_query`` parameters, or None."""
    found = _source(session, SourceTaxonomy, taxonomy_id)
    return {"source_taxonomy": found} if found is not None else None


def _source(session: Session, model, given: str) -> int | None:
    """The record of a source id as given, or as an export derived it (``source_id``)."""
    found = session.scalar(select(model.id).where(model.hsds_id == given))
    if found is not None:
        return found
    derived = select(model.hsds_id, model.id).where(func.length(model.hsds_id) != 36)
    for hsds_id, record_id in session.execute(derived):
        if given in (hsds_id, source_id(hsds_id)):
            return record_id
    return None


def services_query(session: Session, params: dict):
    """Listed services matching ``params``: ``search``, ``category`` (a code), ``point`` and
    ``radius_km``, ``modified_after`` (aware datetime), ``organization_id`` (HSDS id),
    ``source_term`` / ``source_taxonomy`` (ids of a kept source term / taxonomy)."""
    filters = query.Filters(q=params.get("search"))
    if code := params.get("category"):
        filters.categories, _ = taxonomy.expand([code])
    filters.point = params.get("point")
    filters.radius_km = params.get("radius_km")
    where = query.conditions(session, filters, datetime.now(UTC))
    stmt = (
        select(Service)
        .join(SearchEntry, SearchEntry.service_id == Service.id)
        .join(Service.organization)
        .where(*where)
    )
    if since := params.get("modified_after"):
        stmt = stmt.where(Service.updated_at >= since.astimezone(UTC).replace(tzinfo=None))
    if org := params.get("organization_id"):
        stmt = stmt.where(Organization.hsds_id == org)
    if (term := params.get("source_term")) is not None:
        stmt = stmt.where(
            Service.id.in_(select(ServiceTerm.service_id).where(ServiceTerm.term_id == term))
        )
    if (tax := params.get("source_taxonomy")) is not None:
        stmt = stmt.where(
            Service.id.in_(
                select(ServiceTerm.service_id)
                .join(SourceTerm, SourceTerm.id == ServiceTerm.term_id)
                .where(SourceTerm.taxonomy_id == tax)
            )
        )
    return stmt


def with_details(stmt):
    """Load what an HSDS service object shows, in a fixed number of queries."""
    return stmt.options(
        selectinload(Service.organization),
        selectinload(Service.location),
        selectinload(Service.phones),
        selectinload(Service.hours),
        selectinload(Service.verified_by),
    )


def page_of(session: Session, stmt, order, page: int, per_page: int) -> tuple[list, int]:
    """One page of ``stmt`` in ``order``, with the total."""
    total = session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = session.scalars(stmt.order_by(*order).limit(per_page).offset((page - 1) * per_page))
    return rows.all(), total


def services(session: Session, params: dict, page: int, per_page: int, *, located=False):
    stmt = services_query(session, params)
    if located:
        stmt = stmt.where(Service.location_id.is_not(None))
    return page_of(session, with_details(stmt), (Service.name, Service.id), page, per_page)


def service(session: Session, hsds_id: str) -> Service | None:
    return session.scalar(with_details(select(Service).where(Service.hsds_id == hsds_id)))


def organizations(session: Session, search: str | None, page: int, per_page: int):
    stmt = select(Organization)
    if search:
        stmt = stmt.where(Organization.name.ilike(f"%{search}%"))
    return page_of(session, stmt, (Organization.name,), page, per_page)


def organization(session: Session, hsds_id: str) -> Organization | None:
    return session.scalar(
        select(Organization)
        .where(Organization.hsds_id == hsds_id)
        .options(
            selectinload(Organization.phones),
            selectinload(Organization.locations),
            selectinload(Organization.services),
        )
    )
