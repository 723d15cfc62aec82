"""HSDS import pipeline (issue #21): 1.x and 3.x packages, encodings, --skip-invalid with
file line numbers, values through the forms' validation, re-import as a sync (confidential
addresses kept, dropped records deactivated, one audit entry per changed record), upload
limits, and the report's per-table counts."""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent
from directory import seeding
from directory.hsds import export as hsds_export
from directory.hsds.importing import load
from directory.models import Location, Organization, Service
from tests.factories import LocationFactory, OrganizationFactory, ServiceFactory

SAMPLE = Path(__file__).parents[1] / "data" / "hsds-1.1-sample"


@pytest.fixture
def demo(app):
    seeding.load_demo(db.session)
    db.session.commit()


def read_csv(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write_csv(path: Path, rows: list[dict], encoding: str = "utf-8") -> None:
    with path.open("w", newline="", encoding=encoding) as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def export(tmp_path: Path, name: str = "out") -> Path:
    folder = tmp_path / name
    hsds_export.export_package(db.session, folder)
    return folder


def run(app, *args):
    return app.test_cli_runner().invoke(args=["hsds", "import", *map(str, args)])


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_hsds_1_sample_with_skip_invalid_reports_every_row(app, tmp_path):
    folder = tmp_path / "sample"
    shutil.copytree(SAMPLE, folder)
    result = run(app, folder, "--skip-invalid")
    assert result.exit_code == 0, result.output
    out = result.output
    # the package keeps the template's name, which names no source: the folder's does
    assert "HSDS 1.x package 'sample'" in out
    assert "calls itself 'human_services_data'" in out
    # no Section V category in the sample: its services come in uncategorized
    assert "  organizations: 10 / 10 / 0 / 0 / 0" in out
    assert "  services: 13 / 13 / 0 / 0 / 0" in out
    assert "  regular_schedules: 3 / 0 / 3 / 0 / 0" in out
    # its phone numbers are not valid numbers: each left out with its line and why
    assert "phones:3: phone left out (number: '(223) 346 12361'" in out
    assert "  phones: 5 / 0 / 0 / 0 / 5" in out
    # issue #21: the postal address is kept beside the street address (it was left out)
    assert "  postal_addresses: 1 / 0 / 1 / 0 / 0" in out
    assert "services.accreditations: no place in this directory" in out
    assert "funding.*: no place in this directory" in out
    assert count(Organization) == 10
    assert count(Location) == 10
    assert count(Service) == 13
    assert count(Service, Service.category.is_(None)) == 13
    address = db.session.scalar(
        select(Location).where(Location.hsds_id == "30b83c60-64a1-11e6-8b77-86f30ca893d3")
    )
    assert (address.address_1, address.city, address.region) == ("Address 1", "New York City", "NY")


def test_hsds_1_sample_with_a_mapping_file(app, tmp_path):
    folder = tmp_path / "sample"
    shutil.copytree(SAMPLE, folder)
    services = read_csv(folder / "services.csv")
    write_csv(
        folder / "services_taxonomy.csv",
        [
            {
                "id": f"st-{i}",
                "service_id": s["id"],
                "taxonomy_id": "df7be950-1b0f-11e9-b56e-0800200c9a66",
                "taxonomy_detail": "",
            }
            for i, s in enumerate(services)
        ],
    )
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("term,category\nTaxonomy A,food\n")
    result = run(app, folder, "--mapping", mapping, "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert "  services: 13 / 13 / 0 / 0 / 0" in result.output
    helpline = db.session.scalar(select(Service).where(Service.name == "Never Homeless Helpline"))
    assert helpline.category == "food"
    assert helpline.languages == "en es"
    assert helpline.eligibility_notes == "adult"
    assert [(h.weekday, h.opens, h.closes) for h in helpline.hours] == [
        (0, 540, 1020),
        (1, 540, 1020),
        (2, 540, 1020),
    ]
    assert helpline.location.city == "New York City"
    assert count(Service, Service.status == "inactive") == 3  # inactive, defunct
    # the sample's phone numbers are not valid numbers: left out, each with its line
    assert "phones:3: phone left out" in result.output


def test_a_3_0_package_and_windows_1252(app, demo, tmp_path):
    folder = export(tmp_path)
    orgs = read_csv(folder / "organizations.csv")
    orgs[0]["name"] = "Café Ñandú"
    write_csv(folder / "organizations.csv", orgs, encoding="cp1252")
    result = run(app, folder)
    assert result.exit_code == 0, result.output
    # an unconfigured facility's package name is every copy's: the folder's name is the source
    assert "HSDS 3.x package 'out'" in result.output
    assert "calls itself 'referral-network-directory', a name many feeds share" in result.output
    org = db.session.scalar(select(Organization).where(Organization.hsds_id == orgs[0]["id"]))
    assert org.name == "Café Ñandú"


def test_a_file_in_neither_encoding_is_refused_naming_it(app, demo, tmp_path):
    folder = export(tmp_path)
    text = (folder / "services.csv").read_text(encoding="utf-8")
    (folder / "services.csv").write_bytes(text.encode("utf-16"))
    result = run(app, folder)
    assert result.exit_code == 1
    assert "services.csv: not UTF-8 or Windows-1252/Latin-1 text" in result.output
    assert "Traceback" not in result.output


def test_websites_normalised_or_dropped_and_phones_checked(app, demo, tmp_path):
    folder = export(tmp_path)
    orgs = read_csv(folder / "organizations.csv")
    orgs[0]["website"] = "www.example.org"
    orgs[1]["website"] = "javascript:alert(1)"
    write_csv(folder / "organizations.csv", orgs)
    report = load.import_package(db.session, folder)
    db.session.commit()
    by_id = {o.hsds_id: o for o in db.session.scalars(select(Organization))}
    assert by_id[orgs[0]["id"]].website == "https://www.example.org"
    assert by_id[orgs[1]["id"]].website != "javascript:alert(1)"
    assert "organizations:3:website: dropped 'javascript:alert(1)'" in report.dropped[0]
    phones = read_csv(folder / "phones.csv")
    phones[0]["number"] = "not a number"
    write_csv(folder / "phones.csv", phones)
    report = load.import_package(db.session, folder)  # a bad phone does not block
    assert any(
        p.startswith("phones:2: phone left out (number: 'not a number' is not a phone number")
        for p in report.left_out
    )


def test_phone_region_and_extension(app):
    from directory.hsds.importing import values

    app.config["DEFAULT_PHONE_REGION"] = "GB"
    clean, problems = values.phone({"number": "020 7946 0018 ext. 12", "type": "cell"})
    assert not problems
    assert clean == {"number": "+442079460018", "kind": "voice", "extension": "12"}


def test_skip_invalid_commits_good_rows_with_real_line_numbers(app, demo, tmp_path):
    folder = export(tmp_path)
    for model in (Service, Organization):
        db.session.query(model).delete()
    db.session.commit()
    services = read_csv(folder / "services.csv")
    services[0]["description"] = "first line\nsecond line\nthird line"
    services[2]["email"] = "not-an-address"
    write_csv(folder / "services.csv", services)
    result = run(app, folder)  # all or nothing by default
    assert result.exit_code == 1
    assert count(Service) == 0
    result = run(app, folder, "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert "services:6:email: not an e-mail address" in result.output
    assert f"depends on rejected services row {services[2]['id']}" in result.output
    assert count(Service) == len(services) - 1


def test_reimport_keeps_confidential_addresses_and_audits_each_change(app, tmp_path):
    org = OrganizationFactory()
    loc = LocationFactory(
        organization=org,
        address_1="13 Secret Row",
        confidential=True,
        latitude=41.9001,
        longitude=-87.7001,
    )
    service = ServiceFactory(organization=org, location=loc, category="shelter.adults_hte")
    db.session.commit()
    folder = export(tmp_path)
    services = read_csv(folder / "services.csv")
    old_name = services[0]["name"]
    services[0]["name"] = "Renamed by the partner"
    write_csv(folder / "services.csv", services)
    before = db.session.scalar(select(func.max(AuditEvent.id)))
    load.import_package(db.session, folder)
    db.session.commit()
    db.session.expire_all()
    kept = db.session.get(Location, loc.id)
    assert (kept.address_1, kept.latitude, kept.longitude) == ("13 Secret Row", 41.9001, -87.7001)
    assert kept.confidential is True
    entries = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.object_type == "services",
            AuditEvent.object_id == str(service.id),
            AuditEvent.action == "update",
        )
    ).all()
    assert len(entries) == 1
    assert entries[0].changes["name"] == [old_name, "Renamed by the partner"]
    location_changes = db.session.scalars(
        select(AuditEvent.changes).where(
            AuditEvent.object_type == "locations",
            AuditEvent.action == "update",
            AuditEvent.id > before,
        )
    ).all()
    # the locations only learnt which source they belong to: no address was blanked
    assert location_changes
    assert all(set(c) == {"import_source"} for c in location_changes), location_changes


def drop_rows(folder: Path, record_id: str) -> None:
    """Remove a record and every row that refers to it, as a source that dropped it would."""
    gone = {record_id}
    for _ in range(3):
        for path in folder.glob("*.csv"):
            rows = read_csv(path)
            keep = [r for r in rows if not gone & set(r.values())]
            gone |= {r["id"] for r in rows if r not in keep}
            if rows and len(keep) != len(rows):
                with path.open("w", newline="", encoding="utf-8") as fh:
                    writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
                    writer.writeheader()
                    writer.writerows(keep)


def test_reimport_deactivates_what_the_source_dropped(app, demo, tmp_path):
    folder = export(tmp_path)
    assert run(app, folder).exit_code == 0
    dropped = read_csv(folder / "services.csv")[0]
    drop_rows(folder, dropped["id"])
    kept = run(app, folder, "--no-deactivate")
    assert kept.exit_code == 0, kept.output
    gone = db.session.scalar(select(Service).where(Service.hsds_id == dropped["id"]))
    assert gone.status == "active"
    result = run(app, folder)
    assert result.exit_code == 0, result.output
    assert f"services {dropped['name']!r}" in result.output
    db.session.expire_all()
    assert db.session.get(Service, gone.id).status == "inactive"


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_archives_over_a_limit_are_refused(app, client, login, tmp_path):
    login("coordinator")

    def upload(data):
        return client.post(
            "/hsds/import",
            data={"package": (io.BytesIO(data), "p.zip")},
            content_type="multipart/form-data",
            follow_redirects=True,  # to the job's page (the import is a job)
        )

    app.config["HSDS_MAX_ENTRIES"] = 3
    many = upload(_zip({f"{i}.csv": b"a,b\n" for i in range(5)}))
    assert many.status_code == 422  # checked before any job is started
    assert "at most 3 are accepted" in many.get_data(as_text=True)
    app.config["HSDS_MAX_ENTRIES"] = 200
    bomb = upload(_zip({"services.csv": b"0" * 2**21}))
    assert "compressed more than 100 to 1" in bomb.get_data(as_text=True)
    app.config["HSDS_MAX_RATIO"] = 10**6
    app.config["HSDS_MAX_UNCOMPRESSED_MB"] = 1
    big = upload(_zip({"services.csv": b"0" * 2**21}))
    text = big.get_data(as_text=True)
    assert "at most 1 MB are accepted" in text
    assert tempfile.gettempdir() not in text
    empty = upload(_zip({"readme.csv": b"a\n"}))
    assert "The uploaded package is not an HSDS package" in empty.get_data(as_text=True)
    assert tempfile.gettempdir() not in empty.get_data(as_text=True)
    archive = tmp_path / "p.zip"
    archive.write_bytes(_zip({"services.csv": b"0" * 2**21}))
    result = run(app, archive)
    assert result.exit_code == 1
    assert "at most 1 MB are accepted" in result.output


def test_upload_page_shows_the_report(client, login, demo):
    login("coordinator")
    export = client.get("/hsds/export.zip", follow_redirects=True)
    link = re.search(r'href="(/jobs/\d+/download)"', export.get_data(as_text=True)).group(1)
    download = client.get(link)
    data = download.get_data()
    download.close()  # the file is sent as a stream
    page = client.post(
        "/hsds/import",
        data={"package": (io.BytesIO(data), "p.zip"), "skip_invalid": "1"},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Rows per table" in text
    assert "HSDS 3.x package" in text
