"""Login, logout and the health check."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from app import audit
from app.auth import end_session, requires, safe_next, start_session
from app.extensions import db, limiter
from app.logins import attempt_login, login_client, remember_device

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _address_limit() -> str:
    return current_app.config["LOGIN_ADDRESS_RATE_LIMIT"]


def _account_key() -> str:
    """The typed e-mail and the client trying it (its address, or its device when it signed
    in to that account before), as an HMAC: the limiter's store (Redis) never holds what
    was typed, and an attacker's guesses use up only the attacker's own count."""
    return "login:" + login_client((request.form.get("email") or "").strip().lower())[0]


def _failed(response: Response) -> bool:
    """Only refused logins count towards the limits: people who log in are not attackers."""
    return response.status_code != 302


def lockout_message(seconds: int) -> str:
    minutes = (seconds + 59) // 60
    return ngettext(
        "Too many failed logins for this e-mail: it is locked for %(num)d minute. "
        "Try again then (even the right password is refused until then), or ask an admin "
        "to reset your password.",
        "Too many failed logins for this e-mail: it is locked for %(num)d minutes. "
        "Try again then (even the right password is refused until then), or ask an admin "
        "to reset your password.",
        minutes,
    )


@bp.route("/login", methods=["GET", "POST"])
# per client address (the real client's, behind TRUSTED_PROXIES reverse proxies) ...
@limiter.limit(_address_limit, methods=["POST"], deduct_when=_failed)
# ... and per (typed e-mail, client); the lock-out kept in the database (attempt_login)
# holds across workers even when these counters are per worker (memory://)
@limiter.limit(_login_limit, methods=["POST"], key_func=_account_key, deduct_when=_failed)
def login() -> ResponseReturnValue:
    """The login form; on success, a fresh session and a safe redirect to ``next``."""
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(request.args.get("next")))
    error: str | None = None
    status = 200
    headers: dict[str, str] = {}
    email = request.form.get("email", "")
    if request.method == "POST":
        attempt = attempt_login(email, request.form.get("password", ""))
        if attempt.user is None:
            # the account only when one exists: what was typed may be anything (a password)
            account_id = attempt.account.id if attempt.account else None
            if attempt.locked_for:
                error, status = lockout_message(attempt.locked_for), 429
                headers["Retry-After"] = str(attempt.locked_for)
            else:
                error, status = _("E-mail or password is not right."), 401
            audit.record(
                db.session,
                "login",
                "user",
                account_id,
                outcome="locked" if attempt.locked_for else "refused",
            )
            db.session.commit()
        else:
            user = attempt.user
            start_session(user)
            audit.record(db.session, "login", "user", user.id)
            db.session.commit()
            response = redirect(safe_next(request.args.get("next")))
            remember_device(response, user.email)  # this browser: never locked out of it
            return response
    return render_template("login.html", error=error, email=email), status, headers


@bp.route("/logout", methods=["POST"])
@requires("viewer")
def logout() -> Response:
    """End the session (POST with CSRF token, so a link cannot log anyone out)."""
    end_session()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


def health() -> tuple[dict, int]:
    """``/health`` (no login): JSON always; 200 when the database answers at the newest
    migration and the queue keeps a value, else 503 naming what is wrong."""
    from app import health as checks

    report = checks.check()
    return report, 200 if report["status"] == "ok" else 503
