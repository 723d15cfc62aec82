"""Who may do what: logins, API tokens, roles, and the default-deny gate.

Every endpoint must declare the least role it needs with ``@requires(role)``; the
``before_request`` gate refuses any endpoint that declares none (default-deny), except
the few in ``PUBLIC_ENDPOINTS``. Pages answer an anonymous user with a redirect to the
login page, the API with 401; a user whose role is too low gets 403.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

from flask import (
    Request,
    abort,
    current_app,
    g,
    has_request_context,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import case, delete, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers import Response

from app import audit
from app.extensions import db, login_manager, rowcount
from app.models import ROLES, ApiToken, LoginThrottle, User, utcnow
from app.passwords import MAX_PASSWORD, WeakPassword, check_password

if TYPE_CHECKING:
    from sqlalchemy.dialects.postgresql import Insert as PgInsert
    from sqlalchemy.dialects.sqlite import Insert as SqliteInsert

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


class AuthError(ValueError):
    """A user-management rule was broken; the message says which, ``field`` which input
    ("email", "role", "password") it is about, when one is."""

    def __init__(self, message: str | LazyString, field: str | None = None) -> None:
        super().__init__(message)  # lazy: in the reader's language when shown
        self.field = field


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


def bearer_user(req: Request) -> User | None:
    """The active user whose live API token ``req`` carries (``Authorization: Bearer``);
    the API's login, and ``/metrics``'s admin check."""
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    # no autoflush: a flush writes audit rows, which ask who the user is, which comes here
    with db.session.no_autoflush:
        token = db.session.scalar(
            select(ApiToken)
            .options(joinedload(ApiToken.user))
            .where(ApiToken.token_hash == ApiToken.hash(header[7:].strip()))
        )
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


def check_password_rules(password: str, email: str | None = None) -> None:
    """Raise ``AuthError`` unless the password may be used (see ``app.passwords``): 12–128
    characters, not only spaces, not a common one, without the e-mail or the app's name,
    and hard to guess (zxcvbn score 3 or more)."""
    try:
        check_password(password, email)
    except WeakPassword as exc:
        raise AuthError(str(exc), "password") from exc


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


@functools.cache
def dummy_hash(method: str) -> str:
    """A hash made exactly like real ones (same method and parameters) of a random secret,
    computed once per method: checking a password against it for an e-mail without an
    account costs what checking a real account's password does."""
    return generate_password_hash(secrets.token_urlsafe(24), method=method)


def _record_user_action(
    action: str,
    user: User,
    changes: dict[str, object],
    object_type: str = "users",
    oid: int | None = None,
) -> None:
    """Audit a user-administration action: who (the acting user or the CLI), whom (the
    user's id and e-mail), and the old and new values."""
    audit.record(
        db.session,
        action,
        object_type,
        user.id if oid is None else oid,
        detail=user.email,
        parent=f"users:{user.id}",
        changes=changes,
    )


def create_user(email: str, role: str, password: str) -> User:
    """Add a user (not committed). Raises ``AuthError`` for a bad role, e-mail or password."""
    email = email.strip().lower()
    if role not in ROLES:
        raise AuthError(f"Unknown role {role!r}; choose one of: {', '.join(ROLES)}.", "role")
    if "@" not in email:
        raise AuthError(_l("E-mail address is not valid."), "email")
    if db.session.scalar(select(User).where(User.email == email)):
        raise AuthError(_l("A user with e-mail %(email)s exists already.", email=email), "email")
    check_password_rules(password, email)
    user = User(email=email, role=role, password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    _record_user_action(
        "user create",
        user,
        {"email": [None, email], "role": [None, role], "active": [None, True]},
    )
    return user


def set_password(user: User, password: str, action: str = "user password") -> None:
    """Change a password; ends the user's other sessions and revokes their API tokens.
    Audited as ``action`` ("user password" for a reset by an admin or the CLI)."""
    check_password_rules(password, user.email)
    user.password_hash = hash_password(password)
    revoked = end_sessions(user)
    changes: dict[str, object] = {"password": "(changed)", "tokens_revoked": revoked}
    # an admin's reset lets the user in with the new password at once
    if action == "user password" and (cleared := _clear_throttles(user)):
        changes["throttles_cleared"] = cleared
    _record_user_action(action, user, changes)


def change_role(user: User, role: str) -> None:
    """Give ``user`` another role; their sessions and API tokens end."""
    if role not in ROLES:
        raise AuthError(f"Unknown role {role!r}; choose one of: {', '.join(ROLES)}.", "role")
    old = user.role
    user.role = role
    revoked = end_sessions(user)
    _record_user_action("user role", user, {"role": [old, role], "tokens_revoked": revoked})


def deactivate(user: User, by: User | None = None) -> None:
    """Deactivate ``user`` (never oneself); their sessions and API tokens end."""
    if by is not None and user.id == by.id:
        raise AuthError(_l("You cannot deactivate yourself."))
    old = user.active
    user.active = False
    revoked = end_sessions(user)
    _record_user_action(
        "user deactivate", user, {"active": [old, False], "tokens_revoked": revoked}
    )


def reactivate(user: User) -> None:
    """Let a deactivated user log in again (their old sessions stay ended)."""
    old = user.active
    user.active = True
    _record_user_action("user activate", user, {"active": [old, True]})


def revoke_tokens(user: User) -> list[int]:
    """Revoke every API token of ``user``; their sessions go on."""
    revoked = [t.id for t in user.tokens if not t.revoked]
    for token in user.tokens:
        token.revoked = True
    _record_user_action("token revoke", user, {"tokens_revoked": revoked})
    return revoked


def end_sessions(user: User) -> list[int]:
    """Invalidate every session cookie and API token of ``user``; the revoked tokens' ids."""
    user.session_version += 1
    revoked = []
    for token in user.tokens:
        if not token.revoked:
            revoked.append(token.id)
        token.revoked = True
    return revoked


def _check(email: str, password: str) -> tuple[User | None, bool]:
    """(the account with this e-mail or None, whether it is active and the password right).
    An unknown e-mail costs the same hash check as a known one."""
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if len(password) > MAX_PASSWORD:
        return user, False  # refused unread, known or not (what a hash of it would cost)
    if user is None:
        check_password_hash(dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return None, False
    return user, check_password_hash(user.password_hash, password) and user.active


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None (same time either way)."""
    user, ok = _check(email, password)
    return user if ok else None


@dataclass
class LoginAttempt:
    """What a login attempt came to: ``user`` when it succeeded; ``account`` is the account
    the e-mail belongs to (None when there is none); ``locked_for`` the seconds the typed
    e-mail stays locked for this client (0 when it is not)."""

    user: User | None
    account: User | None
    locked_for: int = 0


def throttle_key(email: str) -> str:
    """An HMAC of a typed (normalised) e-mail under the secret key: what the lock-out and
    the limiter count by, so neither stores the typed text."""
    return _hmac("login:" + email)


def _hmac(text: str) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, text.encode(), hashlib.sha256).hexdigest()


DEVICE_COOKIE = "device"
"""A signed cookie naming this browser (a random id) and the accounts (as their throttle
keys) that signed in from it: the right password from such a device is never refused for
the account's own lock, only for the device's own failures."""
DEVICE_SALT = "login-device"
DEVICE_ACCOUNTS = 10


def _device_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(str(current_app.config["SECRET_KEY"]), salt=DEVICE_SALT)


def _device() -> dict:
    """The request's device cookie, verified: ``{"d": id, "a": [account keys]}`` or {}."""
    if not has_request_context() or not (raw := request.cookies.get(DEVICE_COOKIE)):
        return {}
    max_age = int(current_app.config["LOGIN_DEVICE_DAYS"]) * 86400
    try:
        value = _device_serializer().loads(raw, max_age=max_age)
    except BadSignature:
        return {}
    if not isinstance(value, dict) or not isinstance(value.get("a"), list):
        return {}
    return value


def remember_device(response: Response, email: str) -> None:
    """After a successful login: the device cookie names this account too (the newest
    ``DEVICE_ACCOUNTS`` accounts of the browser are kept)."""
    device = _device()
    key = throttle_key(email.strip().lower())
    accounts = [k for k in device.get("a", []) if k != key][-(DEVICE_ACCOUNTS - 1) :] + [key]
    value = {"d": device.get("d") or secrets.token_urlsafe(16), "a": accounts}
    response.set_cookie(
        DEVICE_COOKIE,
        _device_serializer().dumps(value),
        max_age=int(current_app.config["LOGIN_DEVICE_DAYS"]) * 86400,
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Lax",
    )


def login_client(email: str) -> tuple[str, bool]:
    """Who is trying ``email``, as a throttle key: this browser's device id when it has
    signed in to this account before (then True), else the client's address (behind
    ``TRUSTED_PROXIES`` proxies, the real client's)."""
    key = throttle_key(email)
    device = _device()
    if key in device.get("a", []) and device.get("d"):
        return _hmac(f"login-pair:{key}:device:{device['d']}"), True
    address = request.remote_addr if has_request_context() else None
    return _hmac(f"login-pair:{key}:address:{address or 'unknown'}"), False


def attempt_login(email: str, password: str) -> LoginAttempt:
    """Check a login against the lock-out kept in the database (so every worker and machine
    sees it), which locks the attacker out, not the user:

    - per (account, client): ``LOGIN_LOCKOUT_AFTER`` failures in a row from one address
      (or one known device) lock that client out of that account, doubling;
    - per account, from every client: ``LOGIN_ACCOUNT_LOCKOUT_AFTER`` failures lock the
      account for clients it has never signed in from; a device it signed in from before
      (the signed ``device`` cookie) is never refused the right password for it.

    The password hash is checked whatever the state (an unknown e-mail against a dummy
    hash), so known, unknown and locked e-mails take the same time; an unknown e-mail is
    counted and locked exactly like a known one, so the answers are the same too. A success
    clears the account's failures and this client's; an admin's unlock clears them all.
    Not committed."""
    email = email.strip().lower()
    account_key = throttle_key(email)
    client_key, known_device = login_client(email)
    now = utcnow()
    account, ok = _check(email, password)
    locks = dict(
        db.session.execute(
            select(LoginThrottle.key, LoginThrottle.locked_until).where(
                LoginThrottle.key.in_([account_key, client_key])
            )
        ).all()
    )
    keys = [client_key] if known_device else [account_key, client_key]
    locked = [until for k in keys if (until := locks.get(k)) is not None and until > now]
    if locked:
        return LoginAttempt(None, account, _seconds(max(locked) - now))
    if ok:
        db.session.execute(
            delete(LoginThrottle).where(LoginThrottle.key.in_([account_key, client_key]))
        )
        return LoginAttempt(account, account)
    config = current_app.config
    seconds = _record_failure(client_key, now, config["LOGIN_LOCKOUT_AFTER"], account_key)
    account_wide = _record_failure(account_key, now, config["LOGIN_ACCOUNT_LOCKOUT_AFTER"])
    return LoginAttempt(None, account, max(seconds, 0 if known_device else account_wide))


def unlock(user: User) -> int:
    """Clear every lock and failure count of ``user``'s e-mail (the account's own and each
    client's); audited. The number of throttle rows removed."""
    removed = _clear_throttles(user)
    _record_user_action("user unlock", user, {"throttles_cleared": removed})
    return removed


def _clear_throttles(user: User) -> int:
    key = throttle_key(user.email)
    condition = (LoginThrottle.key == key) | (LoginThrottle.account_key == key)
    return rowcount(db.session.execute(delete(LoginThrottle).where(condition)))


def _seconds(delta: timedelta) -> int:
    return max(1, int(delta.total_seconds() + 0.999))


def _record_failure(key: str, now: datetime, after: int, account_key: str | None = None) -> int:
    """Count one more failure in a row for ``key`` (atomically, whichever worker); returns
    the seconds of lock-out it starts (0 below ``after`` failures). ``account_key`` ties a
    client's row to its account (so an unlock finds it)."""
    config = current_app.config
    base: PgInsert | SqliteInsert
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        base = postgresql_insert(LoginThrottle)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        base = sqlite_insert(LoginThrottle)
    stale = LoginThrottle.last_failure_at < now - timedelta(days=1)
    stmt = (
        base.values(key=key, failures=1, last_failure_at=now, account_key=account_key)
        .on_conflict_do_update(
            index_elements=["key"],
            set_={
                "failures": case((stale, 1), else_=LoginThrottle.failures + 1),
                "last_failure_at": now,
            },
        )
        .returning(LoginThrottle.failures)
    )
    failures = db.session.execute(stmt).scalar_one()
    # forget e-mails without a failure for a day (an address spraying e-mails is limited
    # per address by Flask-Limiter, so this table stays small)
    db.session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.last_failure_at < now - timedelta(days=1),
            (LoginThrottle.locked_until.is_(None)) | (LoginThrottle.locked_until < now),
        )
    )
    if failures < after:
        return 0
    seconds = min(
        config["LOGIN_LOCKOUT_SECONDS"] * 2 ** min(failures - after, 20),
        config["LOGIN_LOCKOUT_MAX_SECONDS"],
    )
    db.session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.key == key)
        .values(locked_until=now + timedelta(seconds=seconds))
    )
    return seconds


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


def issue_token(user: User) -> str:
    """Create an API token for ``user`` and return its secret (shown once); audited."""
    token, secret = ApiToken.issue(user, current_app.config["API_TOKEN_DAYS"])
    db.session.add(token)
    db.session.flush()
    _record_user_action("token issue", user, {"token": [None, token.id]}, "api_tokens", token.id)
    return secret
