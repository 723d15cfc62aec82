"""Dates and times shown in the reader's locale (pages only; the API and CSV keep ISO 8601).

The locale is the interface language's (``app.i18n``: the switch, else the browser's
``Accept-Language`` among en, es, fr), with the browser's region;
times are shown in ``DIRECTORY_TIMEZONE`` with the zone's name beside them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from flask import Flask, current_app
from markupsafe import Markup

from app import i18n

DEFAULT_LOCALE = i18n.DEFAULT_LOCALE


def user_locale() -> str:
    """The reader's locale as Babel names it (``en_GB``, ``fr``, ...): the one the pages are
    written in (``app.i18n.user_locale``: the header's switch, else the browser)."""
    return i18n.user_locale()


def format_day(value: date | None, locale: str | None = None, style: str = "medium") -> str:
    """A calendar date in the reader's (or the given) locale: 21 Nov 2026, Nov 21, 2026."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    return format_date(value, format=style, locale=locale or user_locale())


def format_moment(value: datetime | None) -> str:
    """A moment in the directory's time zone and the reader's locale, zone named."""
    if value is None:
        return ""
    if value.tzinfo is None:  # stored as naive UTC
        value = value.replace(tzinfo=UTC)
    zone = ZoneInfo(current_app.config["DIRECTORY_TIMEZONE"])
    return format_datetime(value, format="medium", tzinfo=zone, locale=user_locale()) + (
        " " + value.astimezone(zone).strftime("%Z")
    )


def day_tag(value: date | None, locale: str | None = None) -> Markup:
    """``<time datetime="2026-11-21">21 Nov 2026</time>``: readable and machine-readable."""
    if value is None:
        return Markup("")
    if isinstance(value, datetime):
        value = value.date()
    return _time(value.isoformat(), format_day(value, locale))


def moment_tag(value: datetime | None) -> Markup:
    if value is None:
        return Markup("")
    stamp = (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat(timespec="seconds")
    return _time(stamp, format_moment(value))


def _time(iso: str, shown: str) -> Markup:
    return Markup('<time datetime="{}">{}</time>').format(iso, shown)


def register(app: Flask) -> None:
    app.add_template_filter(day_tag, "day")
    app.add_template_filter(moment_tag, "moment")
