"""Migrations: the head matches the models, and every revision upgrades and downgrades on a
populated database."""

from __future__ import annotations

from datetime import datetime

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

    found = search.search(db.session, search.Filters(q="shelter"))
    assert found.total > 0


def test_0014_keeps_what_a_coordinator_entered_and_unclaims_import_defaults(app):
    """Before 0014 an import wrote defaults ("free", "any", no ID needed...) for facts the
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
