"""Re-import as a sync: records are matched by HSDS id and updated in place; a value the
source does not carry never overwrites a stored one (the export leaves withheld
addresses out; a 211 may not carry a field at all); every created or changed record gets one
audit entry with its old and new values, as an edit by hand would; records of the same
source missing from a full re-import are deactivated."""

from __future__ import annotations

from collections.abc import Callable, Container
from itertools import groupby
from typing import Any

from sqlalchemy import bindparam, select, update

from app.audit import _PLAIN, _plain, current_actor
from app.bulk import insert_many, table_of
from app.extensions import DbSession, Model
from app.models import AuditEvent, utcnow
from directory.models import Location, Organization, Service

QUIET = {"id", "hsds_id", "version", "created_at", "updated_at", "search_lat", "search_lon"}


Imported = type[Organization] | type[Service] | type[Location]
"""A model an import writes by HSDS id (``Versioned``: ``hsds_id``, ``version``,
``import_source``, ``status``)."""
Derive = Callable[[dict[str, Any]], dict[str, Any]]
"""Values derived from a row's merged values (a location's search point and time zone)."""


def nothing(value: object) -> bool:
    return value is None or value == ""


def _created(row: dict) -> dict:
    """A created record's audit changes: each value given (``nothing`` inlined, and values
    already plain kept as they are: this runs once a row of a 100,000-service import)."""
    return {
        k: [None, v if type(v) in _PLAIN else _plain(v)]
        for k, v in row.items()
        if v is not None and v != "" and k not in QUIET
    }


def _parent(model: type[Model], row: dict, record_id: int) -> str:
    spec = getattr(model, "__audit_parent__", ())
    for table, attr in zip(spec[::2], spec[1::2], strict=True):
        if row.get(attr) is not None:
            return f"{table}:{row[attr]}"
    return f"{getattr(model, '__audit_name__', model.__tablename__)}:{record_id}"


def audit_rows(
    session: DbSession, model: type[Model], entries: list[tuple[str, int, dict, dict]]
) -> None:
    """One audit entry per record: ``(action, id, row, changes)``."""
    if not entries:
        return
    user_id, actor = current_actor()
    now = utcnow()
    kind = getattr(model, "__audit_name__", model.__tablename__)
    insert_many(
        session.connection(),
        table_of(AuditEvent),
        [
            {
                "at": now,
                "user_id": user_id,
                "actor": actor,
                "action": action,
                "object_type": kind,
                "object_id": str(record_id),
                "parent": _parent(model, row, record_id),
                "changes": changes,
                "outcome": "ok",
            }
            for action, record_id, row, changes in entries
        ],
    )


def bulk_insert(session: DbSession, model: type[Model], rows: list[dict]) -> None:
    """Insert rows as the ORM's bulk insert does (a ``None`` given for a column with a
    default takes the default), but as a few Core statements: the ORM's bulk insert leaves
    out every ``None`` value, so rows with different empty fields each became a statement
    of their own (one a row on real data)."""
    table = table_of(model)
    defaulted = {
        c.key
        for c in table.columns
        if (c.default is not None or c.server_default is not None)
        and not c.type.should_evaluate_none
    }

    def given(row: dict) -> frozenset[str]:
        return frozenset(k for k, v in row.items() if v is not None or k not in defaulted)

    for keys, group in groupby(rows, key=given):
        insert_many(
            session.connection(),
            table,
            [{k: v for k, v in row.items() if k in keys} for row in group],
        )


def insert_new(session: DbSession, model: Imported, rows: list[dict], defaults: dict) -> None:
    """Insert new records (a value not given takes its default), audited as created."""
    for row in rows:
        for key, default in defaults.items():
            if row.get(key) is None:
                row[key] = default
    bulk_insert(session, model, rows)
    ids: dict[str, int] = dict(
        session.execute(
            select(model.hsds_id, model.id).where(model.hsds_id.in_([r["hsds_id"] for r in rows]))
        ).all()
    )
    audit_rows(
        session,
        model,
        [
            (
                "create",
                ids[r["hsds_id"]],
                r,
                _created(r),
            )
            for r in rows
        ],
    )


def update_known(
    session: DbSession,
    model: Imported,
    rows: list[dict],
    derive: Derive | None = None,
    pending: list | None = None,
) -> int:
    """Update records the directory holds already: values the source does not carry keep
    what is stored; only records that change are written (version + 1) and audited (with
    ``pending``, their entries are added to it instead, for ``sync_parts`` to complete
    and write). → how many changed."""
    table = table_of(model)
    columns = [
        c for c in {k for r in rows for k in r} if c not in ("hsds_id", "version", "created_at")
    ]
    stored = {
        r.hsds_id: r._asdict()
        for r in session.execute(
            select(table.c.id, table.c.hsds_id, *(table.c[c] for c in columns)).where(
                table.c.hsds_id.in_([r["hsds_id"] for r in rows])
            )
        )
    }
    writes: list[dict[str, Any]] = []
    entries: list[tuple[str, int, dict, dict]] = []
    for row in rows:
        old = stored[row["hsds_id"]]
        merged = {c: old[c] if nothing(row.get(c)) else row[c] for c in columns}
        if derive:
            merged.update(derive(merged))
        changes = {
            c: [_plain(old[c]), _plain(merged[c])]
            for c in columns
            if c not in QUIET and merged[c] != old[c]
        }
        if not changes:
            continue
        writes.append({"b_id": old["id"], **{f"b_{c}": merged[c] for c in columns}})
        entries.append(("update", old["id"], merged, changes))
    if writes:
        statement = (
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values({**{c: bindparam(f"b_{c}") for c in columns}, "version": table.c.version + 1})
        )
        session.execute(statement, writes)
        if pending is None:
            audit_rows(session, model, entries)
        else:
            pending += entries
    return len(writes)


def deactivate_missing(
    session: DbSession, model: type[Service] | type[Organization], source: str, kept: Container[str]
) -> list[str]:
    """Deactivate active records of ``source`` that the package no longer holds, audited;
    → their names."""
    table = table_of(model)
    gone = [
        r
        for r in session.execute(
            select(table.c.id, table.c.hsds_id, table.c.name).where(
                table.c.import_source == source, table.c.status == "active"
            )
        )
        if r.hsds_id not in kept
    ]
    if gone:
        session.execute(
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(status="inactive", version=table.c.version + 1, updated_at=utcnow()),
            [{"b_id": r.id} for r in gone],
        )
        audit_rows(
            session,
            model,
            [("update", r.id, {}, {"status": ["active", "inactive"]}) for r in gone],
        )
    return [f"{table.name} {r.name!r}" for r in gone]
