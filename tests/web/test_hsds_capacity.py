"""#26: capacity travels as HSDS 3.1 ``service_capacity`` with its ``unit``, in the export
and in the HSDS API, carrying the time the partner stated it; a feed's capacity is not
read but reported as not kept, with why."""

from __future__ import annotations

from datetime import datetime

from frictionless import validate

from app.extensions import db
from directory.hsds.importing import load
from tests.factories import ServiceFactory
from tests.web.test_hsds import assert_valid, export, read_csv, schema

STATED = datetime(2026, 12, 1, 9, 30)  # naive UTC, as stored


def _shelter_with_beds():
    return ServiceFactory(
        name="Harbor beds",
        category="shelter.adults_hte",
        capacity_unit="beds",
        capacity_available=3,
        capacity_maximum=10,
        capacity_updated_at=STATED,
    )


def test_export_writes_service_capacity_and_units_as_hsds_3_1(tmp_path, app):
    shelter = _shelter_with_beds()
    ServiceFactory(name="No count stated", category="health.free_clinic")
    db.session.commit()
    folder = export(tmp_path)

    report = validate(str(folder / "datapackage.json"))
    assert report.valid, [e.message for t in report.tasks for e in t.errors][:5]

    units = read_csv(folder / "units.csv")
    bed = next(u for u in units if u["identifier"] == "beds")
    assert bed["name"] == "Bed"
    assert {u["identifier"] for u in units} == {"beds", "appointments", "cases", "places"}

    rows = read_csv(folder / "service_capacity.csv")
    assert len(rows) == 1  # the service with no count stated has none: not "0 free"
    (row,) = rows
    assert row["service_id"] == shelter.hsds_id
    assert row["unit_id"] == bed["id"]
    assert (row["available"], row["maximum"]) == ("3", "10")
    assert row["updated"] == "2026-12-01T09:30:00Z"  # the partner's time, not the export's


def test_hsds_api_nests_capacities_with_their_unit(client, token, app):
    shelter = _shelter_with_beds()
    plain = ServiceFactory(name="No count stated", category="health.free_clinic")
    db.session.commit()
    headers = token("viewer")

    full = client.get(f"/api/hsds/services/{shelter.hsds_id}", headers=headers).get_json()
    assert_valid(schema("service"), full)  # still a valid HSDS 3.0 service
    (capacity,) = full["capacities"]
    assert capacity["available"] == 3
    assert capacity["maximum"] == 10
    assert capacity["updated"] == "2026-12-01T09:30:00Z"
    assert capacity["unit"]["name"] == "Bed"
    assert capacity["unit"]["id"] == capacity["unit_id"]

    other = client.get(f"/api/hsds/services/{plain.hsds_id}", headers=headers).get_json()
    assert "capacities" not in other


def test_a_packages_capacity_is_reported_not_kept_with_why(tmp_path, app):
    _shelter_with_beds()
    db.session.commit()
    folder = export(tmp_path)
    report = load.import_package(db.session, folder)
    db.session.commit()
    why = report.as_dict()["not_kept"]
    assert why["service_capacity.*"] == (
        "capacity is what the partner states here, not read from a feed"
    )
    assert why["units.*"] == why["service_capacity.*"]


def test_the_public_feed_never_carries_a_withheld_places_capacity(client, app):
    """Free beds of a shelter at a confidential place, polled, would say when someone
    arrived there: the public feed (``HSDS_PUBLIC``) leaves its capacity out, and keeps a
    public place's."""
    from tests.factories import LocationFactory

    app.config["HSDS_PUBLIC"] = True
    hidden = LocationFactory(confidential=True)
    shelter = ServiceFactory(
        organization=hidden.organization,
        location=hidden,
        category="shelter.adults_hte",
        capacity_unit="beds",
        capacity_available=1,
        capacity_maximum=6,
        capacity_updated_at=STATED,
    )
    pantry = _shelter_with_beds()  # at a public place
    db.session.commit()
    seen = client.get(f"/api/hsds/services/{shelter.hsds_id}")
    assert seen.status_code == 200
    assert "capacities" not in seen.get_json()
    assert client.get(f"/api/hsds/services/{pantry.hsds_id}").get_json()["capacities"]
