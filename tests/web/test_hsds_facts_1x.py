"""Every HSDS fact has a home or is reported (#21), from an HSDS 1.x package: postal and
physical addresses, a location's phones and hours, hours at a service's other place,
schedule rows without times, languages by name, the source's taxonomy with a parent named
only by ``parent_name``; and Open Referral's 1.1 sample exported, validated and
round-tripped."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from frictionless import validate
from sqlalchemy import func, select

from app.extensions import db
from directory import languages
from directory.hsds import export as hsds_export
from directory.hsds.importing import load
from directory.models import Location, Organization, Service, SourceTerm
from tests.web.test_hsds_facts import (
    ANNEX,
    FOOD,
    LEGAL,
    MAIN,
    ORG,
    read_csv,
    service,
    uid,
    write,
)

SAMPLE = Path(__file__).parents[1] / "data" / "hsds-1.1-sample"


def package_1_x(folder: Path) -> Path:
    write(
        folder,
        "organizations",
        [{"id": ORG, "name": "Harbor Aid", "description": "Aid", "url": "harbor.example"}],
    )
    write(
        folder,
        "services",
        [
            {
                "id": LEGAL,
                "organization_id": ORG,
                "name": "Harbor legal clinic",
                "status": "active",
                "url": "https://harbor.example/legal",
                "application_process": "Walk in",
                "wait_time": "None",
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
                "organization_id": ORG,
                "name": "Main",
                "description": "Ground floor",
                "transportation": "Red line",
            },
            {"id": ANNEX, "organization_id": ORG, "name": "Annex"},
        ],
    )
    write(
        folder,
        "services_at_location",
        [
            {"id": uid("sal1"), "service_id": LEGAL, "location_id": MAIN},
            {"id": uid("sal2"), "service_id": LEGAL, "location_id": ANNEX},
            {"id": uid("sal3"), "service_id": FOOD, "location_id": ANNEX},
        ],
    )
    row = {"city": "Chicago", "state_province": "IL", "postal_code": "60601", "country": "US"}
    write(
        folder,
        "physical_addresses",
        [{"id": uid("a1"), "location_id": MAIN, "address_1": "1 Dock St", **row}],
    )
    write(
        folder,
        "postal_addresses",
        [{"id": uid("a2"), "location_id": MAIN, "address_1": "PO Box 77", **row}],
    )
    write(
        folder,
        "phones",
        [{"id": uid("p1"), "location_id": ANNEX, "number": "+13125550103", "type": "voice"}],
    )
    write(
        folder,
        "regular_schedules",
        [
            {
                "id": uid("h1"),
                "location_id": ANNEX,
                "weekday": "3",
                "opens_at": "10:00",
                "closes_at": "14:00",
            },
            {"id": uid("h2"), "service_id": LEGAL, "weekday": "Friday"},
            {
                "id": uid("h3"),
                "service_at_location_id": uid("sal2"),
                "weekday": "6",
                "opens_at": "10:00",
                "closes_at": "12:00",
            },
        ],
    )
    write(
        folder,
        "languages",
        [
            {"id": uid("l1"), "service_id": LEGAL, "language": "Haitian Creole"},
            {"id": uid("l2"), "service_id": LEGAL, "language": "Spanish (some staff)"},
            {"id": uid("l3"), "service_id": LEGAL, "language": "Xyzzish"},
        ],
    )
    write(
        folder,
        "taxonomy",
        [
            {
                "id": uid("t-legal"),
                "name": "Legal Services",
                "parent_id": uid("t-root"),
                "parent_name": "Criminal Justice and Legal",
                "vocabulary": "AIRS",
            }
        ],
    )
    write(
        folder,
        "services_taxonomy",
        [
            {
                "id": uid("st1"),
                "service_id": LEGAL,
                "taxonomy_id": uid("t-legal"),
                "taxonomy_detail": "primary",
            }
        ],
    )
    return folder


def test_a_1_x_package_keeps_every_fact(app, tmp_path):
    report = load.import_package(db.session, package_1_x(tmp_path / "p"))
    db.session.commit()
    assert report.version == "1.x"
    legal, food = service(LEGAL), service(FOOD)
    assert (legal.url, legal.application_process, legal.wait_time) == (
        "https://harbor.example/legal",
        "Walk in",
        "None",
    )
    assert legal.language_list == ["ht", "es"]
    assert legal.language_note_list == ["Spanish (some staff)", "Xyzzish"]
    main = legal.location
    assert (main.description, main.transportation, main.postal_address_1) == (
        "Ground floor",
        "Red line",
        "PO Box 77",
    )
    annex = food.location
    assert [p.number for p in annex.phones] == ["+13125550103"]
    assert [(h.weekday, h.opens, h.closes) for h in food.hours] == [(2, 600, 840)]
    # a day listed with neither times nor text says nothing: never read as open (#25)
    assert legal.hours == []
    assert any("a day with neither times nor text (not read as open)" in o for o in report.left_out)
    # its hours at its other place (Saturday) differ from its own (Friday); the place's own
    # hours (Wednesday) are those of the services given there without hours of their own
    places = [
        (p.location.hsds_id, [(h.weekday, h.opens) for h in p.hours]) for p in legal.at_locations
    ]
    assert places == [(MAIN, []), (ANNEX, [(5, 600)])]
    assert [(t.name, t.taxonomy) for t in legal.terms] == [("Legal Services", "AIRS")]
    parent = db.session.scalar(select(SourceTerm).where(SourceTerm.hsds_id == uid("t-root")))
    assert parent.name == "Criminal Justice and Legal"  # named only as a parent: kept
    for column in ("postal_addresses.*", "services.url", "taxonomy.parent_name"):
        assert column not in report.not_kept
    assert "  postal_addresses: 1 / 0 / 1 / 0 / 0" in "\n".join(report.lines())


def test_the_imported_sample_exports_a_valid_package_that_round_trips(app, tmp_path):
    folder = tmp_path / "sample"
    shutil.copytree(SAMPLE, folder)
    load.import_package(db.session, folder, skip_invalid=True)
    db.session.commit()
    first = tmp_path / "first"
    hsds_export.export_package(db.session, first)
    report = validate(str(first / "datapackage.json"))
    assert report.valid, [e.message for t in report.tasks for e in t.errors][:5]
    assert read_csv(first / "taxonomy_terms.csv")  # the sample's own terms travel
    for model in (Service, Organization):
        db.session.query(model).delete()
    db.session.commit()
    load.import_package(db.session, first)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Location)) == 10
    second = tmp_path / "second"
    hsds_export.export_package(db.session, second)
    for path in sorted(first.glob("*.csv")):
        if path.name != "metadata.csv":
            assert path.read_text() == (second / path.name).read_text(), path.name


@pytest.mark.parametrize(
    ("text", "code", "note"),
    [
        ("es", "es", None),
        ("spa", "es", None),
        ("Spanish", "es", None),
        ("Farsi", "fa", None),
        ("ASL", "ase", None),
        ("Spanish (limited)", "es", "Spanish (limited)"),
        ("Xyzzish", None, "Xyzzish"),
        ("", None, None),
    ],
)
def test_a_language_by_code_or_name(text, code, note):
    assert languages.from_source(text) == (code, note)
