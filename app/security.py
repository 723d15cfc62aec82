"""Response headers and CSRF for cookie-authenticated API calls."""

from __future__ import annotations

from flask import abort as flask_abort
from flask import current_app, g, request
from flask_login import current_user
from flask_smorest import abort

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


NUL_MESSAGE = "Contains a NUL character (\\x00), which is never valid text."


def _nul_fields(value, path: str = "") -> list[str]:
    """Dotted paths of the strings (keys or values) in parsed JSON that hold a NUL."""
    if isinstance(value, str):
        return [path or "body"] if "\x00" in value else []
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            found += [here] if "\x00" in str(key) else _nul_fields(item, here)
        return found
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in _nul_fields(item, f"{path}.{i}")]
    return []


def refuse_nul_bytes():
    """``before_request``: text with a NUL byte is refused before anything parses it
    (PostgreSQL cannot store it, and no person types it): 422 naming the field."""
    fields = [
        key
        for source in (request.args, request.form)
        for key, value in source.items(multi=True)
        if "\x00" in key or "\x00" in value
    ]
    if request.is_json:
        fields += _nul_fields(request.get_json(silent=True))
    if not fields:
        return None
    if request.path.startswith("/api/"):
        abort(422, message="Invalid text.", errors={f: [NUL_MESSAGE] for f in fields})
    flask_abort(400, description=f"{', '.join(fields)}: {NUL_MESSAGE}")
