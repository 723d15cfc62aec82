"""``app/audit.py`` on its own: small audited models of this file on an in-memory SQLite
database holding only ``audit_events``, a plain SQLAlchemy session (the listener is on
every session) and a bare Flask app for the actor. What is recorded for create, update and
delete, redaction, record ids and parents, explicit entries, the append-only rule. Fast
enough to run against every mutant (``scripts/mutation.py``); expected values by hand."""

from __future__ import annotations

import datetime as dt
import decimal
import enum

import pytest
from flask import Flask, g
from flask_login import LoginManager, UserMixin, login_user
from sqlalchemy import Date, Enum, Integer, Numeric, String, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from app import audit
from app.models import AuditEvent, AuditLogIsAppendOnly, User


class Kind(enum.Enum):
    SHELTER = "shelter"
    CLINIC = "clinic"


class Base(DeclarativeBase):
    pass


class Thing(Base):
    """Audited, with a redacted field and the three bookkeeping columns never logged."""

    __tablename__ = "things"
    __audited__ = True
    __audit_redact__ = ("secret",)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # before the audited fields: skipping them must not end the list
    created_at: Mapped[str | None] = mapped_column(String(20))
    updated_at: Mapped[str | None] = mapped_column(String(20))
    version: Mapped[int | None] = mapped_column(Integer)
    name: Mapped[str | None] = mapped_column(String(40))
    secret: Mapped[str | None] = mapped_column(String(40))
    day: Mapped[dt.date | None] = mapped_column(Date)
    amount: Mapped[decimal.Decimal | None] = mapped_column(Numeric(6, 2))
    kind: Mapped[Kind | None] = mapped_column(Enum(Kind))


class Part(Base):
    """Audited under another name, its history held by its parent (two possible parents)."""

    __tablename__ = "parts"
    __audited__ = True
    __audit_name__ = "thing_parts"
    __audit_parent__ = ("services", "service_id", "things", "thing_id")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[int | None] = mapped_column(Integer)
    thing_id: Mapped[int | None] = mapped_column(Integer)
    label: Mapped[str | None] = mapped_column(String(40))


class Pair(Base):
    """Audited, with a two-column key."""

    __tablename__ = "pairs"
    __audited__ = True

    left: Mapped[int] = mapped_column(Integer, primary_key=True)
    right: Mapped[int] = mapped_column(Integer, primary_key=True)
    note: Mapped[str | None] = mapped_column(String(40))


class Quiet(Base):
    """Not audited."""

    __tablename__ = "quiet"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str | None] = mapped_column(String(40))


@pytest.fixture
def session():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    User.__table__.create(engine)  # the entries' user_id refers to it
    AuditEvent.__table__.create(engine)
    with Session(engine) as s:
        yield s
    engine.dispose()


def entries(session, **where):
    query = select(AuditEvent).order_by(AuditEvent.id).filter_by(**where)
    return session.scalars(query).all()


def row(event):
    """An entry as a dict of what it says (``at`` aside)."""
    return {
        "user_id": event.user_id,
        "actor": event.actor,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "parent": event.parent,
        "changes": event.changes,
        "outcome": event.outcome,
        "detail": event.detail,
    }


class Staff(UserMixin):
    def __init__(self, id, email):  # noqa: A002
        self.id = id
        self.email = email


@pytest.fixture
def flask_app():
    app = Flask(__name__)
    app.secret_key = "test"  # noqa: S105
    manager = LoginManager(app)
    manager.user_loader(lambda _id: None)
    return app


# --- who acts ---------------------------------------------------------------------------


def test_actor_is_the_system_outside_any_app():
    assert audit.current_actor() == (None, "system")


def test_actor_is_a_cli_label_or_the_system(flask_app):
    with flask_app.app_context():
        assert audit.current_actor() == (None, "system")
        g.audit_actor = "cli:import-hsds"
        assert audit.current_actor() == (None, "cli:import-hsds")
        g.audit_actor = ""
        assert audit.current_actor() == (None, "system")


def test_actor_is_the_signed_in_user(flask_app):
    with flask_app.test_request_context():
        assert audit.current_actor() == (None, "system")  # anonymous
        g.audit_actor = "cli:x"
        assert audit.current_actor() == (None, "cli:x")
        login_user(Staff(42, "coord@test.example"))
        assert audit.current_actor() == (42, "coord@test.example")


def test_a_job_acts_for_its_owner(flask_app):
    """A job the worker runs (``app.jobs``) is recorded as its owner's act; a job without
    an owner under its own label."""
    with flask_app.app_context():
        g.audit_actor = "job 12 (directory sheet)"
        g.audit_user = (42, "coord@test.example")
        assert audit.current_actor() == (42, "coord@test.example")
        g.audit_user = None
        assert audit.current_actor() == (None, "job 12 (directory sheet)")


# --- values and ids ---------------------------------------------------------------------


def test_plain_values():
    assert audit._plain(dt.datetime(2026, 3, 9, 14, 5, 6)) == "2026-03-09T14:05:06"
    assert audit._plain(dt.date(2026, 3, 9)) == "2026-03-09"
    assert audit._plain(dt.time(7, 30)) == "07:30:00"
    assert audit._plain(decimal.Decimal("4.50")) == "4.50"
    assert audit._plain(Kind.SHELTER) == "shelter"
    assert audit._plain(12) == 12
    assert audit._plain("x") == "x"
    assert audit._plain(None) is None


def test_object_id():
    assert audit._object_id(Thing(id=5)) == "5"
    assert audit._object_id(Pair(left=3, right=9)) == "3:9"
    assert audit._object_id(Thing()) is None
    assert audit._object_id(Pair(left=3)) is None


def test_ids():
    class R:
        def __init__(self, id):  # noqa: A002
            self.id = id

    assert audit.ids([R(3), R(5), R(9)]) == "ids 3,5,9"
    assert audit.ids([R(12)]) == "ids 12"
    assert audit.ids([]) == "ids none"


def test_audit_type_and_parent():
    assert audit._audit_type(Thing()) == "things"
    assert audit._audit_type(Part()) == "thing_parts"
    assert audit._parent(Thing(id=5), "5") == "things:5"
    assert audit._parent(Thing(), None) is None
    # the first parent named that is set; else the record itself
    assert audit._parent(Part(service_id=4, thing_id=8), "2") == "services:4"
    assert audit._parent(Part(thing_id=8), "2") == "things:8"
    assert audit._parent(Part(), "2") == "thing_parts:2"
    assert audit._parent(Part(service_id=0), "2") == "services:0"


# --- what the listener writes -----------------------------------------------------------


def test_create_is_recorded_with_new_values_redacted_and_bookkeeping_skipped(session):
    before = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    session.add(
        Thing(
            id=5,
            name="Harbor",
            secret="door code 1234",
            day=dt.date(2026, 3, 9),
            amount=decimal.Decimal("4.50"),
            kind=Kind.SHELTER,
            created_at="c",
            updated_at="u",
            version=1,
        )
    )
    session.flush()
    after = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    (event,) = entries(session)
    assert row(event) == {
        "user_id": None,
        "actor": "system",
        "action": "create",
        "object_type": "things",
        "object_id": "5",
        "parent": "things:5",
        "changes": {
            "id": [None, 5],
            "name": [None, "Harbor"],
            "secret": "(changed)",
            "day": [None, "2026-03-09"],
            "amount": [None, "4.50"],
            "kind": [None, "shelter"],
        },
        "outcome": "ok",
        "detail": None,
    }
    assert before <= event.at <= after
    assert "door code" not in str(event.changes)


def test_create_leaves_out_empty_fields(session):
    session.add_all([Thing(id=6, name="Clinic"), Thing(id=7, kind=Kind.CLINIC)])
    session.flush()
    first, second = entries(session)
    assert first.changes == {"id": [None, 6], "name": [None, "Clinic"]}
    # an empty field before a set one does not end the list
    assert second.changes == {"id": [None, 7], "kind": [None, "clinic"]}


def test_update_records_old_and_new_of_changed_fields_only(session):
    session.add(Thing(id=5, name="Harbor", secret="a", day=dt.date(2026, 3, 9)))
    session.commit()
    thing = session.get(Thing, 5)
    thing.name = "Harbor House"
    thing.secret = "b"
    thing.day = None
    thing.amount = decimal.Decimal("2.00")
    thing.updated_at = "later"
    thing.version = 2
    session.flush()
    (event,) = entries(session, action="update")
    assert row(event) == {
        "user_id": None,
        "actor": "system",
        "action": "update",
        "object_type": "things",
        "object_id": "5",
        "parent": "things:5",
        "changes": {
            "name": ["Harbor", "Harbor House"],
            "secret": "(changed)",
            "day": ["2026-03-09", None],
            "amount": [None, "2.00"],
        },
        "outcome": "ok",
        "detail": None,
    }


def test_an_update_that_changes_nothing_writes_nothing(session):
    session.add(Thing(id=5, name="Harbor"))
    session.commit()
    thing = session.get(Thing, 5)
    thing.name = "Harbor"
    thing.version = 7  # bookkeeping only
    session.flush()
    assert entries(session, action="update") == []


def test_a_change_after_a_commit_records_the_old_value(session):
    """After a commit the session holds no value (every attribute expired): the old value
    is loaded when the field is set, so the entry has it, and clearing a field is logged."""
    session.add(Thing(id=5, name="Harbor", secret="s", day=dt.date(2026, 3, 9)))
    session.commit()
    thing = session.get(Thing, 5)
    session.expire(thing)
    thing.name = "Harbor House"
    thing.day = None
    thing.secret = "s"  # the same value: no change
    session.flush()
    (event,) = entries(session, action="update")
    assert event.changes == {"name": ["Harbor", "Harbor House"], "day": ["2026-03-09", None]}


def test_clearing_a_field_after_a_commit_is_recorded(session):
    session.add(Thing(id=5, name="Harbor"))
    session.commit()
    session.get(Thing, 5)  # loaded ...
    session.commit()  # ... and expired again
    thing = session.get(Thing, 5, populate_existing=False)
    session.expire(thing, ["name"])
    thing.name = None
    session.flush()
    (event,) = entries(session, action="update")
    assert event.changes == {"name": ["Harbor", None]}


def test_changes_of_a_record_outside_a_flush():
    """``_changes`` of a record not yet flushed: its set fields as new values; deleted:
    as old values."""
    thing = Thing(id=5, name="Harbor", secret="s", kind=Kind.CLINIC)
    assert audit._changes(thing) == {
        "id": [None, 5],
        "name": [None, "Harbor"],
        "secret": "(changed)",
        "kind": [None, "clinic"],
    }
    assert audit._changes(thing, deleted=True) == {
        "id": [5, None],
        "name": ["Harbor", None],
        "secret": "(changed)",
        "day": [None, None],
        "amount": [None, None],
        "kind": ["clinic", None],
    }


def test_a_misdeclared_parent_spec_fails_loudly():
    """Table names and attributes go in pairs: an odd spec is an error, not a record filed
    under the wrong history."""

    class Odd(Part):
        __audit_parent__ = ("things",)

    with pytest.raises(ValueError, match="zip"):
        audit._parent(Odd(thing_id=8), "2")


def test_delete_records_every_old_value(session):
    session.add(Thing(id=5, name="Harbor", secret="s", version=3))
    session.commit()
    session.delete(session.get(Thing, 5))
    session.flush()
    (event,) = entries(session, action="delete")
    assert row(event)["object_id"] == "5"
    assert event.object_type == "things"
    assert event.parent == "things:5"
    assert event.changes == {
        "id": [5, None],
        "name": ["Harbor", None],
        "secret": "(changed)",
        "day": [None, None],
        "amount": [None, None],
        "kind": [None, None],
    }


def test_named_and_parented_records(session):
    session.add_all([Part(id=2, thing_id=8, label="hours"), Pair(left=3, right=9)])
    session.flush()
    by_type = {e.object_type: row(e) for e in entries(session)}
    assert by_type["thing_parts"]["object_id"] == "2"
    assert by_type["thing_parts"]["parent"] == "things:8"
    assert by_type["thing_parts"]["changes"] == {
        "id": [None, 2],
        "thing_id": [None, 8],
        "label": [None, "hours"],
    }
    assert by_type["pairs"]["object_id"] == "3:9"
    assert by_type["pairs"]["parent"] == "pairs:3:9"


def test_models_that_do_not_opt_in_are_not_recorded(session):
    session.add(Quiet(id=1, name="x"))
    session.flush()
    session.get(Quiet, 1).name = "y"
    session.flush()
    session.delete(session.get(Quiet, 1))
    session.flush()
    assert entries(session) == []


def test_a_flush_records_each_action_once_in_order(session):
    session.add_all([Thing(id=1, name="a"), Thing(id=2, name="b")])
    session.commit()
    one, two = session.get(Thing, 1), session.get(Thing, 2)
    one.name = "a2"
    session.delete(two)
    session.add(Thing(id=3, name="c"))
    session.flush()
    later = [(e.action, e.object_id) for e in entries(session)][2:]
    assert later == [("create", "3"), ("update", "1"), ("delete", "2")]


def test_rows_carry_the_actor_and_the_detail(session, flask_app):
    session.add(User(id=42, email="coord@test.example", password_hash="x", role="coordinator"))
    session.commit()
    with flask_app.test_request_context():
        login_user(Staff(42, "coord@test.example"))
        g.audit_detail = "partner suggestion 17"
        session.add(Thing(id=5, name="Harbor"))
        session.flush()
    (event,) = entries(session)
    assert (event.user_id, event.actor, event.detail) == (
        42,
        "coord@test.example",
        "partner suggestion 17",
    )


def test_a_cli_actor_without_a_detail(session, flask_app):
    with flask_app.app_context():
        g.audit_actor = "cli:seed"
        session.add(Thing(id=5, name="Harbor"))
        session.flush()
    (event,) = entries(session)
    assert (event.user_id, event.actor, event.detail) == (None, "cli:seed", None)


# --- explicit entries -------------------------------------------------------------------


def test_record_an_explicit_entry(session, flask_app):
    session.add(User(id=42, email="coord@test.example", password_hash="x", role="coordinator"))
    session.commit()
    with flask_app.test_request_context():
        login_user(Staff(42, "coord@test.example"))
        audit.record(
            session,
            "read",
            "referrals",
            17,
            outcome="refused",
            detail="not theirs",
            parent="services:3",
            changes={"role": ["viewer", "admin"]},
        )
        session.flush()
    (event,) = entries(session)
    assert row(event) == {
        "user_id": 42,
        "actor": "coord@test.example",
        "action": "read",
        "object_type": "referrals",
        "object_id": "17",
        "parent": "services:3",
        "changes": {"role": ["viewer", "admin"]},
        "outcome": "refused",
        "detail": "not theirs",
    }


def test_record_defaults(session):
    audit.record(session, "list", "referrals")
    audit.record(session, "read", "feedback", 0)
    session.flush()
    first, second = entries(session)
    assert row(first) == {
        "user_id": None,
        "actor": "system",
        "action": "list",
        "object_type": "referrals",
        "object_id": None,
        "parent": None,
        "changes": None,
        "outcome": "ok",
        "detail": None,
    }
    assert second.object_id == "0"


def test_entries_are_append_only(session):
    audit.record(session, "read", "referrals", 1)
    session.commit()
    event = entries(session)[0]
    event.detail = "rewritten"
    with pytest.raises(AuditLogIsAppendOnly):
        session.flush()
    session.rollback()
    session.delete(entries(session)[0])
    with pytest.raises(AuditLogIsAppendOnly):
        session.flush()


# --- what leaves the app ----------------------------------------------------------------


def test_an_export_is_recorded_and_committed_at_once(session, flask_app):
    """The entry is committed with the export: it stays when the download is then
    interrupted (nothing else to commit, the request's session rolled back)."""
    session.add(User(id=42, email="coord@test.example", password_hash="x", role="coordinator"))
    session.commit()
    with flask_app.test_request_context():
        login_user(Staff(42, "coord@test.example"))
        audit.export_read(session, "directory sheet", "pdf: 12 services")
        session.rollback()
    with Session(session.get_bind()) as other:
        (event,) = entries(other)
    assert row(event) == {
        "user_id": 42,
        "actor": "coord@test.example",
        "action": "export",
        "object_type": "directory sheet",
        "object_id": None,
        "parent": None,
        "changes": None,
        "outcome": "ok",
        "detail": "pdf: 12 services",
    }


def test_a_backup_run_by_a_job_is_recorded_as_its_owners(session, flask_app):
    session.add(User(id=42, email="coord@test.example", password_hash="x", role="coordinator"))
    session.commit()
    with flask_app.app_context():
        g.audit_actor = "job 12 (backup)"
        g.audit_user = (42, "coord@test.example")
        audit.export_read(session, "backup")
    (event,) = entries(session)
    assert (event.user_id, event.actor, event.action, event.object_type, event.detail) == (
        42,
        "coord@test.example",
        "export",
        "backup",
        None,
    )
