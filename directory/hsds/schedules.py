"""A service's hours as HSDS schedules: its own (``schedule_rows``: weekly spans, or open
24/7) and the hours it keeps at a place of its own, as schedules of that service at
location."""

from __future__ import annotations

from directory import hours
from directory.hsds.locations import service_places
from directory.hsds.mapping import BYDAY, child_id
from directory.models import WEEKDAYS, Service, ServiceHours
from directory.service_locations import ServiceAtLocation


def _time(minutes: int) -> str:
    return f"{(minutes // 60) % 24:02d}:{minutes % 60:02d}:00"


def schedule_rows(s: Service) -> list[dict]:
    if s.open_24_7:
        return [
            {
                "id": child_id(s.hsds_id, "schedule", "24/7"),
                "service_id": s.hsds_id,
                "freq": "WEEKLY",
                "byday": ",".join(BYDAY),
                "opens_at": "00:00:00",
                "closes_at": "00:00:00",
                "description": "Open 24 hours, 7 days",
                "notes": s.hours_notes,
            }
        ]
    return [_schedule_row(s, h) for h in s.hours]


def _schedule_row(s: Service, h: ServiceHours) -> dict:
    row = {
        "id": child_id(s.hsds_id, "schedule", f"{h.weekday}/{h.opens}/{h.closes}"),
        "service_id": s.hsds_id,
        "freq": "WEEKLY",
        "byday": BYDAY[h.weekday],
        "notes": s.hours_notes,
    }
    if h.opens is None or h.closes is None:  # both None: times given only as text (notes)
        return {**row, "description": f"{WEEKDAYS[h.weekday]}: times not given"}
    return {
        **row,
        "opens_at": _time(h.opens),
        "closes_at": _time(h.closes),
        "description": f"{WEEKDAYS[h.weekday]} {hours.span_text(h.opens, h.closes)}",
    }


def own_schedule_rows(sal: str, p: ServiceAtLocation | None) -> list[dict]:
    """The hours a service keeps at one place of its own (``ServiceAtLocationHours``), as
    schedules of that service-at-location; none when it keeps the service's there."""
    rows = []
    for h in p.hours if p is not None else ():
        row = {
            "id": child_id(sal, "schedule", f"{h.weekday}/{h.opens}/{h.closes}"),
            "service_at_location_id": sal,
            "freq": "WEEKLY",
            "byday": BYDAY[h.weekday],
        }
        if h.opens is None or h.closes is None:  # both are, or neither
            row["description"] = f"{WEEKDAYS[h.weekday]}: times not given"
        else:
            row.update(
                opens_at=_time(h.opens),
                closes_at=_time(h.closes),
                description=f"{WEEKDAYS[h.weekday]} {hours.span_text(h.opens, h.closes)}",
            )
        rows.append(row)
    return rows


def other_place_schedule_rows(s: Service) -> list[dict]:
    """The hours a service keeps at places of their own, as schedules of that
    service-at-location (the service's own schedules are ``schedule_rows``)."""
    return [row for sal, _loc, p in service_places(s) for row in own_schedule_rows(sal, p)]


def place_schedule_rows(s: Service, sal: str, p: ServiceAtLocation | None) -> list[dict]:
    """A service's schedules at one place: the hours it keeps there, else its own."""
    return own_schedule_rows(sal, p) or schedule_rows(s)
