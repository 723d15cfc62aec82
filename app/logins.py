"""Checking a login: the password (the same time for known, unknown and locked e-mails),
and the lock-out kept in the database, which locks the attacker out, not the user: per
(account, client), and per account for clients it never signed in from (the signed
``device`` cookie)."""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from flask import current_app, has_request_context, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import case, delete, select, update
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers import Response

from app.extensions import db, rowcount
from app.models import LoginThrottle, User, utcnow
from app.passwords import MAX_PASSWORD

if TYPE_CHECKING:
    from sqlalchemy.dialects.postgresql import Insert as PgInsert
    from sqlalchemy.dialects.sqlite import Insert as SqliteInsert


@functools.cache
def dummy_hash(method: str) -> str:
    """A hash made exactly like real ones (same method and parameters) of a random secret,
    computed once per method: checking a password against it for an e-mail without an
    account costs what checking a real account's password does."""
    return generate_password_hash(secrets.token_urlsafe(24), method=method)


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


def clear_throttles(user: User) -> int:
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
