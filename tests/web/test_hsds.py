"""HSDS 3.0: export valid against the official package schema, round trip, all-or-nothing
import with a report of every bad row, re-import without duplicates, the read-only API
validated against the compiled HSDS schemas, confidential data kept out."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from frictionless import validate
from jsonschema import Draft202012Validator, FormatChecker
from sqlalchemy import func, select

from app.extensions import db
from directory import seeding
from directory.hsds import export as hsds_export
from directory.hsds import mapping
from directory.hsds.importing import check, load, package
from directory.models import Organization, Service
from tests.factories import LocationFactory, OrganizationFactory, ServiceFactory

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "hsds"


def schema(name: str) -> Draft202012Validator:
    return Draft202012Validator(
        json.loads((SCHEMAS / f"{name}.json").read_text()), format_checker=FormatChecker()
    )


def assert_valid(validator: Draft202012Validator, instance) -> None:
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


@pytest.fixture
def demo(app):
    seeding.load_demo(db.session)
    db.session.commit()


def export(tmp_path: Path, name: str = "out") -> Path:
    folder = tmp_path / name
    hsds_export.export_package(db.session, folder)
    return folder


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def read_csv(path: Path) -> list[dict]:
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh))


def write_csv(path: Path, rows: list[dict]) -> None:
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_export_is_a_valid_hsds_package(tmp_path, demo):
    folder = export(tmp_path)
    report = validate(str(folder / "datapackage.json"))
    assert report.valid, [e.message for t in report.tasks for e in t.errors][:5]
    terms = read_csv(folder / "taxonomy_terms.csv")
    assert {"hotline.suicide", "shelters", "walk_in"} <= {t["code"] for t in terms}
    attributes = read_csv(folder / "attributes.csv")
    categories = [a for a in attributes if a["link_type"] == "category"]
    assert len(categories) == count(Service)
    services = read_csv(folder / "services.csv")
    verified = [s for s in services if s["assured_date"]]
    assert verified  # last_verified travels as assured_date


def test_a_place_less_service_gets_no_invented_service_area(tmp_path, app):
    """#25: the directory keeps no service area; "Everywhere" would be a claim no one made."""
    ServiceFactory(location=None, modalities="phone", category="hotline.suicide")
    folder = export(tmp_path)
    assert read_csv(folder / "service_areas.csv") == []
    assert "Everywhere" not in "".join(p.read_text() for p in folder.glob("*.csv"))


def test_confidential_addresses_left_out(tmp_path, app):
    org = OrganizationFactory()
    loc = LocationFactory(
        organization=org,
        address_1="13 Secret Row",
        confidential=True,
        latitude=41.9001,
        longitude=-87.7001,
    )
    ServiceFactory(organization=org, location=loc, category="shelter.adults_hte")
    folder = export(tmp_path)
    everything = "".join(p.read_text() for p in folder.glob("*.csv"))
    assert "Secret Row" not in everything
    assert "41.9001" not in everything
    assert "-87.7001" not in everything
    locations = read_csv(folder / "locations.csv")
    assert [row["id"] for row in locations] == [loc.hsds_id]  # kept, without the address


def test_round_trip_gives_the_same_package(tmp_path, demo, database_url):
    first = export(tmp_path, "first")
    # an empty database: drop everything the demo put in
    for model in (Service, Organization):
        db.session.query(model).delete()
    db.session.commit()
    assert count(Service) == 0
    result = load.import_package(db.session, first)
    db.session.commit()
    assert result["services"] == 63
    second = export(tmp_path, "second")
    for path in sorted(first.glob("*.csv")):
        if path.name == "metadata.csv":
            continue  # each database's own change history (the import is recorded there)
        assert path.read_text() == (second / path.name).read_text(), path.name


def test_export_in_small_batches_writes_every_row_exactly_once(tmp_path, demo):
    # the demo (63 services in 37 organizations) and the HSDS 1.1 sample imported beside
    # it (source terms, services at several places, audited changes for the metadata)
    sample = tmp_path / "sample"
    shutil.copytree(Path(__file__).parents[1] / "data" / "hsds-1.1-sample", sample)
    load.import_package(db.session, sample, skip_invalid=True)
    db.session.commit()
    whole = export(tmp_path, "whole")  # every record in one batch
    small = tmp_path / "small"
    counts = hsds_export.export_package(db.session, small, batch=4)  # many batches
    services = [row["id"] for row in read_csv(small / "services.csv")]
    organizations = [row["id"] for row in read_csv(small / "organizations.csv")]
    assert len(services) > 63  # the demo's, and the sample's
    assert len(organizations) > 37
    for ids, model in ((services, Service), (organizations, Organization)):
        assert len(ids) == len(set(ids)) == count(model)  # each once, none missing
        assert set(ids) == set(db.session.scalars(select(model.hsds_id)))
        assert ids == sorted(ids)  # in HSDS id order, across batches
    assert counts["services"] == len(services)
    for path in sorted(whole.glob("*")):
        rows = path.read_bytes()
        assert rows == (small / path.name).read_bytes(), path.name
        if path.suffix == ".csv":
            ids = [row["id"] for row in read_csv(path)]
            assert len(ids) == len(set(ids)), f"{path.name}: a row written twice"
    for table in ("attributes", "metadata", "taxonomy_terms", "phones", "schedules"):
        assert counts[table] > 4, table  # more than one batch of each was written


def test_reimport_updates_instead_of_duplicating(tmp_path, demo):
    folder = export(tmp_path)
    services = read_csv(folder / "services.csv")
    services[0]["name"] = "Renamed by the partner"
    write_csv(folder / "services.csv", services)
    before = (count(Service), count(Organization))
    result = load.import_package(db.session, folder)
    db.session.commit()
    assert result["created"] == 0
    assert (count(Service), count(Organization)) == before
    renamed = db.session.scalar(select(Service).where(Service.hsds_id == services[0]["id"]))
    assert renamed.name == "Renamed by the partner"


def test_bad_rows_are_all_reported_and_nothing_is_imported(tmp_path, demo):
    folder = export(tmp_path)
    for model in (Service, Organization):
        db.session.query(model).delete()
    db.session.commit()
    services = read_csv(folder / "services.csv")
    services[1]["email"] = "not-an-address"
    write_csv(folder / "services.csv", services)
    languages = read_csv(folder / "languages.csv")
    languages[0]["code"] = "zz"
    write_csv(folder / "languages.csv", languages)
    addresses = read_csv(folder / "addresses.csv")
    for row in addresses:
        del row["city"]  # a required column missing
    write_csv(folder / "addresses.csv", addresses)
    organizations = read_csv(folder / "organizations.csv")
    organizations[0]["description"] = "a NUL\x00 in the middle"
    write_csv(folder / "organizations.csv", organizations)
    with pytest.raises(package.ImportRejected) as rejected:
        load.import_package(db.session, folder)
    db.session.rollback()
    problems = rejected.value.problems
    assert "organizations:2:description: contains a NUL character (\\x00)" in problems
    assert "addresses:1:city: required column is missing" in problems
    assert any(p.startswith("services:3:email: not an e-mail address") for p in problems)
    assert any(p.startswith("languages:2:code: unknown language code 'zz'") for p in problems)
    assert count(Service) == 0
    assert count(Organization) == 0


def test_cli_exit_codes_and_one_line_error(tmp_path, app, demo):
    runner = app.test_cli_runner()
    out = tmp_path / "pkg"
    assert runner.invoke(args=["hsds", "export", str(out)]).exit_code == 0
    not_a_package = tmp_path / "empty"
    not_a_package.mkdir()
    result = runner.invoke(args=["hsds", "import", str(not_a_package)])
    assert result.exit_code != 0
    assert "is not an HSDS package" in result.output
    assert len(result.output.strip().splitlines()) == 1
    again = runner.invoke(args=["hsds", "import", str(out)])
    assert again.exit_code == 0, again.output
    assert "(0 created, " in again.output


def test_foreign_package_imports_uncategorized_and_a_mapping_file_categorises(tmp_path, demo):
    """A package with no Section V categories comes in uncategorized (it used to be refused
    whole, #21); a mapping file files a partner's term under a category."""
    folder = export(tmp_path)
    attributes = [a for a in read_csv(folder / "attributes.csv") if a["link_type"] != "category"]
    write_csv(folder / "attributes.csv", attributes)
    terms = read_csv(folder / "taxonomy_terms.csv")
    write_csv(folder / "taxonomy_terms.csv", terms)
    db.session.execute(Service.__table__.delete())  # a directory that never had them
    db.session.commit()
    report = load.import_package(db.session, folder)
    db.session.commit()
    assert report.services == len(read_csv(folder / "services.csv"))
    assert not report.rejected
    # a 211-style term of another taxonomy, mapped to a Section V category by a file
    services = read_csv(folder / "services.csv")
    taxonomies = read_csv(folder / "taxonomies.csv")
    taxonomies.append(
        {
            **taxonomies[0],
            "id": "3f1c2b7e-8d1a-4c55-9a0e-2b9f1f7c6a01",
            "name": "211 taxonomy",
            "description": "A partner's taxonomy",
        }
    )
    write_csv(folder / "taxonomies.csv", taxonomies)
    terms.append(
        {
            **terms[0],
            "id": "9b2e4c1d-5a6f-4e3b-8c7d-1a2b3c4d5e6f",
            "code": "BD-1800.2000",
            "name": "Food Pantries",
            "description": "Food",
            "parent_id": "",
            "taxonomy_id": "3f1c2b7e-8d1a-4c55-9a0e-2b9f1f7c6a01",
        }
    )
    write_csv(folder / "taxonomy_terms.csv", terms)
    attributes.append(
        {
            "id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
            "link_id": services[0]["id"],
            "taxonomy_term_id": "9b2e4c1d-5a6f-4e3b-8c7d-1a2b3c4d5e6f",
            "link_type": "taxonomy",
            "link_entity": "service",
            "value": "",
        }
    )
    write_csv(folder / "attributes.csv", attributes)
    mapping_file = tmp_path / "mapping.csv"
    mapping_file.write_text("term,category\nBD-1800.2000,food\n")
    load.import_package(db.session, folder, mapping=check.read_mapping(mapping_file))
    db.session.commit()
    categories = {s.hsds_id: s.category for s in db.session.scalars(select(Service))}
    assert categories[services[0]["id"]] == "food"  # the mapped one
    assert sum(c is None for c in categories.values()) == len(services) - 1


def test_api_answers_validate_against_the_compiled_schemas(client, token, demo):
    headers = token("viewer")
    listing = client.get("/api/hsds/services?per_page=100", headers=headers).get_json()
    assert listing["total_items"] == 63
    assert listing["first_page"] is True
    service_list = schema("service_list")
    for item in listing["contents"]:
        assert_valid(service_list, item)
    service = schema("service")
    for item in listing["contents"][:20]:
        full = client.get(f"/api/hsds/services/{item['id']}", headers=headers).get_json()
        assert_valid(service, full)
    sal = client.get("/api/hsds/service_at_locations", headers=headers).get_json()
    sal_schema = schema("service_at_location_list")
    for item in sal["contents"]:
        assert_valid(sal_schema, item)
    orgs = client.get("/api/hsds/organizations", headers=headers).get_json()
    org_list = schema("organization_list")
    for item in orgs["contents"]:
        assert_valid(org_list, item)
    org_schema = schema("organization")
    for item in orgs["contents"][:10]:
        assert_valid(
            org_schema,
            client.get(f"/api/hsds/organizations/{item['id']}", headers=headers).get_json(),
        )


def test_api_filters(client, token, demo):
    headers = token("viewer")
    hotlines = client.get(
        f"/api/hsds/services?taxonomy_term_id={mapping.term_id('hotlines')}", headers=headers
    ).get_json()
    assert hotlines["total_items"] == 5
    found = client.get("/api/hsds/services?search=tigrinya", headers=headers).get_json()
    assert found["total_items"] >= 1
    near = client.get(
        "/api/hsds/service_at_locations?postcode=60201&proximity=5000", headers=headers
    ).get_json()
    names = {c["service"]["name"] for c in near["contents"]}
    assert "Free clinic (Evanston)" in names
    assert "Survivor advocacy (Milwaukee)" not in names
    later = client.get(
        "/api/hsds/services?modified_after=2999-01-01T00:00:00Z", headers=headers
    ).get_json()
    assert later["empty"] is True
    assert client.get("/api/hsds/services").status_code == 401
    bad = client.get("/api/hsds/services?modified_after=yesterday", headers=headers)
    assert bad.status_code == 422


def test_api_never_shows_confidential_addresses(client, token, app):
    org = OrganizationFactory()
    loc = LocationFactory(organization=org, address_1="13 Secret Row", confidential=True)
    s = ServiceFactory(organization=org, location=loc)
    text = client.get(f"/api/hsds/services/{s.hsds_id}", headers=token("admin")).get_data(
        as_text=True
    )
    assert "Secret Row" not in text
    assert str(loc.latitude) not in text


def test_package_title_publisher_and_licence_come_from_configuration(app, tmp_path, demo):
    """The package is the network's, never the specification's own title and licence: by
    default titled and published by FACILITY_NAME with no licence declared; HSDS_TITLE,
    HSDS_PUBLISHER and HSDS_LICENSE set them."""
    app.config["FACILITY_NAME"] = "Lakeshore Referral Network"
    default = json.loads((export(tmp_path, "default") / "datapackage.json").read_text())
    assert default["title"] == "Lakeshore Referral Network"
    assert default["contributors"] == [{"title": "Lakeshore Referral Network", "role": "publisher"}]
    assert "license" not in default
    assert "licenses" not in default
    assert "Human Services Data Specification" not in json.dumps(default)
    assert "CC-BY-SA" not in json.dumps(default)

    app.config.update(
        HSDS_TITLE="Cook County anti-trafficking services",
        HSDS_PUBLISHER="Lakeshore Freedom Network",
        HSDS_LICENSE="ODbL-1.0",
    )
    folder = export(tmp_path, "configured")
    configured = json.loads((folder / "datapackage.json").read_text())
    assert configured["title"] == "Cook County anti-trafficking services"
    assert configured["contributors"] == [
        {"title": "Lakeshore Freedom Network", "role": "publisher"}
    ]
    assert configured["licenses"] == [{"name": "ODbL-1.0"}]
    report = validate(str(folder / "datapackage.json"))
    assert report.valid, [e.message for t in report.tasks for e in t.errors][:5]


def test_coordinator_page_downloads_and_uploads(client, login, demo, tmp_path):
    """Both run as jobs (immediate mode here; tests/web/test_jobs.py runs the real queue):
    the answer is the job's page, with the download link or the report."""
    login("coordinator")
    started = client.get("/hsds/export.zip")
    assert started.status_code == 303
    assert started.headers["Location"].startswith("/jobs/")
    page = client.get(started.headers["Location"]).get_data(as_text=True)
    link = re.search(r'href="(/jobs/\d+/download)"', page).group(1)
    download = client.get(link)
    data = download.get_data()
    download.close()  # the file is sent as a stream
    assert download.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "datapackage.json" in names
    assert "services.csv" in names
    upload = client.post(
        "/hsds/import",
        data={"package": (io.BytesIO(data), "p.zip")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert upload.status_code == 200
    assert "0 created" in upload.get_data(as_text=True)
    junk = client.post(
        "/hsds/import",
        data={"package": (io.BytesIO(b"nope"), "p.zip")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert junk.status_code == 422  # refused before a job is started
    assert "p.zip is not a zip file" in junk.get_data(as_text=True)
    # the refusal takes focus and links to the file to choose again (#28)
    assert 'tabindex="-1" data-focus><p><strong>' in junk.get_data(as_text=True)
    assert '<a href="#h-package">' in junk.get_data(as_text=True)
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_a_mapping_line_covers_codes_by_prefix_and_through_parent_terms():
    from directory.hsds.importing.categories import map_term

    terms = {
        "t1": ("BD-1800.2000", "Food Pantries", "t0"),
        "t0": ("BD-1800", "Emergency Food", None),
        "t2": ("LF-4900.1700", "Immigration Legal Services", None),
        "t3": ("YZ-1", "Something else", "t2"),
        "t4": ("QQ-1", "Unmapped", None),
    }
    assert map_term({"bd": "food"}, "t1", terms) == "food"  # AIRS prefix
    assert map_term({"bd": "food", "bd-1800.2000": "health.free_clinic"}, "t1", terms) == (
        "health.free_clinic"  # the most specific line wins
    )
    assert map_term({"emergency food": "food"}, "t1", terms) == "food"  # its parent's name
    assert map_term({"lf-4900": "legal.immigration_lawyers"}, "t3", terms) == (
        "legal.immigration_lawyers"  # through the parent's code prefix
    )
    assert map_term({"bd": "food"}, "t4", terms) is None
