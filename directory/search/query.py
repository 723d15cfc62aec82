"""Directory search: filters to a page of results, read only.

Nothing else in the code base builds search SQL. Keyword search uses the database's own
full-text index (``search.index``) behind ``keyword_condition``. This module reads: it
never writes or commits (a search that found nothing is recorded by the caller).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from types import SimpleNamespace
from typing import Any, overload

from flask import current_app
from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    Select,
    SQLColumnExpression,
    Subquery,
    TextualSelect,
    and_,
    bindparam,
    case,
    column,
    exists,
    false,
    func,
    or_,
    select,
    text,
)

from app import clock
from app.extensions import DbSession
from directory import aaaq, geo, hours, taxonomy
from directory.derived import SearchDocument, SearchEntry, ServiceLanguage
from directory.models import Location, Organization, Phone, Service, stated_list, token_list
from directory.search.words import Concept, concepts, correction, fold, fts5_query, tsquery, words
from directory.service_locations import ServiceAtLocation, ServiceAtLocationHours

__all__ = ["Filters", "Hit", "Page", "fold", "search", "words"]


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


@dataclass
class Hit:
    """One result: a service at one of its places (``service.location`` and
    ``service.hours`` are that place's, ``service.place`` its key: 0 the primary)."""

    service: SimpleNamespace  # read like a Service: see ``load_records``, ``at_places``
    distance_km: float | None
    open_now: bool | None


@dataclass
class Relaxation:
    """How many results the search would have without one of its filters (``filter``: the
    query parameter's name)."""

    filter: str
    total_without: int


@dataclass
class Page:
    items: list[Hit]
    total: int
    page: int
    per_page: int
    point: geo.Point | None
    not_stated: int = 0  # services matching every filter but facts they do not state
    relaxations: list[Relaxation] = field(default_factory=list)
    did_you_mean: str | None = None  # the keywords searched instead of a word matching nothing

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


FEW = 500
"""Up to this many matches a nearest-first page sorts them all; past it, it looks in
widening circles first (``CIRCLES_KM``)."""

CIRCLES_KM = (5, 25, 100, 400)

MANY_MATCHES = 2000
"""Past this many keyword matches a page walks the name order and tests each entry against
the matches, instead of fetching every match and sorting them all."""


def _is_postgresql(session: DbSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _tsquery(found: list[Concept]) -> ColumnElement[Any]:
    return func.to_tsquery("simple", tsquery(found))


_TSVECTOR = func.to_tsvector("simple", SearchDocument.document)


def keyword_matches(
    session: DbSession, q: str | list[Concept]
) -> Select[int] | TextualSelect | None:
    """The ids of listed services whose search document matches every concept of ``q``
    (``words.concepts``: each word by its prefix or its stems, a need word by any word of
    its synonym set), or None when ``q`` has no words."""
    found = concepts(q) if isinstance(q, str) else q
    if not found:
        return None
    if _is_postgresql(session):
        return select(SearchDocument.service_id).where(_TSVECTOR.op("@@")(_tsquery(found)))
    matching = text("SELECT rowid FROM search_fts WHERE search_fts MATCH :fts_q")
    return matching.bindparams(fts_q=fts5_query(found)).columns(column("rowid", Integer))


def ranked_matches(session: DbSession, q: str) -> Subquery | None:
    """``keyword_matches`` with each match's relevance (``score``, higher is better): FTS5's
    bm25 negated on SQLite, ``ts_rank`` on PostgreSQL; None when ``q`` has no words."""
    found = concepts(q)
    if not found:
        return None
    if _is_postgresql(session):
        query = _tsquery(found)
        return (
            select(
                SearchDocument.service_id.label("service_id"),
                func.ts_rank(_TSVECTOR, query).label("score"),
            )
            .where(_TSVECTOR.op("@@")(query))
            .subquery("ranked")
        )
    ranked = text(
        "SELECT rowid AS service_id, -bm25(search_fts) AS score FROM search_fts "
        "WHERE search_fts MATCH :rank_q"
    ).bindparams(rank_q=fts5_query(found))
    return ranked.columns(column("service_id", Integer), column("score")).subquery("ranked")


def keyword_condition(
    session: DbSession, q: str, *, many: bool = False
) -> ColumnElement[bool] | None:
    """Entries matching the keywords. ``many``: the words match many services, so the
    entry id is not offered to the planner as the way in (``+ 0``), and it reads entries in
    the order asked for, stopping at the page."""
    matching = keyword_matches(session, q)
    if matching is None:
        return None
    key = SearchEntry.service_id + 0 if many else SearchEntry.service_id
    return key.in_(matching)


def match_count(session: DbSession, q: str) -> int:
    """How many listed (service, place) pairs the keywords match: the full-text index's
    matches (one per listed service: as many as their primary places) plus the entries of
    the matched services' other places, read from those few entries' own index (nothing to
    read when no service has another place) rather than by looking up every match."""
    matching = keyword_matches(session, q)
    if matching is None:
        return 0
    services = session.scalars(select(func.count()).select_from(matching.subquery())).one()
    other_places = session.scalars(
        select(func.count())
        .select_from(SearchEntry)
        .where(SearchEntry.place > 0, (SearchEntry.service_id + 0).in_(matching))
    ).one()
    return services + other_places


BLEND_KM = 10.0
"""With keywords and a place, results are ordered by relevance / (1 + (distance / BLEND_KM)²):
a service 10 km away needs twice the match of one next door, 20 km away five times. A
service with no place (it serves everywhere: a hotline) counts as BLEND_KM away."""


def relevance_order(ranked: Subquery, point: geo.Point | None) -> list[ColumnElement[Any]]:
    """Best match first; blended with the distance when a point is given (``BLEND_KM``)."""
    score = ranked.c.score
    if point is None:
        return [score.desc()]
    blend2 = BLEND_KM * BLEND_KM
    d2 = case((SearchEntry.lat.is_(None), blend2), else_=_squared_distance(point))
    return [(score / (1.0 + d2 / blend2)).desc()]


def _token_condition(col: SQLColumnExpression[str | None], token: str) -> ColumnElement[bool]:
    """A space-separated token list column contains ``token``."""
    return (" " + col + " ").contains(f" {token} ")


def _squared_distance(point: geo.Point) -> ColumnElement[float | None]:
    """Planar (equirectangular) squared distance in km², good for ordering and radius tests
    at the scales a referral network covers; displayed distances are great-circle."""
    k = geo.KM_PER_DEGREE
    dlat = (SearchEntry.lat - point.lat) * k
    dlon = (SearchEntry.lon - point.lon) * (k * math.cos(math.radians(point.lat)))
    return dlat * dlat + dlon * dlon


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


BAND_DEGREES = 0.5
"""Height of the latitude bands of the place index (about 55 km): a radius reads one short
longitude range in each of the few bands it crosses."""


@overload
def lat_band(lat: float) -> int: ...


@overload
def lat_band(lat: float | None) -> int | None: ...


def lat_band(lat: float | None) -> int | None:
    return None if lat is None else math.floor(lat / BAND_DEGREES)


def within(point: geo.Point, radius_km: float) -> ColumnElement[bool]:
    """Entries whose search point lies within the radius: the bands and longitude range of
    the bounding box are seeks in the place index; the planar distance decides."""
    lat0, lat1, lon0, lon1 = geo.bounding_box(point.lat, point.lon, radius_km)
    e = SearchEntry
    return and_(
        e.lat_band.in_(range(lat_band(lat0), lat_band(lat1) + 1)),
        e.lon.between(lon0, lon1),
        e.lat.between(lat0, lat1),
        _squared_distance(point) <= radius_km * radius_km,
    )


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


def sort_of(f: Filters) -> str:
    """The order asked for, or the default: by relevance with keywords (blended with the
    distance when a place is given), nearest first with a place, else by name."""
    return f.sort or ("relevance" if f.q else "distance" if f.point else "name")


Plan = tuple[Select[int, int], list[Any], Select[int, int]]
"""A search as SQL: the matching (service id, place) pairs, their order, and the pairs
before the radius."""


def plan(session: DbSession, f: Filters, now_utc: datetime, *, many: bool = False) -> Plan:
    """The search as SQL over the search entries: a select of matching (service id, place)
    pairs, its order, and the same select without the radius (to narrow to a circle inside
    it)."""
    e = SearchEntry
    sort = sort_of(f)
    ranked = ranked_matches(session, f.q) if sort == "relevance" and f.q else None
    ids = select(e.service_id, e.place).where(
        *conditions(session, f, now_utc, many=many, radius=False, keywords=ranked is None)
    )
    if ranked is not None:
        ids = ids.join(ranked, ranked.c.service_id == e.service_id)
    aaaq_overall = None
    if f.aaaq_min is not None or sort == "aaaq":
        current = aaaq.current_subquery(clock.today_at(now_utc))
        aaaq_overall = aaaq.overall_expression(current)
        ids = ids.outerjoin(current, current.c.service_id == e.service_id)
        if f.aaaq_min is not None:
            ids = ids.where(aaaq_overall >= f.aaaq_min)
    order: list[Any]
    if sort == "aaaq" and aaaq_overall is not None:  # set above for this order
        order = [case((aaaq_overall.is_(None), 1), else_=0), aaaq_overall.desc()]
    elif sort == "distance" and f.point:
        order = [case((e.lat.is_(None), 1), else_=0), _squared_distance(f.point)]
    elif ranked is not None:
        order = relevance_order(ranked, f.point)
    else:
        order = []
    near = radius_condition(f)
    return (ids if near is None else ids.where(near)), [*order, e.name, e.service_id, e.place], ids


def count_of(session: DbSession, f: Filters, now_utc: datetime) -> int:
    """How many (service, place) results a search has."""
    ids = plan(session, replace(f, sort="name"), now_utc)[0]
    return session.scalars(select(func.count()).select_from(ids.subquery())).one()


THIN = 5
"""Fewer results than this and the answer says what each filter costs (``relaxations``)."""

RELAXABLE: tuple[tuple[str, dict[str, Any]], ...] = (
    ("q", {"q": None}),
    ("category", {"categories": []}),
    ("language", {"languages": []}),
    ("radius_km", {"radius_km": None}),
    ("open_now", {"open_now": False}),
    ("open_tonight", {"open_tonight": False}),
    ("open_at", {"open_at": None}),
    ("age", {"age": None}),
    ("gender", {"gender": None}),
    ("free", {"free": False}),
    ("undocumented_ok", {"undocumented_ok": False}),
    ("no_id_required", {"no_id_required": False}),
    ("walk_in", {"walk_in": False}),
    ("modality", {"modalities": []}),
    ("has_capacity", {"has_capacity": False}),
    ("aaaq_min", {"aaaq_min": None}),
)
"""Each filter a user sets, by its query parameter, and the search without it."""


def relaxations(session: DbSession, f: Filters, now_utc: datetime) -> list[Relaxation]:
    """For each active filter, how many results the same search has without it, most
    first: what to drop when a search finds nothing or little."""
    base = replace(f, not_stated=False)
    out = []
    for name, without in RELAXABLE:
        relaxed = replace(base, **without)
        if relaxed != base:
            out.append(Relaxation(name, count_of(session, relaxed, now_utc)))
    return sorted(out, key=lambda r: -r.total_without)


def not_stated_count(session: DbSession, f: Filters, now_utc: datetime) -> int:
    """How many results match every filter but facts they do not state (0 without a filter
    on such a fact)."""
    if not fact_conditions(session, f, now_utc):
        return 0
    return count_of(session, replace(f, not_stated=True), now_utc)


def corrected(session: DbSession, q: str) -> str | None:
    """``q`` with each word that matches nothing replaced by the closest need word
    (``words.correction``), or None when no word could be corrected."""
    typed = words(q)
    changed = False
    out = []
    for word in typed:
        fixed = None
        matching = keyword_matches(session, word)
        matches = (
            session.scalar(select(func.count()).select_from(matching.subquery()))
            if matching is not None  # a word of words() always makes a concept
            else None
        )
        if matches == 0:
            fixed = correction(word)
        changed = changed or fixed is not None
        out.append(fixed or word)
    return " ".join(out) if changed else None


def search(
    session: DbSession,
    f: Filters,
    *,
    page: int = 1,
    per_page: int = 20,
    now_utc: datetime | None = None,
    explain: bool = True,
) -> Page:
    """Run a search: total count and one page of results, each a service at one of its
    places (a service at two places is two results, each with its own address, distance
    and hours), nearest first when a point is given (services with no location after
    located ones), by relevance with keywords (``sort_of``), else
    by name. Explained: ``not_stated`` counts the services that do not state a filtered
    fact, ``relaxations`` what each filter costs when few are found, and when nothing is
    found a word that matches nothing is corrected to the closest need word
    (``did_you_mean``), and the search run with it. ``explain`` False: the page alone."""
    now_utc = now_utc or datetime.now(UTC)
    found = _search(session, f, page=page, per_page=per_page, now_utc=now_utc)
    if not explain:
        return found
    if found.total == 0 and f.q and (fixed := corrected(session, f.q)):
        # a word matched nothing, so nothing was found: search with the closest need word
        # instead, and say so (its explanations follow, even when it finds nothing either)
        f = replace(f, q=fixed)
        found = _search(session, f, page=page, per_page=per_page, now_utc=now_utc)
        found.did_you_mean = fixed
    if not f.not_stated:
        found.not_stated = not_stated_count(session, f, now_utc)
    if found.total < THIN:
        found.relaxations = relaxations(session, f, now_utc)
    return found


def _search(session: DbSession, f: Filters, *, page: int, per_page: int, now_utc: datetime) -> Page:
    """``search`` without the explanations: the total and one page of results."""
    matches = match_count(session, f.q) if f.q and not f.not_stated else None
    ids, order, unbounded = plan(session, f, now_utc, many=(matches or 0) > MANY_MATCHES)

    def count(query: Select[int, int]) -> int:
        return session.scalars(select(func.count()).select_from(query.subquery())).one()

    def page_of(query: Select[int, int]) -> Select[int, int]:
        return query.order_by(*order).limit(per_page).offset((page - 1) * per_page)

    if matches is not None and replace(f, q=None, point=None, sort=None) == Filters():
        total = matches  # keywords alone: pairs of listed services, counted by match_count
    else:
        total = count(ids)
    ranked = ids
    if f.point is not None and sort_of(f) == "distance" and total > FEW:
        # nearest first among many: look in widening circles; once a circle holds every
        # row up to this page, nothing outside it can rank earlier
        for radius in CIRCLES_KM:
            if f.radius_km is not None and radius >= f.radius_km:
                break
            near = unbounded.where(within(f.point, radius))  # the circle is inside the radius
            if count(near) >= page * per_page:
                ranked = near
                break
    page_pairs = [(service_id, place) for service_id, place in session.execute(page_of(ranked))]
    # phase 2: the page's records with everything a result shows, in a fixed number of queries
    records = load_records(session, list(dict.fromkeys(i for i, _ in page_pairs)))
    services = at_places(session, records, page_pairs)
    default_tz = current_app.config["DIRECTORY_TIMEZONE"]
    hits = []
    for s in services:
        distance = None
        if f.point and s.location and s.location.search_lat is not None:
            distance = geo.distance_km(
                (f.point.lat, f.point.lon), (s.location.search_lat, s.location.search_lon)
            )
        hits.append(Hit(s, distance, hours.is_open_now(s, now_utc, default_tz)))
    return Page(hits, total or 0, page, per_page, f.point)


def _record_statements() -> tuple[Select[*tuple[Any, ...]], Select[*tuple[Any, ...]]]:
    """The services and phones statements of ``load_records`` (its hours are ``SPANS_OF``),
    built once: they never change shape (the ids are an expanding parameter), so a search
    builds no SQL expressions for them."""
    svc, org, loc = Service.__table__, Organization.__table__, Location.__table__
    ids: BindParameter[list[int]] = bindparam("ids", expanding=True)
    services = (
        select(
            svc,
            org.c.name.label("org_name"),
            org.c.website.label("org_website"),
            *(c.label(f"loc_{c.name}") for c in loc.c),
        )
        .join(org, org.c.id == svc.c.organization_id)
        .outerjoin(loc, loc.c.id == svc.c.location_id)
        .where(svc.c.id.in_(ids))
    )
    p = Phone.__table__.c
    phones = (
        select(p.service_id, p.number, p.kind, p.extension, p.label)
        .where(p.service_id.in_(ids))
        .order_by(p.id)
    )
    return services, phones


# the phones of places (an Ohana or 211 feed gives its numbers to the location, not the
# service): a result shows them when the service has none of its own (#25)
_P = Phone.__table__.c
LOCATION_PHONES = (
    select(_P.location_id, _P.number, _P.kind, _P.extension, _P.label)
    .where(_P.location_id.in_(bindparam("ids", expanding=True)))
    .order_by(_P.id)
)


def _place_phones(session: DbSession, locations: Iterable[SimpleNamespace | None]) -> None:
    """Give each place record (``SimpleNamespace``) its ``phones``: one query."""
    by_id = {loc.id: loc for loc in locations if loc is not None}
    for loc in by_id.values():
        loc.phones = []
    if by_id:
        for row in session.connection().execute(LOCATION_PHONES, {"ids": sorted(by_id)}):
            by_id[row.location_id].phones.append(row)


_RECORD_STATEMENTS = _record_statements()


def _place_statements() -> tuple[Select[*tuple[Any, ...]], Select[*tuple[Any, ...]]]:
    """The places and their hours for ``at_places``, built once (like ``_record_statements``)."""
    sal, loc = ServiceAtLocation.__table__, Location.__table__
    h = ServiceAtLocationHours.__table__
    ids: BindParameter[list[int]] = bindparam("ids", expanding=True)
    places = (
        select(sal.c.id, *(c.label(f"loc_{c.name}") for c in loc.c))
        .join(loc, loc.c.id == sal.c.location_id)
        .where(sal.c.id.in_(ids))
    )
    spans = (
        select(h.c.sal_id, h.c.weekday, h.c.opens, h.c.closes)
        .where(h.c.sal_id.in_(ids))
        .order_by(h.c.weekday, h.c.opens)
    )
    return places, spans


_PLACE_STATEMENTS = _place_statements()

_SERVICE_COLUMNS = [c.name for c in Service.__table__.c]

_LOCATION_COLUMNS = [c.name for c in Location.__table__.c]

_ORG_AT = len(_SERVICE_COLUMNS)  # then org_name, org_website, then the location's columns


def at_places(
    session: DbSession, records: dict[int, SimpleNamespace], pairs: list[tuple[int, int]]
) -> list[SimpleNamespace]:
    """The records of ``pairs`` (service id, place), each read at its place: at place 0 the
    service as loaded (its primary location and hours); at another place a copy whose
    ``location`` is that place's and whose ``hours`` are the ones kept there, when there
    are any (else the service's). ``place`` says which; one or two queries, none when the
    page holds primary places only."""
    others = sorted({place for _, place in pairs if place})
    locations: dict[int, SimpleNamespace] = {}
    spans: dict[int, list[Any]] = {}
    if others:
        places, place_spans = _PLACE_STATEMENTS
        conn = session.connection()
        for row in conn.execute(places, {"ids": others}):
            locations[row[0]] = SimpleNamespace(
                **dict(zip(_LOCATION_COLUMNS, row[1:], strict=True))
            )
        for row in conn.execute(place_spans, {"ids": others}):
            spans.setdefault(row.sal_id, []).append(row)
        _place_phones(session, locations.values())
    out = []
    for service_id, place in pairs:
        rec = records[service_id]
        if place:
            rec = SimpleNamespace(**vars(rec))
            rec.location = locations.get(place)
            if own := spans.get(place):
                rec.hours, rec.open_24_7 = own, False
        rec.place = place
        out.append(rec)
    return out


def load_records(session: DbSession, ids: list[int]) -> dict[int, SimpleNamespace]:
    """Services by id with what a result row shows (organization, location, hours, phones),
    as plain read-only records with the models' attribute names: three queries and no ORM
    objects to build, track or expire (a page of results is only read)."""
    if not ids:
        return {}
    services, phones = _RECORD_STATEMENTS
    conn = session.connection()
    records = {}
    for row in conn.execute(services, {"ids": ids}):
        service = dict(zip(_SERVICE_COLUMNS, row[:_ORG_AT], strict=True))
        rec = SimpleNamespace(**service, hours=[], phones=[])
        rec.organization = SimpleNamespace(
            id=rec.organization_id, name=row[_ORG_AT], website=row[_ORG_AT + 1]
        )
        place = row[_ORG_AT + 2 :]
        rec.location = (
            SimpleNamespace(**dict(zip(_LOCATION_COLUMNS, place, strict=True)))
            if place[0] is not None
            else None
        )
        rec.language_list = token_list(rec.languages)
        rec.language_note_list = [n for n in (rec.language_notes or "").split("; ") if n]
        rec.gender_list = stated_list(rec.genders)
        rec.modality_list = stated_list(rec.modalities)
        records[rec.id] = rec
    for row in conn.execute(hours.SPANS_OF, {"ids": ids}):
        records[row.service_id].hours.append(row)
    for row in conn.execute(phones, {"ids": ids}):
        records[row.service_id].phones.append(row)
    _place_phones(session, [r.location for r in records.values()])
    return records
