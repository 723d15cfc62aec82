"""The re-import promises of ``hsds/importing/sync.py`` on their own: the directory's own
tables (organizations, locations, audit events) on an in-memory SQLite database, a plain
session and a bare Flask app for the actor. A value the source does not carry never blanks
a stored one; only a real change is written and audited, with its old and new values; a
new record takes its defaults and is audited as created; a record of the same source the
package no longer holds is deactivated, audited, and nothing of another source is. Fast
enough to run against every mutant (``scripts/mutation.py``); expected values by hand."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from flask import Flask, g
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app.models import AuditEvent, User
from directory.hsds.importing import sync
from directory.models import Location, Organization

NOW = datetime(2026, 12, 7, 9, 30)


@pytest.fixture
def session():
    engine = create_engine("sqlite://")
    tables = [User.__table__, Organization.__table__, Location.__table__, AuditEvent.__table__]
    Organization.metadata.create_all(engine, tables=tables)
    app = Flask(__name__)
    with app.app_context(), Session(engine) as s:
        g.audit_actor = "import test"
        yield s


def _org(hsds_id: str, **values) -> dict:
    return {
        "hsds_id": hsds_id,
        "name": "Harbor House",
        "import_source": "county-211",
        "version": 1,
        "created_at": NOW,
        "updated_at": NOW,
        **values,
    }


def _entries(session: Session) -> list[tuple]:
    rows = session.execute(
        select(
            AuditEvent.action,
            AuditEvent.object_type,
            AuditEvent.object_id,
            AuditEvent.parent,
            AuditEvent.actor,
            AuditEvent.changes,
        ).order_by(AuditEvent.id)
    )
    return [tuple(r) for r in rows]


def _stored(session: Session, hsds_id: str):
    return session.execute(
        select(Organization.__table__).where(Organization.hsds_id == hsds_id)
    ).one()


def test_a_new_record_takes_its_defaults_and_is_audited_as_created(session):
    sync.insert_new(
        session,
        Organization,
        [_org("org-1", description="", email=None, status=None)],
        {"status": "active", "kind": "ngo"},
    )
    org = _stored(session, "org-1")
    assert (org.status, org.kind, org.name) == ("active", "ngo", "Harbor House")
    # the column defaults of the model too (scope, language), as a form's new record
    assert (org.scope, org.language, org.website_neutral) == ("local", "en", False)
    [(action, kind, object_id, parent, actor, changes)] = _entries(session)
    assert (action, kind, object_id, parent, actor) == (
        "create",
        "organizations",
        str(org.id),
        f"organizations:{org.id}",
        "import test",
    )
    # what was given and not empty, never the bookkeeping columns or empty values
    assert changes == {
        "name": [None, "Harbor House"],
        "import_source": [None, "county-211"],
        "status": [None, "active"],
        "kind": [None, "ngo"],
    }


def test_a_location_is_audited_under_its_organization(session):
    sync.insert_new(session, Organization, [_org("org-1")], {})
    org_id = _stored(session, "org-1").id
    sync.insert_new(
        session,
        Location,
        [{"hsds_id": "loc-1", "organization_id": org_id, "name": "Main office", "city": "Ames"}],
        {},
    )
    entry = _entries(session)[-1]
    assert entry[:2] == ("create", "locations")
    assert entry[3] == f"organizations:{org_id}"
    assert entry[5] == {
        "organization_id": [None, org_id],
        "name": [None, "Main office"],
        "city": [None, "Ames"],
    }


def test_a_value_the_source_does_not_carry_keeps_the_stored_one(session):
    sync.insert_new(
        session, Organization, [_org("org-1", description="Shelter", email="a@b.org")], {}
    )
    changed = sync.update_known(
        session, Organization, [_org("org-1", description="", email=None, name="Harbor House")]
    )
    assert changed == 0
    org = _stored(session, "org-1")
    assert (org.description, org.email, org.version) == ("Shelter", "a@b.org", 1)
    assert [e[0] for e in _entries(session)] == ["create"]


def test_a_change_is_written_once_with_its_old_and_new_values(session):
    sync.insert_new(session, Organization, [_org("org-1", description="Shelter")], {})
    sync.insert_new(session, Organization, [_org("org-2", name="Same Place")], {})
    changed = sync.update_known(
        session,
        Organization,
        [
            _org("org-1", description="Shelter and food", updated_at=datetime(2027, 1, 1)),
            _org("org-2", name="Same Place"),
        ],
    )
    assert changed == 1
    one, two = _stored(session, "org-1"), _stored(session, "org-2")
    assert (one.description, one.version) == ("Shelter and food", 2)
    assert two.version == 1  # nothing changed: not written
    update = _entries(session)[-1]
    assert update[:3] == ("update", "organizations", str(one.id))
    # the new moment is written but is no change of its own (bookkeeping)
    assert update[5] == {"description": ["Shelter", "Shelter and food"]}


def test_a_reimport_keeps_when_a_record_was_created(session):
    sync.insert_new(session, Organization, [_org("org-1", description="Shelter")], {})
    later = datetime(2027, 3, 1, 8, 0)
    # the import stamps every row it reads with its own moment; a known record keeps its own
    sync.update_known(session, Organization, [_org("org-1", description="Food", created_at=later)])
    org = _stored(session, "org-1")
    assert (org.description, org.created_at) == ("Food", NOW)


def test_an_unchanged_record_does_not_stop_the_ones_after_it(session):
    sync.insert_new(session, Organization, [_org("same"), _org("changed", email="a@b.org")], {})
    changed = sync.update_known(
        session, Organization, [_org("same"), _org("changed", email="c@d.org")]
    )
    assert changed == 1
    assert _stored(session, "changed").email == "c@d.org"


def test_an_import_run_for_a_user_names_them_in_the_audit_log(session):
    session.execute(
        User.__table__.insert().values(
            id=7, email="coordinator@example.org", password_hash="x", role="coordinator"
        )
    )
    g.audit_user = (7, "coordinator@example.org")  # a job run on its owner's behalf
    sync.insert_new(session, Organization, [_org("org-1")], {})
    entry = session.execute(select(AuditEvent.user_id, AuditEvent.actor, AuditEvent.outcome)).one()
    assert tuple(entry) == (7, "coordinator@example.org", "ok")


def test_a_change_of_bookkeeping_alone_is_no_change(session):
    sync.insert_new(session, Organization, [_org("org-1")], {})
    assert (
        sync.update_known(session, Organization, [_org("org-1", updated_at=NOW.replace(hour=10))])
        == 0
    )
    assert _stored(session, "org-1").version == 1


def test_pending_entries_wait_for_their_parts(session):
    sync.insert_new(session, Organization, [_org("org-1", email="a@b.org")], {})
    pending: list = []
    changed = sync.update_known(
        session, Organization, [_org("org-1", email="c@d.org")], pending=pending
    )
    assert changed == 1
    org = _stored(session, "org-1")
    assert [(action, rid, changes) for action, rid, _row, changes in pending] == [
        ("update", org.id, {"email": ["a@b.org", "c@d.org"]})
    ]
    assert [e[0] for e in _entries(session)] == ["create"]  # not written by update_known


def test_derived_values_follow_the_merged_record(session):
    sync.insert_new(session, Organization, [_org("org-1", description="Shelter")], {})

    def derive(merged: dict) -> dict:
        return {"alternate_name": (merged["description"] or "").upper()}

    sync.update_known(
        session, Organization, [_org("org-1", description=None, alternate_name=None)], derive
    )
    org = _stored(session, "org-1")
    # the description the source left out is the stored one, and what derives from it
    assert (org.description, org.alternate_name, org.version) == ("Shelter", "SHELTER", 2)
    assert _entries(session)[-1][5] == {"alternate_name": [None, "SHELTER"]}


def test_records_the_package_no_longer_holds_are_deactivated_and_audited(session):
    sync.insert_new(
        session,
        Organization,
        [
            _org("kept", name="Kept"),
            _org("gone", name="Gone"),
            _org("closed", name="Closed", status="inactive"),
            _org("other", name="Other source", import_source="another-211"),
        ],
        {"status": "active"},
    )
    names = sync.deactivate_missing(session, Organization, "county-211", {"kept"})
    assert names == ["organizations 'Gone'"]
    assert _stored(session, "gone").updated_at > NOW  # when it was deactivated
    assert _stored(session, "kept").updated_at == NOW
    status = {
        r.hsds_id: (r.status, r.version)
        for r in session.execute(
            select(Organization.hsds_id, Organization.status, Organization.version)
        )
    }
    assert status == {
        "kept": ("active", 1),
        "gone": ("inactive", 2),
        "closed": ("inactive", 1),
        "other": ("active", 1),
    }
    gone_id = _stored(session, "gone").id
    assert _entries(session)[-1] == (
        "update",
        "organizations",
        str(gone_id),
        f"organizations:{gone_id}",
        "import test",
        {"status": ["active", "inactive"]},
    )


def test_nothing_to_deactivate_writes_nothing(session):
    sync.insert_new(session, Organization, [_org("kept")], {})
    assert sync.deactivate_missing(session, Organization, "county-211", {"kept"}) == []
    assert len(_entries(session)) == 1


def test_a_none_given_for_a_column_with_a_default_takes_the_default(session):
    sync.bulk_insert(
        session,
        Organization,
        [_org("a", kind=None), _org("b", kind="government"), _org("c", kind=None, scope=None)],
    )
    kinds = dict(session.execute(select(Organization.hsds_id, Organization.kind)).all())
    scopes = dict(session.execute(select(Organization.hsds_id, Organization.scope)).all())
    assert kinds == {"a": "ngo", "b": "government", "c": "ngo"}
    assert scopes == {"a": "local", "b": "local", "c": "local"}


@pytest.mark.parametrize(("value", "empty"), [(None, True), ("", True), (0, False), (False, False)])
def test_only_none_and_the_empty_text_are_nothing(value, empty):
    assert sync.nothing(value) is empty


def test_a_created_records_date_is_audited_as_its_iso_text(session):
    sync.insert_new(session, Organization, [_org("org-1", mou_date=date(2026, 3, 31))], {})
    [(*_, changes)] = _entries(session)
    # a date is kept in the log as the text a reader can search ("2026-03-31")
    assert changes["mou_date"] == [None, "2026-03-31"]
    assert changes["name"] == [None, "Harbor House"]
