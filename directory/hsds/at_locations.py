"""Importing where each service is given: its places (``service_at_location``, the
primary one and the others), and the phones and hours of organizations, services,
locations and services at a location. A location's hours are the hours of the services
given there that have none of their own; a service's hours at one of its other places are
kept for that place (``ServiceAtLocationHours``). The most specific hours win: a
service-at-location's own, then the service's own (which hold at all its places), then
the location's."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import delete, insert, select

from directory import hours
from directory.hsds import values
from directory.hsds.mapping import BYDAY
from directory.service_locations import ServiceAtLocation, ServiceAtLocationHours

CHUNK = 5000


def write(run, svc_ids: dict[str, int], loc_ids: dict[str, int]) -> dict[str, int]:
    """Store every place of the services the package lists places for (replacing the
    ones stored); → service-at-location HSDS id → id."""
    rows = [
        {
            "hsds_id": sal_id,
            "service_id": svc_ids[service],
            "location_id": loc_ids[location],
            "description": description,
        }
        for sal_id, (service, location, description) in run.details["sal_rows"].items()
        if service in svc_ids and location in loc_ids
    ]
    if not rows:
        return {}
    session = run.session
    services = {r["service_id"] for r in rows}
    stored = select(ServiceAtLocation.id).where(ServiceAtLocation.service_id.in_(services))
    session.execute(delete(ServiceAtLocationHours).where(ServiceAtLocationHours.sal_id.in_(stored)))
    session.execute(delete(ServiceAtLocation).where(ServiceAtLocation.service_id.in_(services)))
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(ServiceAtLocation), rows[start : start + CHUNK])
    return dict(session.execute(select(ServiceAtLocation.hsds_id, ServiceAtLocation.id)).all())


def phones(run, svc_ids: dict, org_ids: dict, loc_ids: dict) -> list[dict]:
    """Phones of organizations, services (a service-at-location's: its service's) and
    locations; a contact's phone is the hand-off phone (``details``)."""
    sal = run.details["sal_service"]
    out = []
    for _, row in run.pkg.good("phones"):
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
        clean, problems = values.phone(row)
        if any(owner.values()) and not problems:
            out.append({**owner, "extension": None, "label": None, **clean})
    return out


def _spans(key: str, owner: int, r: dict) -> list[dict]:
    if r.get("description") == "Open 24 hours, 7 days":
        return []
    opens = closes = None  # times not given (both needed): open-now stays unknown
    if r.get("opens_at") and r.get("closes_at"):
        opens = hours.parse_time(r["opens_at"][:5])
        closes = hours.parse_time(r["closes_at"][:5])
    return [
        {key: owner, "weekday": BYDAY.index(day.strip()), "opens": opens, "closes": closes}
        for day in (r.get("byday") or ",".join(BYDAY)).split(",")
    ]


def opening_hours(run, svc_ids: dict, sal_ids: dict) -> tuple[list[dict], set[int]]:
    """The services' hours (→ spans and the services they replace the hours of); a
    service's hours at one of its other places are written here, for that place."""
    d = run.details
    primary, sal_service = d["sal"], d["sal_service"]
    sal_at = defaultdict(list)  # location → its services-at-location
    for sal_id, (_service, location, _description) in d["sal_rows"].items():
        sal_at[location].append(sal_id)
    out, owners, at_place, places, by_location = [], set(), [], set(), defaultdict(list)

    def elsewhere(sal_id: str | None, service: str) -> bool:
        place = d["sal_rows"].get(sal_id)
        return place is not None and place[1] != primary.get(service)

    for _, r in run.pkg.good("schedules"):
        sal_id = r.get("service_at_location_id")
        service = r.get("service_id") or sal_service.get(sal_id)
        if service is None and r.get("location_id"):
            by_location[r["location_id"]].append(r)
        elif service and elsewhere(sal_id, service):
            if (place := sal_ids.get(sal_id)) is not None:
                places.add(place)
                at_place += _spans("sal_id", place, r)
        elif (service_id := svc_ids.get(service)) is not None:
            owners.add(service_id)
            out += _spans("service_id", service_id, r)
    own, own_places = set(owners), set(places)
    for location, rows in by_location.items():
        for sal_id in sal_at.get(location, ()):
            service = sal_service[sal_id]
            if elsewhere(sal_id, service):
                place = sal_ids.get(sal_id)
                if place is None or place in own_places or svc_ids.get(service) in own:
                    continue  # its own hours there, or the service's (which hold everywhere)
                places.add(place)
                at_place += [span for r in rows for span in _spans("sal_id", place, r)]
            elif (service_id := svc_ids.get(service)) is not None and service_id not in own:
                owners.add(service_id)
                out += [span for r in rows for span in _spans("service_id", service_id, r)]
    session = run.session
    session.execute(delete(ServiceAtLocationHours).where(ServiceAtLocationHours.sal_id.in_(places)))
    for start in range(0, len(at_place), CHUNK):
        session.execute(insert(ServiceAtLocationHours), at_place[start : start + CHUNK])
    return out, owners
