"""Two feeds are two sources, whatever their packages call themselves: the HSDS template's
name (``human_services_data``, which all three published packages here keep) names no
source, so importing one feed never deactivates another's records nor turns its integer
ids into the other's records; a record another source keeps is never changed by this one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from sqlalchemy import func, select

from app.extensions import db
from directory.hsds import export as hsds_export
from directory.hsds.importing import load
from directory.models import Organization, Service
from tests.web.test_hsds import read_csv, write_csv

DATA = Path(__file__).resolve().parents[1] / "data"
SAMPLE = DATA / "hsds-1.1-sample"
ILLINOIS = DATA / "illinois-legal-aid-1.x"


def _copy(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    shutil.copytree(SAMPLE, folder)
    return folder


def active(source: str) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Service)
        .where(Service.import_source == source, Service.status == "active")
    )


def test_the_template_name_is_not_a_source_two_feeds_stay_apart(tmp_path, app):
    # two counties' 1.x feeds as Illinois publishes them (integer ids), each with the HSDS
    # template's datapackage name, the second with other names on the same ids
    first, second = tmp_path / "county-a", tmp_path / "county-b"
    for folder in (first, second):
        shutil.copytree(ILLINOIS, folder)
        (folder / "datapackage.json").write_text(json.dumps({"name": "human_services_data"}))
    services = read_csv(second / "services.csv")
    assert services[0]["id"] == "135836"  # as published: integer ids
    for row in services:
        row["name"] = "County B " + row["name"]
    write_csv(second / "services.csv", services)

    a = load.import_package(db.session, first, skip_invalid=True)
    db.session.commit()
    assert a.source == "county-a"
    assert "calls itself 'human_services_data'" in a.source_note
    assert a.services == 89  # Illinois' services whose organization it holds (its README)
    assert active("county-a") == 89

    b = load.import_package(db.session, second, skip_invalid=True)
    db.session.commit()
    assert b.source == "county-b"
    assert b.created == a.created  # integer id 135836 of county B is not county A's record
    assert b.deactivated == []  # county A's services are not "missing from county B"
    assert active("county-a") == 89
    assert active("county-b") == 89
    names = db.session.scalars(select(Service.name).where(Service.import_source == "county-a"))
    assert not any(n.startswith("County B ") for n in names)


def test_an_explicit_source_name_wins_and_a_reimport_finds_its_records(tmp_path, app):
    folder = _copy(tmp_path, "upload-123")
    load.import_package(db.session, folder, source="cook-county-211", skip_invalid=True)
    db.session.commit()
    before = db.session.scalar(select(func.count()).select_from(Service))
    again = load.import_package(db.session, folder, source="cook-county-211", skip_invalid=True)
    db.session.commit()
    assert again.source_note == ""  # the name was given: nothing to explain
    assert again.created == 0
    assert db.session.scalar(select(func.count()).select_from(Service)) == before


def test_a_record_of_another_source_is_not_changed_by_a_package_reusing_its_id(tmp_path, app):
    folder = _copy(tmp_path, "county-a")
    load.import_package(db.session, folder, skip_invalid=True)
    db.session.commit()
    # another feed that copied county A's export ids (UUIDs this time) and renamed a service
    out = tmp_path / "export"
    hsds_export.export_package(db.session, out)
    package = json.loads((out / "datapackage.json").read_text())
    package["name"] = "copycat-feed"
    (out / "datapackage.json").write_text(json.dumps(package))
    services = read_csv(out / "services.csv")
    target = services[0]
    original = db.session.scalar(select(Service.name).where(Service.hsds_id == target["id"]))
    for row in services:
        row["name"] = "Overwritten " + row["name"]
    write_csv(out / "services.csv", services)

    report = load.import_package(db.session, out, skip_invalid=True)
    db.session.commit()
    assert report.source == "copycat-feed"
    kept = db.session.scalar(select(Service).where(Service.hsds_id == target["id"]))
    assert kept.name == original
    assert kept.import_source == "county-a"
    assert any(
        f"id {target['id']!r} is a record of the source 'county-a'" in line
        for line in report.left_out
    )
    # nothing of the copy was written over county A: no organization changed source either
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(Organization)
            .where(Organization.import_source == "copycat-feed")
        )
        == 0
    )


def test_next_months_download_of_a_feed_is_recognised_by_its_records(tmp_path, app):
    """The file's name changes each download; the feed is the same source all the same:
    nothing doubled, nothing deactivated (integer ids: Illinois; UUIDs: the 3.1 example)."""
    for feed, services in ((ILLINOIS, 89), (DATA / "hsds-3.1-example", 1)):
        november, december = tmp_path / f"{feed.name}-2026-11", tmp_path / f"{feed.name}-2026-12"
        for folder in (november, december):
            shutil.copytree(feed, folder)
            if not (folder / "datapackage.json").exists():
                (folder / "datapackage.json").write_text(json.dumps({"name": "hsds"}))
        first = load.import_package(db.session, november, skip_invalid=True)
        db.session.commit()
        assert first.source == november.name
        second = load.import_package(db.session, december, skip_invalid=True)
        db.session.commit()
        assert second.source == november.name, second.source_note
        assert f"recognised as a new download of the source '{november.name}'" in (
            second.source_note
        )
        assert (second.created, second.deactivated) == (0, [])
        assert active(november.name) == services


def test_a_few_copied_ids_and_names_do_not_make_a_package_another_source(tmp_path, app):
    """A package under the template's name holding one of county A's services (its
    published id and name) with another phone is not county A's new download: it is a
    source of its own, its copy left out, and county A keeps all it lists."""
    county = tmp_path / "county-a"
    shutil.copytree(ILLINOIS, county)
    (county / "datapackage.json").write_text(json.dumps({"name": "human_services_data"}))
    _import_a = load.import_package(db.session, county, skip_invalid=True)
    db.session.commit()
    assert active("county-a") == 89
    copy = tmp_path / "someone-elses-feed"
    copy.mkdir()
    (copy / "datapackage.json").write_text(json.dumps({"name": "human_services_data"}))
    services = read_csv(county / "services.csv")
    organizations = {o["id"]: o for o in read_csv(county / "organizations.csv")}
    kept = next(s for s in services if s["organization_id"] in organizations)
    write_csv(copy / "services.csv", [{**kept, "description": "Call our new number"}])
    write_csv(copy / "organizations.csv", [organizations[kept["organization_id"]]])
    report = load.import_package(db.session, copy, skip_invalid=True)
    db.session.commit()
    assert report.source == "someone-elses-feed"
    assert "recognised" not in report.source_note
    assert active("county-a") == 89  # nothing of county A deactivated
    theirs = db.session.scalar(
        select(Service.description).where(
            Service.name == kept["name"], Service.import_source == "county-a"
        )
    )
    assert theirs == kept["description"]  # county A's record is county A's still


def test_a_generic_file_name_is_no_source_either(tmp_path, app):
    """Two unrelated feeds both saved as ``export`` (the second as ``export (1)``), under the
    template's name, import as published (CONTRACT: no source name needed) and stay two
    sources: the second deactivates nothing of the first; the same file again is the same
    source (nothing doubled)."""
    first, second = tmp_path / "a" / "export", tmp_path / "b" / "export (1)"
    for folder in (first, second):
        shutil.copytree(ILLINOIS, folder)
        (folder / "datapackage.json").write_text(json.dumps({"name": "human_services_data"}))
    services = read_csv(second / "services.csv")
    for row in services:
        row["id"] = "9" + row["id"]  # another feed: other ids, other names
        row["name"] = "County B " + row["name"]
    write_csv(second / "services.csv", services)
    a = load.import_package(db.session, first, skip_invalid=True)
    db.session.commit()
    assert a.source.startswith("export-")  # the file's name and a fingerprint of its services
    assert active(a.source) == 89
    b = load.import_package(db.session, second, skip_invalid=True)
    db.session.commit()
    assert b.source.startswith("export (1)-")
    assert b.source != a.source
    assert b.deactivated == []
    assert active(a.source) == 89
    again = load.import_package(db.session, first, skip_invalid=True)
    db.session.commit()
    assert (again.source, again.created) == (a.source, 0)
