"""Read-only HSDS 3.0 API for integrators (``/api/hsds``), following the specification's
``openapi.json``: paging, ``search``, ``taxonomy_term_id``, ``modified_after``,
``postcode`` and ``proximity``. Answers validate against the compiled HSDS schemas.
Needs a login or token; confidential addresses are never included."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from flask import Blueprint, abort, request
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.auth import requires
from app.extensions import db
from directory import geo, hsds, search, taxonomy
from directory.models import Organization, SearchEntry, Service

bp = Blueprint("hsds_api", __name__, url_prefix="/api/hsds")
MAX_PER_PAGE = 200


def _paging() -> tuple[int, int]:
    try:
        page = max(1, int(request.args.get("page", 1)))
        per_page = min(MAX_PER_PAGE, max(1, int(request.args.get("per_page", 50))))
    except ValueError:
        abort(422, description="page and per_page must be whole numbers.")
    return page, per_page


def _page(items: list, total: int, page: int, per_page: int) -> dict:
    pages = max(1, math.ceil(total / per_page))
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": len(items),
        "first_page": page == 1,
        "last_page": page >= pages,
        "empty": total == 0,
        "contents": items,
    }


def _service_query():
    """Services matching the HSDS query parameters (active ones, as in search)."""
    args = request.args
    filters = search.Filters(q=args.get("search") or None)
    if term := args.get("taxonomy_term_id"):
        code = next((t["code"] for t in hsds.taxonomy_rows()[1] if t["id"] == term), None)
        if code is None:
            abort(422, description="Unknown taxonomy_term_id.")
        filters.categories, _ = taxonomy.expand([code])
    if postcode := args.get("postcode"):
        try:
            filters.point = geo.geocode(postcode)
        except geo.UnknownPlace as exc:
            abort(422, description=str(exc))
        if proximity := args.get("proximity"):
            try:
                filters.radius_km = float(proximity) / 1000  # meters, as the spec says
            except ValueError:
                abort(422, description="proximity is a distance in meters.")
    where = search.conditions(db.session, filters, datetime.now(UTC))
    stmt = (
        select(Service)
        .join(SearchEntry, SearchEntry.service_id == Service.id)
        .join(Service.organization)
        .where(*where)
    )
    if modified := args.get("modified_after"):
        try:
            since = datetime.fromisoformat(modified.replace("Z", "+00:00"))
        except ValueError:
            abort(422, description="modified_after is an ISO 8601 date-time.")
        stmt = stmt.where(Service.updated_at >= since.astimezone(UTC).replace(tzinfo=None))
    if org := args.get("organization_id"):
        stmt = stmt.where(Organization.hsds_id == org)
    return stmt


def _load(stmt):
    return stmt.options(
        selectinload(Service.organization),
        selectinload(Service.location),
        selectinload(Service.phones),
        selectinload(Service.hours),
        selectinload(Service.verified_by),
    )


@bp.route("/services")
@requires("viewer")
def services():
    page, per_page = _paging()
    stmt = _service_query()
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = db.session.scalars(
        _load(stmt).order_by(Service.name, Service.id).limit(per_page).offset((page - 1) * per_page)
    ).all()
    full = request.args.get("full") == "true"
    return _page([hsds.service_object(s, full=full) for s in rows], total, page, per_page)


@bp.route("/services/<hsds_id>")
@requires("viewer")
def service(hsds_id: str):
    s = db.session.scalar(_load(select(Service).where(Service.hsds_id == hsds_id)))
    if s is None:
        abort(404)
    return hsds.service_object(s)


@bp.route("/service_at_locations")
@requires("viewer")
def service_at_locations():
    page, per_page = _paging()
    stmt = _service_query().where(Service.location_id.is_not(None))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = db.session.scalars(
        _load(stmt).order_by(Service.name, Service.id).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return _page([hsds.sal_object(s, with_service=True) for s in rows], total, page, per_page)


@bp.route("/organizations")
@requires("viewer")
def organizations():
    page, per_page = _paging()
    stmt = select(Organization)
    if q := request.args.get("search"):
        stmt = stmt.where(Organization.name.ilike(f"%{q}%"))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = db.session.scalars(
        stmt.order_by(Organization.name).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return _page([hsds.organization_object(o, full=False) for o in rows], total, page, per_page)


@bp.route("/organizations/<hsds_id>")
@requires("viewer")
def organization(hsds_id: str):
    o = db.session.scalar(
        select(Organization)
        .where(Organization.hsds_id == hsds_id)
        .options(
            selectinload(Organization.phones),
            selectinload(Organization.locations),
            selectinload(Organization.services),
        )
    )
    if o is None:
        abort(404)
    return hsds.organization_object(o)
