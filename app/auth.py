"""Who may do what: logins, API tokens, roles, and the default-deny gate.

Every endpoint must declare the least role it needs with ``@requires(role)``; the
``before_request`` gate refuses any endpoint that declares none (default-deny), except
the few in ``PUBLIC_ENDPOINTS``. Pages answer an anonymous user with a redirect to the
login page, the API with 401; a user whose role is too low gets 403.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit

from flask import abort, current_app, g, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db, login_manager
from app.models import ROLES, ApiToken, User

PUBLIC_ENDPOINTS = {"auth.login", "static", "health"}
LIBRARY_ENDPOINTS = {"api-docs.openapi_json": "viewer"}
"""Endpoints that libraries register, with the role they need."""
MIN_PASSWORD = 12
MAX_PASSWORD = 128
_COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent.parent / "seeds" / "common-passwords.txt"


class AuthError(ValueError):
    """A user-management rule was broken; the message says which."""


def requires(role: str):
    """Declare the least role an endpoint (function or MethodView method) needs."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")

    def decorate(view):
        view.required_role = role
        return view

    return decorate


def required_role(view, method: str) -> str | None:
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


def gate():
    """``before_request``: authenticate, end idle sessions, then enforce the declared role."""
    # A request authenticates afresh (``g`` can outlive a request where an app context
    # was already pushed, as in tests and CLI-driven requests).
    g.pop("_login_user", None)
    g.pop("token_auth", None)
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if current_user.is_authenticated and not g.get("token_auth"):
        last = session.get("last_seen", 0)
        idle = current_app.config["IDLE_TIMEOUT_SECONDS"]
        if last and time.time() - last > idle:
            logout_user()
            session.clear()
        else:
            session["last_seen"] = int(time.time())
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
def load_user_from_token(req) -> User | None:
    """``Authorization: Bearer TOKEN`` → user (API only)."""
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer ") or not req.path.startswith("/api/"):
        return None
    token = db.session.scalar(
        select(ApiToken)
        .options(joinedload(ApiToken.user))
        .where(ApiToken.token_hash == ApiToken.hash(header[7:].strip()))
    )
    if token is None or token.revoked or not token.user.active:
        return None
    g.token_auth = True
    return token.user


def check_password_rules(password: str) -> None:
    """Raise ``AuthError`` unless the password is 12–128 characters and not a common one."""
    if len(password) > MAX_PASSWORD:
        raise AuthError(f"Password must be at most {MAX_PASSWORD} characters.")
    if len(password) < MIN_PASSWORD:
        raise AuthError(f"Password must be at least {MIN_PASSWORD} characters.")
    if password.lower() in _common_passwords():
        raise AuthError("That password is too common; choose another.")


_common_cache: set[str] | None = None


def _common_passwords() -> set[str]:
    global _common_cache  # noqa: PLW0603
    if _common_cache is None:
        lines = _COMMON_PASSWORDS_FILE.read_text().splitlines()
        _common_cache = {line.strip().lower() for line in lines if line.strip()}
    return _common_cache


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def create_user(email: str, role: str, password: str) -> User:
    """Add a user (not committed). Raises ``AuthError`` for a bad role, e-mail or password."""
    email = email.strip().lower()
    if role not in ROLES:
        raise AuthError(f"Unknown role {role!r}; choose one of: {', '.join(ROLES)}.")
    if "@" not in email:
        raise AuthError("E-mail address is not valid.")
    if db.session.scalar(select(User).where(User.email == email)):
        raise AuthError(f"A user with e-mail {email} exists already.")
    check_password_rules(password)
    user = User(email=email, role=role, password_hash=hash_password(password))
    db.session.add(user)
    return user


def set_password(user: User, password: str) -> None:
    """Change a password; ends the user's other sessions and revokes their API tokens."""
    check_password_rules(password)
    user.password_hash = hash_password(password)
    end_sessions(user)


def end_sessions(user: User) -> None:
    """Invalidate every session cookie and API token of ``user``."""
    user.session_version += 1
    for token in user.tokens:
        token.revoked = True


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None (same time either way)."""
    if len(password) > MAX_PASSWORD:
        return None
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


_DUMMY_HASH = generate_password_hash("not-a-real-password", method="pbkdf2:sha256:1")


def start_session(user: User) -> None:
    """Log ``user`` in with a fresh session (no fixation)."""
    session.clear()
    login_user(user)
    session["last_seen"] = int(time.time())


def end_session() -> None:
    """Log out; the cookie just used stops working because the session version changes."""
    if current_user.is_authenticated:
        user = db.session.get(User, current_user.id)
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
    """Create an API token for ``user`` and return its secret (shown once)."""
    token, secret = ApiToken.issue(user)
    db.session.add(token)
    return secret
