"""The HSDS API's parameters, read in one place: from the query string of a GET or the body
(a JSON object or a form) of a POST, each checked, a bad one refused with a 422 naming it
(``app.params.refuse``), never corrected or ignored silently. Each endpoint says which
parameters it takes; any other is refused too."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from flask import request

from app import params
from directory import geo
from directory.hsds.api import taxonomy_feed

MAX_PER_PAGE = 200
MAX_PER_PAGE_MINIMAL = 1000  # the spec: with ``minimal``, "aim to return all in one call"
MAX_PROXIMITY_M = 20_037_509  # half the Earth's circumference: every point is nearer
MAX_TEXT = 200
"""The longest text parameter (``search``, an id): what a person types, not a payload."""

PAGING = ("page", "per_page", "format")
FILTERS = ("search", "taxonomy_term_id", "taxonomy_id", "organization_id", "modified_after")
PLACE = ("postcode", "proximity", "lat", "lon")


def source(allowed: tuple[str, ...]) -> dict[str, str]:
    """The request's parameters as text: the query string of a GET, the body of a POST (a
    POST takes none in its URL, so a search never lands in a proxy's log). A parameter the
    endpoint does not take is refused."""
    if request.method == "POST":
        if request.args:
            name = next(iter(request.args))
            params.refuse(name, "goes in the body of a POST, not in its URL.")
        found = _body()
    else:
        found = {k: request.args.get(k, "") for k in request.args}
    for name, value in found.items():
        if name not in allowed:
            params.refuse(name, "is not a parameter of this endpoint.")
        if len(value) > MAX_TEXT:
            params.refuse(name, f"is at most {MAX_TEXT} characters.")
    return found


def _body() -> dict[str, str]:
    if request.is_json:
        data = request.get_json(silent=True)
        if data is None and request.get_data():
            params.refuse("body", "is not a JSON object.")
        data = data or {}
        if not isinstance(data, dict):
            params.refuse("body", "is not a JSON object.")
        found = {}
        for name, value in data.items():
            if isinstance(value, bool):
                found[name] = "true" if value else "false"
            elif isinstance(value, str | int | float) and value is not None:
                found[name] = str(value)
            elif value is not None:
                params.refuse(str(name), "is text, a number or true/false.")
        return found
    return {k: request.form.get(k, "") for k in request.form}


def boolean(src: dict, name: str) -> bool:
    """``true`` or ``false`` (absent: false)."""
    text = src.get(name, "").strip().lower()
    if text in ("", "false"):
        return False
    if text == "true":
        return True
    params.refuse(name, "is true or false.")
    raise AssertionError  # refuse() does not return


def ndjson(src: dict) -> bool:
    """``format``: ``json`` (paged, the default) or ``ndjson`` (every item, one a line,
    unpaged: ``page`` and ``per_page`` are then refused)."""
    fmt = src.get("format", "json").strip().lower() or "json"
    if fmt not in ("json", "ndjson"):
        params.refuse("format", "is json or ndjson.")
    if fmt == "ndjson":
        for name in ("page", "per_page"):
            if src.get(name):
                params.refuse(name, "does not apply to format=ndjson, which is unpaged.")
    return fmt == "ndjson"


def paging(src: dict, *, minimal: bool = False) -> tuple[int, int]:
    """``page`` (from 1) and ``per_page`` (1 to 200, 50 by default; up to 1000 with
    ``minimal``)."""
    page = params.page_number("page", src)
    top = MAX_PER_PAGE_MINIMAL if minimal else MAX_PER_PAGE
    per_page = params.whole_number("per_page", src, default=50, maximum=top)
    return page, per_page


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


def _degrees(src: dict, name: str, limit: float) -> float:
    try:
        value = float(src[name])
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and -limit <= value <= limit):
        params.refuse(name, f"is a number of degrees from -{limit:g} to {limit:g}.")
    return value


def moment(text: str, name: str = "modified_after") -> datetime:
    """An ISO 8601 date-time (a date alone is its midnight, no zone is UTC), as an aware
    UTC datetime; one that shifts past year 1 or 9999 in UTC is refused, not an overflow."""
    try:
        parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        params.refuse(name, "is an ISO 8601 date-time between years 1 and 9999 (UTC).")
        raise  # refuse() does not return


def _point(src: dict) -> geo.Point | None:
    """The point of ``postcode`` or of ``lat`` + ``lon`` (one or the other)."""
    if src.get("postcode") and (src.get("lat") or src.get("lon")):
        params.refuse("postcode", "and lat/lon are two ways to give a point: give one.")
    if src.get("lat") or src.get("lon"):
        for name in ("lat", "lon"):
            if not src.get(name):
                params.refuse(name, "is needed with " + ("lon" if name == "lat" else "lat") + ".")
        return geo.Point(_degrees(src, "lat", 90), _degrees(src, "lon", 180))
    if postcode := src.get("postcode", "").strip():
        try:
            return geo.geocode(postcode)
        except geo.UnknownPlace as exc:
            params.refuse("postcode", str(exc))
    return None


def filters(src: dict) -> dict:
    """The filters of a list of services (or of services at locations), parsed; they
    combine as AND. A point needs ``proximity`` (this directory records no service areas,
    so a postcode alone cannot say what covers it) and ``proximity`` needs a point."""
    found: dict = {"search": src.get("search", "").strip() or None}
    if term := src.get("taxonomy_term_id", "").strip():
        found["term"] = taxonomy_feed.term_condition(term)
        if found["term"] is None:
            params.refuse("taxonomy_term_id", "is not a known taxonomy term.")
    if taxonomy := src.get("taxonomy_id", "").strip():
        found["taxonomy"] = taxonomy_feed.taxonomy_condition(taxonomy)
        if found["taxonomy"] is None:
            params.refuse("taxonomy_id", "is not a known taxonomy.")
    point = _point(src)
    proximity = src.get("proximity", "").strip()
    if proximity:
        meters = _proximity(proximity)
        if point is None:
            params.refuse("proximity", "needs a point: postcode, or lat and lon.")
        found["point"], found["radius_km"] = point, meters / 1000
    elif point is not None:
        name = "postcode" if src.get("postcode") else "lat"
        params.refuse(name, "needs proximity (meters): this directory records no service areas.")
    if modified := src.get("modified_after", "").strip():
        found["modified_after"] = moment(modified)
    found["organization_id"] = src.get("organization_id", "").strip() or None
    return found
