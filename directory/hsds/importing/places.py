"""Importing where each service is given: its places (``service_at_location``, the
primary one and the others), and the phones and hours of organizations, services,
locations and services at a location. A location's hours are the hours of the services
given there that have none of their own; a service's hours at one of its other places are
kept for that place (``ServiceAtLocationHours``). The most specific hours win: a
service-at-location's own, then the service's own (which hold at all its places), then
the location's."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from sqlalchemy import delete, select

from app.extensions import DbSession
from directory import hours
from directory.hsds.importing import sync
from directory.hsds.mapping import BYDAY
from directory.service_locations import ServiceAtLocation, ServiceAtLocationHours

if TYPE_CHECKING:
    from directory.hsds.importing.package import Package

CHUNK = 5000


def write(
    session: DbSession, pkg: Package, listed: dict, svc_ids: dict[str, int], loc_ids: dict[str, int]
) -> None:
    """Store every place of the services the package lists places for (``listed``: by
    service HSDS id, ``details.service_details``'s "sal"), replacing the ones stored,
    streaming the table a chunk at a time."""
    places = pkg.good("service_at_location")
    services = sorted({svc_ids[s] for s in listed if s in svc_ids})
    if not services:
        return
    for start in range(0, len(services), CHUNK):
        some = services[start : start + CHUNK]
        stored = select(ServiceAtLocation.id).where(ServiceAtLocation.service_id.in_(some))
        session.execute(
            delete(ServiceAtLocationHours).where(ServiceAtLocationHours.sal_id.in_(stored))
        )
        session.execute(delete(ServiceAtLocation).where(ServiceAtLocation.service_id.in_(some)))
    batch = []
    for _, r in places:
        if r["service_id"] in svc_ids and r["location_id"] in loc_ids:
            batch.append(
                {
                    "hsds_id": r["id"],
                    "service_id": svc_ids[r["service_id"]],
                    "location_id": loc_ids[r["location_id"]],
                    "description": r.get("description"),
                }
            )
        if len(batch) == CHUNK:
            sync.bulk_insert(session, ServiceAtLocation, batch)
            batch = []
    if batch:
        sync.bulk_insert(session, ServiceAtLocation, batch)


def _sal_ids(session: DbSession, hsds_ids: set[str]) -> dict[str, int]:
    """The stored ids of some services-at-location, by HSDS id."""
    found: dict[str, int] = {}
    wanted = list(hsds_ids)
    for start in range(0, len(wanted), CHUNK):
        some = wanted[start : start + CHUNK]
        stmt = select(ServiceAtLocation.hsds_id, ServiceAtLocation.id).where(
            ServiceAtLocation.hsds_id.in_(some)
        )
        found.update((k, v) for k, v in session.execute(stmt) if k is not None)  # asked by id
    return found


def phones(pkg: Package, sal: dict, svc_ids: dict, org_ids: dict, loc_ids: dict) -> list[dict]:
    """Phones of organizations, services (a service-at-location's: its service's) and
    locations; a contact's phone is the hand-off phone (``details``)."""
    out = []
    for line, row in pkg.good("phones"):
        if row.get("contact_id"):
            continue
        service = row.get("service_id") or sal.get(row.get("service_at_location_id"))
        owner = {
            "service_id": svc_ids.get(service),
            "organization_id": org_ids.get(row.get("organization_id")),
            "location_id": None,
        }
        if not any(owner.values()):
            owner["location_id"] = loc_ids.get(row.get("location_id"))
        clean, problems = pkg.phone(line, row)
        if not any(owner.values()):
            pkg.skip("phones", line, row, "left out: the record it belongs to is not kept")
        elif not problems:
            out.append({**owner, "extension": None, "label": None, **clean})
    return out


def _spans(key: str, owner: int, r: dict) -> list[dict]:
    if r.get("description") == "Open 24 hours, 7 days":
        return []
    # times not given, or not readable for sure (their text is kept in the service's
    # hours notes, ``details``): open-now stays unknown
    opens = closes = None
    if r.get("opens_at") or r.get("closes_at"):
        opens, closes = hours.read_span(r.get("opens_at"), r.get("closes_at")) or (None, None)
    return [
        {key: owner, "weekday": BYDAY.index(day.strip()), "opens": opens, "closes": closes}
        for day in (r.get("byday") or ",".join(BYDAY)).split(",")
    ]


def opening_hours(
    session: DbSession, pkg: Package, d: dict, svc_ids: dict
) -> tuple[list[dict], set[int]]:
    """The services' hours (→ spans and the services they replace the hours of); a
    service's hours at one of its other places are written here, for that place."""
    sal_service, elsewhere = d["sal_service"], d["elsewhere"]
    out, owners, by_location = [], set(), defaultdict(list)
    at_place: dict[str, list[dict]] = defaultdict(list)  # by service-at-location HSDS id
    lines: dict[str, list[tuple[int, dict]]] = defaultdict(list)  # a location's rows
    for line, r in pkg.good("schedules"):
        sal_id = r.get("service_at_location_id")
        service = r.get("service_id") or sal_service.get(sal_id)
        if service is None and r.get("location_id"):
            by_location[r["location_id"]].append(r)
            lines[r["location_id"]].append((line, r))
        elif service and sal_id in elsewhere:
            at_place[sal_id].append(r)
        elif (service_id := svc_ids.get(service)) is not None:
            owners.add(service_id)
            out += _spans("service_id", service_id, r)
    own, own_places = set(owners), set(at_place)
    used: set[str] = set()
    if by_location:
        for _, sal in pkg.good("service_at_location"):
            rows = by_location.get(sal["location_id"])
            if rows is None:
                continue
            service_id = svc_ids.get(sal["service_id"])
            if sal["id"] in elsewhere:
                if sal["id"] not in own_places and service_id not in own:
                    at_place[sal["id"]] += rows  # the place's hours there
                    used.add(sal["location_id"])
            elif service_id is not None and service_id not in own:
                owners.add(service_id)
                out += [span for r in rows for span in _spans("service_id", service_id, r)]
                used.add(sal["location_id"])
    for location, given in lines.items():
        if location not in used:  # no service stored there takes them: said, not counted
            for line, r in given:
                pkg.skip(
                    "schedules",
                    line,
                    r,
                    "left out: the hours of a place where no imported service without hours "
                    "of its own is given",
                )
    ids = _sal_ids(session, set(at_place))
    places = sorted(set(ids.values()))
    for start in range(0, len(places), CHUNK):
        some = places[start : start + CHUNK]
        session.execute(
            delete(ServiceAtLocationHours).where(ServiceAtLocationHours.sal_id.in_(some))
        )
    spans = [
        span
        for sal_id, rows in at_place.items()
        if sal_id in ids
        for r in rows
        for span in _spans("sal_id", ids[sal_id], r)
    ]
    for start in range(0, len(spans), CHUNK):
        sync.bulk_insert(session, ServiceAtLocationHours, spans[start : start + CHUNK])
    return out, owners
