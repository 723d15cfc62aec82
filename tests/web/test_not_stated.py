"""Unknown is not yes (#21): eligibility, cost and access facts are stated yes, stated no, or
not stated; nothing turns a missing fact into a claim, and the filters match statements."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from directory.hsds import export as hsds_export
from directory.hsds.importing import load
from directory.models import Service
from tests.factories import ServiceFactory

FACTS = (
    "cost",
    "immigration_status",
    "victim_id_required",
    "walk_in",
    "appointment_required",
    "modalities",
    "genders",
    "interpreter_available",
    "care_type",
)


@pytest.fixture
def api(client, token):
    headers = token("viewer")

    def get(**params):
        response = client.get("/api/v1/services", query_string=params, headers=headers)
        assert response.status_code == 200, response.get_json()
        return sorted(item["name"] for item in response.get_json()["items"])

    return get


def test_each_filter_matches_explicit_statements_only(api):
    ServiceFactory(
        name="Stated yes",
        cost="free",
        immigration_status="any",
        victim_id_required=False,
        walk_in=True,
        modalities="in_person phone",
    )
    ServiceFactory(
        name="Stated no",
        cost="fee",
        immigration_status="documented_only",
        victim_id_required=True,
        walk_in=False,
        modalities="video",
    )
    ServiceFactory(name="Not stated")
    assert api(free="true") == ["Stated yes"]
    assert api(undocumented_ok="true") == ["Stated yes"]
    assert api(no_id_required="true") == ["Stated yes"]
    assert api(walk_in="true") == ["Stated yes"]
    assert api(modality="phone") == ["Stated yes"]
    assert api() == ["Not stated", "Stated no", "Stated yes"]


def test_a_service_made_without_the_facts_states_none_of_them(client, token):
    headers = token("coordinator")
    org = client.post(
        "/api/v1/organizations", json={"name": "Quiet Org"}, headers=headers
    ).get_json()
    made = client.post(
        "/api/v1/services",
        json={"organization_id": org["id"], "name": "Quiet service", "category": "food"},
        headers=headers,
    )
    assert made.status_code == 201, made.get_json()
    item = made.get_json()
    assert item["cost"]["kind"] is None
    assert item["eligibility"]["immigration_status"] is None
    assert item["eligibility"]["victim_id_required"] is None
    assert item["eligibility"]["genders"] is None
    assert item["walk_in"] is None
    assert item["appointment_required"] is None
    assert item["modalities"] is None
    assert item["interpreter_available"] is None
    assert item["care_type"] is None
    service = db.session.get(Service, item["id"])
    assert all(getattr(service, fact) is None for fact in FACTS)


def test_a_stated_no_is_kept_and_null_makes_it_not_stated_again(client, token):
    headers = token("coordinator")
    s = ServiceFactory(walk_in=False, cost="fee")
    item = client.get(f"/api/v1/services/{s.id}", headers=headers).get_json()
    assert item["walk_in"] is False  # a stated "no" is not "not stated"
    assert item["cost"]["kind"] == "fee"
    patched = client.patch(
        f"/api/v1/services/{s.id}",
        json={"walk_in": None, "cost": None, "version": item["version"]},
        headers=headers,
    ).get_json()
    assert patched["walk_in"] is None
    assert patched["cost"]["kind"] is None


def test_the_edit_form_offers_not_stated_and_keeps_it(client, login):
    login("coordinator")
    s = ServiceFactory(walk_in=True, cost="free", genders="female")
    page = client.get(f"/services/{s.id}/edit").get_data(as_text=True)
    assert '<option value="">Not stated (ask)</option>' in page
    form = {
        "organization_id": s.organization_id,
        "name": s.name,
        "category": s.category,
        "version": s.version,
        "walk_in": "",  # the coordinator changes "yes" to "not stated"
        "cost": "free",
        "location.city": "Chicago",
    }
    response = client.post(f"/services/{s.id}/edit", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    saved = db.session.get(Service, s.id)
    assert saved.walk_in is None
    assert saved.cost == "free"
    assert saved.genders is None  # no box ticked: not stated, not "everyone"


def test_pages_say_not_stated(client, login):
    login("viewer")
    s = ServiceFactory(name="Quiet")
    page = client.get(f"/services/{s.id}").get_data(as_text=True)
    assert page.count("Not stated (ask)") >= 6  # cost, immigration, victim ID, walk-in...
    results = client.get("/", query_string={"q": "Quiet"}).get_data(as_text=True)
    assert "not stated (ask)" in results


def _rows(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_hsds_export_writes_no_claim_and_import_invents_none(tmp_path, app):
    quiet = ServiceFactory(name="Quiet")
    ServiceFactory(name="Paid", cost="fee", walk_in=False)
    db.session.commit()
    folder = tmp_path / "pkg"
    hsds_export.export_package(db.session, folder)
    costs = _rows(folder / "cost_options.csv")
    assert [c["option"] for c in costs] == ["fee"]  # nothing says the quiet one is free
    attributes = _rows(folder / "attributes.csv")
    quiet_facts = {a["value"] for a in attributes if a["link_id"] == quiet.hsds_id}
    assert quiet_facts == {"food"}  # its category only
    walk_in = [a for a in attributes if a["value"] == "false"]
    assert len(walk_in) == 1  # the stated "no" travels
    db.session.execute(Service.__table__.delete())
    db.session.commit()
    load.import_package(db.session, folder)
    db.session.commit()
    got = {s.name: s for s in db.session.scalars(select(Service))}
    assert all(getattr(got["Quiet"], fact) is None for fact in FACTS)
    assert got["Paid"].cost == "fee"
    assert got["Paid"].walk_in is False
    assert got["Paid"].immigration_status is None


def test_an_uncategorized_service_is_listed_printed_and_flagged(client, login, api, app):
    ServiceFactory(name="Filed", category="food")
    odd = ServiceFactory(name="Imported, no category", category=None)
    db.session.commit()
    assert api() == ["Filed", "Imported, no category"]  # listed without a category filter
    assert api(category="food") == ["Filed"]
    login("coordinator")
    review = client.get("/review").get_data(as_text=True)
    assert "no Section V category" in review
    sheet = client.get("/sheets/directory").get_data(as_text=True)
    assert "Other services" in sheet
    assert "Imported, no category" in sheet
    page = client.get(f"/services/{odd.id}").get_data(as_text=True)
    assert "Uncategorized" in page


def test_schedule_rows_without_times_import_as_unknown_not_all_day(tmp_path, app, api):
    from tests.factories import HoursFactory

    s = ServiceFactory(name="Drop-in")
    HoursFactory(service=s, weekday=0, opens=540, closes=1020)
    db.session.commit()
    folder = tmp_path / "pkg"
    hsds_export.export_package(db.session, folder)
    rows = _rows(folder / "schedules.csv")
    for row in rows:  # a 211's row: times only as text
        row.update(opens_at="", closes_at="", description="10:00am-11:00am AND 6:45pm")
    with (folder / "schedules.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    load.import_package(db.session, folder)
    db.session.commit()
    db.session.expire_all()
    got = db.session.scalar(select(Service).where(Service.name == "Drop-in"))
    assert [(h.weekday, h.opens, h.closes) for h in got.hours] == [(0, None, None)]
    assert got.hours_notes == "10:00am-11:00am AND 6:45pm"
    # Monday 03:00 in Chicago: before, the row became open 00:00-24:00
    assert api(open_at="2026-11-23T03:00") == []
    assert api(open_at="2026-11-23T10:30") == []
