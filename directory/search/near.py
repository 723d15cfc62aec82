"""Near a point: the planar distance a search orders and tests a radius by, and the
latitude bands of the place index (``lat_band``, also written by ``search.index``) that
make a radius a few seeks. Read only, like every module of the search query."""

from __future__ import annotations

import math
from typing import overload

from sqlalchemy import ColumnElement, and_

from directory import geo
from directory.derived import SearchEntry


def squared_distance(point: geo.Point) -> ColumnElement[float | None]:
    """Planar (equirectangular) squared distance in km², good for ordering and radius tests
    at the scales a referral network covers; displayed distances are great-circle."""
    k = geo.KM_PER_DEGREE
    dlat = (SearchEntry.lat - point.lat) * k
    dlon = (SearchEntry.lon - point.lon) * (k * math.cos(math.radians(point.lat)))
    return dlat * dlat + dlon * dlon


BAND_DEGREES = 0.5
"""Height of the latitude bands of the place index (about 55 km): a radius reads one short
longitude range in each of the few bands it crosses."""


@overload
def lat_band(lat: float) -> int: ...


@overload
def lat_band(lat: float | None) -> int | None: ...


def lat_band(lat: float | None) -> int | None:
    return None if lat is None else math.floor(lat / BAND_DEGREES)


def within(point: geo.Point, radius_km: float) -> ColumnElement[bool]:
    """Entries whose search point lies within the radius: the bands and longitude range of
    the bounding box are seeks in the place index; the planar distance decides."""
    lat0, lat1, lon0, lon1 = geo.bounding_box(point.lat, point.lon, radius_km)
    e = SearchEntry
    return and_(
        e.lat_band.in_(range(lat_band(lat0), lat_band(lat1) + 1)),
        e.lon.between(lon0, lon1),
        e.lat.between(lat0, lat1),
        squared_distance(point) <= radius_km * radius_km,
    )
