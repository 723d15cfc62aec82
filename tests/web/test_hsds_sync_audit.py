"""Re-import as a sync audits what a record holds beside its own columns (issue #21): a
service's places and source terms and a location's phones changed by a re-import are in
that record's one audit entry of the import, old and new; the same import again writes no
entry."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent
from directory.hsds.importing import load
from directory.models import Location, Organization, Service
from tests.web.test_hsds_facts import (
    ANNEX,
    FOOD,
    LEGAL,
    MAIN,
    ORG,
    package_3_0,
    read_csv,
    uid,
    write,
)


def _mark() -> int:
    return db.session.scalar(select(func.max(AuditEvent.id))) or 0


def _entries(since: int, kind: str | None = None) -> list[AuditEvent]:
    stmt = select(AuditEvent).where(
        AuditEvent.id > since, AuditEvent.action.in_(("create", "update", "delete"))
    )
    if kind:
        stmt = stmt.where(AuditEvent.object_type == kind)
    return list(db.session.scalars(stmt.order_by(AuditEvent.id)))


def _record(model, hsds_id: str):
    return db.session.scalar(select(model).where(model.hsds_id == hsds_id))


def _move_the_pantry(folder):
    """The source moves the pantry from the Annex to the main office (a new
    service-at-location id, sal4), files it under "Basic Needs" instead of "Food
    Pantries", files the legal clinic under "Basic Needs" too, and changes the main
    office's phone."""
    places = read_csv(folder / "service_at_location.csv")
    places[2] = {"id": uid("sal4"), "service_id": FOOD, "location_id": MAIN}
    write(folder, "service_at_location", places)
    phones = read_csv(folder / "phones.csv")
    phones[0]["number"] = "+13125550109"
    phones[1]["service_at_location_id"] = uid("sal4")
    write(folder, "phones", phones)
    attributes = read_csv(folder / "attributes.csv")
    attributes[0]["taxonomy_term_id"] = uid("term-basic")
    attributes.append({**attributes[0], "id": uid("at2"), "link_id": LEGAL})
    write(folder, "attributes", attributes)


def test_a_reimport_audits_places_terms_and_phones_once_per_record(app, client, token, tmp_path):
    folder = package_3_0(tmp_path / "p")
    load.import_package(db.session, folder)
    db.session.commit()
    food, legal, main = _record(Service, FOOD), _record(Service, LEGAL), _record(Location, MAIN)
    annex = _record(Location, ANNEX)
    food_key, legal_key, main_key, annex_key = food.id, legal.id, main.id, annex.id
    legal_version = legal.version
    org_key = _record(Organization, ORG).id

    # the same package again: nothing changed, nothing written
    before = _mark()
    load.import_package(db.session, folder)
    db.session.commit()
    assert _entries(before) == []

    since = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    _move_the_pantry(folder)
    before = _mark()
    load.import_package(db.session, folder)
    db.session.commit()
    entries = _entries(before)
    by_record = {(e.object_type, e.object_id): e for e in entries}
    assert len(by_record) == len(entries)  # one entry per changed record
    assert set(by_record) == {
        ("services", str(food_key)),
        ("services", str(legal_key)),
        ("locations", str(main_key)),
    }

    pantry = by_record[("services", str(food_key))]
    assert pantry.action == "update"
    assert pantry.parent == f"services:{food_key}"
    # its place moved: the Annex (sal3) before, the main office (sal4) now; its primary
    # location with it
    assert pantry.changes["places"] == [
        f"Annex ({uid('sal3')})",
        f"Main office ({uid('sal4')})",
    ]
    assert pantry.changes["location_id"] == [annex_key, main_key]
    assert pantry.changes["terms"] == [
        f"BD-1800.6000 Food Pantries ({uid('term-pantry')})",
        f"BD Basic Needs ({uid('term-basic')})",
    ]

    # the clinic changed in its terms, and so in its category: filed under the 211 HSIS
    # code BD, the default mapping (seeds/hsds/airs-section-v.csv) makes it a food
    # organization; its one entry says both, its version moves on
    clinic = by_record[("services", str(legal_key))]
    assert clinic.changes == {
        "terms": [None, f"BD Basic Needs ({uid('term-basic')})"],
        "category": [None, "food"],
    }
    db.session.expire_all()
    assert db.session.get(Service, legal_key).version == legal_version + 1

    office = by_record[("locations", str(main_key))]
    assert office.changes == {"phones": ["+13125550101 (voice)", "+13125550109 (voice)"]}
    assert office.parent == f"organizations:{org_key}"

    # a client syncing by date learns of both services
    changed = client.get(
        f"/api/hsds/services?modified_after={since}&per_page=50", headers=token("viewer")
    ).get_json()
    assert {s["id"] for s in changed["contents"]} >= {FOOD, LEGAL}

    # and the same package once more writes nothing
    before = _mark()
    load.import_package(db.session, folder)
    db.session.commit()
    assert _entries(before) == []
