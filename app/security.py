"""Response headers, CSRF for cookie-authenticated API calls, and the input guards that run
before anything parses a request: JSON nesting and number size, NUL characters, lone
surrogates and numbers written with other digits than 0-9."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any, NoReturn

from flask import Request, Response, current_app, g, request
from flask import abort as flask_abort
from flask_login import current_user
from flask_smorest import abort

from app.extensions import csrf

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def security_headers(response: Response) -> Response:
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


def api_csrf() -> None:
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
SURROGATE_MESSAGE = (
    "Contains a lone surrogate (\\ud800-\\udfff), which is not a character: send UTF-8 text."
)
DIGITS_MESSAGE = "Write numbers with the digits 0-9."
TOO_LARGE_MESSAGE = "Numbers must be at most 10^18 in magnitude."
MAX_JSON_DEPTH = 32
MAX_JSON_NUMBER = 10**18
MAX_NUMBER_DIGITS = 20
_SURROGATE = re.compile("[\ud800-\udfff]")
# a value that is a number written with other digits than 0-9 ("²", "١٢", "１２.５"):
# int() accepts some and not others, and nobody means them as text in a numeric field
_NUMBERISH = re.compile(r"\s*[+-]?[\d\u00b2\u00b3\u00b9\u2070-\u2079\u2080-\u2089.,]+\s*")


def _text_problem(text: str) -> str | None:
    """What is wrong with a piece of text, or None."""
    if "\x00" in text:
        return NUL_MESSAGE
    if _SURROGATE.search(text):
        return SURROGATE_MESSAGE
    if not text.isascii() and _NUMBERISH.fullmatch(text) and any(c.isdigit() for c in text):
        return DIGITS_MESSAGE
    return None


_WHOLE = re.compile(r"\s*[+-]?[0-9]+\s*")


def _number_too_large(text: str) -> bool:
    """A whole number past what any field takes (``MAX_JSON_NUMBER``, as in a JSON body):
    ``round=99999999999999999999999`` overflows the database's integers."""
    return bool(_WHOLE.fullmatch(text)) and (
        len(text.strip().lstrip("+-")) > MAX_NUMBER_DIGITS or abs(int(text)) > MAX_JSON_NUMBER
    )


def _printable(name: str) -> str:
    return _SURROGATE.sub("\ufffd", name)


class _TooLarge(str):
    """A JSON number refused for its size (kept as its text: ``int()`` of thousands of
    digits is slow, and Python refuses more than 4,300)."""


def _big_int(text: str) -> int | _TooLarge:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS or abs(int(text)) > MAX_JSON_NUMBER:
        return _TooLarge(text)
    return int(text)


def _big_float(text: str) -> float | _TooLarge:
    digits = sum(c.isdigit() for c in text.split("e")[0].split("E")[0])
    if digits > MAX_NUMBER_DIGITS:
        return _TooLarge(text)
    number = float(text)
    return number if math.isfinite(number) and abs(number) <= MAX_JSON_NUMBER else _TooLarge(text)


def _constant(text: str) -> _TooLarge:
    return _TooLarge(text)  # NaN, Infinity, -Infinity: not JSON


def _walk(data: object) -> Iterator[tuple[str, int, object]]:
    """Every value in parsed JSON with its dotted path and depth, without recursion (the
    parser has already refused what nests past Python's recursion limit)."""
    stack: list[tuple[str, int, object]] = [("", 0, data)]
    while stack:
        path, depth, value = stack.pop()
        yield path, depth, value
        if isinstance(value, dict):
            depth += 1
            for key, item in reversed(list(value.items())):
                here = f"{path}.{key}" if path else str(key)
                key_problem = _text_problem(str(key))
                # a key that holds bad text is reported as the key itself
                stack.append((here, depth, _BadKey(key_problem) if key_problem else item))
        elif isinstance(value, list):
            depth += 1
            for i in reversed(range(len(value))):
                stack.append((f"{path}.{i}" if path else str(i), depth, value[i]))


class _BadKey(str):
    """Stands for the value under a key whose text is refused; holds the key's problem."""


def _refuse(code: int, message: str, errors: dict[str, list[str]]) -> NoReturn:
    if request.path.startswith("/api/"):
        abort(code, message=message, errors=errors)
    listed = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items())
    flask_abort(400, description=listed)


def _json_problems(raw: bytes) -> dict[str, list[str]]:
    """Problems of a JSON body, by field: nesting deeper than ``MAX_JSON_DEPTH`` or a number
    larger than 10^18, longer than 20 digits, NaN or Infinity (refused with 400, returned no
    further), then text problems (``_text_problem``). A body that does not parse is left to
    the route's schema."""
    if not raw:
        return {}
    too_deep = {"body": [f"Arrays and objects may nest at most {MAX_JSON_DEPTH} levels."]}
    try:
        data = json.loads(raw, parse_int=_big_int, parse_float=_big_float, parse_constant=_constant)
    except RecursionError:
        _refuse(400, "JSON nested too deeply.", too_deep)
    except ValueError:
        return {}
    text: dict[str, list[str]] = {}
    large: list[str] = []
    for path, depth, value in _walk(data):
        field = _printable(path) or "body"
        if depth > MAX_JSON_DEPTH:
            _refuse(400, "JSON nested too deeply.", {field: too_deep["body"]})
        if isinstance(value, _TooLarge):
            large.append(field)
        elif isinstance(value, _BadKey):
            text[field] = [str(value)]
        elif isinstance(value, str) and (problem := _text_problem(value)):
            text[field] = [problem]
    if large:
        message = (
            f"Numbers must be at most 10^18 in magnitude and {MAX_NUMBER_DIGITS} digits "
            "long (NaN and Infinity are not JSON)."
        )
        _refuse(400, "Number too large.", {field: [message] for field in large})
    return text


class CheckedRequest(Request):
    """The app's request: a JSON body is checked (``_json_problems``) when a route first
    reads it, whichever way (``get_json``, webargs' ``get_data``), so only routes that take
    a body read one, and only after the login gate let the request through."""

    _json_checked = False

    # ignore[override]: Werkzeug overloads get_data on as_text (bytes or str); this passes
    # every argument on, so it answers as the overload called
    def get_data(self, *args: Any, **kwargs: Any) -> bytes | str:  # type: ignore[override]
        """The body, as Werkzeug reads it (capped at ``max_content_length``). A body of
        unknown length (chunked) that reaches the cap is refused (413), not cut short
        silently; a JSON body is checked the first time, and refused (400/422 naming the
        field) when it is bad."""
        raw = super().get_data(cache=True)
        limit = self.max_content_length
        if self.content_length is None and limit is not None and len(raw) >= limit:
            flask_abort(413)
        if not self._json_checked and self.is_json and self.method in BODY_METHODS:
            self._json_checked = True
            errors = _json_problems(raw)
            if errors:
                _refuse(422, "Invalid text.", errors)
        return super().get_data(*args, **kwargs)


BODY_METHODS = ("POST", "PUT", "PATCH", "DELETE")
"""The methods whose body a route reads; the body of any other is never read."""


def refuse_bad_input() -> None:
    """``before_request`` (after the login gate): input no person means is refused before a
    route parses it.

    - text with a NUL byte (PostgreSQL cannot store it) or a lone surrogate (it cannot be
      encoded as UTF-8), and numbers written with other digits than 0-9 ("²", "١٢"), in
      query parameters and form fields, and whole numbers past 10^18 there (no field
      takes one; the database's integers overflow): 422 naming the field on the API, 400
      on pages; such text in a path (``/api/hsds/services/%00``) names no record: 404;
    - JSON bodies (nesting deeper than 32 levels, huge numbers, the same text problems) are
      checked when a route reads one (``CheckedRequest``), not here: a route that takes no
      body never reads it.
    """
    for value in (request.view_args or {}).values():
        if isinstance(value, str) and _text_problem(value) in (NUL_MESSAGE, SURROGATE_MESSAGE):
            flask_abort(404)  # no record is named by such text: before a database sees it
    errors: dict[str, list[str]] = {}
    sources = [request.args]
    if request.method in BODY_METHODS:
        sources.append(request.form)
    for source in sources:
        for key, value in source.items(multi=True):
            problem = _text_problem(key) or _text_problem(value)
            if problem:
                errors[_printable(key)] = [problem]
            elif _number_too_large(value):
                errors[_printable(key)] = [TOO_LARGE_MESSAGE]
    if not errors:
        return None
    _refuse(422, "Invalid text.", errors)
