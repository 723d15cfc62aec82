"""Read-only HSDS 3.0 API for integrators (``/api/hsds``), following the specification's
``openapi.json``: paging, ``search``, ``taxonomy_term_id``, ``modified_after``,
``postcode`` and ``proximity``. Answers validate against the compiled HSDS schemas.
Needs a login or token; what a location withholds is never included."""

from __future__ import annotations

import math
from datetime import datetime

from flask import Blueprint, abort, request

from app.auth import requires
from app.extensions import db
from directory import geo
from directory.hsds import feed, objects

bp = Blueprint("hsds_api", __name__, url_prefix="/api/hsds")
MAX_PER_PAGE = 200


def _paging() -> tuple[int, int]:
    try:
        page = max(1, int(request.args.get("page", 1)))
        per_page = min(MAX_PER_PAGE, max(1, int(request.args.get("per_page", 50))))
    except ValueError:
        abort(422, description="page and per_page must be whole numbers.")
    return page, per_page


def _params() -> dict:
    """The HSDS query parameters, parsed; a bad one is a 422 naming it."""
    args = request.args
    params: dict = {"search": args.get("search") or None}
    if term := args.get("taxonomy_term_id"):
        params["category"] = feed.category_of_term(term) or abort(
            422, description="Unknown taxonomy_term_id."
        )
    if postcode := args.get("postcode"):
        try:
            params["point"] = geo.geocode(postcode)
        except geo.UnknownPlace as exc:
            abort(422, description=str(exc))
        if proximity := args.get("proximity"):
            try:
                params["radius_km"] = float(proximity) / 1000  # meters, as the spec says
            except ValueError:
                abort(422, description="proximity is a distance in meters.")
    if modified := args.get("modified_after"):
        try:
            params["modified_after"] = datetime.fromisoformat(modified.replace("Z", "+00:00"))
        except ValueError:
            abort(422, description="modified_after is an ISO 8601 date-time.")
    params["organization_id"] = args.get("organization_id")
    return params


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


@bp.route("/services")
@requires("viewer")
def services():
    page, per_page = _paging()
    rows, total = feed.services(db.session, _params(), page, per_page)
    full = request.args.get("full") == "true"
    return _page([objects.service_object(s, full=full) for s in rows], total, page, per_page)


@bp.route("/services/<hsds_id>")
@requires("viewer")
def service(hsds_id: str):
    s = feed.service(db.session, hsds_id) or abort(404)
    return objects.service_object(s)


@bp.route("/service_at_locations")
@requires("viewer")
def service_at_locations():
    page, per_page = _paging()
    rows, total = feed.services(db.session, _params(), page, per_page, located=True)
    return _page([objects.sal_object(s, with_service=True) for s in rows], total, page, per_page)


@bp.route("/organizations")
@requires("viewer")
def organizations():
    page, per_page = _paging()
    rows, total = feed.organizations(db.session, request.args.get("search"), page, per_page)
    return _page([objects.organization_object(o, full=False) for o in rows], total, page, per_page)


@bp.route("/organizations/<hsds_id>")
@requires("viewer")
def organization(hsds_id: str):
    o = feed.organization(db.session, hsds_id) or abort(404)
    return objects.organization_object(o)
