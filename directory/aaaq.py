"""AAAQ arithmetic (WHO: Availability, Accessibility, Acceptability, Quality; each 1 = poor,
2 = moderate, 3 = excellent compliance, or N/A): what a service's ratings add up to.

The *current* value of a dimension is the mean of that dimension over the ratings of the
last 12 months, N/A excluded, with the number of values it rests on. The *overall* value is
the mean of every dimension value given in those ratings (N/A excluded). The *trend*
compares the overall value of the last 12 months with that of the 12 months before.
Ground floor: search filters and sorts by it, the catalog shows it, assessments cite it;
recording a rating is the catalog's (``catalog.ratings``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Float,
    Select,
    Subquery,
    bindparam,
    case,
    cast,
    func,
    select,
)

from app.extensions import DbSession
from directory.aaaq_records import AAAQ_DIMENSIONS, AaaqRating

WINDOW_DAYS = 365

TREND_STEP = 0.25  # a change smaller than this is "steady"


@dataclass
class Summary:
    availability: float | None = None
    accessibility: float | None = None
    acceptability: float | None = None
    quality: float | None = None
    overall: float | None = None
    ratings_count: int = 0
    values_count: dict | None = None
    last_rated: date | None = None
    previous_overall: float | None = None

    @property
    def trend(self) -> str | None:
        """'up', 'down', 'steady', or None when either year has no rating."""
        if self.overall is None or self.previous_overall is None:
            return None
        change = self.overall - self.previous_overall
        if change >= TREND_STEP:
            return "up"
        if change <= -TREND_STEP:
            return "down"
        return "steady"

    def as_dict(self) -> dict:
        return {
            **{d: _round(getattr(self, d)) for d in AAAQ_DIMENSIONS},
            "overall": _round(self.overall),
            "ratings_count": self.ratings_count,
            "last_rated": self.last_rated,
            "trend": self.trend,
            "counts": self.values_count or {d: 0 for d in AAAQ_DIMENSIONS},
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _aggregates(since: date | BindParameter[date]) -> Select[*tuple[Any, ...]]:
    """SQL: per service, count and sum of each dimension over ratings since ``since`` (a
    date or a bound parameter)."""
    r = AaaqRating
    cols: list[ColumnElement[Any]] = [
        r.service_id.label("service_id"),
        func.count(r.id).label("n"),
        func.max(r.rated_on).label("last"),
    ]
    for d in AAAQ_DIMENSIONS:
        col = getattr(r, d)
        cols.append(func.count(col).label(f"{d}_n"))
        cols.append(func.sum(col).label(f"{d}_sum"))
    return select(*cols).where(r.rated_on >= since).group_by(r.service_id)


def overall_expression(sub: Subquery) -> ColumnElement[float | Decimal]:
    """SQL expression: the overall value from an ``_aggregates`` subquery (NULL if none)."""
    total = sum(func.coalesce(getattr(sub.c, f"{d}_sum"), 0) for d in AAAQ_DIMENSIONS)
    count = sum(getattr(sub.c, f"{d}_n") for d in AAAQ_DIMENSIONS)
    return cast(total, Float) / func.nullif(count, 0)


def current_subquery(today: date) -> Subquery:
    """Per-service current aggregates (for search filters and sorting by AAAQ)."""
    return _aggregates(today - timedelta(days=WINDOW_DAYS)).subquery("aaaq_now")


def _summaries_statement() -> Select[*tuple[Any, ...]]:
    """Per service and year (current, previous), the aggregates of its ratings: built once,
    with the ids and dates as parameters (search pages ask for it on every request)."""
    since: BindParameter[date] = bindparam("since")
    current = case((AaaqRating.rated_on >= since, True), else_=False).label("current")
    return (
        _aggregates(bindparam("before"))
        .add_columns(current)
        .where(AaaqRating.service_id.in_(bindparam("ids", expanding=True)))
        .group_by(current)
    )


_SUMMARIES = _summaries_statement()


def summaries(session: DbSession, service_ids: list[int], today: date) -> dict[int, Summary]:
    """Current summaries of many services in one query (current and previous year)."""
    if not service_ids:
        return {}
    since = today - timedelta(days=WINDOW_DAYS)
    params = {"ids": service_ids, "since": since, "before": since - timedelta(days=WINDOW_DAYS)}
    rows = session.connection().execute(_SUMMARIES, params).mappings()
    counts = {sid: dict.fromkeys(AAAQ_DIMENSIONS, 0) for sid in service_ids}
    out = {sid: Summary(values_count=counts[sid]) for sid in service_ids}
    for row in rows:
        s = out[row["service_id"]]
        total = sum(row[f"{d}_sum"] or 0 for d in AAAQ_DIMENSIONS)
        count = sum(row[f"{d}_n"] for d in AAAQ_DIMENSIONS)
        overall = total / count if count else None
        if not row["current"]:
            s.previous_overall = overall
            continue
        s.ratings_count, s.last_rated, s.overall = row["n"], row["last"], overall
        for d in AAAQ_DIMENSIONS:
            n, sm = row[f"{d}_n"], row[f"{d}_sum"]
            counts[row["service_id"]][d] = n
            setattr(s, d, sm / n if n else None)
    return out


def summary(session: DbSession, service_id: int, today: date) -> Summary:
    return summaries(session, [service_id], today)[service_id]
