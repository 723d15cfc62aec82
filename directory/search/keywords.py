"""Keywords: which listed services the words of a search match (the database's own
full-text index, ``search.index``: FTS5 on SQLite, ``tsvector`` on PostgreSQL), how well
(``ranked_matches``, ``relevance_order``), how many, and the "did you mean" correction of a
word that matches nothing. Read only, like every module of the search query."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    Subquery,
    TextualSelect,
    case,
    column,
    func,
    select,
    text,
)

from app.extensions import DbSession
from directory import geo
from directory.derived import SearchDocument, SearchEntry
from directory.search.near import squared_distance
from directory.search.words import Concept, concepts, correction, fts5_query, tsquery, words


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


def ranked_matches(session: DbSession, q: str, top: int | None = None) -> Subquery | None:
    """``keyword_matches`` with each match's relevance (``score``, higher is better): FTS5's
    bm25 negated on SQLite, ``ts_rank`` on PostgreSQL; None when ``q`` has no words.

    ``top`` (keywords alone ordered by relevance; SQLite only, PostgreSQL ranks as
    before): only the matches scoring at least as well as the ``top``-th best. Every listed
    service has a search entry, so the first ``top`` results by score come from these
    services, ties included; the page then joins and sorts a page's worth of matches
    instead of every one ("food": 31,000 of 100,000)."""
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
    if top is not None:
        # the scores computed once (MATERIALIZED), the cut read from them
        ranked = text(
            "WITH matched AS MATERIALIZED (SELECT rowid AS service_id, -bm25(search_fts) "
            "AS score FROM search_fts WHERE search_fts MATCH :rank_q) "
            "SELECT service_id, score FROM matched WHERE score >= coalesce("
            "(SELECT score FROM matched ORDER BY score DESC LIMIT 1 OFFSET :rank_cut), -1e300)"
        ).bindparams(rank_q=fts5_query(found), rank_cut=max(top, 1) - 1)
    else:
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
    d2 = case((SearchEntry.lat.is_(None), blend2), else_=squared_distance(point))
    return [(score / (1.0 + d2 / blend2)).desc()]


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
