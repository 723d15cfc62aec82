"""The audit log is append-only in the database itself (migration 0020): plain SQL that
bypasses the ORM cannot change or remove an entry, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import exc, text

from app import audit
from app.extensions import db
from app.models import AuditEvent


@pytest.fixture
def entry(app):
    audit.record(db.session, "read", "referrals", 7, detail="who read it")
    db.session.commit()
    return db.session.execute(text("SELECT id FROM audit_events")).scalar_one()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET detail = 'nothing happened' WHERE id = :id",
        "UPDATE audit_events SET actor = 'someone else'",
        "DELETE FROM audit_events WHERE id = :id",
        "DELETE FROM audit_events",
    ],
)
def test_plain_sql_cannot_change_or_remove_an_audit_entry(app, entry, statement):
    with db.engine.connect() as conn:
        with pytest.raises(exc.DatabaseError, match="append-only"):
            conn.execute(text(statement), {"id": entry})
        conn.rollback()
    row = db.session.execute(text("SELECT actor, detail FROM audit_events")).one()
    assert tuple(row) == ("system", "who read it")


def test_new_entries_are_still_written(app, entry):
    audit.record(db.session, "read", "referrals", 8)
    db.session.commit()
    assert db.session.execute(text("SELECT count(*) FROM audit_events")).scalar_one() == 2


def test_an_entrys_changes_are_kept_as_json_text_and_read_back_alike(app):
    # written by the engine's JSON writer (orjson, compact), readable by any JSON reader:
    # accents as written, a number as a key written as text as the standard encoder does
    changes = {"name": [None, "Clínica Esperanza"], 3: "x", "open": [False, True]}
    audit.record(db.session, "update", "services", 9, changes=changes)
    db.session.commit()
    stored = db.session.execute(text("SELECT changes FROM audit_events")).scalar_one()
    if isinstance(stored, str):  # SQLite keeps the text; PostgreSQL's driver decodes json
        assert stored == '{"name":[null,"Clínica Esperanza"],"3":"x","open":[false,true]}'
    db.session.expire_all()
    event = db.session.execute(text("SELECT id FROM audit_events")).scalar_one()
    assert db.session.get(AuditEvent, event).changes == {
        "name": [None, "Clínica Esperanza"],
        "3": "x",
        "open": [False, True],
    }
