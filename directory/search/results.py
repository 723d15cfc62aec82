"""A page's records: the services of one page of results with everything a result shows
(organization, location, hours, phones), each read at its place, as plain read-only
records (phase 2 of ``query.search``: a fixed number of queries, no ORM objects). Read only,
like every module of the search query."""

from __future__ import annotations

from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

from sqlalchemy import BindParameter, Select, bindparam, select

from app.extensions import DbSession
from directory import hours
from directory.models import Location, Organization, Phone, Service, stated_list, token_list
from directory.service_locations import ServiceAtLocation, ServiceAtLocationHours


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
