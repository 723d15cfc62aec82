"""Whole numbers read from a request's query string or form (ids, page numbers, positions),
parsed in one place: ASCII digits only, within bounds, or a clear 4xx naming the field.

Before this, pages used ``request.values.get(..., type=int)``, ``int(...)`` or
``isdigit()``: "abc" became None (a misleading 404), 25 nines reached the database (a 500:
SQLite and PostgreSQL store at most 2^63 - 1) and "²" passed ``isdigit()`` and failed
``int()``. Nothing here corrects a value silently: out of range is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, NoReturn, overload

from flask import abort as page_abort
from flask import request
from flask_smorest import abort as api_abort

from app.extensions import MAX_ID

MAX_DIGITS = len(str(MAX_ID))


def refuse(name: str, message: str) -> NoReturn:
    """A 422 naming ``name`` under ``/api/`` (the contract's error body), a 400 on pages."""
    if request.path.startswith("/api/"):
        api_abort(422, message=f"{name}: {message}", errors={name: [message]})
    page_abort(400, description=f"{name}: {message}")


@overload
def whole_number(
    name: str,
    source: Mapping | None = None,
    *,
    default: int,
    minimum: int = 1,
    maximum: int = MAX_ID,
) -> int: ...


@overload
def whole_number(
    name: str,
    source: Mapping | None = None,
    *,
    default: None = None,
    minimum: int = 1,
    maximum: int = MAX_ID,
) -> int | None: ...


def whole_number(
    name: str,
    source: Mapping | None = None,
    *,
    default: int | None = None,
    minimum: int = 1,
    maximum: int = MAX_ID,
) -> int | None:
    """``source[name]`` (``request.values`` by default) as an int in ``minimum..maximum``;
    ``default`` when absent or blank; anything else refused (``refuse``)."""
    source = request.values if source is None else source
    try:
        value = parse_whole(source.get(name), minimum=minimum, maximum=maximum)
    except ValueError as exc:
        refuse(name, str(exc))
    return default if value is None else value


def parse_whole(raw: object, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """``raw`` as an int in ``minimum..maximum``; None when absent or blank; anything else
    a ``ValueError`` whose message ends the sentence "<field> ..." (``whole_number`` and the
    forms' schemas both read numbers through this)."""
    if raw is None or not str(raw).strip():
        return None
    text = str(raw).strip()
    sign = -1 if text.startswith("-") and minimum < 0 else 1
    digits = text[1:] if sign < 0 else text
    message = f"must be a whole number from {minimum} to {maximum}, written with digits 0-9."
    if not (digits.isascii() and digits.isdigit()) or len(digits) > MAX_DIGITS:
        raise ValueError(message)
    value = sign * int(digits)
    if not minimum <= value <= maximum:
        raise ValueError(message)
    return value


@overload
def record_id(
    name: str, source: Mapping | None = None, *, required: Literal[True] = True
) -> int: ...


@overload
def record_id(name: str, source: Mapping | None = None, *, required: bool) -> int | None: ...


def record_id(name: str, source: Mapping | None = None, *, required: bool = True) -> int | None:
    """A record id (1 to ``MAX_ID``); a missing one is refused when ``required``."""
    value = whole_number(name, source)
    if value is None and required:
        refuse(name, "is required.")
    return value


def page_number(name: str = "page", source: Mapping | None = None) -> int:
    """A page number from 1 (the default) to ``MAX_ID``."""
    return whole_number(name, source, default=1)
