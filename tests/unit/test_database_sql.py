"""Promises whose SQL is written for each database, checked on the suite's own database
(``DATABASE_URL``; SQLite unless set, PostgreSQL on CI's second run) through the migrated
app of ``tests/conftest.py``: the lock-out's upsert (``logins._record_failure`` builds
PostgreSQL's ``INSERT ... ON CONFLICT`` on PostgreSQL, SQLite's elsewhere) and the order
of a saved list's services (SQLite returns equal positions in the key's order whatever the
query says; PostgreSQL returns them in whatever order its plan reads the rows). The unit
tests of ``test_auth.py`` and ``test_visibility.py`` run on SQLite only; these are the
tests ``scripts/mutation.py --postgres`` runs against the mutants that only PostgreSQL
tells apart. Expected values worked out by hand."""

from __future__ import annotations

import threading
from datetime import timedelta

from flask import Flask
from sqlalchemy import insert, select, update

from app import logins
from app.extensions import db
from app.models import LoginThrottle, User, utcnow
from directory import visibility
from directory.models import SavedList, SavedListItem, Service
from tests.factories import LocationFactory, ServiceFactory


def _rows() -> dict[str, tuple[int, str | None]]:
    found = db.session.execute(
        select(LoginThrottle.key, LoginThrottle.failures, LoginThrottle.account_key)
    ).all()
    return {key: (failures, account) for key, failures, account in found}


def test_each_failure_counts_in_its_own_keys_row_and_the_third_locks(app: Flask) -> None:
    """Two addresses failing on one account: each address's row counts its own failures and
    names the account; the account's row counts them all; the third failure in a row from
    one address (``after=3``) locks it for ``LOGIN_LOCKOUT_SECONDS``."""
    now = utcnow()
    fail = logins._record_failure
    assert fail("address-a", now, 3, "account") == 0
    assert fail("address-b", now, 3, "account") == 0
    assert fail("address-a", now, 3, "account") == 0
    for _ in range(3):
        assert fail("account", now, 10) == 0
    assert fail("address-a", now + timedelta(seconds=1), 3, "account") == 60
    db.session.commit()
    assert _rows() == {
        "address-a": (3, "account"),
        "address-b": (1, "account"),
        "account": (3, None),
    }


def test_failures_recorded_at_once_by_two_workers_both_count(app: Flask) -> None:
    """Two workers (their own connections) recording a failure of one key at the same moment:
    the row counts two, whichever inserted it first (the upsert is one statement, atomic)."""
    start = threading.Barrier(2)
    errors: list[Exception] = []

    def worker() -> None:
        try:
            with app.app_context():
                start.wait(timeout=10)
                logins._record_failure("address-a", utcnow(), 5, "account")
                db.session.commit()
                db.session.remove()
        except Exception as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert _rows() == {"address-a": (2, "account")}


def test_services_in_the_same_place_of_a_list_keep_the_order_of_their_ids(
    app: Flask, users: dict[str, User]
) -> None:
    """Items added at once share a position; they read in the order of the services' ids
    however the rows lie in the tables: here the services were last written, and the list's
    items added, in the reverse of the ids' order, so a database that returns equal
    positions in the order it read the rows (PostgreSQL: their order on disk) would tell."""
    owner = users["case_manager"]
    place = LocationFactory()
    for _ in range(12):
        ServiceFactory(organization=place.organization, location=place)
    ids = list(db.session.scalars(select(Service.id).order_by(Service.id)))
    for service_id in reversed(ids):  # each row rewritten: the newest version last on disk
        db.session.execute(
            update(Service).where(Service.id == service_id).values(description="Updated.")
        )
    saved = SavedList(owner_id=owner.id, name="Tuesday clinic")
    db.session.add(saved)
    db.session.flush()
    db.session.execute(
        insert(SavedListItem),
        [{"list_id": saved.id, "service_id": sid, "position": sid % 2} for sid in reversed(ids)],
    )
    db.session.commit()
    listed = [s.id for s in db.session.scalars(visibility.list_services(saved.id, owner))]
    evens = [sid for sid in ids if sid % 2 == 0]
    odds = [sid for sid in ids if sid % 2 == 1]
    assert listed == evens + odds
