"""The nested objects of the HSDS 3.0 API, built from the same rows as the export.

What a location withholds never comes (``mapping`` asks ``visibility``). In public mode
(``HSDS_PUBLIC``) the warm hand-off contact is left out entirely: its name, role, line and
notes are for professionals, not for a public directory."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import current_app

from directory import visibility
from directory.hsds.api import feed, taxonomy_feed
from directory.hsds.locations import address_row, location_row, place_id, service_places
from directory.hsds.mapping import sal_id
from directory.hsds.rows import (
    _fmt,
    attribute_rows,
    capacity_rows,
    contact_phone_row,
    contact_row,
    cost_option_rows,
    document_rows,
    language_rows,
    organization_row,
    phone_rows,
    service_row,
    unit_row,
)
from directory.hsds.schedules import place_schedule_rows, schedule_rows
from directory.hsds.source_rows import kept_term_row, term_attribute_row
from directory.models import Location, Organization, Service
from directory.service_locations import ServiceAtLocation

HANDOFF_FIELDS = ("handoff_notes", "handoff_role")


def _clean(obj: Any) -> Any:
    """Drop empty values: the compiled HSDS schemas allow no nulls."""
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items() if v not in (None, "", [])}
    if isinstance(obj, list):
        return [_clean(v) for v in obj]
    if isinstance(obj, datetime):
        return _fmt(obj)
    if isinstance(obj, date):
        return obj.isoformat()
    return obj


def public() -> bool:
    return bool(current_app.config.get("HSDS_PUBLIC"))


def places(s: Service) -> list[Location]:
    """The locations a service is given at (none: it serves by phone or anywhere)."""
    return [loc for _id, loc, _p in service_places(s)]


def _head(s: Service) -> dict:
    """The service's own fields, its status as a syncing client must read it (a service
    of a closed organization is no longer listed: inactive) and its last change (its own,
    its organization's or its location's)."""
    obj = service_row(s)
    if public():  # a staff member's login is nobody's business outside
        obj["assurer_email"] = None
    if not feed.is_listed(s):
        obj["status"] = "inactive" if s.status == "active" else s.status
    stamps = [s.updated_at, s.organization.updated_at, *(loc.updated_at for loc in places(s))]
    obj["last_modified"] = max(t for t in stamps if t is not None)
    return obj


def minimal_service(s: Service) -> dict:
    """``minimal``: the fewest fields the spec's service schema allows."""
    head = _head(s)
    return _clean({k: head[k] for k in ("id", "name", "status", "last_modified")})


def service_object(s: Service, *, full: bool = True) -> dict:
    obj = _head(s)
    obj["organization"] = organization_row(s.organization)
    if full:
        terms = {t["id"]: t for t in taxonomy_feed.own_terms()}
        obj["phones"] = phone_rows(s.hsds_id, s.phones, "service")
        obj["schedules"] = schedule_rows(s)
        obj["languages"] = language_rows(s)
        obj["cost_options"] = cost_option_rows(s)
        obj["required_documents"] = document_rows(s)
        if not public() and (c := contact_row(s)) is not None:
            c["phones"] = [p for p in [contact_phone_row(s)] if p]
            obj["contacts"] = [c]
        obj["attributes"] = [
            {**a, "taxonomy_term": terms[a["taxonomy_term_id"]]}
            for a in attribute_rows(s)
            if not (
                public()
                and a["value"]
                and a["link_type"] == "field"
                and terms[a["taxonomy_term_id"]]["code"] in HANDOFF_FIELDS
            )
        ] + [
            # the terms of a source's own taxonomy it is filed under, as the export links them
            {
                **term_attribute_row(s.hsds_id, link.term.hsds_id, link.value),
                "taxonomy_term": kept_term_row(link.term),
            }
            for link in s.term_links
        ]
        obj["service_at_locations"] = [
            sal_object(s, loc, p, sal=sal) for sal, loc, p in service_places(s)
        ]
        # HSDS 3.1: the capacity nested with its unit (the 3.0 schema allows added fields)
        if visibility.publishes_capacity(s, public()):
            obj["capacities"] = [
                {**c, "unit": unit_row(s.capacity_unit or "places")} for c in capacity_rows(s)
            ]
    return _clean(obj)


def sal_object(
    s: Service,
    loc: Location,
    place: ServiceAtLocation | None = None,
    *,
    sal: str | None = None,
    service: str | None = None,
) -> dict:
    """A service at one of its places (``place``: the stored ``ServiceAtLocation``, None
    for a primary location no stored place is at; ``sal``: its id when known), with the
    hours the service keeps there (its own there, else the service's); ``service``: None,
    ``"list"`` (the service's own fields, as the list endpoint nests it) or ``"full"``
    (fully nested, for ``/{id}``: then the service's ``name`` and ``status`` come at the
    top too, since the 3.0 spec's ``openapi.json`` names the service schema as that
    endpoint's answer). The location as ``mapping`` gives it: what it withholds never
    comes."""
    if sal is None:
        sal = place_id(s, place) if place is not None else sal_id(s.hsds_id, loc.hsds_id)
    location = location_row(loc)
    if (a := address_row(loc)) is not None:
        location["addresses"] = [a]
    obj: dict = {
        "id": sal,
        "service_id": s.hsds_id,
        "location_id": loc.hsds_id,
        "description": visibility.place_note(loc, place.description, None) if place else None,
        "schedules": place_schedule_rows(s, sal, place),
        "location": location,
    }
    if service == "list":
        obj["service"] = service_object(s, full=False)
    elif service == "full":
        nested = service_object(s)
        nested.pop("service_at_locations", None)
        obj = {**obj, "name": nested["name"], "status": nested["status"], "service": nested}
    return _clean(obj)


def minimal_organization(o: Organization) -> dict:
    return _clean(
        {k: v for k, v in organization_row(o).items() if k in ("id", "name", "description")}
    )


def organization_object(o: Organization, *, full: bool = True, full_service: bool = False) -> dict:
    obj = organization_row(o)
    if full:
        obj["phones"] = phone_rows(o.hsds_id, o.phones, "organization")
        obj["locations"] = [location_row(loc) for loc in o.locations]
        obj["services"] = [service_object(s, full=full_service) for s in o.services]
    return _clean(obj)


def taxonomy_object(t: dict) -> dict:
    return _clean(t)


def taxonomy_term_object(t: dict, *, taxonomies: dict[str, dict]) -> dict:
    """A term with its taxonomy's name and, nested, the taxonomy itself (``taxonomies``:
    every taxonomy served, by id)."""
    taxonomy = taxonomies.get(t.get("taxonomy_id", ""))
    obj = dict(t)
    if taxonomy is not None:
        obj["taxonomy"] = taxonomy["name"]
        obj["taxonomy_detail"] = taxonomy
    return _clean(obj)
