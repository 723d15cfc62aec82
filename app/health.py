"""What ``/health`` checks: the database answers and is at the newest migration (the
Alembic head the code ships with), and the task queue keeps a value. Each check's failure
is logged with its cause; the answer names only which part is down (it is public)."""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text

from app import jobs
from app.extensions import db

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


@cache
def code_heads() -> frozenset[str]:
    """The head revision(s) of the migrations shipped with this code."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def database() -> tuple[str, list[str] | None]:
    """``ok``, ``unreachable`` or ``not migrated``, with the database's revision(s)."""
    try:
        found = db.session.execute(text("SELECT version_num FROM alembic_version"))
        revisions = sorted(found.scalars())
    except Exception as exc:  # any driver error: the database is down or not set up
        log.warning("health: the database did not answer: %s", type(exc).__name__)
        db.session.rollback()
        try:
            db.session.execute(text("SELECT 1"))
        except Exception:
            db.session.rollback()
            return "unreachable", None
        return "not migrated", []
    finally:
        db.session.rollback()
    return ("ok" if set(revisions) == code_heads() else "not migrated"), revisions


def queue() -> tuple[str, int | None]:
    """``ok`` or ``unreachable``, with the number of jobs waiting."""
    try:
        jobs.ping()
        return "ok", jobs.depth()
    except Exception as exc:
        log.warning("health: the task queue did not answer: %s", type(exc).__name__)
        return "unreachable", None


def check() -> dict:
    """The whole report: ``status`` is ``ok`` only when every part is."""
    db_state, revisions = database()
    queue_state, depth = queue()
    ok = db_state == "ok" and queue_state == "ok"
    return {
        "status": "ok" if ok else "unavailable",
        "database": db_state,
        "migration": {"database": revisions, "code": sorted(code_heads())},
        "queue": queue_state,
        "queue_kind": jobs.queue_kind(),
        "queue_depth": depth,
    }
