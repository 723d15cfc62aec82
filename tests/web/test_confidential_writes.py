"""Issue #32: a confidential place stays withheld whatever writes to it, and every free-text
detail of a withheld place (accessibility, a place's description) stays with it.

Reproductions of two leaks: a coordinator's ``PATCH`` of a shelter's street without the
``confidential`` key published it (the nested schema defaulted the flag to false), and a
hidden place's accessibility text went out in the HSDS export, both HSDS APIs and the
directory API."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent
from directory.hsds import export as hsds_export
from directory.models import Location, Service, ServiceAtLocation
from tests.factories import LocationFactory, ServiceFactory

SECRET_STREET = "12 Hidden Lane"
SECRET_POSTAL = "60699"
RAMP = "Ramp at the back door on Quarry Road"
SAL_NOTE = "Side entrance beside the laundromat"


@pytest.fixture
def shelter(app):
    """A shelter at a confidential place, with accessibility text and a second (withheld)
    place with its own description."""
    loc = LocationFactory(
        address_1=SECRET_STREET,
        postal_code=SECRET_POSTAL,
        city="Joliet",
        latitude=41.5251,
        longitude=-88.0817,
        confidential=True,
    )
    service = ServiceFactory(
        organization=loc.organization,
        location=loc,
        category="shelter.adults_hte",
        name="Safe house",
        accessibility=RAMP,
    )
    other = LocationFactory(organization=loc.organization, confidential=True, city="Aurora")
    db.session.add(
        ServiceAtLocation(service_id=service.id, location_id=other.id, description=SAL_NOTE)
    )
    db.session.commit()
    return service


def _read(client, headers, service_id):
    response = client.get(f"/api/v1/services/{service_id}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_patch_of_the_street_without_the_flag_keeps_the_shelter_withheld(client, token, shelter):
    coordinator = token("coordinator")
    version = _read(client, coordinator, shelter.id)["version"]
    response = client.patch(
        f"/api/v1/services/{shelter.id}",
        json={"location": {"address_1": "12 New Road", "city": "Joliet"}, "version": version},
        headers=coordinator,
    )
    assert response.status_code == 200, response.get_json()
    seen = _read(client, token("viewer"), shelter.id)
    assert seen["confidential_location"] is True
    assert seen["address"] is None
    text = json.dumps(seen)
    for secret in ("12 New Road", SECRET_POSTAL, "41.525", "-88.08"):
        assert secret not in text
    stored = db.session.get(Location, db.session.get(Service, shelter.id).location_id)
    assert stored.address_1 == "12 New Road"  # the edit itself was made
    assert stored.postal_code == SECRET_POSTAL  # and a key left out kept its value
    assert stored.confidential is True


def test_a_patch_that_leaves_out_a_nested_key_keeps_it(client, token, app):
    service = ServiceFactory()
    coordinator = token("coordinator")
    version = _read(client, coordinator, service.id)["version"]
    response = client.patch(
        f"/api/v1/services/{service.id}",
        json={"location": {"address_1": "1 Other Street"}, "version": version},
        headers=coordinator,
    )
    assert response.status_code == 200, response.get_json()
    loc = db.session.get(Service, service.id).location
    assert (loc.address_1, loc.city, loc.postal_code) == ("1 Other Street", "Chicago", "60601")


def test_publishing_a_withheld_place_needs_the_flag_said_and_is_audited(client, token, shelter):
    coordinator = token("coordinator")
    version = _read(client, coordinator, shelter.id)["version"]
    response = client.patch(
        f"/api/v1/services/{shelter.id}",
        json={"location": {"confidential": False}, "version": version},
        headers=coordinator,
    )
    assert response.status_code == 200, response.get_json()
    assert _read(client, token("viewer"), shelter.id)["confidential_location"] is False
    entries = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "publish")).all()
    assert [(e.object_type, e.object_id) for e in entries] == [
        ("locations", str(shelter.location_id))
    ]
    assert entries[0].actor == "coordinator@test.example"


def test_a_partial_location_on_a_service_without_one_still_needs_a_place(client, token, app):
    service = ServiceFactory(location=None)
    coordinator = token("coordinator")
    version = _read(client, coordinator, service.id)["version"]
    response = client.patch(
        f"/api/v1/services/{service.id}",
        json={"location": {"address_2": "Suite 4"}, "version": version},
        headers=coordinator,
    )
    assert response.status_code == 422
    assert "location" in response.get_json()["errors"]


def test_half_a_point_in_a_patch_is_refused(client, token, shelter):
    coordinator = token("coordinator")
    version = _read(client, coordinator, shelter.id)["version"]
    response = client.patch(
        f"/api/v1/services/{shelter.id}",
        json={"location": {"latitude": 41.6}, "version": version},
        headers=coordinator,
    )
    assert response.status_code == 422


@pytest.mark.parametrize("role", ["viewer", "case_manager"])
def test_a_withheld_places_text_is_not_in_the_directory_api(client, token, shelter, role):
    seen = _read(client, token(role), shelter.id)
    assert seen["accessibility"] is None
    text = json.dumps(seen)
    assert RAMP not in text
    assert SAL_NOTE not in text
    listed = client.get("/api/v1/services", query_string={"q": "Safe house"}, headers=token(role))
    assert RAMP not in listed.get_data(as_text=True)


def test_a_coordinator_still_reads_the_withheld_places_text(client, token, shelter):
    seen = _read(client, token("coordinator"), shelter.id)
    assert seen["accessibility"] == RAMP
    assert SAL_NOTE in json.dumps(seen["other_locations"])


def test_a_withheld_places_text_is_not_on_the_service_page(client, login, shelter):
    login("viewer")
    page = client.get(f"/services/{shelter.id}").get_data(as_text=True)
    assert "Safe house" in page
    assert RAMP not in page
    assert SAL_NOTE not in page


def test_a_public_places_accessibility_is_shown(client, token, app):
    service = ServiceFactory(accessibility="Step-free entrance")
    assert _read(client, token("viewer"), service.id)["accessibility"] == "Step-free entrance"
    out = client.get(f"/api/hsds/services/{service.hsds_id}", headers=token("viewer"))
    assert "Step-free entrance" in out.get_data(as_text=True)


@pytest.mark.parametrize("public", [False, True])
def test_a_withheld_places_text_is_not_in_the_hsds_api(client, token, app, shelter, public):
    app.config["HSDS_PUBLIC"] = public
    headers = {} if public else token("viewer")
    for path in (
        f"/api/hsds/services/{shelter.hsds_id}",
        "/api/hsds/services?full=true",
        "/api/hsds/service_at_locations?full=true",
        "/api/hsds/service_at_locations",
    ):
        response = client.get(path, headers=headers)
        assert response.status_code == 200, (path, response.get_data(as_text=True))
        body = response.get_data(as_text=True)
        for secret in (RAMP, SAL_NOTE, SECRET_STREET):
            assert secret not in body, path
    # nor can a filter on the field tell which hidden place has such text
    terms = client.get("/api/hsds/taxonomy_terms?per_page=100", headers=headers).get_json()
    field = next(t for t in terms["contents"] if t["code"] == "accessibility")
    found = client.get(
        "/api/hsds/services", query_string={"taxonomy_term_id": field["id"]}, headers=headers
    ).get_json()
    assert shelter.hsds_id not in {s["id"] for s in found["contents"]}


def test_a_withheld_places_text_is_not_in_the_hsds_export(client, token, shelter, tmp_path):
    coordinator = token("coordinator")
    version = _read(client, coordinator, shelter.id)["version"]
    response = client.patch(  # an edit of the text: the change history is exported too
        f"/api/v1/services/{shelter.id}",
        json={"accessibility": RAMP + " (new)", "version": version},
        headers=coordinator,
    )
    assert response.status_code == 200
    folder = tmp_path / "out"
    hsds_export.export_package(db.session, folder)
    for path in Path(folder).glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as fh:
            text = "\n".join(",".join(row) for row in csv.reader(fh))
        assert "Ramp at the back door" not in text, path.name
        assert SAL_NOTE not in text, path.name
        assert SECRET_STREET not in text, path.name


def test_a_withheld_places_text_is_not_on_a_sheet_or_csv(client, login, shelter):
    login("viewer")
    for path in ("/sheets/directory", "/sheets/directory.csv"):
        response = client.get(path, query_string={"category": "shelters"})
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert "Safe house" in body or path.endswith(".csv")
        for secret in (RAMP, SAL_NOTE, SECRET_STREET):
            assert secret not in body
