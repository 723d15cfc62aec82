"""User administration: accounts, passwords, roles, deactivation, unlocking, and API
tokens; each change audited (who, whom, old and new values). Called by the admin pages and
the ``users`` commands. A change of password, role or activity ends the user's sessions."""

from __future__ import annotations

from flask import current_app
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from app import audit
from app.extensions import db
from app.logins import clear_throttles
from app.models import ROLES, ApiToken, User
from app.passwords import WeakPassword, check_password


class AuthError(ValueError):
    """A user-management rule was broken; the message says which, ``field`` which input
    ("email", "role", "password") it is about, when one is."""

    def __init__(self, message: str | LazyString, field: str | None = None) -> None:
        super().__init__(message)  # lazy: in the reader's language when shown
        self.field = field


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


def record_user_action(
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
    record_user_action(
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
    if action == "user password" and (cleared := clear_throttles(user)):
        changes["throttles_cleared"] = cleared
    record_user_action(action, user, changes)


def change_role(user: User, role: str) -> None:
    """Give ``user`` another role; their sessions and API tokens end."""
    if role not in ROLES:
        raise AuthError(f"Unknown role {role!r}; choose one of: {', '.join(ROLES)}.", "role")
    old = user.role
    user.role = role
    revoked = end_sessions(user)
    record_user_action("user role", user, {"role": [old, role], "tokens_revoked": revoked})


def deactivate(user: User, by: User | None = None) -> None:
    """Deactivate ``user`` (never oneself); their sessions and API tokens end."""
    if by is not None and user.id == by.id:
        raise AuthError(_l("You cannot deactivate yourself."))
    old = user.active
    user.active = False
    revoked = end_sessions(user)
    record_user_action("user deactivate", user, {"active": [old, False], "tokens_revoked": revoked})


def reactivate(user: User) -> None:
    """Let a deactivated user log in again (their old sessions stay ended)."""
    old = user.active
    user.active = True
    record_user_action("user activate", user, {"active": [old, True]})


def revoke_tokens(user: User) -> list[int]:
    """Revoke every API token of ``user``; their sessions go on."""
    revoked = [t.id for t in user.tokens if not t.revoked]
    for token in user.tokens:
        token.revoked = True
    record_user_action("token revoke", user, {"tokens_revoked": revoked})
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


def unlock(user: User) -> int:
    """Clear every lock and failure count of ``user``'s e-mail (the account's own and each
    client's); audited. The number of throttle rows removed."""
    removed = clear_throttles(user)
    record_user_action("user unlock", user, {"throttles_cleared": removed})
    return removed


def issue_token(user: User) -> str:
    """Create an API token for ``user`` and return its secret (shown once); audited."""
    token, secret = ApiToken.issue(user, current_app.config["API_TOKEN_DAYS"])
    db.session.add(token)
    db.session.flush()
    record_user_action("token issue", user, {"token": [None, token.id]}, "api_tokens", token.id)
    return secret
