"""No default claims: a service's interpreter availability and care type may be not stated

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 07:00:00

``services.interpreter_available`` defaulted to false and ``services.care_type`` to
"ongoing": every service nobody described said "no interpreter" and "ongoing care", and
every imported one did too, though no source said either. Both columns become nullable,
NULL meaning "not stated" (shown "not stated (ask)"), like the eligibility facts of 0015.

Which of today's values were stated is read from the audit log, field by field: the value
is kept where the last create or update entry that set the field was a person's (an entry
with a user: a form, the API, an accepted partner suggestion) or an import's update (an
update entry records only values the source gave). It becomes not stated where it equals
the old default and the last entry that set it was a bulk import's create (the importer
filled the default for what the package did not say: its create entries name
``import_source``), a command's (``flask seed``, no user), or there is none. A value other
than the default was never a default and is kept. Each service changed gets an audit
entry ("migration 0022") with the old and new values.

A phone's label (what a source wrote with the number: "press 2 for Spanish", a second
number) grows from 100 to 300 characters, so such words are kept rather than refused.

Known limit: a person's create entry holds every column, so a service created through the
API without these fields shows the default as set by that person and keeps it.
"""

import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

# column → (type, the default the app used to write when nothing was stated)
FACTS = {
    "interpreter_available": (sa.Boolean(), False),
    "care_type": (sa.String(length=20), "ongoing"),
}
ACTOR = "migration 0022"


def _nullable(nullable: bool) -> None:
    with op.batch_alter_table("services", schema=None) as batch_op:
        for name, (type_, _default) in FACTS.items():
            batch_op.alter_column(name, existing_type=type_, nullable=nullable)


def _changes(value) -> dict:
    """An audit entry's ``changes`` (JSON text on SQLite, a dict from psycopg)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, dict) else {}


def _stated(conn, column: str) -> set[int]:
    """Ids of services whose last audit entry setting ``column`` says a person or a source
    stated it (see the module's docstring)."""
    last: dict[int, bool] = {}
    rows = conn.execute(
        sa.text(
            "SELECT object_id, action, user_id, changes FROM audit_events "
            "WHERE object_type = 'services' AND action IN ('create', 'update') "
            "AND CAST(changes AS TEXT) LIKE :like ORDER BY id"
        ),
        {"like": f"%{column}%"},
    )
    for object_id, action, user_id, raw in rows:
        changes = _changes(raw)
        if column not in changes or not (object_id or "").isdigit():
            continue
        if action == "update":
            by_someone = True
        else:
            by_someone = user_id is not None and "import_source" not in changes
        last[int(object_id)] = by_someone
    return {service_id for service_id, stated in last.items() if stated}


def _label(length: int) -> None:
    with op.batch_alter_table("phones", schema=None) as batch_op:
        batch_op.alter_column(
            "label",
            existing_type=sa.String(length=300 if length == 100 else 100),
            type_=sa.String(length=length),
        )


def upgrade():
    _nullable(True)
    _label(300)
    conn = op.get_bind()
    unclaimed: dict[int, dict] = {}
    for column, (_type, default) in FACTS.items():
        defaulted = conn.execute(
            sa.text(f"SELECT id FROM services WHERE {column} = :d"),  # noqa: S608 (FACTS)
            {"d": default},
        ).scalars()
        ids = set(defaulted) - _stated(conn, column)
        for service_id in ids:
            unclaimed.setdefault(service_id, {})[column] = [default, None]
        for chunk in _chunks(sorted(ids)):
            update = f"UPDATE services SET {column} = NULL WHERE id IN ({chunk})"  # noqa: S608
            conn.execute(sa.text(update))
    audit = sa.table(
        "audit_events",
        sa.column("at", sa.DateTime()),
        sa.column("actor", sa.String()),
        sa.column("action", sa.String()),
        sa.column("object_type", sa.String()),
        sa.column("object_id", sa.String()),
        sa.column("parent", sa.String()),
        sa.column("changes", sa.JSON()),
        sa.column("outcome", sa.String()),
        sa.column("detail", sa.Text()),
    )
    now = datetime.now(UTC).replace(tzinfo=None)  # the log keeps naive UTC
    entries = [
        {
            "at": now,
            "actor": ACTOR,
            "action": "update",
            "object_type": "services",
            "object_id": str(service_id),
            "parent": f"services:{service_id}",
            "changes": changes,
            "outcome": "ok",
            "detail": "not stated: a default value that no person or source stated",
        }
        for service_id, changes in sorted(unclaimed.items())
    ]
    for start in range(0, len(entries), 1000):
        conn.execute(audit.insert(), entries[start : start + 1000])


def _chunks(ids: list[int], size: int = 500):
    for start in range(0, len(ids), size):
        yield ", ".join(str(int(i)) for i in ids[start : start + size])


def downgrade():
    conn = op.get_bind()
    long_labels = conn.execute(sa.text("SELECT count(*) FROM phones WHERE length(label) > 100"))
    if n := long_labels.scalar():  # cutting them would lose what the source wrote
        raise RuntimeError(f"{n} phone labels are longer than 100 characters: shorten them first.")
    for column, (_type, default) in FACTS.items():
        conn.execute(
            sa.text(f"UPDATE services SET {column} = :d WHERE {column} IS NULL"),  # noqa: S608
            {"d": default},
        )
    _nullable(False)
    _label(100)
