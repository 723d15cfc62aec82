"""Filters: what a search asks (``Filters``, parsed by ``schemas.SearchArgs``) and each
filter as a SQL condition over the search entries: keywords, categories, languages, age and
gender, the facts a service may not state (free, walk-in, open at a moment...: "unknown is
not yes"), and the radius around a point. Read only, like every module of the search
query."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from flask import current_app
from sqlalchemy import ColumnElement, SQLColumnExpression, and_, exists, false, or_, text

from app.extensions import DbSession
from directory import geo, hours, taxonomy
from directory.derived import SearchEntry, ServiceLanguage
from directory.search.keywords import keyword_condition
from directory.search.near import within


@dataclass
class Filters:
    """Parsed, validated search filters (see ``schemas.SearchArgs``)."""

    q: str | None = None
    categories: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    point: geo.Point | None = None
    radius_km: float | None = None
    open_now: bool = False
    open_at: tuple[int, int] | None = None  # (weekday, minute), local to each service
    open_tonight: bool = False  # open some time this evening (EVENING), local to each place
    age: int | None = None
    gender: str | None = None
    free: bool = False
    undocumented_ok: bool = False
    no_id_required: bool = False
    walk_in: bool = False
    modalities: list[str] = field(default_factory=list)
    has_capacity: bool = False
    aaaq_min: float | None = None
    sort: str | None = None  # distance | name | aaaq | relevance
    organization_id: int | None = None
    service_ids: list[int] | None = None
    not_stated: bool = False  # list the services that do not state a filtered fact instead


def _token_condition(col: SQLColumnExpression[str | None], token: str) -> ColumnElement[bool]:
    """A space-separated token list column contains ``token``."""
    return (" " + col + " ").contains(f" {token} ")


def category_condition(codes: list[str]) -> ColumnElement[bool]:
    """Services in any of these categories; a group given whole is matched by its group
    column, so its listing walks the (group, name) index in order."""
    wanted = set(codes)
    whole = [g.code for g in taxonomy.groups() if {c.code for c in g.categories} <= wanted]
    covered = {c.code for g in taxonomy.groups() if g.code in whole for c in g.categories}
    rest = [c for c in codes if c not in covered]
    parts = [SearchEntry.category_group == g for g in whole]
    parts += [SearchEntry.category.in_(rest)] if rest else []
    return parts[0] if len(parts) == 1 else or_(*parts)


UNSTATED_WEEK = hours.CLOSED * hours.WEEK_SLOTS
"""The week of a service that states no hours (or only as text): not one slot open."""


Fact = tuple[ColumnElement[bool], ColumnElement[bool]]
"""A filter on a fact a service may not state: (stated and matching, not stated)."""


def fact_conditions(session: DbSession, f: Filters, now_utc: datetime) -> list[Fact]:
    """The filters on facts a service may not state, each as (stated and matching, not
    stated): free, undocumented clients, no victim ID, walk-in, a way of reaching it,
    free capacity, open at a moment. A fact not stated never matches ("unknown is not
    yes"); ``not_stated`` counts and lists those services apart."""
    e = SearchEntry
    facts: list[Fact] = []
    if f.free:
        facts.append((e.cost == "free", e.cost.is_(None)))
    if f.undocumented_ok:
        facts.append((e.immigration_status == "any", e.immigration_status.is_(None)))
    if f.no_id_required:
        facts.append((e.victim_id_required.is_(False), e.victim_id_required.is_(None)))
    if f.walk_in:
        facts.append((e.walk_in.is_(True), e.walk_in.is_(None)))
    if f.modalities:
        facts.append(
            (
                or_(*(_token_condition(e.modalities, m) for m in f.modalities)),
                e.modalities.is_(None),
            )
        )
    if f.has_capacity:
        # "has a free place now" (the referral loop, docs/referrals.md): a free place stated
        # by the partner (or a coordinator) within CAPACITY_STALE_HOURS; older is unknown,
        # and unknown is not yes. The same limit as ``catalog.present.capacity``.
        max_age = timedelta(hours=current_app.config["CAPACITY_STALE_HOURS"])
        fresh_since = now_utc.astimezone(UTC).replace(tzinfo=None) - max_age
        facts.append(
            (
                and_(e.capacity_available > 0, e.capacity_updated_at >= fresh_since),
                or_(
                    e.capacity_available.is_(None),
                    e.capacity_updated_at.is_(None),
                    e.capacity_updated_at < fresh_since,
                ),
            )
        )
    default_tz = current_app.config["DIRECTORY_TIMEZONE"]
    if f.open_at:
        open_when = open_condition("at", f.open_at, (), default_tz)
    elif f.open_tonight or f.open_now:
        zones = tuple(timezones_in_use(session))
        kind = "tonight" if f.open_tonight else "now"
        open_when = open_condition(kind, now_utc, zones, default_tz)
    else:
        open_when = None
    if open_when is not None:
        facts.append((open_when, e.week_hours == UNSTATED_WEEK))
    return facts


@lru_cache(maxsize=16)
def open_condition(
    kind: str, moment: tuple[int, int] | datetime, zones: tuple[str, ...], default_tz: str
) -> ColumnElement[bool]:
    """The "open" condition of ``hours`` (``kind``: at a local (weekday, minute), now or
    tonight at ``moment`` in each zone), built once per moment: one explained search
    counts its filters several times (``not_stated``, ``relaxations``), and building the
    open-now expression over its zones costs more than running the count (about 20 ms
    against 3 ms, measured at 10,000 services). SQL expressions are immutable once
    built, so sharing one between statements is safe."""
    if isinstance(moment, tuple):  # kind "at": a local (weekday, minute)
        return hours.sql_open_at(*moment)
    if kind == "tonight":
        return hours.sql_open_tonight(moment, list(zones), default_tz)
    return hours.sql_open_now(moment, list(zones), default_tz)


def conditions(
    session: DbSession,
    f: Filters,
    now_utc: datetime,
    *,
    many: bool = False,
    radius: bool = True,
    keywords: bool = True,
) -> list[ColumnElement[bool]]:
    """Every filter as a SQL condition over the search entries (listed services only);
    ``many``: the keywords match many services (see ``keyword_condition``); ``radius``
    False leaves out the radius (``radius_condition``); ``keywords`` False leaves out the
    keywords (a relevance order joins the ranked matches instead). ``f.not_stated``: the
    entries matching every filter but one or more facts they do not state, instead."""
    e = SearchEntry
    where: list[ColumnElement[bool]] = []
    if f.service_ids is not None:
        where.append(e.service_id.in_(f.service_ids))
    if f.organization_id:
        where.append(e.organization_id == f.organization_id)
    if keywords and f.q and (kw := keyword_condition(session, f.q, many=many)) is not None:
        where.append(kw)
    if f.categories:
        where.append(category_condition(f.categories))
    if f.languages:
        where.append(
            exists().where(
                ServiceLanguage.service_id == e.service_id,
                ServiceLanguage.code.in_(f.languages),
            )
        )
    if f.age is not None:
        where.append(or_(e.min_age.is_(None), e.min_age <= f.age))
        where.append(or_(e.max_age.is_(None), e.max_age >= f.age))
    if f.gender:
        # age and gender limits not stated are shown "not stated: ask", not hidden
        where.append(or_(e.genders.is_(None), _token_condition(e.genders, f.gender)))
    facts = fact_conditions(session, f, now_utc)
    if f.not_stated:
        where += [or_(stated, unstated) for stated, unstated in facts]
        where.append(or_(*(unstated for _, unstated in facts)) if facts else false())
    else:
        where += [stated for stated, _ in facts]
    if radius and (near := radius_condition(f)) is not None:
        where.append(near)
    return where


REMOTE_MODALITIES = ("phone", "video", "text")
"""How a service without a place may be said to reach anyone: by phone, video or text."""


def radius_condition(f: Filters) -> ColumnElement[bool] | None:
    """Within the radius asked, or (no place) a service that states it serves by phone,
    video or text; None without a radius. A service with neither a place nor such a
    statement is near no one (#25: an imported listing whose address was not read used to
    be "within 2 km" of every point). Both branches are seeks in the place index."""
    if f.point is None or f.radius_km is None:
        return None
    e = SearchEntry
    remote = and_(
        e.lat_band.is_(None),
        or_(*(_token_condition(e.modalities, m) for m in REMOTE_MODALITIES)),
    )
    return or_(remote, within(f.point, f.radius_km))


ZONES_IN_USE = text(
    "WITH RECURSIVE zones(tz) AS ("
    " SELECT min(timezone) FROM search_entries"
    " UNION ALL"
    " SELECT (SELECT min(timezone) FROM search_entries WHERE timezone > zones.tz)"
    " FROM zones WHERE zones.tz IS NOT NULL"
    ") SELECT tz FROM zones WHERE tz IS NOT NULL"
)
"""The distinct time zones of listed services, one index seek per zone (a handful even for
a national directory) instead of reading every row."""


def timezones_in_use(session: DbSession) -> list[str]:
    return list(session.scalars(ZONES_IN_USE))
