"""Creating and editing organizations and services through the API: validation errors that
name the field, optimistic locking (409), verification and deactivation."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent
from directory.models import Organization, Service
from tests.factories import OrganizationFactory, ServiceFactory


@pytest.fixture
def coord(client, token):
    headers = token("coordinator")

    def call(method, url, json=None):
        return client.open(url, method=method, json=json, headers=headers)

    return call


def service_body(org_id, **overrides):
    body = {
        "organization_id": org_id,
        "name": "Walk-in legal clinic",
        "category": "legal.aid",
        "languages": ["es", "eng", "tir"],
        "phones": [{"number": "(312) 555-0142", "kind": "voice"}],
        "hours": [
            {"weekday": "Mon", "opens": "09:00", "closes": "17:00"},
            {"weekday": "Fri", "opens": "20:00", "closes": "02:00"},
        ],
        "location": {
            "address_1": "1 Test Plaza",
            "city": "Chicago",
            "region": "IL",
            "postal_code": "60601",
            "latitude": 41.88,
            "longitude": -87.63,
        },
        "handoff_name": "Ana (test)",
        "handoff_phone": "+1 312 555 0143",
        "min_age": 16,
        "genders": ["female", "nonbinary"],
        "modalities": ["in_person", "phone"],
    }
    body.update(overrides)
    return body


def test_create_service_normalizes_and_indexes(coord):
    org = OrganizationFactory()
    response = coord("POST", "/api/v1/services", service_body(org.id))
    assert response.status_code == 201, response.get_json()
    item = response.get_json()
    assert item["languages"] == ["es", "en", "ti"]
    assert item["phones"] == [
        {"number": "+13125550142", "kind": "voice", "extension": None, "label": None}
    ]
    assert item["handoff"]["phone"] == "+13125550143"
    assert item["hours"]["timezone"] == "America/Chicago"  # from the coordinates
    assert item["hours"]["summary"] == "Mon 09:00–17:00; Fri 20:00–02:00"
    assert item["eligibility"]["genders"] == ["female", "nonbinary"]
    assert item["address"]["city"] == "Chicago"
    found = coord("GET", "/api/v1/services?q=clinic&language=tir").get_json()
    assert [i["id"] for i in found["items"]] == [item["id"]]


def test_validation_errors_name_each_field(coord):
    org = OrganizationFactory()
    body = service_body(
        org.id,
        category="shelter.castle",
        languages=["xx"],
        min_age=30,
        max_age=20,
        phones=[{"number": "12", "kind": "pager"}],
        hours=[{"weekday": "Funday", "opens": "25:00", "closes": "17:00"}],
    )
    del body["name"]
    response = coord("POST", "/api/v1/services", body)
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert set(errors) >= {"name", "category", "languages", "phones", "hours"}
    assert "Missing data" in errors["name"][0]
    assert "shelter.children" in errors["category"][0]  # lists what is accepted
    assert "xx" in errors["languages"][0]
    assert set(errors["phones"]["0"]) == {"number", "kind"}
    assert set(errors["hours"]["0"]) >= {"weekday"}
    assert db.session.scalar(select(func.count()).select_from(Service)) == 0


def test_ages_checked_together(coord):
    org = OrganizationFactory()
    response = coord("POST", "/api/v1/services", service_body(org.id, min_age=30, max_age=20))
    assert response.status_code == 422
    assert "max_age" in response.get_json()["errors"]


def test_unknown_organization_is_named(coord):
    response = coord("POST", "/api/v1/services", service_body(987654))
    assert response.status_code == 422
    assert "organization_id" in response.get_json()["errors"]


def test_patch_needs_version_and_stale_version_is_409(coord):
    service = ServiceFactory(name="Original")
    read = coord("GET", f"/api/v1/services/{service.id}").get_json()
    missing = coord("PATCH", f"/api/v1/services/{service.id}", {"name": "No version"})
    assert missing.status_code == 422
    assert "version" in missing.get_json()["errors"]
    first = coord(
        "PATCH",
        f"/api/v1/services/{service.id}",
        {"name": "First editor", "version": read["version"]},
    )
    assert first.status_code == 200
    assert first.get_json()["version"] == read["version"] + 1
    second = coord(
        "PATCH",
        f"/api/v1/services/{service.id}",
        {"name": "Second editor", "version": read["version"]},
    )
    assert second.status_code == 409
    assert second.get_json()["code"] == 409
    db.session.expire_all()
    assert db.session.get(Service, service.id).name == "First editor"


def test_patch_changes_only_given_fields(coord):
    service = ServiceFactory(name="Keep", description="Keep this", languages="en es")
    response = coord(
        "PATCH", f"/api/v1/services/{service.id}", {"walk_in": True, "version": service.version}
    )
    assert response.status_code == 200
    item = response.get_json()
    assert item["walk_in"] is True
    assert item["name"] == "Keep"
    assert item["description"] == "Keep this"
    assert item["languages"] == ["en", "es"]


def test_verify_stamps_today_and_verifier(coord, users):
    service = ServiceFactory()
    response = coord("POST", f"/api/v1/services/{service.id}/verify")
    assert response.status_code == 200
    assert response.get_json()["last_verified"] == date.today().isoformat()
    db.session.expire_all()
    assert db.session.get(Service, service.id).verified_by_id == users["coordinator"].id


def test_delete_deactivates_and_hides_from_search(coord):
    service = ServiceFactory(name="Gone soon")
    assert coord("DELETE", f"/api/v1/services/{service.id}").status_code == 204
    assert coord("GET", "/api/v1/services").get_json()["total"] == 0
    assert coord("GET", f"/api/v1/services/{service.id}").get_json()["status"] == "inactive"


def test_organization_crud_and_audit(coord):
    response = coord(
        "POST",
        "/api/v1/organizations",
        {
            "name": "New Partner",
            "kind": "ngo",
            "website": "https://partner.example.org",
            "phones": [{"number": "312-555-0150"}],
        },
    )
    assert response.status_code == 201, response.get_json()
    org = response.get_json()
    assert org["phones"][0]["number"] == "+13125550150"
    bad = coord(
        "POST",
        "/api/v1/organizations",
        {"name": "X", "kind": "cult", "website": "javascript:alert(1)"},
    )
    assert bad.status_code == 422
    assert set(bad.get_json()["errors"]) == {"name", "kind", "website"}
    patched = coord(
        "PATCH",
        f"/api/v1/organizations/{org['id']}",
        {"name": "Renamed Partner", "version": org["version"]},
    )
    assert patched.status_code == 200
    stale = coord(
        "PATCH",
        f"/api/v1/organizations/{org['id']}",
        {"name": "Lost edit", "version": org["version"]},
    )
    assert stale.status_code == 409
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.object_type == "organizations", AuditEvent.object_id == str(org["id"]))
        .order_by(AuditEvent.id)
    ).all()
    assert [e.action for e in events] == ["create", "update"]
    assert events[1].changes["name"] == ["New Partner", "Renamed Partner"]
    assert events[1].actor == "coordinator@test.example"
    assert db.session.get(Organization, org["id"]).name == "Renamed Partner"


def test_categories_endpoint_lists_every_code_in_order(client, token):
    response = client.get("/api/v1/categories", headers=token("viewer"))
    codes = [c["code"] for c in response.get_json()]
    assert codes[0] == "interpreter"
    assert codes[-1] == "international"
    assert len(codes) == 43
    assert {"code": "hotline.suicide", "label": "Suicide hotline", "group": "hotlines"} in (
        response.get_json()
    )


def test_openapi_document_lists_the_endpoints(client, token):
    spec = client.get("/api/v1/openapi.json", headers=token("viewer")).get_json()
    for path in (
        "/api/v1/services",
        "/api/v1/services/{service_id}",
        "/api/v1/services/{service_id}/verify",
        "/api/v1/organizations",
        "/api/v1/organizations/{org_id}",
        "/api/v1/categories",
    ):
        assert path in spec["paths"], path
    params = {p["name"] for p in spec["paths"]["/api/v1/services"]["get"]["parameters"]}
    assert params >= {
        "q",
        "category",
        "language",
        "near",
        "lat",
        "lon",
        "radius_km",
        "open_now",
        "open_at",
        "age",
        "gender",
        "free",
        "undocumented_ok",
        "no_id_required",
        "walk_in",
        "modality",
        "page",
        "per_page",
    }
