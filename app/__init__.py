"""The application shell: factory, extensions, users and roles, audit, errors, CLI glue."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map

from app import dates, i18n, jobs, logs
from app.config import load_config
from app.extensions import MAX_ID, csrf, db, limiter, login_manager, migrate
from app.files import create_private, make_private, sqlite_files
from app.security import CheckedRequest


def create_app(config: dict | None = None) -> Flask:
    """Build the app; ``config`` overrides settings read from the environment."""
    app = Flask(__name__, instance_relative_config=False)
    app.request_class = CheckedRequest
    app.config.from_mapping(load_config(config))
    app.url_map.converters["int"] = RecordIdConverter
    if app.config.get("TRUSTED_PROXIES"):
        # the client address (for the rate limits and the logs) is the one the last
        # TRUSTED_PROXIES proxies put in X-Forwarded-For; with 0, that header is ignored
        hops = app.config["TRUSTED_PROXIES"]
        # ignore: wrapping wsgi_app is Flask's documented way to add middleware
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    logs.configure(app)  # first: every later before_request line carries the request id
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_security(app)
    dates.register(app)
    i18n.init_app(app)
    return app


class RecordIdConverter(IntegerConverter):
    """``<int:...>`` in every route: ids past what the database stores do not match (404),
    nor do digits of other scripts (``١``: one record has one address)."""

    regex = r"[0-9]+"

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def register_extensions(app: Flask) -> None:
    from app.bodies import guard_body_size

    # the first thing a request meets, before CSRF reads a form or the gate a cookie
    app.before_request(guard_body_size)
    _private_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"])
    db.init_app(app)
    migrate.init_app(app, db, directory=str(_root() / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = None  # sessions end through the per-user version
    csrf.init_app(app)
    limiter.init_app(app)
    jobs.init_app(app)
    from app.api import make_api

    api = make_api()
    api.init_app(app)
    app.extensions["api"] = api


def register_blueprints(app: Flask) -> None:
    """The shell's own pages, then what each domain package offers."""
    import assessment
    import directory
    from app import job_pages
    from app.admin import bp as admin_bp
    from app.metrics import metrics_view
    from app.views import bp as auth_bp
    from app.views import health

    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(job_pages.bp)
    app.extensions["api"].register_blueprint(job_pages.blp, url_prefix="/api/v1")
    app.add_url_rule("/health", "health", health)
    app.add_url_rule("/metrics", "metrics", metrics_view)
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
    from app.logins import dummy_hash
    from app.security import api_csrf, refuse_bad_input, security_headers

    dummy_hash(app.config["PASSWORD_HASH_METHOD"])  # made once, before the first login
    app.before_request(gate)
    app.before_request(api_csrf)
    app.before_request(refuse_bad_input)
    app.after_request(security_headers)


def _private_sqlite_file(url: str) -> None:
    """Create the SQLite database file 0600 before SQLite does (it would follow the umask,
    usually 0644: readable by every local user); its WAL and shared-memory files take the
    database file's mode."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return
    if parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return
    path = Path(parsed.database)
    if path.parent.is_dir():
        create_private(path)


def _root() -> Path:
    return Path(__file__).resolve().parent.parent


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(  # noqa: ARG001
    dbapi_connection: DBAPIConnection, connection_record: ConnectionPoolEntry
) -> None:
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
        for _seq, name, path in cursor.execute("PRAGMA database_list").fetchall():
            if name == "main" and path:
                for file in sqlite_files(path):  # a database made before 0600 files
                    make_private(file)
        cursor.close()
