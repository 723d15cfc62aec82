"""Weekly opening hours: parsing, display, and "open now / open at" in each place's time zone.

Spans are minutes after local midnight on a weekday (0 = Monday). A span whose closing
time is not after its opening time runs past midnight into the next day (22:00–06:00).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import lru_cache
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext
from sqlalchemy import Integer, and_, bindparam, case, exists, false, func, or_, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.selectable import Exists

from directory.derived import SearchEntry
from directory.models import WEEKDAYS, Service, ServiceHours
from directory.service_locations import ServiceAtLocationHours

TIME_RE = re.compile(r"^([01]?\d|2[0-4]):([0-5]\d)$")


class BadTime(ValueError):
    """A time of day is not HH:MM."""


def parse_time(text: str) -> int:
    """'09:30' → 570; '24:00' → 1440."""
    m = TIME_RE.match((text or "").strip())
    if not m:
        raise BadTime(
            gettext(
                "%(value)s is not a time of day as HH:MM (e.g. 09:00 or 17:30).", value=repr(text)
            )
        )
    minutes = int(m.group(1)) * 60 + int(m.group(2))
    if minutes > 1440:
        raise BadTime(gettext("%(value)s is after 24:00.", value=repr(text)))
    return minutes


SOURCE_CLOCK_RE = re.compile(
    r"^(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?(?::(?P<s>\d{2})(?:\.\d+)?)?\s*(?P<ap>am|pm|a|p)?$"
)
ALL_DAY_RE = re.compile(r"^(open\s+)?24\s*(hours|hrs|h)(\s+a\s+day)?$|^all\s+day$")
ALL_DAY = (0, 1440)


def read_clock(text: str | None) -> tuple[int, bool] | None:
    """``_read_clock``, cached for short texts: a feed writes the same few times thousands
    of times (a long text, never a time, is not kept in the cache)."""
    if text is not None and len(text) > 32:
        return _read_clock(text)
    return _cached_clock(text)


def _read_clock(text: str | None) -> tuple[int, bool] | None:
    """A time of day as published feeds write it → (minutes after midnight, certain), or
    None when it is not one. ``9:00am``, ``9am``, ``9:00 AM``, ``9 a.m.``, ``noon``,
    ``midnight``, ``17:00``, ``08:00``, ``09:00:00Z`` read; "certain" is False for an hour
    of 1–12 written without am/pm (``8:00``: 8 in the morning, or 8 in the evening in a
    12-hour feed), which ``read_span`` accepts only where the other time settles it. A bare
    number (``9``) is no time."""
    value = (text or "").strip().lower().replace(".", "").replace(" ", "")
    if value in ("noon", "12noon", "midday"):
        return 720, True
    if value in ("midnight", "12midnight"):
        return 0, True
    if ":" in value:  # an ISO time's zone ("09:00:00Z", "09:00+01:00") is not the clock's
        value = re.sub(r"(z|[+-]\d{2}:?\d{2})$", "", value)
    m = SOURCE_CLOCK_RE.match(value)
    if not m:
        return None
    hour, minute, meridiem = int(m["h"]), int(m["m"] or 0), m["ap"]
    if meridiem:
        if not 1 <= hour <= 12 or minute > 59:
            return None
        return (hour % 12 + (12 if meridiem.startswith("p") else 0)) * 60 + minute, True
    if m["m"] is None or hour > 24 or minute > 59 or (hour == 24 and minute):
        return None
    # 24-hour beyond doubt: 0 or 13-24, a leading zero, or seconds (ISO 8601's HH:MM:SS)
    certain = hour == 0 or hour >= 13 or m["h"].startswith("0") or m["s"] is not None
    return hour * 60 + minute, certain


_cached_clock = lru_cache(maxsize=4096)(_read_clock)


def read_span(opens: str | None, closes: str | None) -> tuple[int, int] | None:
    """A day's opening as a source gives it → (opens, closes) in minutes, or None when it
    cannot be read for sure: the caller keeps the source's text and never counts the day as
    open. "24 hours" (in either) is the whole day; ``9:00``–``4:00`` is ambiguous (a
    12-hour feed's 4 p.m., or a night opening?) and is None; ``22:00``–``6:00`` runs past
    midnight; ``midnight`` or ``24:00`` as the closing time is the end of the day."""
    for text in (opens, closes):
        if text and ALL_DAY_RE.match(" ".join(text.lower().split())):
            return ALL_DAY
    start, end = read_clock(opens), read_clock(closes)
    if start is None or end is None:
        return None
    (o, o_sure), (c, c_sure) = start, end
    if c == 0:
        c = 1440
    if c <= o and not c_sure and c + 720 > o:
        return None  # "9:00"–"4:00": the closing time may be in the afternoon
    if not (o_sure or c_sure) and o < 360:
        return None  # "1:00"–"5:00": a 12-hour feed's afternoon, not the small hours
    return o, c


def parse_week(text: str) -> list[dict]:
    """Compact weekly hours → spans: 'Mon-Fri 09:00-17:00; Sat 10:00-14:00' →
    ``[{"weekday": "Mon", "opens": "09:00", "closes": "17:00"}, ...]`` (seed files)."""
    spans = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        days, _, times = part.partition(" ")
        first, _, last = days.partition("-")
        start = WEEKDAYS.index(first)
        end = WEEKDAYS.index(last) if last else start
        for window in times.split(","):
            opens, closes = (t.strip() for t in window.split("-"))
            for day in range(start, end + 1):
                spans.append({"weekday": WEEKDAYS[day], "opens": opens, "closes": closes})
    return spans


def format_time(minutes: int | None) -> str | None:
    return None if minutes is None else f"{minutes // 60:02d}:{minutes % 60:02d}"


ServiceRow = Service | SimpleNamespace
"""A Service, or a search row read like one (``search.results.load_records``)."""
Span = tuple[int, int | None, int | None]
"""(weekday, opens, closes) as stored: minutes of the day, both None for times not given."""


def span_text(opens: int, closes: int) -> str:
    return f"{format_time(opens)}–{format_time(closes)}"


def summary(service: ServiceRow) -> str:
    """Human-readable week: 'Open 24/7', or 'Mon–Fri 09:00–17:00; Sat 10:00–14:00'."""
    return week_summary(service.open_24_7, [(h.weekday, h.opens, h.closes) for h in service.hours])


def week_summary(open_24_7: bool, spans: Sequence[Span]) -> str:
    """``summary`` of a week given as (weekday, opens, closes) spans."""
    if open_24_7:
        return "Open 24/7"
    if not spans:
        return "Hours not listed"
    by_day: dict[int, str] = {}
    for weekday, opens, closes in spans:
        if opens is not None and closes is not None:  # both are None, or neither
            text = span_text(opens, closes)
        else:
            text = "times not given (see notes)"
        by_day[weekday] = f"{by_day[weekday]}, {text}" if weekday in by_day else text
    runs: list[tuple[int, int, str]] = []
    for day in range(7):
        if day not in by_day:
            continue
        if runs and runs[-1][1] == day - 1 and runs[-1][2] == by_day[day]:
            runs[-1] = (runs[-1][0], day, by_day[day])
        else:
            runs.append((day, day, by_day[day]))
    parts = []
    for first, last, text in runs:
        days = WEEKDAYS[first] if first == last else f"{WEEKDAYS[first]}–{WEEKDAYS[last]}"
        parts.append(f"{days} {text}")
    return "; ".join(parts)


def structured(service: ServiceRow) -> dict:
    """Hours for the API: 24/7 flag, spans per day, a summary line and notes."""
    spans = tuple((h.weekday, h.opens, h.closes) for h in service.hours)
    return {**_week_display(service.open_24_7, spans), "notes": service.hours_notes}


@lru_cache(maxsize=4096)
def _week_display(open_24_7: bool, spans: tuple[Span, ...]) -> dict[str, Any]:
    """The spans and summary line of a week (few distinct weeks: most services share one).
    Callers copy the dict before adding to it; the span list is read only."""
    return {
        "open_24_7": open_24_7,
        "spans": [
            {"weekday": WEEKDAYS[d], "opens": format_time(o), "closes": format_time(c)}
            for d, o, c in spans
        ],
        "summary": week_summary(open_24_7, spans),
    }


def timezone_of(service: ServiceRow, default_tz: str) -> str:
    return (service.location.timezone if service.location else None) or default_tz


def local_moment(now_utc: datetime, tz: str) -> tuple[int, int]:
    """(weekday, minute of day) of a UTC moment in time zone ``tz``."""
    local = now_utc.astimezone(ZoneInfo(tz))
    return local.weekday(), local.hour * 60 + local.minute


def is_open(service: ServiceRow, weekday: int, minute: int) -> bool | None:
    """Whether the service is open at a local weekday/minute; None if its hours are unknown
    (none listed, or that day's times were given only as text)."""
    if service.open_24_7:
        return True
    if not service.hours:
        return None
    untimed_today = False
    for span in service.hours:
        if span.opens is None or span.closes is None:  # both are, or neither
            untimed_today = untimed_today or span.weekday == weekday
            continue
        overnight = span.closes <= span.opens
        if span.weekday == weekday and span.opens <= minute and (overnight or minute < span.closes):
            return True
        if overnight and span.weekday == (weekday - 1) % 7 and minute < span.closes:
            return True
    return None if untimed_today else False


def is_open_now(service: ServiceRow, now_utc: datetime, default_tz: str) -> bool | None:
    return is_open(service, *local_moment(now_utc, timezone_of(service, default_tz)))


WEEK_SLOTS = 7 * 24
"""The week as hourly slots from Monday 00:00 local time: the search entry's ``week_hours``."""
OPEN, CLOSED, PART_OPEN, PART_OPEN_THERE = b"1", b"0", b"2", b"3"
"""A slot's byte: open the whole hour, closed (or unknown), open part of it by the service's
spans, open part of it by the spans kept at the entry's place (``ServiceAtLocationHours``)."""
_WEEK = 7 * 1440
_FULL, _EMPTY = b"\x01" * 60, b"\x00" * 60


def week_hours(open_24_7: bool, spans: Iterable[Span], *, part: bytes = PART_OPEN) -> bytes:
    """The week as 168 hourly slots, one byte each: ``OPEN`` the whole hour, ``CLOSED`` the
    whole hour (or hours unknown), ``PART_OPEN`` for part of it. ``spans`` are
    (weekday, opens, closes) as ``is_open`` reads them; search tests the slot of the
    moment asked and looks at the exact spans only in a part-open hour, whose byte
    (``part``: ``PART_OPEN_THERE`` for hours kept at a place) says whose spans they are."""
    if open_24_7:
        return OPEN * WEEK_SLOTS
    return _week_of(tuple((w, o, c) for w, o, c in spans), part)


@lru_cache(maxsize=2048)  # most services keep one of a few weeks (Monday to Friday, 9 to 5)
def _week_of(spans: tuple[Span, ...], part: bytes) -> bytes:
    minutes = bytearray(_WEEK)
    for weekday, opens, closes in spans:
        if opens is None or closes is None:  # both are, or neither
            continue  # times not given: not open to a search, whatever the text says
        start = weekday * 1440 + opens
        end = weekday * 1440 + (closes if closes > opens else closes + 1440)
        minutes[start : min(end, _WEEK)] = b"\x01" * (min(end, _WEEK) - start)
        if end > _WEEK:  # Sunday's overnight span runs into Monday
            minutes[: end - _WEEK] = b"\x01" * (end - _WEEK)
    slots = []
    for slot in range(WEEK_SLOTS):
        hour = minutes[slot * 60 : slot * 60 + 60]
        slots.append(OPEN if hour == _FULL else CLOSED if hour == _EMPTY else part)
    return b"".join(slots)


class week_slot(FunctionElement):  # noqa: N801 - reads as an SQL function
    """SQL: the byte of the search entry's ``week_hours`` at this 0-based hour of the week,
    as an integer. A byte read, not a text function: on PostgreSQL ``get_byte`` costs a
    fifth of ``substr`` per row, and open-now reads one for every candidate."""

    type = Integer()
    inherit_cache = True


@compiles(week_slot)  # SQLite: substr of a BLOB counts bytes
def _week_slot_sqlite(element: week_slot, compiler: SQLCompiler, **kw: Any) -> str:
    column, slot = (compiler.process(c, **kw) for c in element.clauses)
    return f"unicode(substr({column}, {slot} + 1, 1))"


@compiles(week_slot, "postgresql")
def _week_slot_postgresql(element: week_slot, compiler: SQLCompiler, **kw: Any) -> str:
    column, slot = (compiler.process(c, **kw) for c in element.clauses)
    return f"get_byte({column}, {slot})"


def sql_open_at(weekday: int, minute: int) -> ColumnElement[bool]:
    """SQL condition: the service is open at this local weekday and minute (same rule as
    ``is_open``)."""
    return _sql_open(weekday * 1440 + minute)


def sql_open_now(now_utc: datetime, timezones: list[str], default_tz: str) -> ColumnElement[bool]:
    """SQL condition over search entries: open at ``now_utc`` in each one's own time zone.
    ``timezones`` are the zones in use (few): the local minute of the week is one CASE
    over the zone."""
    zone = func.coalesce(SearchEntry.timezone, default_tz)
    moments = {tz: local_moment(now_utc, tz) for tz in sorted(set(timezones) | {default_tz})}
    return _sql_open(case({tz: wd * 1440 + m for tz, (wd, m) in moments.items()}, value=zone))


EVENING = (18, 24)
"""Tonight: from 18:00 to midnight of the place's own today."""


def sql_open_tonight(
    now_utc: datetime, timezones: list[str], default_tz: str
) -> ColumnElement[bool]:
    """SQL condition over search entries: open at some time this evening (``EVENING``) of
    today in each one's own time zone: an hourly slot of the evening open in whole or in
    part (an overnight span that begins at 22:00 counts; so does one that closes at
    18:30)."""
    zone = func.coalesce(SearchEntry.timezone, default_tz)
    days = {tz: local_moment(now_utc, tz)[0] for tz in sorted(set(timezones) | {default_tz})}
    first = case({tz: wd * 24 + EVENING[0] for tz, wd in days.items()}, value=zone)
    return or_(
        *(
            week_slot(SearchEntry.week_hours, first + h) != CLOSED[0]
            for h in range(EVENING[1] - EVENING[0])
        )
    )


def _sql_open(week_minute: int | ColumnElement[int]) -> ColumnElement[bool]:
    """Open at this minute of the week (Monday 00:00 = 0; a value or an SQL expression):
    its hourly slot is open as a whole, or, in a part-open hour, a span of that day covers
    the minute, or an overnight span that began the day before does: the service's spans,
    or in a ``PART_OPEN_THERE`` hour the ones kept at the entry's place."""
    weekday, minute = week_minute // 1440, week_minute % 1440
    mark = week_slot(SearchEntry.week_hours, week_minute // 60)

    def covering(
        h: type[ServiceHours] | type[ServiceAtLocationHours], owner: ColumnElement[bool]
    ) -> Exists:
        return exists(
            select(h.id).where(
                owner,
                or_(
                    and_(
                        h.weekday == weekday,
                        h.opens <= minute,
                        or_(h.closes > minute, h.closes <= h.opens),
                    ),
                    and_(h.weekday == (weekday + 6) % 7, h.closes <= h.opens, h.closes > minute),
                ),
            )
        )

    there = ServiceAtLocationHours
    # one read of the slot per row, the spans only in a part-open hour
    return case(
        {
            OPEN[0]: true(),
            PART_OPEN[0]: covering(ServiceHours, ServiceHours.service_id == SearchEntry.service_id),
            PART_OPEN_THERE[0]: covering(there, there.sal_id == SearchEntry.place),
        },
        value=mark,
        else_=false(),
    )


SPANS_OF = (
    select(ServiceHours.service_id, ServiceHours.weekday, ServiceHours.opens, ServiceHours.closes)
    .where(ServiceHours.service_id.in_(bindparam("ids", expanding=True)))
    .order_by(ServiceHours.weekday, ServiceHours.opens)
)
"""The hours spans of the services ``ids``, as stored."""
