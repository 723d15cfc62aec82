"""Absolute addresses of the app's pages, for links people copy, share or receive.

With ``PUBLIC_BASE_URL`` set, every such address starts with it, whatever Host header the
request came with: a forged Host must not turn a link a coordinator shares (the respondent
link) or an API's self-description into a link to someone else's site. Without it, a page
names the address the reader reached the app at, and an e-mail (sent from a page or the
command line alike) the default, ``http://127.0.0.1:5000``. ``X-Forwarded-Host`` is never
read (``TRUSTED_PROXIES`` trusts the client address and scheme only)."""

from __future__ import annotations

from typing import Any

from flask import current_app, request, url_for

DEFAULT_BASE_URL = "http://127.0.0.1:5000"


def shown_url(endpoint: str, **values: Any) -> str:
    """The absolute address of a page, to show or hand out from a request."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if not base:
        return url_for(endpoint, _external=True, **values)
    path = url_for(endpoint, **values)
    return base + path.removeprefix(request.script_root)


def mailed_url(path: str) -> str:
    """The absolute address of ``path`` (``/partner/...``) for an e-mail: never the
    request's host, which the sender's browser (or a forger) chose."""
    config = current_app.config
    return (config.get("PUBLIC_BASE_URL") or config.get("SERVED_URL") or DEFAULT_BASE_URL) + path
