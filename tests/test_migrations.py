"""Migrations: the head matches the models, and every revision upgrades and downgrades on a
populated database."""

from __future__ import annotations

from datetime import datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select, text

from app.extensions import db
from directory import seeding
from directory.models import Service


def test_head_matches_the_models(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": _include})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def _include(obj, name, type_, reflected, compare_to):
    if type_ == "table" and name and name.startswith("search_fts"):
        return False
    return not (type_ == "index" and name == "ix_search_documents_tsv")


def test_downgrade_and_upgrade_on_a_populated_database(app):
    seeding.load_demo(db.session)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Service)) > 60
    db.session.remove()
    downgrade(revision="base")
    tables = set(inspect(db.engine).get_table_names())
    assert "services" not in tables
    upgrade()
    assert "services" in set(inspect(db.engine).get_table_names())
    seeding.load_demo(db.session)
    db.session.commit()
    from directory.search import query as search
    from directory.search.filters import Filters

    found = search.search(db.session, Filters(q="shelter"))
    assert found.total > 0


def test_0015_keeps_what_a_coordinator_entered_and_unclaims_import_defaults(app):
    """Before 0015 an import wrote defaults ("free", "any", no ID needed...) for facts the
    package did not state; entered records (audited creates) keep their values."""
    seeding.load_demo(db.session)
    db.session.commit()
    entered = db.session.scalar(select(Service).where(Service.cost == "fee"))
    entered_id, entered_cost = entered.id, entered.cost
    db.session.remove()
    downgrade(revision="0012")
    with db.engine.begin() as conn:
        org_id = conn.execute(text("SELECT min(id) FROM organizations")).scalar()
        conn.execute(
            text(
                "INSERT INTO services (organization_id, name, category, status, languages, "
                "interpreter_available, genders, immigration_status, victim_id_required, cost, "
                "walk_in, appointment_required, modalities, care_type, interpreter_trauma_trained, "
                "open_24_7, version, created_at, updated_at) VALUES (:o, 'Imported', 'food', "
                "'active', '', false, '', 'any', false, 'free', false, false, 'in_person', "
                "'ongoing', false, false, 1, :now, :now)"
            ),
            {"o": org_id, "now": datetime(2026, 11, 1, 12, 0)},
        )
    upgrade()
    imported = db.session.scalar(select(Service).where(Service.name == "Imported"))
    assert imported.cost is None
    assert imported.immigration_status is None
    assert imported.victim_id_required is None
    assert imported.walk_in is None
    assert imported.modalities is None
    assert imported.genders is None
    assert db.session.get(Service, entered_id).cost == entered_cost


def test_0013_moves_withheld_points_to_the_town_and_drops_postal_codes(app):
    """An existing directory: confidential locations searched by their ZIP centre, their
    postal code indexed, a geocoder miss cached. After 0013 none of it is left."""
    from sqlalchemy import text

    from directory import geo, visibility
    from directory.derived import SearchDocument, SearchEntry
    from directory.models import Location

    seeding.load_demo(db.session)
    db.session.commit()
    db.session.remove()
    downgrade(revision="0012")
    withheld = db.session.execute(
        text("SELECT id, postal_code, country FROM locations WHERE confidential = true")
    ).all()
    assert withheld
    for loc_id, postal_code, country in withheld:  # as 0012's code left them
        zip_lat, zip_lon = geo.postal_point(postal_code, country)
        params = {"a": zip_lat, "o": zip_lon, "i": loc_id, "p": postal_code}
        db.session.execute(
            text("UPDATE locations SET search_lat = :a, search_lon = :o WHERE id = :i"), params
        )
        db.session.execute(
            text(
                "UPDATE search_entries SET lat = :a, lon = :o "
                "WHERE service_id IN (SELECT id FROM services WHERE location_id = :i)"
            ),
            params,
        )
        db.session.execute(
            text(
                "UPDATE search_documents SET document = document || ' ' || :p "
                "WHERE service_id IN (SELECT id FROM services WHERE location_id = :i)"
            ),
            params,
        )
    db.session.execute(
        text(
            "INSERT INTO geocode_cache (query, provider, found, created_at) "
            "VALUES ('my client lives at 5 elm st', 'offline', :no, CURRENT_TIMESTAMP)"
        ),
        {"no": False},
    )
    db.session.commit()
    db.session.remove()
    upgrade()
    for loc in db.session.scalars(select(Location).where(Location.confidential.is_(True))):
        expected = visibility.search_point(loc)
        assert (loc.search_lat, loc.search_lon) == pytest.approx(expected)
        for s in loc.services:
            entry = db.session.get(SearchEntry, (s.id, 0))  # its primary place (0019)
            if entry is not None:
                assert (entry.lat, entry.lon) == pytest.approx(expected)
                assert entry.lat_band == int(expected[0] // 0.5)
            document = db.session.get(SearchDocument, s.id)
            if document is not None:
                assert loc.postal_code not in document.document.split()
    assert db.session.scalar(text("SELECT count(*) FROM geocode_cache WHERE found = false")) == 0


def test_0019_writes_the_entries_of_other_places_as_the_index_does(app):
    """0019 turns each entry into the primary place's and writes one for each other place
    of a listed service: the same rows the index code writes (checked against them), and
    the downgrade keeps the primary places' rows."""
    from directory.derived import SearchEntry
    from directory.models import Location
    from directory.service_locations import ServiceAtLocation, ServiceAtLocationHours

    seeding.load_demo(db.session)
    db.session.commit()
    service = db.session.scalar(
        select(Service).where(Service.location_id.is_not(None)).order_by(Service.id)
    )
    org = service.organization
    elsewhere = Location(
        organization=org,
        name="Annex",
        city="Evanston",
        region="IL",
        country="US",
        latitude=42.05,
        longitude=-87.69,
        timezone="America/Chicago",
        search_lat=42.05,
        search_lon=-87.69,
    )
    hidden = Location(
        organization=org,
        name="Shelter",
        city="Evanston",
        region="IL",
        country="US",
        confidential=True,
        search_lat=42.04114,
        search_lon=-87.69006,
        timezone="America/Chicago",
    )
    db.session.add_all([elsewhere, hidden])
    own = ServiceAtLocation(location=elsewhere)
    own.hours.append(ServiceAtLocationHours(weekday=5, opens=600, closes=630))
    service.at_locations.extend(
        [ServiceAtLocation(location=service.location), own, ServiceAtLocation(location=hidden)]
    )
    db.session.commit()

    def entries() -> list[dict]:
        rows = db.session.execute(
            text("SELECT * FROM search_entries ORDER BY service_id, place")
        ).mappings()
        return [dict(r) for r in rows]

    written = entries()
    listed = db.session.scalar(select(func.count()).select_from(SearchEntry))
    assert listed == len(written)
    assert [r["place"] for r in written if r["service_id"] == service.id] == [
        0,
        own.id,
        service.at_locations[2].id,
    ]
    db.session.remove()
    downgrade(revision="0018")
    back = db.session.execute(text("SELECT service_id FROM search_entries")).scalars().all()
    assert sorted(back) == [r["service_id"] for r in written if r["place"] == 0]
    db.session.remove()
    upgrade()
    assert entries() == written


def test_0020_adds_stems_and_source_term_names_to_existing_documents(app):
    """A directory indexed before 0020: its documents hold folded words only and no term
    names. After 0020 each holds its words' stems, and a service filed under a source term
    that its text does not name holds the term's name, as the index code writes them."""
    from directory.derived import SearchDocument
    from directory.search.index import document_for
    from directory.search.words import fold, stemmed
    from directory.source_terms import ServiceTerm, SourceTerm

    seeding.load_demo(db.session)
    db.session.commit()
    filed = db.session.scalar(select(Service).order_by(Service.id))
    term = SourceTerm(hsds_id="t-1", name="Nutrition Assistance", import_source="sample")
    db.session.add(term)
    db.session.flush()
    filed_id = filed.id
    db.session.add(ServiceTerm(service_id=filed_id, term_id=term.id))
    db.session.commit()
    db.session.remove()
    downgrade(revision="0019")
    names = dict(db.session.execute(text("SELECT id, name FROM services")).all())
    for service_id, name in names.items():  # a 0019 document: folded words, no stems
        db.session.execute(
            text("UPDATE search_documents SET document = :d WHERE service_id = :i"),
            {"d": fold(name), "i": service_id},
        )
    db.session.commit()
    db.session.remove()
    upgrade()
    documents = dict(
        db.session.execute(select(SearchDocument.service_id, SearchDocument.document)).all()
    )
    assert documents
    for service_id, document in documents.items():
        words = set(document.split())
        assert set(stemmed(fold(names[service_id])).split()) <= words
    assert {"nutrition", "assistance", "assist"} <= set(documents[filed_id].split())
    # the index code writes the same words (with the rest of the service's text)
    service = db.session.get(Service, filed_id)
    assert set(documents[filed_id].split()) <= set(
        document_for(service, ["Nutrition Assistance"]).split()
    )
