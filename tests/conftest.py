"""Fixtures: a fresh app and database per test, on SQLite (default) or PostgreSQL.

The schema is built once per run by the real migrations; each test then gets a copy
(SQLite: the migrated file copied; PostgreSQL: every table emptied after the test).
Set ``DATABASE_URL`` to run the same suite on PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import time

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from app import create_app
from app.auth import create_user, issue_token
from app.config import config_for_tests
from app.extensions import db

# "today" is the date in DIRECTORY_TIMEZONE (``app.clock``): the tests' own date.today()
# must agree with it, whatever zone the machine runs in
os.environ["TZ"] = os.environ.get("DIRECTORY_TIMEZONE", "America/Chicago")
time.tzset()

PASSWORD = "correct horse battery staple"
ROLES = ("viewer", "case_manager", "coordinator", "admin")


def _is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """Migrate a database once; returns how to get a fresh one per test."""
    url = os.environ.get("DATABASE_URL")
    if url and _is_postgres(url):
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


def _truncate_all(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = [
            row[0]
            for row in conn.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename <> 'alembic_version'"
                )
            )
        ]
        if tables:
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()


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
