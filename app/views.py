"""Login, logout and the health check."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import text

from app import audit
from app.auth import authenticate, end_session, requires, safe_next, start_session
from app.extensions import db, limiter

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_key() -> str:
    return "login:" + (request.form.get("email") or "").strip().lower()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_account_key)
def login():
    """The login form; on success, a fresh session and a safe redirect to ``next``."""
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(request.args.get("next")))
    error = None
    email = request.form.get("email", "")
    if request.method == "POST":
        user = authenticate(email, request.form.get("password", ""))
        if user is None:
            error = "E-mail or password is not right."
            audit.record(db.session, "login", "user", outcome="refused", detail=email[:254])
            db.session.commit()
        else:
            start_session(user)
            audit.record(db.session, "login", "user", user.id)
            db.session.commit()
            return redirect(safe_next(request.args.get("next")))
    status = 401 if error else 200
    return render_template("login.html", error=error, email=email), status


@bp.route("/logout", methods=["POST"])
@requires("viewer")
def logout():
    """End the session (POST with CSRF token, so a link cannot log anyone out)."""
    end_session()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))


def health():
    """200 when the app and its database answer; no login needed."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
