"""Read-only HSDS 3.0 API for integrators (``/api/hsds``): every endpoint of the Open
Referral specification's ``openapi.json`` (branch 3.0), with its ``Page`` wrapper and
parameters (``hsds.apiparams``), ``format=ndjson`` streamed unpaged, and POST versions of
the list endpoints (HSDS 3.1) taking their parameters in the body. Answers validate
against the specification's schemas; what a location withholds is never included.

A login or token is needed, unless ``HSDS_PUBLIC`` is true: then the API answers anyone,
with ``Access-Control-Allow-Origin: *``, rate limited per client address
(``HSDS_PUBLIC_RATE_LIMIT``), and without the hand-off contacts (``hsds.objects``)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache, partial
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    stream_with_context,
)
from flask.typing import ResponseReturnValue

from app import auth, params
from app.auth import requires
from app.extensions import db, limiter
from app.links import shown_url
from directory.errors import found
from directory.hsds.api import feed, objects, taxonomy_feed
from directory.hsds.api import params as apiparams
from directory.models import Location, Service
from directory.service_locations import ServiceAtLocation
from directory.taxonomy import SEEDS

bp = Blueprint("hsds_api", __name__, url_prefix="/api/hsds")
LIST = ("GET", "POST")
HSDS_VERSION = "3.0.0"
PROFILE = "https://docs.openreferral.org/en/latest/hsds/overview.html"


def _public() -> bool:
    return bool(current_app.config.get("HSDS_PUBLIC"))


auth.PUBLIC_WHEN[bp.name] = _public
limiter.limit(
    lambda: current_app.config["HSDS_PUBLIC_RATE_LIMIT"],
    exempt_when=lambda: not _public(),
)(bp)


@bp.after_request
def cors(response: Response) -> Response:
    """In public mode any web page may read the answers (no cookies are involved)."""
    if _public():
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


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


def _ndjson(items: Iterable[dict]) -> Response:
    """Every item, one JSON object a line, streamed as the rows are read."""

    def lines() -> Iterator[str]:
        for item in items:
            yield json.dumps(item, ensure_ascii=False) + "\n"

    return Response(stream_with_context(lines()), mimetype="application/x-ndjson")


Fetch = Callable[[int, int], tuple[Sequence[Any], int]]
"""``fetch(page, per_page)`` → (rows, total)."""


def _listing(
    src: dict, fetch: Fetch, build: Callable[[Any], dict], *, minimal: bool = False
) -> Response | dict[str, Any]:
    """A list answer: ``fetch(page, per_page)`` → (rows, total); ``build(row)`` → item."""
    if apiparams.ndjson(src):
        return _ndjson(build(row) for row in feed.every(fetch))
    page, per_page = apiparams.paging(src, minimal=minimal)
    rows, total = fetch(page, per_page)
    return _page([build(row) for row in rows], total, page, per_page)


@bp.route("/")
@requires("viewer")
def index() -> ResponseReturnValue:
    """What this API is: its HSDS version, profile and OpenAPI document."""
    return {
        "version": HSDS_VERSION,
        "profile": PROFILE,
        "openapi_url": shown_url("hsds_api.openapi"),
    }


@cache
def _spec() -> dict:
    return json.loads((SEEDS / "hsds" / "openapi.json").read_text(encoding="utf-8"))


@bp.route("/openapi.json")
@requires("viewer")
def openapi() -> ResponseReturnValue:
    """The specification's OpenAPI document, its server this API."""
    return {**_spec(), "servers": [{"url": shown_url("hsds_api.index")}]}


@bp.route("/services", methods=LIST)
@requires("viewer")
def services() -> ResponseReturnValue:
    src = apiparams.source(
        (*apiparams.PAGING, *apiparams.FILTERS, *apiparams.PLACE, "minimal", "full")
    )
    filters = apiparams.filters(src)
    minimal, full = apiparams.boolean(src, "minimal"), apiparams.boolean(src, "full")
    if minimal and full:
        params.refuse("minimal", "and full ask for opposite things: give one.")
    if minimal:
        build = objects.minimal_service
    else:
        build = partial(objects.service_object, full=full)
    return _listing(src, partial(feed.services, db.session, filters), build, minimal=minimal)


@bp.route("/services/<hsds_id>")
@requires("viewer")
def service(hsds_id: str) -> ResponseReturnValue:
    apiparams.source(())
    s = found(feed.service(db.session, hsds_id))
    return objects.service_object(s)


@bp.route("/service_at_locations", methods=LIST)
@requires("viewer")
def service_at_locations() -> ResponseReturnValue:
    src = apiparams.source((*apiparams.PAGING, *apiparams.FILTERS, *apiparams.PLACE, "full"))
    filters = apiparams.filters(src)
    nested = "full" if apiparams.boolean(src, "full") else "list"

    def build(row: tuple[Service, Location, ServiceAtLocation | None]) -> dict:
        return objects.sal_object(*row, service=nested)

    return _listing(src, partial(feed.service_locations, db.session, filters), build)


@bp.route("/service_at_locations/<hsds_id>")
@requires("viewer")
def service_at_location(hsds_id: str) -> ResponseReturnValue:
    apiparams.source(())
    row = found(feed.service_location(db.session, hsds_id))
    return objects.sal_object(*row, sal=hsds_id, service="full")


@bp.route("/organizations", methods=LIST)
@requires("viewer")
def organizations() -> ResponseReturnValue:
    src = apiparams.source(
        (
            *apiparams.PAGING,
            "search",
            "taxonomy_term_id",
            "taxonomy_id",
            "modified_after",
            "minimal",
            "full",
            "full_service",
        )
    )
    filters = apiparams.filters(src)
    minimal, full = apiparams.boolean(src, "minimal"), apiparams.boolean(src, "full")
    full_service = apiparams.boolean(src, "full_service")
    if minimal and (full or full_service):
        params.refuse("minimal", "and full ask for opposite things: give one.")
    if minimal:
        build = objects.minimal_organization
    else:
        build = partial(
            objects.organization_object, full=full or full_service, full_service=full_service
        )
    fetch = partial(feed.organizations, db.session, filters, full=full or full_service)
    return _listing(src, fetch, build, minimal=minimal)


@bp.route("/organizations/<hsds_id>")
@requires("viewer")
def organization(hsds_id: str) -> ResponseReturnValue:
    src = apiparams.source(("full_service",))
    o = found(feed.organization(db.session, hsds_id))
    return objects.organization_object(o, full_service=apiparams.boolean(src, "full_service"))


def _in_memory(rows: list[dict]) -> Fetch:
    def fetch(page: int, per_page: int) -> tuple[list[dict], int]:
        return rows[(page - 1) * per_page : page * per_page], len(rows)

    return fetch


@bp.route("/taxonomies", methods=LIST)
@requires("viewer")
def taxonomies() -> ResponseReturnValue:
    """This product's own taxonomies and those kept from imported packages."""
    src = apiparams.source((*apiparams.PAGING, "search"))
    search = src.get("search", "").strip() or None
    rows = [t for t in taxonomy_feed.taxonomies(db.session) if taxonomy_feed.matches(t, search)]
    return _listing(src, _in_memory(rows), objects.taxonomy_object)


@bp.route("/taxonomies/<hsds_id>")
@requires("viewer")
def taxonomy(hsds_id: str) -> ResponseReturnValue:
    apiparams.source(())
    taxonomy_ = found(taxonomy_feed.one_taxonomy(db.session, hsds_id))
    return objects.taxonomy_object(taxonomy_)


@bp.route("/taxonomy_terms", methods=LIST)
@requires("viewer")
def taxonomy_terms() -> ResponseReturnValue:
    """This product's own terms and the terms kept from imported packages, paged in SQL."""
    src = apiparams.source((*apiparams.PAGING, "search", "taxonomy_id", "top_only", "parent_id"))
    wanted = {
        "search": src.get("search", "").strip() or None,
        "taxonomy_id": src.get("taxonomy_id", "").strip() or None,
        "parent_id": src.get("parent_id", "").strip() or None,
        "top_only": apiparams.boolean(src, "top_only"),
    }
    term_filters = taxonomy_feed.term_filters(db.session, wanted)
    if term_filters == "taxonomy_id":
        params.refuse("taxonomy_id", "is not a known taxonomy.")
    if term_filters == "parent_id":
        params.refuse("parent_id", "is not a known taxonomy term.")
    assert not isinstance(term_filters, str)  # each field at fault is refused above
    tests, where = term_filters
    by_id = {t["id"]: t for t in taxonomy_feed.taxonomies(db.session)}
    fetch = partial(taxonomy_feed.taxonomy_terms, db.session, tests, where)
    return _listing(src, fetch, partial(objects.taxonomy_term_object, taxonomies=by_id))


@bp.route("/taxonomy_terms/<hsds_id>")
@requires("viewer")
def taxonomy_term(hsds_id: str) -> ResponseReturnValue:
    apiparams.source(())
    term = found(taxonomy_feed.one_term(db.session, hsds_id))
    by_id = {t["id"]: t for t in taxonomy_feed.taxonomies(db.session)}
    return objects.taxonomy_term_object(term, taxonomies=by_id)
