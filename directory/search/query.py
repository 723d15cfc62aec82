"""Directory search: filters to a page of results, read only.

Nothing else in the code base builds search SQL but the modules this one calls:
``filters`` (what a search asks, each filter as a condition), ``keywords`` (full-text
matches, relevance, "did you mean"), ``near`` (distance and radius around a point) and
``results`` (a page's records). Keyword search uses the database's own full-text index
(``search.index``) behind ``keywords.keyword_condition``. These modules read: they never
write or commit (a search that found nothing is recorded by the caller), and none of them
imports this one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from flask import current_app
from sqlalchemy import Select, case, func, select

from app import clock
from app.extensions import DbSession
from directory import aaaq, geo, hours
from directory.derived import SearchEntry
from directory.search.filters import Filters, conditions, fact_conditions, radius_condition
from directory.search.keywords import corrected, match_count, ranked_matches, relevance_order
from directory.search.near import squared_distance, within
from directory.search.results import at_places, load_records

__all__ = ["Hit", "Page", "search"]


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


def sort_of(f: Filters) -> str:
    """The order asked for, or the default: by relevance with keywords (blended with the
    distance when a place is given), nearest first with a place, else by name."""
    return f.sort or ("relevance" if f.q else "distance" if f.point else "name")


Plan = tuple[Select[int, int], list[Any], Select[int, int]]
"""A search as SQL: the matching (service id, place) pairs, their order, and the pairs
before the radius."""


def keywords_alone(f: Filters) -> bool:
    """Whether a search asks for nothing but its keywords (a point, unbounded, filters
    nothing; the order is not a filter)."""
    return replace(f, q=None, point=None, sort=None) == Filters()


def plan(
    session: DbSession,
    f: Filters,
    now_utc: datetime,
    *,
    many: bool = False,
    top: int | None = None,
) -> Plan:
    """The search as SQL over the search entries: a select of matching (service id, place)
    pairs, its order, and the same select without the radius (to narrow to a circle inside
    it). ``top``: the results a page needs (its last one's rank), for ``ranked_matches``
    to cut keywords alone to the best matches."""
    e = SearchEntry
    sort = sort_of(f)
    cut = top if keywords_alone(f) and f.point is None else None  # (PostgreSQL: no cut)
    ranked = ranked_matches(session, f.q, cut) if sort == "relevance" and f.q else None
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
        order = [case((e.lat.is_(None), 1), else_=0), squared_distance(f.point)]
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
    ids, order, unbounded = plan(
        session, f, now_utc, many=(matches or 0) > MANY_MATCHES, top=page * per_page
    )

    def count(query: Select[int, int]) -> int:
        return session.scalars(select(func.count()).select_from(query.subquery())).one()

    def page_of(query: Select[int, int]) -> Select[int, int]:
        return query.order_by(*order).limit(per_page).offset((page - 1) * per_page)

    if matches is not None and keywords_alone(f):
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
