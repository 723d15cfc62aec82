"""Re-import as a sync, for what a record holds beside its own columns: a service's places
(``service_at_location``, with the hours it keeps at each), its source taxonomy terms and
its hours, and the phones of organizations, services and locations. The import replaces
these wholesale (``at_locations``, ``terms``, ``load._write``); here each record the
directory held before the import is read as text before and after, and a record whose
parts changed gets them in its one audit entry of this import, old and new
(``{"places": [old, new]}``), as an edit by hand would show them. A record whose own
fields changed too keeps one entry: the parts join the entry ``sync.update_known`` wrote.
Nothing changed, nothing written: re-running the same import adds no entry.

Records created by the import are not read: their creation entry and the import's line say
what came in."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import InstrumentedAttribute

from app.bulk import table_of
from app.extensions import DbSession
from directory import hours
from directory.hsds.importing import sync
from directory.hsds.locations import service_places
from directory.models import Location, Organization, Phone, Service, ServiceHours
from directory.service_locations import ServiceAtLocation, ServiceAtLocationHours
from directory.source_terms import ServiceTerm, SourceTerm

CHUNK = 5000


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _text(items: list[str]) -> str | None:
    return "; ".join(items) or None


def _pair(found: dict, key: int) -> tuple:
    """(what is compared, what the entry shows): a record's parts by their values, in any
    order (a source listing the same rows in another order changes nothing), and as
    text in their order."""
    items = found.get(key, [])
    return tuple(sorted((k for k, _t in items), key=repr)), _text([t for _k, t in items])


def _week(spans: list[tuple]) -> str:
    return hours.week_summary(False, sorted(spans, key=lambda s: (s[0], s[1] is None, s[1])))


def places(session: DbSession, service_ids: list[int]) -> dict[int, tuple]:
    """Each service's places as ``locations.service_places`` lists them (primary first):
    compared by the service-at-location id, the location's id, the source's description
    and the hours kept there; shown with the location's name (a location renamed is its
    own change, not its services')."""
    out: dict[int, tuple] = {}
    for some in _chunks(service_ids):
        services = session.execute(
            select(Service.id, Service.hsds_id, Service.location_id).where(Service.id.in_(some))
        ).all()
        stored = session.execute(
            select(
                ServiceAtLocation.id,
                ServiceAtLocation.service_id,
                ServiceAtLocation.hsds_id,
                ServiceAtLocation.location_id,
                ServiceAtLocation.description,
            )
            .where(ServiceAtLocation.service_id.in_(some))
            .order_by(ServiceAtLocation.id)
        ).all()
        kept_hours: defaultdict[int, list[hours.Span]] = defaultdict(list)
        for place_key, weekday, opens, closes in session.execute(
            select(
                ServiceAtLocationHours.sal_id,
                ServiceAtLocationHours.weekday,
                ServiceAtLocationHours.opens,
                ServiceAtLocationHours.closes,
            ).where(ServiceAtLocationHours.sal_id.in_([p.id for p in stored]))
        ):
            kept_hours[place_key].append((weekday, opens, closes))
        wanted = {s.location_id for s in services} | {p.location_id for p in stored}
        locations: dict[int | None, SimpleNamespace] = {  # .get(None): no primary place
            key: SimpleNamespace(id=key, hsds_id=hsds_id, name=name)
            for key, hsds_id, name in session.execute(
                select(Location.id, Location.hsds_id, Location.name).where(
                    Location.id.in_([k for k in wanted if k is not None])
                )
            )
        }
        by_service: defaultdict[int, list[SimpleNamespace]] = defaultdict(list)
        for p in stored:
            by_service[p.service_id].append(
                SimpleNamespace(
                    hsds_id=p.hsds_id,
                    location_id=p.location_id,
                    location=locations[p.location_id],
                    description=p.description,
                    hours=kept_hours.get(p.id, []),
                )
            )
        for key, hsds_id, location_id in services:
            s = SimpleNamespace(
                hsds_id=hsds_id,
                location_id=location_id,
                location=locations.get(location_id),
                at_locations=by_service.get(key, []),
            )
            items = []
            for sal, loc, place in service_places(s):
                text = f"{loc.name or 'Location ' + loc.hsds_id} ({sal})"
                described = place.description if place is not None else None
                spans = tuple(sorted(place.hours, key=repr)) if place is not None else ()
                if described:
                    text += f", {described}"
                if spans:
                    text += f", hours there: {_week(list(spans))}"
                items.append(((sal, loc.hsds_id, described, spans), text))
            out[key] = _pair({key: items}, key)
    return out


def terms(session: DbSession, service_ids: list[int]) -> dict[int, tuple]:
    """Each service's source taxonomy terms: compared by the source's term id and the
    value, shown with the term's code and name."""
    found = defaultdict(list)
    for some in _chunks(service_ids):
        rows = session.execute(
            select(
                ServiceTerm.service_id,
                SourceTerm.hsds_id,
                SourceTerm.code,
                SourceTerm.name,
                ServiceTerm.value,
            )
            .join(SourceTerm, SourceTerm.id == ServiceTerm.term_id)
            .where(ServiceTerm.service_id.in_(some))
            .order_by(ServiceTerm.service_id, SourceTerm.hsds_id)
        )
        for key, hsds_id, code, name, value in rows:
            text = " ".join(p for p in (code, name) if p) + f" ({hsds_id})"
            found[key].append(((hsds_id, value), f"{text} = {value}" if value else text))
    return {key: _pair(found, key) for key in service_ids}


def service_hours(session: DbSession, service_ids: list[int]) -> dict[int, tuple]:
    """Each service's own week of hours (``hours.week_summary``; none: None)."""
    found = defaultdict(list)
    for some in _chunks(service_ids):
        for key, weekday, opens, closes in session.execute(
            select(
                ServiceHours.service_id,
                ServiceHours.weekday,
                ServiceHours.opens,
                ServiceHours.closes,
            ).where(ServiceHours.service_id.in_(some))
        ):
            found[key].append((weekday, opens, closes))
    return {
        key: (
            tuple(sorted(found.get(key, []), key=repr)),
            _week(found[key]) if key in found else None,
        )
        for key in service_ids
    }


def phones(
    session: DbSession, column: InstrumentedAttribute[int | None], owner_ids: list[int]
) -> dict[int, tuple]:
    """The phones of each owner (``column``: ``Phone.location_id``...), in their order."""
    found: defaultdict[int | None, list[tuple[tuple, str]]] = defaultdict(list)  # owners asked
    for some in _chunks(owner_ids):
        rows = session.execute(
            select(column, Phone.number, Phone.extension, Phone.kind, Phone.label)
            .where(column.in_(some))
            .order_by(Phone.id)
        )
        for key, number, extension, kind, label in rows:
            text = number + (f" ext. {extension}" if extension else "") + f" ({kind})"
            found[key].append(
                ((number, extension, kind, label), f"{text} {label}" if label else text)
            )
    return {key: _pair(found, key) for key in owner_ids}


Reader = Callable[[DbSession, list[int]], dict[int, tuple]]
"""What a part of each record holds: record id → (compared, shown)."""

PARTS: dict[sync.Imported, tuple[tuple[str, Reader], ...]] = {
    Service: (
        ("places", places),
        ("terms", terms),
        ("hours", service_hours),
        ("phones", lambda session, ids: phones(session, Phone.service_id, ids)),
    ),
    Location: (("phones", lambda session, ids: phones(session, Phone.location_id, ids)),),
    Organization: (("phones", lambda session, ids: phones(session, Phone.organization_id, ids)),),
}


class Parts:
    """What the records an import may change held before it (``__init__``), compared with
    what they hold after it (``audit``)."""

    def __init__(self, session: DbSession, known: dict[sync.Imported, set[str]]) -> None:
        """``known``: model → HSDS ids of the package's records of that model."""
        self.session = session
        self.ids: dict[sync.Imported, list[int]] = {}
        self.before: dict[sync.Imported, dict[str, dict[int, tuple]]] = {}
        for model, hsds_ids in known.items():
            ids: list[int] = []
            wanted = sorted(hsds_ids)
            for start in range(0, len(wanted), CHUNK):
                ids += session.scalars(
                    select(model.id).where(model.hsds_id.in_(wanted[start : start + CHUNK]))
                ).all()
            self.ids[model] = sorted(ids)
            self.before[model] = {
                name: read(session, self.ids[model]) for name, read in PARTS[model]
            }

    def audit(self, pending: dict, now: datetime) -> int:
        """Write the import's update entries: ``pending`` (model → the entries
        ``sync.update_known`` left unwritten) with each record's changed parts joined to
        its entry, and an entry for each record that changed only in its parts (its
        version and ``updated_at`` move on, so a client syncing by ``modified_after``
        learns of it); → how many records changed only in their parts."""
        session, alone_total = self.session, 0
        for model in {*pending, *self.ids}:
            changes: dict[int, dict] = defaultdict(dict)
            ids = self.ids.get(model, [])
            for name, read in PARTS.get(model, ()):
                old, new = self.before[model][name], read(session, ids)
                for key in ids:
                    if old[key][0] != new[key][0]:
                        changes[key][name] = [old[key][1], new[key][1]]
            entries = []
            for action, key, row, fields in pending.get(model, []):
                entries.append((action, key, row, {**fields, **changes.pop(key, {})}))
            alone = sorted(changes)
            if alone:
                entries += self._bump(model, alone, changes, now)
            alone_total += len(alone)
            sync.audit_rows(session, model, entries)
        return alone_total

    def _bump(
        self, model: sync.Imported, alone: list[int], changes: dict, now: datetime
    ) -> list[tuple]:
        """New version and ``updated_at`` for records changed in their parts only; → their
        entries (with what ``_parent`` needs of each row)."""
        session, table = self.session, table_of(model)
        spec = getattr(model, "__audit_parent__", ())
        columns = [table.c[attr] for attr in spec[1::2]]
        rows = {}
        for some in _chunks(alone):
            for row in session.execute(select(table.c.id, *columns).where(table.c.id.in_(some))):
                rows[row.id] = row._asdict()
        session.execute(
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(version=table.c.version + 1, updated_at=now),
            [{"b_id": key} for key in alone],
        )
        return [("update", key, rows[key], changes[key]) for key in alone]
