"""Durability: a writer killed with SIGKILL at random points loses no acknowledged record
and leaves a sound database (SQLite in WAL mode, as the app configures it)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from flask_migrate import upgrade

from app import create_app
from app.config import config_for_tests
from app.extensions import db

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.own_database  # its own SQLite file
def test_sigkill_50_times_loses_no_acknowledged_write(tmp_path):
    path = tmp_path / "crash.db"
    app = create_app(config_for_tests(f"sqlite:///{path}"))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    rng = random.Random(42)
    acknowledged: set[int] = set()
    next_id = 0
    for _ in range(50):
        child = subprocess.Popen(  # noqa: S603 - our own test helper
            [sys.executable, "-m", "tests.crash_writer", str(path), str(next_id)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        first = child.stdout.readline()  # wait until it is writing
        assert first.strip().isdigit(), first
        acknowledged.add(int(first))
        time.sleep(rng.uniform(0.0, 0.15))
        child.send_signal(signal.SIGKILL)
        rest, _ = child.communicate()
        acknowledged.update(int(line) for line in rest.split() if line.isdigit())
        next_id = max(acknowledged) + 1000
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {
            int(name.split("-")[1])
            for (name,) in conn.execute("SELECT name FROM organizations WHERE name LIKE 'crash-%'")
        }
    finally:
        conn.close()
    assert len(acknowledged) > 50
    assert acknowledged <= stored
