"""Error answers: the JSON shape of CONTRACT.md on the API, a plain page elsewhere.

Never a traceback: unexpected exceptions are logged and answered with a 500.
"""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_smorest import Api
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import HTTP_STATUS_CODES

from app.auth import is_api_request
from app.i18n import _l, ui_language

_LOCATIONS = {"json", "query", "querystring", "form", "files", "headers", "path", "view_args"}


def flatten_errors(errors: dict) -> dict:
    """``{location: {field: msgs}}`` from webargs → ``{field: msgs}`` as the contract shows."""
    if isinstance(errors, dict) and errors and set(errors) <= _LOCATIONS:
        flat: dict = {}
        for by_field in errors.values():
            if isinstance(by_field, dict):
                flat.update(by_field)
            else:
                flat.setdefault("_schema", []).extend(by_field)
        return flat
    return errors


def error_payload(code: int, message: str | None = None, errors: dict | None = None) -> dict:
    """The contract's error body."""
    body = {
        "code": code,
        "status": HTTP_STATUS_CODES.get(code, "Error"),
        "message": message or HTTP_STATUS_CODES.get(code, "Error"),
    }
    if errors:
        body["errors"] = flatten_errors(errors)
    return body


class DirectoryApi(Api):
    """flask-smorest's Api, answering errors as JSON only under /api/."""

    def handle_http_exception(self, error: HTTPException) -> ResponseReturnValue:
        if not is_api_request():
            return html_error(error)
        code = error.code or 500  # a bare HTTPException has no code
        data = getattr(error, "data", None) or {}
        message = data.get("message") or error.description
        response = jsonify(error_payload(code, message, data.get("messages") or data.get("errors")))
        response.status_code = code
        if error.code == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
        if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response


ERROR_PAGES = {
    400: (_l("Bad Request"), _l("The request could not be understood.")),
    403: (_l("Forbidden"), _l("Your role does not allow this page or action.")),
    404: (_l("Not Found"), _l("There is nothing at this address.")),
    405: (_l("Method Not Allowed"), _l("This page does not accept that kind of request.")),
    413: (_l("Request Entity Too Large"), _l("What was sent is too large.")),
    422: (_l("Unprocessable Content"), _l("Some of what was sent is not valid.")),
    429: (_l("Too Many Requests"), _l("Too many attempts: please wait and try again.")),
    500: (
        _l("Internal Server Error"),
        _l("Something went wrong on our side; it has been logged. Please try again."),
    ),
}


def html_error(error: HTTPException) -> tuple[str, int]:
    """A plain error page, in the reader's language (a page's own explanation, when it gave
    one, is shown as given)."""
    name, description = error.name, error.description
    if error.code in ERROR_PAGES and ui_language() != "en":
        local_name, local_description = ERROR_PAGES[error.code]
        name = str(local_name)
        if description == type(error).description:
            description = str(local_description)
    code = error.code or 500  # a bare HTTPException has no code
    return (
        render_template("error.html", code=code, name=name, description=description),
        code,
    )


def register_errorhandlers(app: Flask, api: DirectoryApi) -> None:
    """HTTP errors through the Api's handler; anything unexpected becomes a logged 500."""
    app.register_error_handler(HTTPException, api.handle_http_exception)

    def unexpected(error: Exception) -> ResponseReturnValue:
        # the route (URL rule), not the path: a path can hold a partner's token
        rule = request.url_rule.rule if request.url_rule is not None else "unmatched"
        current_app.logger.exception("Unhandled error on %s %s", request.method, rule)
        return api.handle_http_exception(InternalServerError())

    app.register_error_handler(Exception, unexpected)
