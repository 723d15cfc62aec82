"""Migrations: the head matches the models, and every revision upgrades and downgrades on a
populated database."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select

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
