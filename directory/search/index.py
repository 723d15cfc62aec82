"""The search index: one narrow entry per listed (service, place) pair, one full-text
document and the language rows per listed service, kept in step with every change.

``refresh_index`` is called from a flush listener, so every change through the ORM is
indexed in the same transaction. The full-text index is an FTS5 table on SQLite and a GIN
index over ``to_tsvector('simple', document)`` on PostgreSQL, both over
``search_documents``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import yaml
from sqlalchemy import Connection, Select, bindparam, delete, event, insert, select
from sqlalchemy.orm import Session, UOWTransaction

from app.bulk import insert_many, table_of
from app.extensions import DbSession
from directory import hours, languages, taxonomy, visibility
from directory.derived import ELIGIBILITY_COLUMNS, SearchDocument, SearchEntry, ServiceLanguage
from directory.hours import ServiceRow, Span
from directory.models import Location, Organization, Service, token_list
from directory.search.near import lat_band
from directory.search.words import document
from directory.service_locations import ServiceAtLocation, ServiceAtLocationHours
from directory.source_terms import ServiceTerm, SourceTerm
from directory.visibility import Place

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
OTHER_LANGUAGES = ("es", "fr")
"""Languages whose category and group labels a document adds (English is the taxonomy's)."""

FULLTEXT_DDL = {
    "sqlite": [
        "CREATE VIRTUAL TABLE search_fts USING fts5(document, content='search_documents', "
        "content_rowid='service_id', tokenize='unicode61 remove_diacritics 2')",
        "CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN "
        "INSERT INTO search_fts(rowid, document) VALUES (new.service_id, new.document); END",
        "CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN "
        "INSERT INTO search_fts(search_fts, rowid, document) "
        "VALUES ('delete', old.service_id, old.document); END",
        "CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN "
        "INSERT INTO search_fts(search_fts, rowid, document) "
        "VALUES ('delete', old.service_id, old.document); "
        "INSERT INTO search_fts(rowid, document) VALUES (new.service_id, new.document); END",
    ],
    "postgresql": [
        "CREATE INDEX ix_search_documents_tsv ON search_documents "
        "USING gin (to_tsvector('simple', document))",
    ],
}
"""The full-text index DDL per dialect (the migration that creates it holds a copy)."""


def document_for(service: Service, terms: Iterable[str] = ()) -> str:
    """The text a service is found by: its names (its own alternate name too), description,
    category, languages, the names of the source taxonomy terms it is filed under
    (``terms``: an import's "Food Pantry" finds an uncategorized service) and the town of
    its primary place. Never a street address (a withheld address must not be found by
    it)."""
    org, loc = service.organization, service.location
    return document_text(
        name=service.name,
        service_alternate_name=service.alternate_name or "",
        organization=org.name if org else "",
        alternate_name=(org.alternate_name or "") if org else "",
        description=service.description,
        category=service.category,
        language_codes=service.language_list,
        place=visibility.indexed_place(loc),
        extra=(service.interpreter_dialects, service.admits),
        terms=terms,
    )


def document_text(
    *,
    name: str,
    service_alternate_name: str = "",
    organization: str,
    alternate_name: str,
    description: str | None,
    category: str | None,
    language_codes: Sequence[str],
    place: Iterable[str | None],
    extra: Iterable[str | None] = (),
    terms: Iterable[str] = (),
) -> str:
    """``document_for`` from plain values (bulk loads build documents without the ORM).

    Accent-folded (``fold``) like the query words, so that PostgreSQL's ``simple``
    configuration, which keeps accents, finds "clinica" and "clínica" alike; then the
    English, Spanish and French stems of its words (``words.document``), so that "clinics"
    finds "clinic" and "albergues" "albergue" on both databases."""
    cat = taxonomy.categories().get(category or "")
    group = taxonomy.group(cat.group) if cat else None
    own, shared = False, True  # a shared part repeats across documents: folded once
    return document(
        [
            (name, own),
            (service_alternate_name, own),
            (organization, own),
            (alternate_name, own),
            (description or "", own),
            ((cat.label if cat else category) or "", shared),
            (group.label if group else "", shared),
            (category_terms(category), shared),
            (" ".join(languages.name(c) for c in language_codes), shared),
            (" ".join(language_codes), shared),
            (" ".join(p for p in place if p), shared),
            *((e, own) for e in extra if e),
            *((t, shared) for t in terms if t),
        ]
    )


@cache
def _terms() -> tuple[dict, dict]:
    labels = yaml.safe_load((SEEDS / "sheet-labels.yaml").read_text(encoding="utf-8"))
    terms = yaml.safe_load((SEEDS / "search-terms.yaml").read_text(encoding="utf-8"))
    return labels, terms


@cache
def category_terms(category: str | None) -> str:
    """What a category is called in Spanish and French (its label and its group's, from the
    sheet labels) and the common words for it in en, es, fr (``seeds/search-terms.yaml``):
    "albergue" finds shelters, "abogado" legal aid, "interprète" interpreters."""
    cat = taxonomy.categories().get(category) if category else None
    if cat is None:
        return ""
    labels, terms = _terms()
    words: list[str] = []
    for lang in OTHER_LANGUAGES:
        block = labels.get(lang) or {}
        words.append((block.get("categories") or {}).get(cat.code, ""))
        words.append((block.get("groups") or {}).get(cat.group, ""))
    for table, key in (
        (terms.get("groups") or {}, cat.group),
        (terms.get("categories") or {}, cat.code),
    ):
        for lang_words in (table.get(key) or {}).values():
            words.extend(lang_words)
    return " ".join(w for w in words if w)


def entry_row(
    service: ServiceRow,
    location: Place,
    spans: Iterable[Span],
    *,
    place: int = 0,
    own_spans: Sequence[Span] | None = None,
) -> dict:
    """The search entry of a service at one place: ``location`` (None: no place)
    gives the point (its ``search_lat/lon``: coarse when withheld, ``visibility``'s rule)
    and time zone; the week is ``own_spans``, the hours the service keeps at that place,
    when there are any, else the service's ``spans``, as (weekday, opens, closes). Models,
    or plain records with the models' attribute names when a bulk load builds entries
    without the ORM. ``place`` 0 is the primary place, else a ``ServiceAtLocation`` id."""
    category = taxonomy.categories().get(service.category or "")
    lat = location.search_lat if location else None
    if own_spans:  # the hours kept at this place (never 24/7: that is the service's)
        week = hours.week_hours(False, own_spans, part=hours.PART_OPEN_THERE)
    else:
        week = hours.week_hours(service.open_24_7, spans)
    return {
        "service_id": service.id,
        "place": place,
        "organization_id": service.organization_id,
        "name": service.name,
        "category": service.category,
        "category_group": category.group if category else "",
        "lat": lat,
        "lon": location.search_lon if location else None,
        "lat_band": lat_band(lat),
        "timezone": location.timezone if location else None,
        "week_hours": week,
        **{c: getattr(service, c) for c in ELIGIBILITY_COLUMNS},
        "capacity_available": service.capacity_available,
        "capacity_updated_at": service.capacity_updated_at,
    }


def place_rows(
    service: ServiceRow,
    location: Place,
    spans: Iterable[Span],
    places: Iterable[Place] = (),
    place_spans: dict[int, list[Span]] | None = None,
) -> list[dict]:
    """The search entries of a service: one at its primary place (``location``, place 0)
    and one at each other place in ``places`` (records with the ``ServiceAtLocation`` id,
    ``location_id`` and the location's ``search_lat``, ``search_lon``, ``timezone``; in id
    order). A place at the primary location, or at a location already listed, adds none.
    ``place_spans``: the hours kept at a place, by ``ServiceAtLocation`` id."""
    rows = [entry_row(service, location, spans)]
    seen = {service.location_id}
    for p in places:
        if p.location_id in seen:
            continue
        seen.add(p.location_id)
        own = (place_spans or {}).get(p.id)
        rows.append(entry_row(service, p, spans, place=p.id, own_spans=own))
    return rows


_SAL, _SAL_HOURS, _LOC = (
    ServiceAtLocation.__table__,
    ServiceAtLocationHours.__table__,
    Location.__table__,
)
PLACES_OF = (
    select(
        _SAL.c.id,
        _SAL.c.service_id,
        _SAL.c.location_id,
        _LOC.c.search_lat,
        _LOC.c.search_lon,
        _LOC.c.timezone,
    )
    .join(_LOC, _LOC.c.id == _SAL.c.location_id)
    .where(_SAL.c.service_id.in_(bindparam("ids", expanding=True)))
    .order_by(_SAL.c.id)
)
"""The places (``service_at_location`` rows with their location's search point and time
zone) of the services ``ids``, as stored."""

PLACE_SPANS_OF = (
    select(_SAL_HOURS.c.sal_id, _SAL_HOURS.c.weekday, _SAL_HOURS.c.opens, _SAL_HOURS.c.closes)
    .join(_SAL, _SAL.c.id == _SAL_HOURS.c.sal_id)
    .where(_SAL.c.service_id.in_(bindparam("ids", expanding=True)))
    .order_by(_SAL_HOURS.c.weekday, _SAL_HOURS.c.opens)
)
"""The hours the services ``ids`` keep at their places, as stored."""


def places_of(
    conn: Connection, ids: list[int]
) -> tuple[dict[int, list[Any]], dict[int, list[Span]]]:
    """The stored places of the services ``ids`` (by service) and the hours kept at each
    (by ``ServiceAtLocation`` id), as ``place_rows`` reads them."""
    places: dict[int, list[Any]] = {i: [] for i in ids}
    place_spans: dict[int, list[Span]] = {}
    if not ids:
        return places, place_spans
    for row in conn.execute(PLACES_OF, {"ids": ids}):
        places[row.service_id].append(row)
    for sal_id, weekday, opens, closes in conn.execute(PLACE_SPANS_OF, {"ids": ids}):
        place_spans.setdefault(sal_id, []).append((weekday, opens, closes))
    return places, place_spans


_TERMS_OF = (
    select(ServiceTerm.service_id, SourceTerm.name)
    .join(SourceTerm, SourceTerm.id == ServiceTerm.term_id)
    .where(ServiceTerm.service_id.in_(bindparam("ids", expanding=True)))
    .order_by(SourceTerm.name)
)
"""The names of the source taxonomy terms the services ``ids`` are filed under."""


def terms_of(conn: Connection, ids: list[int]) -> dict[int, list[str]]:
    """The source term names of the services ``ids``, by service (one query)."""
    out: dict[int, list[str]] = {i: [] for i in ids}
    for row in conn.execute(_TERMS_OF, {"ids": ids}):
        out[row.service_id].append(row.name)
    return out


def is_listed(service: Service) -> bool:
    """Search finds a service while it and its organization are active."""
    return service.status == "active" and service.organization.status == "active"


def refresh_index(session: DbSession, services: list[Service]) -> None:
    """Rewrite the search rows of ``services``: entry, document and languages of each listed
    one; an unlisted one has none, so search never sees it."""
    services = list({s.id: s for s in services if s.id is not None}.values())
    ids = [s.id for s in services]
    if not ids:
        return
    conn = session.connection()
    for table in (SearchDocument, ServiceLanguage, SearchEntry):
        conn.execute(delete(table).where(table.service_id.in_(ids)))
    listed = [s for s in services if is_listed(s)]
    if not listed:
        return
    # the hours as stored (a bulk insert of hours may have bypassed the ORM's collections)
    spans: dict[int, list] = {s.id: [] for s in listed}
    for row in conn.execute(hours.SPANS_OF, {"ids": list(spans)}):
        spans[row.service_id].append((row.weekday, row.opens, row.closes))
    # the places as stored (an import writes them in bulk, not through the collections)
    places, place_spans = places_of(conn, list(spans))
    entries = [
        row
        for s in listed
        for row in place_rows(s, s.location, spans[s.id], places[s.id], place_spans)
    ]
    insert_many(conn, table_of(SearchEntry), entries)
    terms = terms_of(conn, list(spans))
    _insert_documents(conn, [(s.id, document_for(s, terms[s.id])) for s in listed])
    lang_rows = [{"service_id": s.id, "code": c} for s in listed for c in s.language_list]
    if lang_rows:
        insert_many(conn, table_of(ServiceLanguage), lang_rows)


def _insert_documents(conn: Connection, documents: list[tuple[int, str]], size: int = 1000) -> None:
    """INSERT ``(service_id, document)`` rows: on SQLite as multi-row statements of ``size``
    rows, not one a row (its full-text index, a trigger, is flushed at the end of every
    statement, and a flush a row grows quadratically), written as plain SQL (SQLAlchemy
    compiling a 1,000-row VALUES was a tenth of a bulk re-index)."""
    if conn.dialect.name != "sqlite":
        conn.execute(
            insert(SearchDocument), [{"service_id": i, "document": d} for i, d in documents]
        )
        return
    for start in range(0, len(documents), size):
        some = documents[start : start + size]
        values = ", ".join(["(?, ?)"] * len(some))
        conn.exec_driver_sql(
            f"INSERT INTO search_documents (service_id, document) VALUES {values}",  # noqa: S608
            tuple(v for row in some for v in row),
        )


@event.listens_for(Session, "after_flush")
def _collect_changed(session: Session, flush_context: UOWTransaction) -> None:  # noqa: ARG001
    """Note what a flush changed (no loading here: the flush is still under way): services,
    organizations and locations; a service's other places and the hours kept there, by
    their service's id (a removed place too)."""
    pending = session.info.setdefault("reindex", set())
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Service | Organization | Location) and obj not in session.deleted:
            if isinstance(obj, Service) or session.is_modified(obj, include_collections=False):
                pending.add(obj)
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, Location) and obj in session.deleted:
            pending.add(("gone", 0))  # its places went with it (the database's cascade)
        elif isinstance(obj, ServiceAtLocation) and obj.service_id is not None:
            pending.add(("service", obj.service_id))
        elif isinstance(obj, ServiceAtLocationHours) and obj.sal_id is not None:
            pending.add(("place", obj.sal_id))


_SERVICES_AT = select(_SAL.c.service_id).where(
    _SAL.c.location_id.in_(bindparam("ids", expanding=True))
)
_SERVICES_OF_PLACES = select(_SAL.c.service_id).where(
    _SAL.c.id.in_(bindparam("ids", expanding=True))
)


@event.listens_for(Session, "after_flush_postexec")
def _reindex_changed(session: Session, flush_context: UOWTransaction) -> None:  # noqa: ARG001
    """Re-index the services a flush changed, in the same transaction: those of a changed
    organization, those at a changed location (as their primary or another place), those
    whose other places or hours there changed."""
    pending = session.info.pop("reindex", None)
    if not pending:
        return
    services: list[Service] = []
    ids: set[int] = set()
    conn = session.connection()
    if ("gone", 0) in pending:
        conn.execute(
            delete(SearchEntry).where(
                SearchEntry.place > 0, SearchEntry.place.not_in(select(_SAL.c.id))
            )
        )
    located = [obj.id for obj in pending if isinstance(obj, Location)]
    if located:
        ids.update(conn.scalars(_SERVICES_AT, {"ids": located}))
    places = [key for kind, key in (p for p in pending if isinstance(p, tuple)) if kind == "place"]
    if places:
        ids.update(conn.scalars(_SERVICES_OF_PLACES, {"ids": places}))
    for obj in pending:
        if isinstance(obj, tuple):
            if obj[0] == "service":
                ids.add(obj[1])
        else:
            services.extend([obj] if isinstance(obj, Service) else obj.services)
    known = {s.id for s in services}
    with session.no_autoflush:
        for service_id in sorted(ids - known):
            if (service := session.get(Service, service_id)) is not None:
                services.append(service)
    refresh_index(session, [s for s in services if s not in session.deleted])


@event.listens_for(Session, "after_rollback")
def _forget_changed(session: Session) -> None:
    session.info.pop("reindex", None)


def rebuild_index(session: DbSession) -> int:
    """Re-index every service (after a bulk load that bypassed the ORM)."""
    return reindex_plain(session, list(session.scalars(select(Service.id).order_by(Service.id))))


def reindex_plain(session: DbSession, service_ids: list[int], batch: int = 2000) -> int:
    """``refresh_index`` of the services ``service_ids`` read as plain records
    (``plain_services``), a batch at a time: what a bulk load (an import, a rebuild) runs.
    → how many were re-indexed."""
    for start in range(0, len(service_ids), batch):
        refresh_index(session, plain_services(session, service_ids[start : start + batch]))
    return len(service_ids)


def plain_services(session: DbSession, ids: list[int]) -> list:
    """The services ``ids`` as plain records with the attributes ``refresh_index`` reads,
    their organization and primary location as records too: a bulk load's re-index without
    an ORM object a row (building them was a third of a 100,000-service import's
    re-index)."""
    svc, org, loc = Service.__table__, Organization.__table__, Location.__table__
    services = _records(session, select(svc).where(svc.c.id.in_(ids)))
    orgs = {
        o.id: o
        for o in _records(
            session,
            select(org.c.id, org.c.name, org.c.alternate_name, org.c.status).where(
                org.c.id.in_({s.organization_id for s in services})
            ),
        )
    }
    located = {s.location_id for s in services if s.location_id is not None}
    locs = {p.id: p for p in _records(session, select(loc).where(loc.c.id.in_(located)))}
    for s in services:
        s.organization = orgs[s.organization_id]
        s.location = locs.get(s.location_id)
        s.language_list = token_list(s.languages)
    return services


def _records(session: DbSession, query: Select) -> list[SimpleNamespace]:
    """The rows of ``query`` as records (the column names read once, not a row)."""
    result = session.execute(query)
    keys = list(result.keys())
    return [SimpleNamespace(**dict(zip(keys, row, strict=True))) for row in result]
