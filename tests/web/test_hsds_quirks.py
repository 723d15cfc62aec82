"""Built-in small cases of the quirks of published HSDS feeds (issue #25): 12-hour and
other time formats, an empty status, integer ids, no datapackage.json, short numbers, and
a folder whose datapackage.json points into ``data/`` (folder and zip alike)."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from directory import hours
from directory.hsds.importing import check, load, source
from directory.hsds.importing.identifiers import own_id
from directory.models import Phone, Service, ServiceHours

DATA = Path(__file__).parents[1] / "data"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9:00am", (540, True)),
        ("9am", (540, True)),
        ("9:00 AM", (540, True)),
        ("5:30 pm", (1050, True)),
        ("noon", (720, True)),
        ("12:00am", (0, True)),
        ("17:00", (1020, True)),
        ("8:00", (480, False)),  # 8 in the morning, or 8 in the evening of a 12-hour feed
        ("9", None),
        ("soon", None),
    ],
)
def test_times_as_feeds_write_them(text, expected):
    assert hours.read_clock(text) == expected


@pytest.mark.parametrize(
    ("opens", "closes", "expected"),
    [
        ("9:00am", "5:00pm", (540, 1020)),
        ("9am", "noon", (540, 720)),
        ("24 hours", None, (0, 1440)),
        ("8:00", "17:00", (480, 1020)),  # the 24-hour closing settles the morning
        ("9:00", "4:00", None),  # ambiguous: never counted as open
    ],
)
def test_a_days_span(opens, closes, expected):
    assert hours.read_span(opens, closes) == expected


def write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text.strip() + "\n", encoding="utf-8")


def small_1x(folder: Path) -> Path:
    """A 1.x feed as 211s publish it: integer ids, no datapackage.json, no status, 12-hour
    and ambiguous times, an N11 number."""
    write(folder, "organizations.csv", "id,name,description\n7,Harbor Aid,Tenant help")
    write(
        folder,
        "services.csv",
        "id,organization_id,name,status\n11,7,Tenant line,\n12,7,Food shelf,inactive",
    )
    write(folder, "locations.csv", "id,organization_id,name\n21,7,Harbor hall")
    write(folder, "services_at_location.csv", "id,service_id,location_id\n,11,21\n,12,21")
    write(
        folder,
        "phones.csv",
        "id,location_id,service_id,organization_id,number,type\n"
        "31,,11,,(312) 555-0142,voice\n32,21,,,211,voice",
    )
    write(
        folder,
        "regular_schedules.csv",
        "id,service_id,location_id,weekday,opens_at,closes_at\n"
        "41,11,,Monday,9:00am,5:00pm\n42,11,,Tuesday,9:00,4:00",
    )
    return folder


def test_a_small_1x_feed_with_integer_ids_and_no_datapackage(app, tmp_path):
    folder = small_1x(tmp_path / "harbor")
    try:
        report = load.import_package(db.session, folder)
    except Exception as exc:
        raise AssertionError(getattr(exc, "problems", exc)) from exc
    db.session.commit()
    assert report.version == "1.x"
    assert report.unstated["services.status"] == 1
    tenant = db.session.scalar(
        select(Service).where(Service.hsds_id == own_id("harbor", "services", "11"))
    )
    assert tenant.status == "active"  # not stated: listed as active, and counted
    assert tenant.location.name == "Harbor hall"
    food = db.session.scalar(
        select(Service).where(Service.hsds_id == own_id("harbor", "services", "12"))
    )
    assert food.status == "inactive"
    spans = db.session.scalars(select(ServiceHours).where(ServiceHours.service_id == tenant.id))
    by_day = {h.weekday: (h.opens, h.closes) for h in spans}
    assert by_day[0] == (540, 1020)  # Monday 9:00am–5:00pm
    assert by_day.get(1, (None, None)) == (None, None)  # Tuesday 9:00–4:00: not read as open
    assert "4:00" in (tenant.hours_notes or "")  # ... and its text kept
    assert [
        p.number for p in db.session.scalars(select(Phone).where(Phone.service_id == tenant.id))
    ] == ["+13125550142"]
    # the N11 number of the place: kept, or left out and said; never lost silently
    kept = db.session.scalars(select(Phone.number).where(Phone.location_id.is_not(None))).all()
    said = [line for line in report.left_out + report.dropped if "211" in line]
    assert len(kept) + len(said) == 1
    # re-import matches on the source's ids: nothing doubled
    again = load.import_package(db.session, folder)
    db.session.commit()
    assert (again.created, len(db.session.scalars(select(Service)).all())) == (0, 2)


def data_folder(tmp_path: Path) -> Path:
    """The 3.1 example with its files moved under data/ and its datapackage.json saying so."""
    folder = tmp_path / "pkg"
    shutil.copytree(DATA / "hsds-3.1-example", folder / "data")
    meta = json.loads((folder / "data" / "datapackage.json").read_text(encoding="utf-8"))
    (folder / "data" / "datapackage.json").unlink()
    for resource in meta["resources"]:
        resource["path"] = "data/" + resource["path"]
    (folder / "datapackage.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


def test_a_folder_and_its_zip_with_data_paths_import_alike(app, tmp_path):
    folder = data_folder(tmp_path)
    report = load.import_package(db.session, folder, skip_invalid=True)
    db.session.commit()
    assert report.version == "3.x"
    assert report.tables["services"]["stored"] == 1
    archive = tmp_path / "pkg.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in folder.rglob("*"):
            zf.write(path, path.relative_to(folder))
    unpacked = tmp_path / "unpacked"
    with archive.open("rb") as stream:
        source.unpack_zip(stream, unpacked, max_bytes=10**7, max_entries=100, max_ratio=100)
    again = load.import_package(db.session, unpacked, skip_invalid=True)
    db.session.commit()
    assert again.tables["services"]["stored"] == 1
    assert len(db.session.scalars(select(Service)).all()) == 1


def test_a_table_read_again_gives_the_ids_its_first_reading_gave(app, tmp_path):
    # the load reads tables again after the check: a table all of whose ids are UUIDs is
    # read as it is; one with any other id (here only the last row's own) is converted
    # every time it is read
    folder = small_1x(tmp_path / "harbor")
    org = own_id("harbor", "organizations", "7")  # a UUID: what the source's 7 becomes
    svc, loc = "0b6e8e53-6c38-4a4f-9d43-0c2c1e0e8a10", "5d0f3c1a-2b7e-4c55-8f0e-9a1b2c3d4e5f"
    write(
        folder,
        "services.csv",
        f"id,organization_id,name,status\n{svc},{org},Tenant line,\n12,{org},Food shelf,",
    )
    write(folder, "locations.csv", f"id,organization_id,name\n{loc},{org},Harbor hall")
    write(folder, "services_at_location.csv", f"id,service_id,location_id\n,{svc},{loc}")
    pkg = check.read_package(folder)
    assert not pkg.problems
    assert "locations" in pkg.ids_as_given
    assert "services" not in pkg.ids_as_given
    places = [dict(r) for _, r in pkg.rows("locations")]
    assert places == [  # a 1.x location is a physical one
        {
            "id": loc,
            "organization_id": org,
            "name": "Harbor hall",
            "_src": "locations",
            "location_type": "physical",
        }
    ]
    first = [dict(r) for _, r in pkg.rows("services")]
    again = [dict(r) for _, r in pkg.rows("services")]
    assert again == first
    assert [r["id"] for r in again] == [svc, own_id("harbor", "services", "12")]
    assert [r.get("_sid") for r in again] == [None, "12"]
