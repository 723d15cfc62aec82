"""Who may do what: the default-deny gate, roles, and who a request is (its session, or
its API token).

Every endpoint must declare the least role it needs with ``@requires(role)``; the
``before_request`` gate refuses any endpoint that declares none (default-deny), except
the few in ``PUBLIC_ENDPOINTS``. Pages answer an anonymous user with a redirect to the
login page, the API with 401; a user whose role is too low gets 403. Checking a login and
its lock-out is ``app.logins``'; administering users and their tokens, ``app.users``."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar
from urllib.parse import urlsplit

from flask import (
    Request,
    abort,
    current_app,
    g,
    redirect,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from app.extensions import db, login_manager
from app.models import ROLES, ApiToken, User, utcnow

log = logging.getLogger(__name__)
View = TypeVar("View", bound=Callable[..., object])

PUBLIC_ENDPOINTS = {
    "auth.login",
    "static",
    "health",
    "metrics",  # its own check: METRICS_ALLOW addresses or an admin's token (app.metrics)
    "i18n.switch_language",  # the header's language switch, on the login page too
    # a partner's own listing, reached by an e-mailed link: the token is the key
    # (``directory.partners.links``), checked by each of these views
    "directory.partner_page",
    "directory.partner_confirm",
    "directory.partner_suggest",
    "directory.partner_capacity",
    # the partner's referral inbox: a standing link is the key (``directory.partners.inbox``)
    "directory.inbox_page",
    "directory.inbox_act",
    "directory.inbox_capacity",
    "directory_api.InboxReferrals",
    "directory_api.InboxReferralAct",
}
PUBLIC_WHEN: dict[str, Callable[[], bool]] = {}
"""Blueprints open to anyone while their condition holds (the HSDS API with
``HSDS_PUBLIC``): blueprint name → condition, registered by the blueprint's module."""
LIBRARY_ENDPOINTS = {"api-docs.openapi_json": "viewer"}
"""Endpoints that libraries register, with the role they need."""


def requires(role: str) -> Callable[[View], View]:
    """Declare the least role an endpoint (function or MethodView method) needs."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")

    def decorate(view: View) -> View:
        # setattr: mypy cannot declare an attribute on a function
        setattr(view, "required_role", role)  # noqa: B010
        return view

    return decorate


def required_role(view: object, method: str) -> str | None:
    """The role a view declares for ``method``, looking inside MethodView classes."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        handler = getattr(view_class, method.lower(), None)
        if handler is None and method == "HEAD":
            handler = getattr(view_class, "get", None)
        return getattr(handler, "required_role", None)
    return getattr(view, "required_role", None)


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def gate() -> Response | None:
    """``before_request``: authenticate, end sessions idle for ``IDLE_TIMEOUT_SECONDS`` or
    older than ``SESSION_ABSOLUTE_HOURS``, then enforce the declared role."""
    # A request authenticates afresh (``g`` can outlive a request where an app context
    # was already pushed, as in tests and CLI-driven requests).
    g.pop("_login_user", None)
    g.pop("token_auth", None)
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if (condition := PUBLIC_WHEN.get(request.blueprint or "")) is not None and condition():
        return None
    if is_api_request() and "Authorization" in request.headers:
        # a request that names its credentials is judged by them alone: a session cookie
        # sent beside them neither adds rights nor rescues a bad token
        g._login_user = load_user_from_token(request) or login_manager.anonymous_user()
    if current_user.is_authenticated and not g.get("token_auth"):
        now = time.time()
        last = session.get("last_seen", 0)
        idle = current_app.config["IDLE_TIMEOUT_SECONDS"]
        # a session from before the absolute limit counts from its next request
        started = session.setdefault("started", int(now))
        absolute = current_app.config["SESSION_ABSOLUTE_HOURS"] * 3600
        if (last and now - last > idle) or now - started > absolute:
            logout_user()
            session.clear()
        else:
            session["last_seen"] = int(now)
    if not current_user.is_authenticated:
        if is_api_request():
            abort(401)
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    view = current_app.view_functions.get(request.endpoint)
    role = LIBRARY_ENDPOINTS.get(request.endpoint) or required_role(view, request.method)
    if role is None or not current_user.has_role(role):
        abort(403)
    return None


@login_manager.user_loader
def load_user(user_key: str) -> User | None:
    """Session cookie → user, only while the cookie's session version is current."""
    try:
        user_id, version = (int(part) for part in user_key.split(":"))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or user.session_version != version or not user.active:
        return None
    return user


@login_manager.request_loader
def load_user_from_token(req: Request) -> User | None:
    """``Authorization: Bearer TOKEN`` → user (API only)."""
    if not req.path.startswith("/api/"):
        return None
    return bearer_user(req)


# built once (its construction was a third of the token lookup on every API request)
_TOKEN_BY_HASH = (
    select(ApiToken)
    .options(joinedload(ApiToken.user))
    .where(ApiToken.token_hash == bindparam("hash"))
)


def bearer_user(req: Request) -> User | None:
    """The active user whose live API token ``req`` carries (``Authorization: Bearer``);
    the API's login, and ``/metrics``'s admin check."""
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    # no autoflush: a flush writes audit rows, which ask who the user is, which comes here
    with db.session.no_autoflush:
        token = db.session.scalar(_TOKEN_BY_HASH, {"hash": ApiToken.hash(header[7:].strip())})
    if token is None or token.revoked or not token.user.active:
        return None
    now = utcnow()
    if token.expiry(current_app.config["API_TOKEN_DAYS"]) <= now:
        return None
    if token.last_used_at is None or now - token.last_used_at > TOKEN_USE_PRECISION:
        _note_token_use(token.id, now)
    g.token_auth = True
    return token.user


TOKEN_USE_PRECISION = timedelta(minutes=1)
TOKEN_USE_WAIT_MS = 200


def _note_token_use(token_id: int, now: datetime) -> None:
    """The token's last use, to the minute: one small write a minute per token, not one a
    request. On its own connection (it never commits the request's own work) and best
    effort: on SQLite another writer (an import job) may hold the one write lock for
    minutes, so it waits ``TOKEN_USE_WAIT_MS`` at most and skips the note (logged)."""
    stmt = update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now)
    with db.engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            usual = conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
            conn.exec_driver_sql(f"PRAGMA busy_timeout={TOKEN_USE_WAIT_MS}")
        try:
            conn.execute(stmt)
            conn.commit()
        except OperationalError as exc:
            conn.rollback()
            if not sqlite or "locked" not in str(exc.orig):
                raise
            log.info("token use not noted: the database was busy (another writer)")
        finally:
            if sqlite:
                conn.exec_driver_sql(f"PRAGMA busy_timeout={int(usual or 0)}")


def start_session(user: User) -> None:
    """Log ``user`` in with a fresh session (no fixation)."""
    session.clear()
    login_user(user)
    session["last_seen"] = session["started"] = int(time.time())


def end_session() -> None:
    """Log out; the cookie just used stops working because the session version changes."""
    if current_user.is_authenticated:
        # gone only if deleted (by hand) since this request loaded it: nothing left to end
        if (user := db.session.get(User, current_user.id)) is not None:
            user.session_version += 1
            db.session.commit()
    logout_user()
    session.clear()


def safe_next(target: str | None) -> str:
    """The ``next`` URL when it stays on this site, else the search page."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and "\\" not in target:
            if not target.startswith("//"):
                return target
    return url_for("directory.search")
