"""The audit log: every change to an audited record is written in the same transaction.

Models opt in with ``__audited__ = True``. A ``after_flush`` listener on every session
turns inserts, updates and deletes of those models into ``AuditEvent`` rows holding the
changed fields with old and new values (the change history HSDS calls ``metadata``).
Reads worth recording (referrals, feedback notes) call ``record`` explicitly. A change made
on someone's behalf (a partner's suggestion a coordinator approves) sets ``g.audit_detail``
and every row written meanwhile carries it.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
from collections.abc import Iterable
from typing import Any, cast

from flask import g, has_request_context
from flask_login import current_user
from sqlalchemy import Table, event, inspect
from sqlalchemy.orm import Mapper, Session

from app.extensions import DbSession
from app.models import AuditEvent, utcnow


def current_actor() -> tuple[int | None, str]:
    """(user id, label) of whoever is acting: the logged-in user, a CLI command or the system."""
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id, current_user.email
    if g and (user := g.get("audit_user")):
        return user  # a job run by the worker on its owner's behalf (app.jobs)
    label = g.get("audit_actor") if g else None
    return None, label or "system"


_PLAIN = (str, int, float, bool)


def _plain(value: Any) -> Any:
    """A JSON-safe form of a column value."""
    if value is None or type(value) in _PLAIN:  # most values: nothing to do
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _object_id(obj: Any) -> str | None:
    key = inspect(obj).mapper.primary_key_from_instance(obj)
    return ":".join(str(part) for part in key) if all(p is not None for p in key) else None


def _changes(obj: Any, *, deleted: bool = False) -> dict:
    """Changed column attributes as ``{field: [old, new]}``, redacting what the model hides."""
    state = inspect(obj)
    redact = set(getattr(obj, "__audit_redact__", ()))
    skip = {"created_at", "updated_at", "version"}
    out = {}
    for attr in state.mapper.column_attrs:
        if attr.key in skip:
            continue
        history = state.attrs[attr.key].history
        if deleted:
            old, new = state.attrs[attr.key].value, None
        elif state.pending or not state.has_identity:
            old, new = None, state.attrs[attr.key].value
            if new is None:
                continue
        elif history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old == new:
                continue
        else:
            continue
        out[attr.key] = "(changed)" if attr.key in redact else [_plain(old), _plain(new)]
    return out


def _audit_type(obj: Any) -> str:
    return getattr(obj, "__audit_name__", obj.__tablename__)


def _parent(obj: Any, object_id: str | None) -> str | None:
    """The record whose history holds this change: itself, or the first parent a model
    names in ``__audit_parent__`` (pairs of table name and foreign-key attribute)."""
    spec = getattr(obj, "__audit_parent__", ())
    for table, attr in zip(spec[::2], spec[1::2], strict=True):
        value = getattr(obj, attr, None)
        if value is not None:
            return f"{table}:{value}"
    return f"{_audit_type(obj)}:{object_id}" if object_id else None


def _keep_old_value(*_args: Any) -> None:
    """Nothing to do: listening with ``active_history`` is what loads the old value."""


@event.listens_for(Mapper, "mapper_configured")
def _load_old_values(mapper: Mapper, class_: type) -> None:
    """Setting a column of an audited model loads its old value first when the session no
    longer holds it (after a commit every attribute is expired): without this the entry
    said ``[None, new]`` for such a change, and clearing such a field wrote no entry."""
    if getattr(class_, "__audited__", False):
        for attr in mapper.column_attrs:
            event.listen(getattr(class_, attr.key), "set", _keep_old_value, active_history=True)


@event.listens_for(Session, "after_flush")
def _write_audit_rows(session: Session, flush_context: Any) -> None:  # noqa: ARG001
    rows = []
    user_id, actor = current_actor()
    detail = g.get("audit_detail") if g else None
    now = utcnow()
    groups = (("create", session.new), ("update", session.dirty), ("delete", session.deleted))
    for action, objects in groups:
        for obj in objects:
            if not getattr(obj, "__audited__", False):
                continue
            changes = _changes(obj, deleted=action == "delete")
            if action == "update" and not changes:
                continue
            object_id = _object_id(obj)
            rows.append(
                {
                    "at": now,
                    "user_id": user_id,
                    "actor": actor,
                    "action": action,
                    "object_type": _audit_type(obj),
                    "object_id": object_id,
                    "parent": _parent(obj, object_id),
                    "changes": changes,
                    "outcome": "ok",
                    "detail": detail,
                }
            )
    if rows:
        # cast: DeclarativeBase types __table__ as any FromClause; a mapped class's is a Table
        table = cast(Table, AuditEvent.__table__)
        session.connection().execute(table.insert(), rows)


def ids(rows: Iterable[Any]) -> str:
    """``ids 3,5,9`` (or ``ids none``): which records a list read returned, for its entry."""
    return "ids " + (",".join(str(r.id) for r in rows) or "none")


def record(
    session: DbSession,
    action: str,
    object_type: str,
    object_id: object = None,
    *,
    outcome: str = "ok",
    detail: str | None = None,
    parent: str | None = None,
    changes: dict | None = None,
) -> None:
    """Add an explicit audit entry (a read, a login, a refused attempt, a user-admin action
    with its old and new values in ``changes``)."""
    user_id, actor = current_actor()
    session.add(
        AuditEvent(
            user_id=user_id,
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=None if object_id is None else str(object_id),
            parent=parent,
            outcome=outcome,
            detail=detail,
            changes=changes,
        )
    )


def export_read(session: DbSession, what: str, detail: str | None = None) -> None:
    """Audit, and commit, a bulk read that leaves the app: an export (an HSDS package, a
    directory sheet, figures), a backup, the outbox. Committed at once: the answer is a
    file or a page, with nothing else to commit, and the entry must stay even if the
    download is interrupted."""
    record(session, "export", what, detail=detail)
    session.commit()
