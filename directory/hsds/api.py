"""Read-only HSDS 3.0 API for integrators (``/api/hsds``), following the specification's
``openapi.json``: paging, ``search``, ``taxonomy_term_id``, ``modified_after``,
``postcode`` and ``proximity``. Answers validate against the compiled HSDS schemas.
Needs a login or token; what a location withholds is never included."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from flask import Blueprint, abort, request

from app import params
from app.auth import requires
from app.extensions import db
from directory import geo
from directory.hsds import feed, objects

bp = Blueprint("hsds_api", __name__, url_prefix="/api/hsds")
MAX_PER_PAGE = 200


MAX_PROXIMITY_M = 20_037_509  # half the Earth's circumference: every point is nearer


def _paging() -> tuple[int, int]:
    """``page`` (from 1) and ``per_page`` (1 to 200, 50 by default); out of range is a 422
    naming the parameter, never corrected silently."""
    page = params.page_number("page", request.args)
    per_page = params.whole_number("per_page", request.args, default=50, maximum=MAX_PER_PAGE)
    return page, per_page  # type: ignore[return-value]


def _proximity(text: str) -> float:
    """A distance in meters (as the spec says): finite, above 0, at most half the Earth."""
    try:
        meters = float(text)
    except ValueError:
        meters = math.nan
    if not (math.isfinite(meters) and 0 < meters <= MAX_PROXIMITY_M):
        params.refuse(
            "proximity", f"is a distance in meters, above 0 and at most {MAX_PROXIMITY_M}."
        )
    return meters


def _moment(text: str) -> datetime:
    """An ISO 8601 date-time (a date alone is its midnight), as an aware UTC datetime; one
    that shifts past year 1 or 9999 in UTC is refused, not an overflow."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        params.refuse("modified_after", "is an ISO 8601 date-time between years 1 and 9999 (UTC).")
        raise  # refuse() does not return


def _params() -> dict:
    """The HSDS query parameters, parsed; a bad one is a 422 naming it."""
    args = request.args
    found: dict = {"search": args.get("search") or None}
    if term := args.get("taxonomy_term_id"):
        found |= feed.term_params(db.session, term) or params.refuse(
            "taxonomy_term_id", "is not a known taxonomy term."
        )
    if taxonomy := args.get("taxonomy_id"):
        found |= feed.taxonomy_params(db.session, taxonomy) or params.refuse(
            "taxonomy_id", "is not a known taxonomy."
        )
    if postcode := args.get("postcode"):
        try:
            found["point"] = geo.geocode(postcode)
        except geo.UnknownPlace as exc:
            params.refuse("postcode", str(exc))
    if proximity := args.get("proximity"):
        meters = _proximity(proximity)
        if "point" in found:
            found["radius_km"] = meters / 1000
    if modified := args.get("modified_after"):
        found["modified_after"] = _moment(modified)
    found["organization_id"] = args.get("organization_id")
    return found


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
