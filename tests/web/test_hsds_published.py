"""The four shared HSDS packages imported AS PUBLISHED (issue #25), from their unedited
copies under ``tests/data/``: each source is read here independently with plain ``csv``
and the import's report is checked against it and against the database, table by table.
Then: every service the source gives a place has that place, no eligibility or access fact
is stated that the source does not state, languages and phone types are kept, and the HSDS
API answers are valid against the 3.0 schemas."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from directory.hsds.importing import load
from directory.hsds.importing.check import read_mapping as package_mapping
from directory.hsds.importing.identifiers import own_id
from directory.models import Location, Organization, Phone, Service
from directory.source_terms import SourceTerm
from tests.web.test_hsds_conformance import Walk, _valid, compiled

DATA = Path(__file__).parents[1] / "data"
COUNTS = ("read", "stored", "merged", "rejected", "skipped")

# per package: the report's table -> the package's own file (as published)
FILES = {
    "hsds-1.1-sample": {
        "organizations": "organizations.csv",
        "services": "services.csv",
        "locations": "locations.csv",
        "services_at_location": "services_at_location.csv",
        "phones": "phones.csv",
        "regular_schedules": "regular_schedules.csv",
        "taxonomy": "taxonomy.csv",
    },
    "sanmateo-ohana-1.0": {
        "organizations": "organizations.csv",
        "services": "services.csv",
        "locations": "locations.csv",
        "physical_addresses": "addresses.csv",
        "postal_addresses": "mail_addresses.csv",
        "phones": "phones.csv",
        "contacts": "contacts.csv",
        "regular_schedules": "regular_schedules.csv",
        "holiday_schedules": "holiday_schedules.csv",
        "taxonomy": "taxonomy.csv",
    },
    "illinois-legal-aid-1.x": {
        "organizations": "organizations.csv",
        "services": "services.csv",
        "locations": "locations.csv",
        "services_at_location": "services_at_location.csv",
        "phones": "phones.csv",
        "postal_addresses": "postal_addresses.csv",
        "regular_schedules": "regular_schedules.csv",
    },
    "hsds-3.1-example": {
        "organizations": "organizations.csv",
        "services": "services.csv",
        "locations": "locations.csv",
        "service_at_location": "service_at_location.csv",
        "phones": "phones.csv",
        "taxonomy_terms": "taxonomy_terms.csv",
    },
}


def rows(package: str, name: str) -> list[dict]:
    with (DATA / package / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def imported(package: str):
    report = load.import_package(db.session, DATA / package, skip_invalid=True)
    db.session.commit()
    return report


def sid(package: str, table: str, given: str) -> str:
    """The id a source's id is kept under: a UUID as given, else derived from it."""
    return given if len(given) == 36 and given.count("-") == 4 else own_id(package, table, given)


def places(service: Service) -> set[str]:
    found = {service.location.hsds_id} if service.location else set()
    return found | {sal.location.hsds_id for sal in service.at_locations}


@pytest.mark.parametrize("package", sorted(FILES))
def test_the_report_counts_the_source_and_the_database(app, package):
    report = imported(package)
    for table, name in FILES[package].items():
        assert report.tables[table]["read"] == len(rows(package, name)), table
    for table, c in report.tables.items():
        # every row read is accounted for, once
        assert c["read"] == sum(c[k] for k in COUNTS[1:]), table
    stored = {t: c["stored"] for t, c in report.tables.items()}
    assert count(Organization) == stored["organizations"]
    assert count(Service) == stored["services"] == report.services
    assert count(Location) == stored["locations"] == report.locations
    assert count(Phone) == stored["phones"]
    if "taxonomy" in stored:
        # each row a term, and each parent named only by id and name (1.1) one more
        terms = rows(package, FILES[package]["taxonomy"])
        ids = {t.get("id") or t["taxonomy_id"] for t in terms}  # Ohana: taxonomy_id
        parents = {t["parent_id"] for t in terms if t["parent_id"] and t["parent_id"] not in ids}
        assert count(SourceTerm) == stored["taxonomy"] + len(parents)
    # a left-out row is said, one line each, with its file and line
    assert sum(c["skipped"] for c in report.tables.values()) >= len(report.left_out) > 0


def test_ohana_every_service_has_its_location_with_its_address(app):
    package = "sanmateo-ohana-1.0"
    report = imported(package)
    assert report.version == "1.0"
    addresses = {a["location_id"]: a for a in rows(package, "addresses.csv")}
    checked = 0
    for row in rows(package, "services.csv"):
        service = db.session.scalar(
            select(Service).where(Service.hsds_id == sid(package, "services", row["id"]))
        )
        assert service.location is not None, row["name"]
        assert service.location.hsds_id == sid(package, "locations", row["location_id"])
        if address := addresses.get(row["location_id"]):
            assert service.location.address_1 == address["address_1"]
            checked += 1
    assert checked >= 21


@pytest.mark.parametrize(
    ("package", "links"),
    [
        ("hsds-1.1-sample", "services_at_location.csv"),
        ("illinois-legal-aid-1.x", "services_at_location.csv"),
        ("hsds-3.1-example", "service_at_location.csv"),
    ],
)
def test_every_place_given_is_a_place_of_its_service(app, package, links):
    imported(package)
    checked = 0
    for link in rows(package, links):
        service = db.session.scalar(
            select(Service).where(Service.hsds_id == sid(package, "services", link["service_id"]))
        )
        if service is None:  # left out with its reason (Illinois: organization not in file)
            continue
        assert sid(package, "locations", link["location_id"]) in places(service)
        checked += 1
    assert checked >= 1


@pytest.mark.parametrize("package", ["sanmateo-ohana-1.0", "illinois-legal-aid-1.x"])
def test_no_fact_stated_that_the_source_does_not_state(app, package):
    """Neither source has ages, genders, walk-in, appointment or delivery columns."""
    imported(package)
    for service in db.session.scalars(select(Service)):
        for fact in (
            "min_age",
            "max_age",
            "genders",
            "immigration_status",
            "victim_id_required",
            "walk_in",
            "appointment_required",
            "modalities",
        ):
            assert getattr(service, fact) is None, (service.name, fact)


def test_empty_status_is_listed_active_and_counted(app):
    package = "illinois-legal-aid-1.x"
    report = imported(package)
    services = rows(package, "services.csv")
    # as published: no row states a status; one row is empty (no id, no name: left out)
    assert [r["status"] for r in services] == [""] * 430
    empty = sum(1 for r in services if r["id"].strip())
    assert empty == 429
    assert report.unstated["services.status"] == empty
    assert set(db.session.scalars(select(Service.status))) == {"active"}


def test_ohana_languages_and_phone_types_kept(app):
    package = "sanmateo-ohana-1.0"
    imported(package)
    [spanish] = [r for r in rows(package, "services.csv") if r["languages"] == "Spanish"]
    service = db.session.scalar(
        select(Service).where(Service.hsds_id == sid(package, "services", spanish["id"]))
    )
    assert "es" in service.languages.split()
    # as published: 24 fax numbers; two are a contact's (lines 43, 55: not a service's
    # hand-off phone) and one is not a number (line 59, '789-456-1230'): 21 kept as fax;
    # the one hotline kept as a hotline
    kinds = Counter(db.session.scalars(select(Phone.kind)))
    assert (kinds["fax"], kinds["hotline"]) == (21, 1)


@pytest.mark.parametrize("package", sorted(FILES))
def test_the_hsds_api_answers_are_valid_3_0(app, client, token, package):
    imported(package)
    walk = Walk(client, token("viewer"))
    body = walk.get("/services?per_page=50", "/services")
    listed = select(func.count()).select_from(Service).where(Service.status == "active")
    assert body["total_items"] == db.session.scalar(listed)
    for item in body["contents"][:10]:
        one = walk.get(f"/services/{item['id']}", "/services/{id}")
        _valid(compiled("service"), one, item["id"])
    walk.get("/organizations?per_page=50", "/organizations")
    walk.get("/service_at_locations?per_page=50", "/service_at_locations")


def test_the_report_says_how_many_stay_uncategorized_and_why(app, tmp_path):
    package = "sanmateo-ohana-1.0"
    services = rows(package, "services.csv")
    termed = sum(1 for r in services if r["taxonomy_ids"].strip())
    assert (len(services), termed) == (23, 1)  # as published: one service has terms
    report = imported(package)
    assert report.unstated["services.category.no_term"] == 22
    assert report.unstated["services.category.unmapped"] == 1
    assert "Services uncategorized: 23 (22 filed under no taxonomy term; 1 under" in "\n".join(
        report.lines()
    )
    # mapped by a code prefix, the termed one is categorized and no longer counted
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("term,category\n111,legal.aid\n", encoding="utf-8")
    again = load.import_package(
        db.session, DATA / package, skip_invalid=True, mapping=package_mapping(mapping)
    )
    assert again.unstated.get("services.category.unmapped", 0) == 0
    [termed_row] = [r for r in services if r["taxonomy_ids"].strip()]
    service = db.session.scalar(
        select(Service).where(Service.hsds_id == sid(package, "services", termed_row["id"]))
    )
    assert service.category == "legal.aid"
