"""Fixtures: a fresh app and database per test, on SQLite (default) or PostgreSQL.

The schema is built once per run by the real migrations; each test then gets a copy
(SQLite: the migrated file copied; PostgreSQL: every table emptied after the test).
Set ``DATABASE_URL`` to run the same suite on PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import ProgrammingError

from app import create_app
from app.config import config_for_tests
from app.extensions import db
from app.users import create_user, issue_token

# "today" is the date in DIRECTORY_TIMEZONE (``app.clock``): the tests' own date.today()
# must agree with it, whatever zone the machine runs in
os.environ["TZ"] = os.environ.get("DIRECTORY_TIMEZONE", "America/Chicago")
time.tzset()

PASSWORD = "correct horse battery staple"
ROLES = ("viewer", "case_manager", "coordinator", "admin")


def _is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On the PostgreSQL run, leave out the tests marked ``own_database``: each uses a
    database of its own whatever ``DATABASE_URL`` says (a SQLite file, a PostgreSQL cluster
    it starts), so the SQLite run has already run exactly the same test."""
    if not _is_postgres(os.environ.get("DATABASE_URL", "")):
        return
    own = [item for item in items if item.get_closest_marker("own_database")]
    if own:
        config.hook.pytest_deselected(items=own)
        items[:] = [item for item in items if item not in own]


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """Migrate a database once; returns how to get a fresh one per test."""
    url = os.environ.get("DATABASE_URL")
    if url and _is_postgres(url):
        url = _worker_database(url)
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        app = create_app(config_for_tests(url))
        with app.app_context():
            upgrade()
            db.engine.dispose()
        return {"kind": "postgresql", "url": url}
    folder = tmp_path_factory.mktemp("db")
    template = folder / "template.db"
    app = create_app(config_for_tests(f"sqlite:///{template}"))
    with app.app_context():
        upgrade()
        db.session.remove()
        db.engine.dispose()
    return {"kind": "sqlite", "template": template, "folder": folder}


def _worker_database(url: str) -> str:
    """Under pytest-xdist (``make test`` runs two workers) each worker has a database of its
    own on the same server, ``<name>_gw0``, ``<name>_gw1``…, created here when missing."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


_TRUNCATE: dict[str, tuple] = {}  # url → (engine, the statement emptying every table)


def _truncate_all(url: str) -> None:
    """Empty every table (the migrations' own version table kept), in one statement, on one
    engine kept for the run (a test's engine is disposed with its app); the tables are
    listed again when a migration test left another set."""
    try:
        _truncate(url)
    except ProgrammingError:
        _TRUNCATE.pop(url)[0].dispose()
        _truncate(url)


def _truncate(url: str) -> None:
    if url not in _TRUNCATE:
        # pre-ping: a test that ends the database's connections ends this one too
        engine = create_engine(url, pool_pre_ping=True)
        with engine.connect() as conn:
            tables = conn.scalars(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename <> 'alembic_version'"
                )
            ).all()
        _TRUNCATE[url] = (engine, text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    engine, statement = _TRUNCATE[url]
    with engine.begin() as conn:
        conn.execute(statement)


@pytest.fixture
def database_url(database_template, tmp_path):
    if database_template["kind"] == "postgresql":
        yield database_template["url"]
        _truncate_all(database_template["url"])
        return
    path = tmp_path / "test.db"
    shutil.copy(database_template["template"], path)
    yield f"sqlite:///{path}"


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app({**config_for_tests(database_url), "JOBS_DIR": str(tmp_path / "jobs")})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def users(app):
    """One user per role, e-mail ``<role>@test.example``."""
    made = {role: create_user(f"{role}@test.example", role, PASSWORD) for role in ROLES}
    made["case_manager_b"] = create_user("case_manager_b@test.example", "case_manager", PASSWORD)
    db.session.commit()
    return made


@pytest.fixture
def login(client, users):
    """``login(role)`` logs the test client in through the real form."""

    def do(role: str):
        client.post("/logout")
        response = client.post("/login", data={"email": users[role].email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return users[role]

    return do


@pytest.fixture
def token(users):
    """``token(role)`` → Authorization headers for that role's user."""

    def make(role: str) -> dict:
        secret = issue_token(users[role])
        db.session.commit()
        return {"Authorization": f"Bearer {secret}"}

    return make


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def queue_url(tmp_path) -> Iterator[str]:
    """The real queue's URL: the SQLite Huey file on SQLite runs; on PostgreSQL runs Redis,
    a throw-away ``redis-server`` on loopback (nothing saved), stopped at the end."""
    if not _is_postgres(os.environ.get("DATABASE_URL", "")):
        yield f"sqlite:///{tmp_path / 'queue.db'}"
        return
    server = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not os.path.exists(server):
        pytest.fail("redis-server is not installed (bash scripts/system-deps.sh test)")
    port = _free_port()
    redis = subprocess.Popen(  # noqa: S603 - our own server on loopback
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("redis-server did not start")
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        redis.terminate()
        redis.wait(timeout=10)


def use_queue(app, url: str) -> None:
    """Point ``app``'s jobs at the queue ``url`` (instead of the tests' immediate mode)."""
    from app import jobs

    app.config["QUEUE_URL"] = url
    app.extensions["jobs"] = jobs.make_queue(app)


@pytest.fixture
def real_queue(app, tmp_path):
    """The app's jobs through the real queue (``queue_url``), consumed by a worker (two
    threads) started here and stopped at the end. Yields the queue's kind."""
    from app import jobs

    with queue_url(tmp_path) as url:
        use_queue(app, url)
        consumer = jobs.consumer(app, workers=2)
        consumer.scheduler.start()
        for _worker, thread in consumer.worker_threads:
            thread.start()
        try:
            yield jobs.queue_kind(app)
        finally:
            consumer.stop(graceful=True)
            app.extensions["jobs"].storage.close()


@pytest.fixture
def worker_process(app, tmp_path, database_url):
    """``flask --app wsgi worker`` as its own process on the test's database and the real
    queue (``queue_url``), the app's jobs sent there; stopped (SIGTERM) at the end."""
    import sys

    with queue_url(tmp_path) as url:
        use_queue(app, url)
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "QUEUE_URL": url,
            "JOBS_DIR": app.config["JOBS_DIR"],
            "SECRET_KEY": "worker-test-secret-key",
            "APP_ENV": "development",
        }
        log = (tmp_path / "worker.log").open("wb")
        proc = subprocess.Popen(  # noqa: S603 - our own worker
            [sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--workers", "1"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield proc
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            log.close()
            app.extensions["jobs"].storage.close()


def wait_for_job(job_id: int, timeout: float = 60) -> dict:
    """The job's state once it is done or failed (read from the database as the API does)."""
    from app import jobs
    from app.models import Job

    deadline = time.monotonic() + timeout
    while True:
        db.session.rollback()  # a fresh read: the worker commits in its own session
        job = db.session.get(Job, job_id)
        db.session.refresh(job)
        if job.status in ("done", "failed"):
            return jobs.state(job)
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} still {job.status} after {timeout}s")
        time.sleep(0.1)


@pytest.fixture
def api(client, token):
    """``api(role)(method, url, json)``: the JSON API called with that role's token."""

    def make(role):
        headers = token(role)

        def call(method, url, json=None):
            return client.open(url, method=method, json=json, headers=headers)

        return call

    return make


@pytest.fixture
def partner(client):
    """The partner's calls, with no account: only the inbox token."""

    def call(method, url, json=None):
        return client.open(url, method=method, json=json)

    return call
