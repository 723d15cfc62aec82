"""Migration 0022: interpreter availability and care type become "not stated" where
today's value is the old default and no person or source stated it (read from the audit
log), each change audited; values a person or a source gave are kept."""

from __future__ import annotations

from datetime import datetime

from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from app.extensions import db
from app.models import AuditEvent
from directory.models import Service
from tests.factories import ServiceFactory

BEFORE = "0021"


def _entry(service_id: int, action: str, changes: dict, *, user_id=None, actor="x") -> dict:
    return {
        "at": datetime(2026, 11, 1, 12, 0),
        "user_id": user_id,
        "actor": actor,
        "action": action,
        "object_type": "services",
        "object_id": str(service_id),
        "parent": f"services:{service_id}",
        "changes": changes,
        "outcome": "ok",
    }


DEFAULTS = {"interpreter_available": [None, False], "care_type": [None, "ongoing"]}


def test_0022_unclaims_defaults_nobody_stated_and_keeps_statements(app, users):
    names = ["person", "import", "none", "nondefault", "edited", "seed", "reimport"]
    made = {n: ServiceFactory(name=n) for n in names}
    made["nondefault"].interpreter_available = True
    made["nondefault"].care_type = "emergency"
    db.session.commit()
    ids = {n: s.id for n, s in made.items()}
    uid = users["coordinator"].id
    db.session.remove()
    downgrade(revision=BEFORE)  # the columns as they were: NOT NULL, defaults filled in
    with db.engine.begin() as conn:
        filled = conn.execute(
            text("SELECT interpreter_available, care_type FROM services WHERE id = :i"),
            {"i": ids["none"]},
        ).one()
        assert tuple(filled) == (False, "ongoing")
        imported = {**DEFAULTS, "import_source": [None, "211 package"]}
        history = [
            # entered by a coordinator through the form or the API: stated
            _entry(ids["person"], "create", {"name": [None, "person"], **DEFAULTS}, user_id=uid),
            # imported through the web page (a user is logged in) with the defaults filled
            _entry(ids["import"], "create", imported, user_id=uid),
            _entry(ids["edited"], "create", imported, actor="hsds import"),
            # then a coordinator said "no interpreter"
            _entry(ids["edited"], "update", {"interpreter_available": [True, False]}, user_id=uid),
            # the seed command (no user) wrote the defaults
            _entry(ids["seed"], "create", DEFAULTS, actor="cli"),
            _entry(ids["reimport"], "create", imported, actor="hsds import"),
            # a later import's source gave the care type (an update records given values)
            _entry(
                ids["reimport"], "update", {"care_type": ["emergency", "ongoing"]}, actor="import"
            ),
        ]
        conn.execute(AuditEvent.__table__.insert(), history)
    upgrade()
    got = {
        s.name: (s.interpreter_available, s.care_type) for s in db.session.scalars(select(Service))
    }
    assert got == {
        "person": (False, "ongoing"),
        "import": (None, None),
        "none": (None, None),
        "nondefault": (True, "emergency"),
        "edited": (False, None),
        "seed": (None, None),
        "reimport": (None, "ongoing"),
    }
    entries = db.session.scalars(
        select(AuditEvent).where(AuditEvent.actor == "migration 0022")
    ).all()
    by_service = {int(e.object_id): e.changes for e in entries}
    both = {"interpreter_available": [False, None], "care_type": ["ongoing", None]}
    assert by_service == {
        ids["import"]: both,
        ids["none"]: both,
        ids["edited"]: {"care_type": ["ongoing", None]},
        ids["seed"]: both,
        ids["reimport"]: {"interpreter_available": [False, None]},
    }
    assert all(e.action == "update" and e.user_id is None for e in entries)


def test_0022_downgrade_writes_the_old_defaults_back(app):
    s = ServiceFactory(name="quiet")
    db.session.commit()
    service_id = s.id
    db.session.remove()
    downgrade(revision=BEFORE)
    with db.engine.connect() as conn:
        row = conn.execute(
            text("SELECT interpreter_available, care_type FROM services WHERE id = :i"),
            {"i": service_id},
        ).one()
    assert tuple(row) == (False, "ongoing")
    upgrade()
    back = db.session.get(Service, service_id)
    assert (back.interpreter_available, back.care_type) == (None, None)
