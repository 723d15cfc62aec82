"""Issue #18: a viewer with unlimited queries tries to locate every confidential demo
location. Whatever the answers tell (keyword hits, distances, nearest-first order, radius
hits), the best estimate must be no closer to the true address than the town's centre is.

The attacker: (a) searches for the postal code and the street words; (b) from a grid of
points around the target reads the reported distance and where the target falls in the
nearest-first order among services whose exact distances are shown (which narrows the
distance to an interval), and (c) shrinks the radius from a few points until the target
drops out (its distance to within 0.1 km). Each set of distances is turned into a position
by least-squares trilateration."""

from __future__ import annotations

import math

import pytest
from sqlalchemy import select

from app.extensions import db
from directory import geo, seeding
from directory.models import Location

EPS_KM = 0.5
"""How much closer than the town centre an estimate may land by chance (rounding noise)."""

K = geo.KM_PER_DEGREE


@pytest.fixture
def demo(app):
    seeding.load_demo(db.session)
    db.session.commit()


@pytest.fixture
def search(client, token, demo):
    headers = token("viewer")

    def get(**params):
        response = client.get("/api/v1/services", query_string=params, headers=headers)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    return get


def _targets():
    locations = db.session.scalars(select(Location).where(Location.confidential.is_(True))).all()
    out = []
    for loc in locations:
        services = [
            s for s in loc.services if s.status == "active" and s.organization.status == "active"
        ]
        if services and loc.latitude is not None:
            out.append((loc, services))
    return out


def _local(origin, lat, lon):
    """(x, y) km of a point east and north of ``origin`` (the planar model search uses)."""
    return ((lon - origin[1]) * K * math.cos(math.radians(origin[0])), (lat - origin[0]) * K)


def _trilaterate(measurements):
    """Least-squares position from ((x, y), distance) pairs: Gauss-Newton from every
    measured point, the best fit kept."""

    def cost(p):
        return sum((math.dist(p, q) - d) ** 2 for q, d in measurements)

    best = None
    for start, _ in measurements:
        x, y = start[0] + 0.01, start[1] + 0.01
        for _ in range(40):
            jtj = [[0.0, 0.0], [0.0, 0.0]]
            jtr = [0.0, 0.0]
            for (qx, qy), d in measurements:
                r = max(math.hypot(x - qx, y - qy), 1e-9)
                gx, gy = (x - qx) / r, (y - qy) / r
                res = r - d
                jtj[0][0] += gx * gx
                jtj[0][1] += gx * gy
                jtj[1][1] += gy * gy
                jtr[0] += gx * res
                jtr[1] += gy * res
            det = jtj[0][0] * jtj[1][1] - jtj[0][1] ** 2
            if abs(det) < 1e-12:
                break
            dx = (jtj[1][1] * jtr[0] - jtj[0][1] * jtr[1]) / det
            dy = (jtj[0][0] * jtr[1] - jtj[0][1] * jtr[0]) / det
            x, y = x - dx, y - dy
            if math.hypot(dx, dy) < 1e-6:
                break
        if best is None or cost((x, y)) < cost(best):
            best = (x, y)
    return best


def _probe_points(true, spacing_km, n):
    half = n // 2
    dlat = spacing_km / K
    dlon = spacing_km / (K * math.cos(math.radians(true[0])))
    return [
        (true[0] + i * dlat, true[1] + j * dlon)
        for i in range(-half, half + 1)
        for j in range(-half, half + 1)
    ]


def _found(answer, service_id):
    return next((i for i in answer["items"] if i["id"] == service_id), None)


def test_an_attacker_cannot_locate_a_confidential_location_closer_than_its_town(search):
    targets = _targets()
    assert len(targets) >= 4
    for loc, services in targets:
        true = (loc.latitude, loc.longitude)
        town = geo.OfflineGazetteer().geocode(f"{loc.city}, {loc.region}, {loc.country}")
        assert town is not None, loc.city
        town_km = math.dist((0, 0), _local(true, town.latitude, town.longitude))
        ids = {s.id for s in services}
        target = services[0]

        # (a) keywords: the postal code and the street words find none of its services
        for words in (loc.postal_code, loc.address_1):
            answer = search(q=words, per_page=100)
            assert not ids & {i["id"] for i in answer["items"]}, (loc.city, words)

        # (b) distances and nearest-first order from a grid of points around it
        reported, ordered = [], []
        for lat, lon in _probe_points(true, 4.0, 5) + _probe_points(true, 30.0, 3):
            answer = search(lat=lat, lon=lon, category=target.category, per_page=100)
            items = answer["items"]
            hit = _found(answer, target.id)
            assert hit is not None
            assert hit["distance_approximate"] is True
            assert hit["distance_km"] == round(hit["distance_km"])  # whole kilometres
            d = hit["distance_km"]
            at = items.index(hit)
            exact = [(n, i["distance_km"]) for n, i in enumerate(items) if i["distance_km"]]
            exact = [(n, km) for n, km in exact if not items[n]["distance_approximate"]]
            lo = max([km for n, km in exact if n < at] + [d - 0.5])
            hi = min([km for n, km in exact if n > at] + [d + 0.5])
            here = _local(true, lat, lon)
            reported.append((here, d))
            ordered.append((here, (lo + hi) / 2 if lo <= hi else d))

        # (c) tiny radii: the smallest radius that still finds it, from a few points
        radii = []
        for lat, lon in _probe_points(true, 3.0, 3):
            inside, outside = 60.0, 0.0
            if _found(search(lat=lat, lon=lon, radius_km=inside, per_page=100), target.id) is None:
                continue
            while inside - outside > 0.1:
                mid = max((inside + outside) / 2, 0.1)
                answer = search(
                    lat=lat, lon=lon, radius_km=mid, category=target.category, per_page=100
                )
                if _found(answer, target.id) is not None:
                    inside = mid
                else:
                    outside = mid
                if mid <= 0.1:
                    break
            radii.append((_local(true, lat, lon), inside))

        for name, measurements in (("distance", reported), ("order", ordered), ("radius", radii)):
            if len(measurements) < 3:
                continue
            estimate = _trilaterate(measurements)
            error_km = math.dist((0, 0), estimate)
            assert error_km >= town_km - EPS_KM, (
                f"{loc.city} {loc.postal_code}: the {name} attack lands {error_km:.2f} km from "
                f"the address, the town centre is {town_km:.2f} km from it"
            )
