"""How large a request body may be, decided before a byte of it is read.

Every route takes at most ``MAX_BODY_BYTES`` (1 MB by default): forms and JSON bodies are
small. A route that takes uploads (the HSDS package) is marked ``@large_body`` and takes up
to ``MAX_CONTENT_LENGTH`` (64 MB by default), but only from a user whose role the route
admits: an anonymous or a lesser user gets the small limit there too, so nobody can make the
app read a large body without signing in first.

``guard_body_size`` is the app's first ``before_request`` (before CSRF reads a form, before
the login gate): a ``Content-Length`` over the limit is answered 413 without reading; a body
without one (chunked) is cut off at the limit while it is read (Werkzeug raises 413 through
``request.max_content_length``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort, current_app, request
from flask_login import current_user

F = TypeVar("F", bound=Callable)

LARGE_BODY_ENDPOINTS: set[str] = set()
"""Endpoints registered elsewhere (or by a library) that take large bodies."""


def large_body(view: F) -> F:
    """Mark a view that takes uploads up to ``MAX_CONTENT_LENGTH`` (signed-in users only)."""
    view.large_body = True  # type: ignore[attr-defined]
    return view


def _takes_large_body() -> bool:
    """Whether this request may send a large body: a route marked ``@large_body``, from a
    user whose role the route admits (judged without reading the body)."""
    from app.auth import required_role

    view = current_app.view_functions.get(request.endpoint or "")
    marked = request.endpoint in LARGE_BODY_ENDPOINTS or getattr(view, "large_body", False)
    if not marked:
        return False
    role = required_role(view, request.method)
    return bool(role and current_user.is_authenticated and current_user.has_role(role))


def body_limit() -> int:
    """The most bytes this request's body may hold."""
    config = current_app.config
    small = int(config["MAX_BODY_BYTES"])
    if _takes_large_body():
        return int(config.get("MAX_CONTENT_LENGTH") or small)
    return small


def guard_body_size() -> None:
    """``before_request`` (the first): refuse an announced body over the limit with 413,
    and cap a body of unknown length at it while it is read."""
    limit = body_limit()
    request.max_content_length = limit
    length = request.content_length
    if length is not None and length > limit:
        abort(413)
