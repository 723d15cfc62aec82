"""Response headers and CSRF for cookie-authenticated API calls."""

from __future__ import annotations

from flask import current_app, g, request
from flask_login import current_user

from app.extensions import csrf

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def security_headers(response):
    """Headers on every answer: CSP without inline scripts, no framing, no referrer, no caching."""
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "no-referrer"
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    if current_app.config.get("APP_ENV") == "production":
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return response


def api_csrf():
    """The API is exempt from form CSRF, but a cookie-authenticated change needs the token."""
    if (
        request.path.startswith("/api/")
        and request.method not in ("GET", "HEAD", "OPTIONS")
        and current_user.is_authenticated
        and not g.get("token_auth")
        and current_app.config.get("WTF_CSRF_ENABLED", True)
    ):
        csrf.protect()
