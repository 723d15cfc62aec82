"""Backups of a live database and restoring them."""

from __future__ import annotations

import threading

from sqlalchemy import create_engine, func, select

from app.backup import fingerprint
from app.extensions import db
from directory import seeding
from directory.models import Organization


def test_backup_while_writing_then_restore(app, tmp_path):
    seeding.load_demo(db.session)
    db.session.commit()
    stop = threading.Event()
    engine = create_engine(db.engine.url)

    def writer():
        n = 0
        with engine.connect() as conn:
            while not stop.is_set() and n < 200:
                conn.execute(
                    Organization.__table__.insert().values(
                        name=f"Written during backup {n}",
                        kind="ngo",
                        scope="local",
                        mou_status="none",
                        status="active",
                        is_demo=False,
                        version=1,
                        created_at=func.now(),
                        updated_at=func.now(),
                    )
                )
                conn.commit()
                n += 1

    thread = threading.Thread(target=writer)
    thread.start()
    runner = app.test_cli_runner()
    target = tmp_path / "copy.backup"
    result = runner.invoke(args=["backup", str(target)])
    stop.set()
    thread.join()
    engine.dispose()
    assert result.exit_code == 0, result.output
    db.session.remove()
    after_writes = fingerprint(db.engine)
    # damage the live database, then restore
    db.session.execute(Organization.__table__.delete())
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Organization)) == 0
    db.session.remove()
    restored = runner.invoke(args=["restore", str(target)])  # no terminal: no question
    assert restored.exit_code == 0, restored.output
    snapshot = fingerprint(db.engine)
    orgs = snapshot["organizations"][0]
    # the copy is one consistent moment: the demo plus some (maybe none, maybe all) writes
    assert 37 <= orgs <= after_writes["organizations"][0]
    assert snapshot["services"] == after_writes["services"]
    assert snapshot["phones"] == after_writes["phones"]
    # restoring the same copy twice gives the same content, but for the restore's own
    # audit entry (#27), written after each restore with its own time
    runner.invoke(args=["restore", str(target), "--yes"])
    again = fingerprint(db.engine)
    assert again["audit_events"][0] == snapshot["audit_events"][0]
    assert {k: v for k, v in again.items() if k != "audit_events"} == {
        k: v for k, v in snapshot.items() if k != "audit_events"
    }


def test_restore_refuses_a_missing_file(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["restore", str(tmp_path / "nope"), "--yes"])
    assert result.exit_code != 0
