"""Every HSDS fact has a home or is reported (#21): service and location details, postal
and physical addresses, phones and schedules of a location or a service at a location,
schedule rows without times, languages by code or name, the source's own taxonomy; each
imported (1.x and 3.0), shown (page and API), exported and round-tripped."""

from __future__ import annotations

import csv
import uuid
from pathlib import Path

from frictionless import validate
from sqlalchemy import func, select

from app.extensions import db
from directory.hsds import export as hsds_export
from directory.hsds.importing import load
from directory.models import Location, Organization, Phone, Service, SourceTerm
from tests.factories import LocationFactory, OrganizationFactory, ServiceFactory

SAMPLE = Path(__file__).parents[1] / "data" / "hsds-1.1-sample"
NS = uuid.UUID("6f0c5a52-0b8e-4b7e-8a43-3a1b2f9d0c11")


def uid(name: str) -> str:
    return str(uuid.uuid5(NS, name))


def write(folder: Path, table: str, rows: list[dict]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    columns = list(dict.fromkeys(k for r in rows for k in r))
    with (folder / f"{table}.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def read_csv(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


ORG, LEGAL, FOOD = uid("org"), uid("legal"), uid("food")
MAIN, ANNEX = uid("main"), uid("annex")


def package_3_0(folder: Path) -> Path:
    write(folder, "organizations", [{"id": ORG, "name": "Harbor Aid", "description": "Aid"}])
    write(
        folder,
        "services",
        [
            {
                "id": LEGAL,
                "organization_id": ORG,
                "name": "Harbor legal clinic",
                "alternate_name": "Harbor law desk",
                "status": "active",
                "url": "www.harbor.example/legal",
                "email": "legal@harbor.example",
                "application_process": "Call first, then bring papers",
                "wait_time": "About two weeks",
                "interpretation_services": "Phone interpreters in 200 languages",
            },
            {"id": FOOD, "organization_id": ORG, "name": "Harbor pantry", "status": "active"},
        ],
    )
    write(
        folder,
        "locations",
        [
            {
                "id": MAIN,
                "location_type": "physical",
                "organization_id": ORG,
                "name": "Main office",
                "alternate_name": "Harbor House",
                "description": "Second floor, blue door",
                "transportation": "Bus 12 to Dock Street",
                "latitude": "41.88",
                "longitude": "-87.63",
            },
            {"id": ANNEX, "location_type": "physical", "organization_id": ORG, "name": "Annex"},
        ],
    )
    write(
        folder,
        "service_at_location",
        [
            {"id": uid("sal1"), "service_id": LEGAL, "location_id": MAIN},
            {"id": uid("sal2"), "service_id": LEGAL, "location_id": ANNEX},
            {"id": uid("sal3"), "service_id": FOOD, "location_id": ANNEX},
        ],
    )
    address = {"city": "Chicago", "state_province": "IL", "country": "US"}
    write(
        folder,
        "addresses",
        [
            {
                "id": uid("a1"),
                "location_id": MAIN,
                "address_1": "1 Dock St",
                "postal_code": "60601",
                "address_type": "physical",
                **address,
            },
            {
                "id": uid("a2"),
                "location_id": MAIN,
                "address_1": "PO Box 77",
                "postal_code": "60690",
                "address_type": "postal",
                **address,
            },
            {
                "id": uid("a3"),
                "location_id": ANNEX,
                "address_1": "9 Pier Rd",
                "postal_code": "60602",
                "address_type": "physical",
                **address,
            },
        ],
    )
    write(
        folder,
        "phones",
        [
            {"id": uid("p1"), "location_id": MAIN, "number": "+13125550101", "type": "voice"},
            {"id": uid("p2"), "service_at_location_id": uid("sal3"), "number": "+13125550102"},
        ],
    )
    write(
        folder,
        "schedules",
        [
            {
                "id": uid("h1"),
                "location_id": ANNEX,
                "freq": "WEEKLY",
                "byday": "MO",
                "opens_at": "09:00",
                "closes_at": "17:00",
            },
            {
                "id": uid("h3"),
                "service_at_location_id": uid("sal2"),
                "freq": "WEEKLY",
                "byday": "SA",
                "opens_at": "10:00",
                "closes_at": "12:00",
            },
            {
                "id": uid("h2"),
                "service_id": LEGAL,
                "freq": "WEEKLY",
                "byday": "TU",
                "description": "Tuesday mornings, by appointment",
            },
        ],
    )
    write(
        folder,
        "languages",
        [
            {"id": uid("l1"), "service_id": LEGAL, "name": "Spanish (limited)"},
            {"id": uid("l2"), "service_id": LEGAL, "code": "fr"},
            {"id": uid("l3"), "service_id": LEGAL, "name": "Xyzzish"},
            {"id": uid("l4"), "location_id": ANNEX, "name": "Tigrinya"},
        ],
    )
    tax, basic, pantry = uid("tax"), uid("term-basic"), uid("term-pantry")
    write(folder, "taxonomies", [{"id": tax, "name": "211 LA", "description": "LA codes"}])
    write(
        folder,
        "taxonomy_terms",
        [
            {
                "id": basic,
                "code": "BD",
                "name": "Basic Needs",
                "description": "Basic",
                "taxonomy_id": tax,
            },
            {
                "id": pantry,
                "code": "BD-1800.6000",
                "name": "Food Pantries",
                "description": "Pantries",
                "parent_id": basic,
                "taxonomy_id": tax,
            },
        ],
    )
    write(
        folder,
        "attributes",
        [
            {
                "id": uid("at1"),
                "link_id": FOOD,
                "taxonomy_term_id": pantry,
                "link_type": "taxonomy",
                "link_entity": "service",
            }
        ],
    )
    return folder


def service(hsds_id: str) -> Service:
    return db.session.scalar(select(Service).where(Service.hsds_id == hsds_id))


def test_a_3_0_package_keeps_every_fact(app, tmp_path):
    report = load.import_package(db.session, package_3_0(tmp_path / "p"))
    db.session.commit()
    legal, food = service(LEGAL), service(FOOD)
    assert (legal.alternate_name, legal.url, legal.email) == (
        "Harbor law desk",
        "https://www.harbor.example/legal",
        "legal@harbor.example",
    )
    assert legal.application_process == "Call first, then bring papers"
    assert legal.wait_time == "About two weeks"
    # languages by code or name; a qualifier and an unknown name kept as notes
    assert set(legal.language_list) == {"es", "fr"}
    assert legal.language_note_list == [
        "Spanish (limited)",
        "Xyzzish",
        "Phone interpreters in 200 languages",
    ]
    assert legal.interpreter_available is True
    # a location's language is spoken by the services given there
    assert food.language_list == ["ti"]
    main = legal.location
    assert (main.hsds_id, main.description, main.transportation) == (
        MAIN,
        "Second floor, blue door",
        "Bus 12 to Dock Street",
    )
    assert main.alternate_name == "Harbor House"
    assert (main.address_1, main.postal_address_1, main.postal_postal_code) == (
        "1 Dock St",
        "PO Box 77",
        "60690",
    )
    assert [p.number for p in main.phones] == ["+13125550101"]
    # a service-at-location's phone is its service's; a location's hours are its services'
    assert [p.number for p in food.phones] == ["+13125550102"]
    assert [(h.weekday, h.opens, h.closes) for h in food.hours] == [(0, 540, 1020)]
    # a schedule row without times: open that day, times unknown, the text kept
    assert [(h.weekday, h.opens) for h in legal.hours] == [(1, None)]
    assert legal.hours_notes == "Tuesday mornings, by appointment"
    assert [(t.code, t.name) for t in food.terms] == [("BD-1800.6000", "Food Pantries")]
    pantry = db.session.scalar(select(SourceTerm).where(SourceTerm.code == "BD-1800.6000"))
    assert pantry.parent_hsds_id == uid("term-basic")
    # a service at two places: the primary one (search's) and the other, with its own hours
    assert [
        (p.location.hsds_id, [(h.weekday, h.opens) for h in p.hours]) for p in legal.at_locations
    ] == [
        (MAIN, []),
        (ANNEX, [(5, 600)]),
    ]
    assert [p.hsds_id for p in food.at_locations] == [uid("sal3")]
    assert not report.left_out
    for column in ("services.url", "services.wait_time", "locations.transportation"):
        assert column not in report.not_kept


def test_the_facts_are_shown_and_exported_and_round_trip(app, client, login, token, tmp_path):
    load.import_package(db.session, package_3_0(tmp_path / "p"))
    db.session.commit()
    legal, food = service(LEGAL), service(FOOD)
    headers = token("viewer")
    item = client.get(f"/api/v1/services/{legal.id}", headers=headers).get_json()
    assert item["url"] == "https://www.harbor.example/legal"
    assert item["application_process"].startswith("Call first")
    assert item["language_notes"][0] == "Spanish (limited)"
    assert item["location"]["transportation"] == "Bus 12 to Dock Street"
    assert item["location"]["postal_address"]["address_1"] == "PO Box 77"
    assert [p["number"] for p in item["location_phones"]] == ["+13125550101"]
    [annex] = item["other_locations"]
    assert (annex["name"], annex["hours"]) == ("Annex", "Sat 10:00–12:00")
    assert "9 Pier Rd" in annex["line"]
    food_item = client.get(f"/api/v1/services/{food.id}", headers=headers).get_json()
    assert food_item["terms"][0]["code"] == "BD-1800.6000"
    login("viewer")
    page = client.get(f"/services/{legal.id}").get_data(as_text=True)
    for text in ("Bus 12 to Dock Street", "PO Box 77", "About two weeks", "Xyzzish", "9 Pier Rd"):
        assert text in page
    assert "Food Pantries" in client.get(f"/services/{food.id}").get_data(as_text=True)

    first = tmp_path / "first"
    hsds_export.export_package(db.session, first)
    report = validate(str(first / "datapackage.json"))
    assert report.valid, [e.message for t in report.tasks for e in t.errors][:5]
    services = {r["id"]: r for r in read_csv(first / "services.csv")}
    assert services[LEGAL]["wait_time"] == "About two weeks"
    addresses = read_csv(first / "addresses.csv")
    assert {a["address_type"] for a in addresses if a["location_id"] == MAIN} == {
        "physical",
        "postal",
    }
    assert any(p["location_id"] == MAIN for p in read_csv(first / "phones.csv"))
    sal = {r["id"]: r["location_id"] for r in read_csv(first / "service_at_location.csv")}
    assert sal[uid("sal2")] == ANNEX
    assert any(
        r["service_at_location_id"] == uid("sal2") for r in read_csv(first / "schedules.csv")
    )
    terms = {t["code"] for t in read_csv(first / "taxonomy_terms.csv")}
    assert {"BD", "BD-1800.6000", "food"} <= terms  # beside the Section V terms

    # into an empty database and out again: the same package
    for model in (Service, Organization):
        db.session.query(model).delete()
    db.session.commit()
    load.import_package(db.session, first)
    db.session.commit()
    second = tmp_path / "second"
    hsds_export.export_package(db.session, second)
    for path in sorted(first.glob("*.csv")):
        if path.name != "metadata.csv":
            assert path.read_text() == (second / path.name).read_text(), path.name


def test_hsds_api_filters_by_a_source_term_and_taxonomy(app, client, token, tmp_path):
    load.import_package(db.session, package_3_0(tmp_path / "p"))
    db.session.commit()
    headers = token("viewer")

    def names(**params):
        response = client.get("/api/hsds/services", query_string=params, headers=headers)
        assert response.status_code == 200, response.get_json()
        return [s["name"] for s in response.get_json()["contents"]]

    assert names(taxonomy_term_id=uid("term-pantry")) == ["Harbor pantry"]
    assert names(taxonomy_id=uid("tax")) == ["Harbor pantry"]
    assert names(taxonomy_term_id=uid("term-basic")) == []
    unknown = client.get(
        "/api/hsds/services", query_string={"taxonomy_id": uid("nothing")}, headers=headers
    )
    assert unknown.status_code == 422


def test_confidential_location_details_are_withheld(app, client, token, tmp_path):
    org = OrganizationFactory()
    loc = LocationFactory(
        organization=org,
        confidential=True,
        description="Behind the old mill",
        transportation="Bus 7 to Mill Lane",
        postal_address_1="PO Box 5",
        postal_city="Springfield",
        postal_region="IL",
        postal_postal_code="62701",
        postal_country="US",
    )
    svc = ServiceFactory(organization=org, location=loc, category="shelter.adults_hte")
    db.session.add(Phone(location=loc, number="+13125550199", kind="voice"))
    db.session.commit()
    viewer = client.get(f"/api/v1/services/{svc.id}", headers=token("viewer")).get_json()
    assert viewer["location"]["transportation"] is None
    assert viewer["location"]["postal_address"] is None
    assert viewer["location_phones"][0]["number"] == "+13125550199"  # its phone instead
    coordinator = client.get(f"/api/v1/services/{svc.id}", headers=token("coordinator"))
    assert coordinator.get_json()["location"]["postal_address"]["address_1"] == "PO Box 5"
    folder = tmp_path / "out"
    hsds_export.export_package(db.session, folder)
    everything = "".join(p.read_text() for p in folder.glob("*.csv"))
    for text in ("old mill", "Mill Lane", "PO Box 5"):
        assert text not in everything


def test_moving_a_service_by_hand_drops_its_old_place(app, client, token, tmp_path):
    load.import_package(db.session, package_3_0(tmp_path / "p"))
    db.session.commit()
    legal = service(LEGAL)
    annex = db.session.scalar(select(Location).where(Location.hsds_id == ANNEX))
    headers = token("coordinator")
    response = client.patch(
        f"/api/v1/services/{legal.id}",
        json={"version": legal.version, "location_id": annex.id, "wait_time": "One week"},
        headers=headers,
    )
    assert response.status_code == 200, response.get_json()
    item = response.get_json()
    assert item["wait_time"] == "One week"
    assert item["other_locations"] == []  # Annex is now its place; Main is not kept


def test_a_reimport_updates_terms_places_and_hours_in_place(app, tmp_path):
    folder = package_3_0(tmp_path / "p")
    load.import_package(db.session, folder)
    db.session.commit()
    rows = read_csv(folder / "taxonomy_terms.csv")
    rows[1]["name"] = "Food pantries and banks"
    write(folder, "taxonomy_terms", rows)
    load.import_package(db.session, folder)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(SourceTerm)) == 2
    food, legal = service(FOOD), service(LEGAL)
    assert [t.name for t in food.terms] == ["Food pantries and banks"]
    assert [p.location.hsds_id for p in legal.at_locations] == [MAIN, ANNEX]
    assert [(h.weekday, h.opens) for h in legal.at_locations[1].hours] == [(5, 600)]
    assert [p.number for p in legal.location.phones] == ["+13125550101"]


def test_a_field_value_is_checked_once_and_a_refused_one_every_time_in_its_language(app):
    """Field values carried as attributes are cached by value (a package repeats them); a
    refused one is not, so its message follows the reader's language each time."""
    from flask_babel import force_locale

    from directory.hsds.importing import values

    assert values.field_value("service", "care_type", "str", "ongoing") == ("ongoing", None)
    assert values.field_value("service", "care_type", "str", "ongoing") == ("ongoing", None)
    with force_locale("en"):
        _, english = values.field_value("service", "care_type", "str", "forever")
    with force_locale("es"):
        _, spanish = values.field_value("service", "care_type", "str", "forever")
    assert english.startswith("care_type: ")
    assert spanish.startswith("care_type: ")
    assert english != spanish  # not the first call's words kept
