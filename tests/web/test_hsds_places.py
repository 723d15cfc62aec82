"""The HSDS API's ``/service_at_locations`` lists one row per place a service is given at
(issues #21, #17): every stored ``service_at_location`` and the primary place of a service
no stored place is at, with the ids the export writes, each with its own hours there
(else the service's), and a confidential place's address withheld."""

from __future__ import annotations

import csv
import json
import uuid
from datetime import UTC, datetime

import pytest

from app.extensions import db
from directory.hsds import export as hsds_export
from directory.hsds import mapping
from directory.models import Location
from directory.service_locations import ServiceAtLocation, ServiceAtLocationHours
from tests.factories import HoursFactory, LocationFactory, OrganizationFactory, ServiceFactory

# ids a package gave the stored places (kept as the source gave them)
SAL_CLINIC_A = "0b6d6a52-0d53-4a53-9d36-2f9a0d6f0a01"
SAL_CLINIC_B = "0b6d6a52-0d53-4a53-9d36-2f9a0d6f0a02"
SAL_PANTRY_B = "0b6d6a52-0d53-4a53-9d36-2f9a0d6f0a03"
HIDDEN = {"street": "77 Hidden Lane", "postal": "60612", "lat": 41.87111, "lon": -87.67222}
NS = uuid.UUID("5a3f8f0e-3c55-4d2e-9a55-7b2f0c6d1e01")  # the export's namespace, as documented


@pytest.fixture
def places(app):
    """Three places of one organization: A in the Loop, B in Evanston (18 km north), C a
    confidential shelter. "Clinic" is at A (its primary, stored) and B (stored, with hours
    of its own there); "Pantry" is at A (primary, not stored) and B (stored); "Shelter"
    only at C (primary, not stored)."""
    org = OrganizationFactory(name="Places Organization")
    a = LocationFactory(organization=org, name="Loop office", latitude=41.8839, longitude=-87.6270)
    b = LocationFactory(
        organization=org,
        name="Evanston office",
        city="Evanston",
        postal_code="60201",
        latitude=42.0451,
        longitude=-87.6877,
    )
    c = LocationFactory(
        organization=org,
        name="Safe house",
        address_1=HIDDEN["street"],
        postal_code=HIDDEN["postal"],
        latitude=HIDDEN["lat"],
        longitude=HIDDEN["lon"],
        confidential=True,
    )
    clinic = ServiceFactory(
        organization=org, location=a, name="Clinic", category="health.free_clinic"
    )
    pantry = ServiceFactory(organization=org, location=a, name="Pantry", category="food")
    shelter = ServiceFactory(
        organization=org, location=c, name="Shelter", category="shelter.adults_hte"
    )
    HoursFactory(service=clinic, weekday=0, opens=9 * 60, closes=17 * 60)  # Mon 9-17
    db.session.add_all(
        [
            ServiceAtLocation(hsds_id=SAL_CLINIC_A, service_id=clinic.id, location_id=a.id),
            ServiceAtLocation(
                hsds_id=SAL_CLINIC_B,
                service_id=clinic.id,
                location_id=b.id,
                description="Thursdays only in Evanston",
            ),
            ServiceAtLocation(hsds_id=SAL_PANTRY_B, service_id=pantry.id, location_id=b.id),
        ]
    )
    db.session.commit()
    at_b = db.session.query(ServiceAtLocation).filter_by(hsds_id=SAL_CLINIC_B).one()
    db.session.add(ServiceAtLocationHours(sal_id=at_b.id, weekday=3, opens=600, closes=840))
    db.session.commit()
    return {
        "clinic": clinic.hsds_id,
        "pantry": pantry.hsds_id,
        "shelter": shelter.hsds_id,
        "a": a.hsds_id,
        "b": b.hsds_id,
        "c": c.hsds_id,
        "b_key": b.id,
    }


def _derived_primary(service_hsds: str) -> str:
    """The id the export has always given a service's primary place (uuid5, by hand)."""
    return str(uuid.uuid5(NS, f"{service_hsds}/sal/"))


def _pages(client, headers, query: str = "", per_page: int = 2) -> tuple[list[dict], list]:
    rows, bodies, page = [], [], 1
    while True:
        response = client.get(
            f"/api/hsds/service_at_locations?per_page={per_page}&page={page}{query}",
            headers=headers,
        )
        assert response.status_code == 200, response.text
        body = response.get_json()
        bodies.append(body)
        rows += body["contents"]
        if body["last_page"]:
            return rows, bodies
        page += 1


def test_a_service_at_two_places_is_two_rows_each_with_its_hours_and_the_export_ids(
    client, token, places, tmp_path
):
    headers = token("viewer")
    rows, bodies = _pages(client, headers)
    # Clinic@A, Clinic@B, Pantry@A (derived), Pantry@B, Shelter@C (derived): 5 rows,
    # 3 pages of 2; ordered by service name, the primary place first
    assert [b["total_items"] for b in bodies] == [5, 5, 5]
    assert [b["total_pages"] for b in bodies] == [3, 3, 3]
    assert [b["size"] for b in bodies] == [2, 2, 1]
    expected = [
        (SAL_CLINIC_A, places["clinic"], places["a"]),
        (SAL_CLINIC_B, places["clinic"], places["b"]),
        (_derived_primary(places["pantry"]), places["pantry"], places["a"]),
        (SAL_PANTRY_B, places["pantry"], places["b"]),
        (_derived_primary(places["shelter"]), places["shelter"], places["c"]),
    ]
    assert [(r["id"], r["service_id"], r["location_id"]) for r in rows] == expected

    by_id = {r["id"]: r for r in rows}
    # at A the clinic keeps its own hours: Monday 09:00-17:00, a schedule of the service
    at_a = by_id[SAL_CLINIC_A]["schedules"]
    assert [(s["byday"], s["opens_at"], s["closes_at"]) for s in at_a] == [
        ("MO", "09:00:00", "17:00:00")
    ]
    assert at_a[0]["service_id"] == places["clinic"]
    # at B the hours it keeps there: Thursday 10:00-14:00 (600 and 840 minutes)
    at_b = by_id[SAL_CLINIC_B]["schedules"]
    assert [(s["byday"], s["opens_at"], s["closes_at"]) for s in at_b] == [
        ("TH", "10:00:00", "14:00:00")
    ]
    assert at_b[0]["service_at_location_id"] == SAL_CLINIC_B
    assert by_id[SAL_CLINIC_B]["description"] == "Thursdays only in Evanston"
    assert by_id[SAL_CLINIC_B]["location"]["name"] == "Evanston office"
    assert "schedules" not in by_id[SAL_PANTRY_B]  # no hours at all: none invented

    # the export writes the same places with the same ids
    folder = tmp_path / "pkg"
    hsds_export.export_package(db.session, folder)
    with (folder / "service_at_location.csv").open(newline="") as fh:
        exported = {(r["id"], r["service_id"], r["location_id"]) for r in csv.DictReader(fh)}
    assert exported == set(expected)
    with (folder / "schedules.csv").open(newline="") as fh:
        at_place = [r for r in csv.DictReader(fh) if r["service_at_location_id"]]
    assert [(r["service_at_location_id"], r["byday"], r["opens_at"]) for r in at_place] == [
        (SAL_CLINIC_B, "TH", "10:00:00")
    ]

    # every id the list gives answers on its own, with the same place and hours
    for sal, service, location in expected:
        one = client.get(f"/api/hsds/service_at_locations/{sal}", headers=headers)
        assert one.status_code == 200, (sal, one.text)
        body = one.get_json()
        assert (body["id"], body["service_id"], body["location_id"]) == (sal, service, location)
        assert body.get("schedules") == by_id[sal].get("schedules")
    # and the full service nests its two places
    clinic = client.get(f"/api/hsds/services/{places['clinic']}", headers=headers).get_json()
    assert [p["id"] for p in clinic["service_at_locations"]] == [SAL_CLINIC_A, SAL_CLINIC_B]


def test_an_unknown_id_is_a_404_in_json(client, token, places):
    response = client.get(
        "/api/hsds/service_at_locations/00000000-0000-4000-8000-000000000000",
        headers=token("viewer"),
    )
    assert response.status_code == 404
    assert response.get_json()["code"] == 404


def test_a_confidential_place_keeps_its_address_out(client, token, places):
    headers = token("coordinator")  # even a coordinator: the API is what leaves the app
    listing = client.get("/api/hsds/service_at_locations?per_page=50", headers=headers).text
    sal = _derived_primary(places["shelter"])
    one = client.get(f"/api/hsds/service_at_locations/{sal}", headers=headers)
    assert one.status_code == 200
    shelter = client.get(f"/api/hsds/services/{places['shelter']}", headers=headers).text
    for text in (listing, one.text, shelter):
        for secret in (HIDDEN["street"], HIDDEN["postal"], "41.87111", "-87.67222"):
            assert secret not in text
    location = one.get_json()["location"]
    assert location["name"] == "Safe house"
    assert "addresses" not in location
    assert "latitude" not in location


def test_filters_apply_to_each_place(client, token, places):
    headers = token("viewer")
    # a point in Evanston, 2 km: the places at B only (A is 18 km away)
    near_b, _ = _pages(client, headers, "&lat=42.0451&lon=-87.6877&proximity=2000")
    assert [r["id"] for r in near_b] == [SAL_CLINIC_B, SAL_PANTRY_B]
    # a category: both places of the clinic
    term = mapping.term_id("health.free_clinic")
    clinic, bodies = _pages(client, headers, f"&taxonomy_term_id={term}")
    assert [r["id"] for r in clinic] == [SAL_CLINIC_A, SAL_CLINIC_B]
    assert bodies[0]["total_items"] == 2
    # organization and search combine as AND
    pantry, _ = _pages(client, headers, "&search=Pantry")
    assert [r["id"] for r in pantry] == [_derived_primary(places["pantry"]), SAL_PANTRY_B]


def test_modified_after_lists_the_places_whose_location_changed(client, token, places):
    headers = token("viewer")
    since = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    evanston = db.session.get(Location, places["b_key"])
    evanston.name = "Evanston office (moved upstairs)"
    db.session.commit()
    rows, _ = _pages(client, headers, f"&modified_after={since}")
    assert [r["id"] for r in rows] == [SAL_CLINIC_B, SAL_PANTRY_B]
    # the services given there changed too, for a client syncing services
    services = client.get(
        f"/api/hsds/services?modified_after={since}&per_page=50", headers=headers
    ).get_json()
    assert sorted(s["name"] for s in services["contents"]) == ["Clinic", "Pantry"]


def test_ndjson_gives_every_place_unpaged(client, token, places):
    response = client.get("/api/hsds/service_at_locations?format=ndjson", headers=token("viewer"))
    ids = [json.loads(line)["id"] for line in response.text.splitlines()]
    assert len(ids) == 5
    assert len(set(ids)) == 5
