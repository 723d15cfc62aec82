"""Where a service is given, as HSDS rows: its locations and their addresses (what an
export may carry of a confidential place: ``visibility``) and its services at locations,
listed by ``service_places``, the one rule for which places (and ids) the export and the
HSDS API give."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, overload

from directory import visibility
from directory.hours import ServiceRow
from directory.hsds.mapping import child_id, sal_id
from directory.models import Location, Service
from directory.service_locations import ServiceAtLocation


def location_row(loc: Location) -> dict:
    details = visibility.location_details(loc, None)
    return {
        "id": loc.hsds_id,
        "location_type": "physical",
        "organization_id": loc.organization.hsds_id,
        "name": loc.name,
        "alternate_name": loc.alternate_name,
        "description": details["description"],
        "transportation": details["transportation"],
        **dict(zip(("latitude", "longitude"), visibility.exported_point(loc), strict=True)),
    }


def address_row(loc: Location) -> dict | None:
    """The address of a location, when an export may carry it and it is complete enough
    for HSDS."""
    if not visibility.exports_address(loc) or not all(
        (loc.address_1, loc.city, loc.region, loc.postal_code)
    ):
        return None
    return {
        "id": child_id(loc.hsds_id, "address"),
        "location_id": loc.hsds_id,
        "address_1": loc.address_1,
        "address_2": loc.address_2,
        "city": loc.city,
        "state_province": loc.region,
        "postal_code": loc.postal_code,
        "country": loc.country,
        "address_type": "physical",
    }


def postal_address_row(loc: Location) -> dict | None:
    """The postal address of a location, under the same rule as its street address."""
    postal = visibility.location_details(loc, None)["postal_address"]
    if not postal or not all(
        postal[k] for k in ("address_1", "city", "region", "postal_code", "country")
    ):
        return None
    return {
        "id": child_id(loc.hsds_id, "address", "postal"),
        "location_id": loc.hsds_id,
        "address_1": postal["address_1"],
        "address_2": postal["address_2"],
        "city": postal["city"],
        "state_province": postal["region"],
        "postal_code": postal["postal_code"],
        "country": postal["country"],
        "address_type": "postal",
    }


def place_id(s: ServiceRow, p: ServiceAtLocation) -> str:
    """The id of a stored service-at-location: the source's, else derived (``sal_id``)."""
    return p.hsds_id or sal_id(
        s.hsds_id, p.location.hsds_id, primary=p.location_id == s.location_id
    )


@overload
def service_places(s: Service) -> list[tuple[str, Location, ServiceAtLocation | None]]: ...


@overload
def service_places(s: SimpleNamespace) -> list[tuple[str, Any, Any]]: ...  # read like them


def service_places(s: ServiceRow) -> list[tuple[str, Any, Any]]:
    """Every place a service is given at, as (service-at-location id, location, stored
    ``ServiceAtLocation`` or None): each stored place, and the primary location
    (``Service.location``) when no stored place is at it; the primary first. The export
    and the HSDS API (``hsds.feed.service_locations`` in SQL) list exactly these."""
    primary = [p for p in s.at_locations if p.location_id == s.location_id]
    others = [p for p in s.at_locations if p.location_id != s.location_id]
    out: list[tuple[str, Any, Any]] = []
    if s.location is not None and not primary:
        out.append((sal_id(s.hsds_id, s.location.hsds_id), s.location, None))
    out += [(place_id(s, p), p.location, p) for p in (*primary, *others)]
    return out


def service_at_location_rows(s: Service) -> list[dict]:
    """The service's places (``service_places``), each with the source's description when
    kept."""
    return [
        {
            "id": sal,
            "service_id": s.hsds_id,
            "location_id": loc.hsds_id,
            "description": visibility.place_note(loc, p.description, None) if p else None,
        }
        for sal, loc, p in service_places(s)
    ]
