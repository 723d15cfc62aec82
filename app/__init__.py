"""The application shell: factory, extensions, users and roles, audit, errors, CLI glue."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.routing import IntegerConverter

from app import dates
from app.config import load_config
from app.extensions import MAX_ID, csrf, db, limiter, login_manager, migrate


def create_app(config: dict | None = None) -> Flask:
    """Build the app; ``config`` overrides settings read from the environment."""
    app = Flask(__name__, instance_relative_config=False)
    app.config.from_mapping(load_config(config))
    app.url_map.converters["int"] = RecordIdConverter
    logging.basicConfig(level=logging.INFO)
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_security(app)
    dates.register(app)
    return app


class RecordIdConverter(IntegerConverter):
    """``<int:...>`` in every route: ids past what the database stores do not match (404)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(_root() / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = None  # sessions end through the per-user version
    csrf.init_app(app)
    limiter.init_app(app)
    from app.api import make_api

    api = make_api()
    api.init_app(app)
    app.extensions["api"] = api


def register_blueprints(app: Flask) -> None:
    """The shell's own pages, then what each domain package offers."""
    import assessment
    import directory
    from app.admin import bp as admin_bp
    from app.views import bp as auth_bp
    from app.views import health

    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp)
    app.add_url_rule("/health", "health", health)
    directory.init_app(app, app.extensions["api"])
    assessment.init_app(app, app.extensions["api"])


def register_errorhandlers(app: Flask) -> None:
    from app.errors import register_errorhandlers as register

    register(app, app.extensions["api"])


def register_commands(app: Flask) -> None:
    from app.cli import register

    register(app)


def register_security(app: Flask) -> None:
    from app.auth import gate
    from app.security import api_csrf, refuse_nul_bytes, security_headers

    app.before_request(gate)
    app.before_request(api_csrf)
    app.before_request(refuse_nul_bytes)
    app.after_request(security_headers)


def _root() -> Path:
    return Path(__file__).resolve().parent.parent


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):  # noqa: ARG001
    """SQLite: write-ahead log, a busy timeout, foreign keys enforced, and a 32 MB page
    cache per connection (the default 2 MB re-reads a large directory's indexes from the
    operating system on every search)."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA cache_size=-32000")
        cursor.close()
