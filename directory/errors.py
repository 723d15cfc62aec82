"""The directory's one family of domain errors, and how each surface answers them.

Service functions raise these; they carry the fields at fault (``errors``: field → messages)
and the HTTP status they mean. A page that shows a form catches ``DomainError`` and puts
the messages beside the fields; anything else reaching the app is answered by ``handle``:
the contract's JSON error body under ``/api/``, the error page elsewhere, the transaction
rolled back either way. An error raised with nothing of its own to say (``raise NotFound()``)
is answered exactly as ``abort(404)`` would be (the status's own page, in the reader's
language), so a view says "not found" one way.
"""

from __future__ import annotations

from typing import TypeVar

from flask import Flask, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, default_exceptions

from app.auth import is_api_request
from app.errors import error_payload, html_error
from app.extensions import db

T = TypeVar("T")

STALE_MESSAGE = "The record was changed by someone else; read it again."


class DomainError(Exception):
    """A rule of the directory was broken; ``errors`` names the fields, ``message`` says
    it in one line."""

    status = 422
    default_message = "Invalid data."

    def __init__(self, errors: dict[str, list[str]] | None = None, message: str | None = None):
        self.errors = errors or {}
        self.plain = message is None and not self.errors  # nothing of its own to say
        self.message = message or (
            "; ".join(f"{k}: {' '.join(v)}" for k, v in self.errors.items()) or self.default_message
        )
        super().__init__(self.message)


class NotFound(DomainError):
    """No such record (or none this user may see: answered as 404, never 403)."""

    status = 404
    default_message = "Not found."


def found(record: T | None) -> T:
    """``record``, or a plain ``NotFound`` (answered as ``abort(404)`` is) when there is
    none: ``service = found(db.session.get(Service, service_id))``."""
    if not record:
        raise NotFound()
    return record


class Forbidden(DomainError):
    """The caller may not do this to this record (a state only the other side of a
    referral may set): answered 403, and audited as refused by the service raising it."""

    status = 403
    default_message = "Not allowed."


class Stale(DomainError):
    """The record changed since the editor read it (optimistic locking)."""

    status = 409

    def __init__(self, current: int | None = None):
        super().__init__(
            message=STALE_MESSAGE
            if current is None
            else f"The record was changed by someone else (now version {current})."
        )
        self.current = current


class Invalid(DomainError):
    """Data that passed its schema breaks a rule that needs the database or other records."""

    identifiers: dict[str, IdentifiersFound]  # set by some: the spans, per field, to mark


class MailNotSent(DomainError):
    """The mail server did not take a message (nothing was recorded as sent)."""

    status = 502
    default_message = "The e-mail could not be sent."


class IdentifiersFound(Invalid):
    """A free text about a client looks like it holds identifiers; ``findings`` are the
    spans, for showing them marked."""

    def __init__(self, field: str, text: str, findings: list):
        from directory import identifiers

        message = identifiers.message(findings)
        super().__init__({field: [message]}, message)
        self.field, self.text, self.findings = field, text, findings


class _Answer(HTTPException):
    """A domain error as an HTTP error with the contract's fields."""

    def __init__(self, exc: DomainError):
        super().__init__(description=exc.message)
        self.code = exc.status
        self.data = {"message": exc.message, "errors": exc.errors or None}


def handle(exc: Exception) -> ResponseReturnValue:
    """The one place a domain error becomes an HTTP answer (API JSON or an error page)."""
    db.session.rollback()
    error = exc if isinstance(exc, DomainError) else Stale()  # a StaleDataError
    answer = default_exceptions[error.status]() if error.plain else _Answer(error)
    if is_api_request():
        response = jsonify(error_payload(error.status, answer.description, error.errors or None))
        response.status_code = error.status
        return response
    return html_error(answer)


def register(app: Flask) -> None:
    app.register_error_handler(DomainError, handle)
    app.register_error_handler(StaleDataError, handle)
