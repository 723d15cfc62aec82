"""Open Referral HSDS 3.0 mapping: records to HSDS table rows, shared by the export, the
import and the HSDS API.

One mapping serves all three: ``*_row`` functions turn records into HSDS table rows; the
export writes them as CSV, the API nests them. Identifiers: organizations, services and
locations keep their own UUID (``hsds_id``) across exports and imports; child rows get
UUIDs derived from their parent's, so a round trip gives the same package. A withheld
address (``visibility``) is exported without address or coordinates.

Categories travel as attributes linking each service to a term of this product's own
taxonomy (the Section V codes). Fields HSDS has no column for (walk-in, modalities,
genders...) travel as attributes of a second taxonomy, one term per field
(``hsds.schemas``).
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime
from functools import cache
from types import SimpleNamespace
from typing import Any, overload

from directory import hours, languages, taxonomy, visibility
from directory import phones as phone_rule
from directory.hours import ServiceRow
from directory.hsds import schemas
from directory.models import (
    WEEKDAYS,
    Location,
    Organization,
    Phone,
    Service,
    ServiceHours,
)
from directory.service_locations import ServiceAtLocation
from directory.taxonomy import SEEDS

INTERPRETER_AVAILABLE = "Interpreter available"  # interpretation_services of an export

NS = uuid.UUID("5a3f8f0e-3c55-4d2e-9a55-7b2f0c6d1e01")

TAXONOMY_ID = str(uuid.uuid5(NS, "taxonomy/section-v"))

FIELDS_TAXONOMY_ID = str(uuid.uuid5(NS, "taxonomy/fields"))

BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

TABLES = (
    "organizations",
    "services",
    "locations",
    "service_at_location",
    "addresses",
    "phones",
    "schedules",
    "languages",
    "service_areas",
    "cost_options",
    "required_documents",
    "accessibility",
    "contacts",
    "taxonomies",
    "taxonomy_terms",
    "attributes",
    "metadata",
    "programs",
    "funding",
    "organization_identifiers",
    "meta_table_descriptions",
)
"""Every table of the HSDS package; the last four are written empty (nothing maps to
them) so that the package's foreign keys all resolve."""

CAPACITY_TABLES = ("service_capacity", "units")
"""HSDS 3.1's capacity tables, written beside the 3.0 package by the export (and nested
as ``capacities`` by the API): what a warm transfer checks first. Not read by the import
(a 3.1 package's capacity is reported as left out)."""

RESOURCE = {
    "organizations": "organization",
    "services": "service",
    "locations": "location",
    "service_at_location": "service_at_location",
    "addresses": "address",
    "phones": "phone",
    "schedules": "schedule",
    "languages": "language",
    "service_areas": "service_area",
    "cost_options": "cost_option",
    "required_documents": "required_document",
    "accessibility": "accessibility",
    "contacts": "contact",
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
    "attributes": "attribute",
    "metadata": "metadata",
    "programs": "program",
    "funding": "funding",
    "organization_identifiers": "organization_identifier",
    "meta_table_descriptions": "meta_table_description",
    "service_capacity": "service_capacity",
    "units": "unit",
}


def child_id(parent: str, kind: str, key: object = "") -> str:
    return str(uuid.uuid5(NS, f"{parent}/{kind}/{key}"))


PHONE_COLUMNS = frozenset(
    (
        "id",
        "service_id",
        "organization_id",
        "contact_id",
        "location_id",
        "service_at_location_id",
        "number",
        "extension",
        "type",
        "description",
    )
)
"""The phone columns the directory keeps: the same in HSDS 1.x and 3.x."""


def sal_id(service_hsds: str, location_hsds: str, *, primary: bool = True) -> str:
    """A service-at-location's id: derived from the service's (as the export has always
    written it) for the service's own location; a further location's also from its own."""
    if primary:
        return child_id(service_hsds, "sal")
    return child_id(service_hsds, "sal", location_hsds)


def term_id(code: str) -> str:
    return str(uuid.uuid5(NS, f"term/{code}"))


def field_term_id(name: str) -> str:
    return str(uuid.uuid5(NS, f"field/{name}"))


@cache
def datapackage() -> dict:
    """The official HSDS 3.0 data package descriptor (copied into seeds/hsds)."""
    return json.loads((SEEDS / "hsds" / "datapackage.json").read_text())


@cache
def capacity_resources() -> list[dict]:
    """The HSDS 3.1 ``service_capacity`` and ``unit`` table descriptors (seeds/hsds)."""
    return json.loads((SEEDS / "hsds" / "capacity-3.1.json").read_text())["resources"]


@cache
def table_fields(resource: str) -> list[dict]:
    for r in [*datapackage()["resources"], *capacity_resources()]:
        if r["name"] == resource:
            return r["schema"]["fields"]
    raise KeyError(resource)


def _fmt(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _time(minutes: int) -> str:
    return f"{(minutes // 60) % 24:02d}:{minutes % 60:02d}:00"


def organization_row(o: Organization) -> dict:
    return {
        "id": o.hsds_id,
        "name": o.name,
        "alternate_name": o.alternate_name,
        "description": o.description or o.name,
        "email": o.email,
        "website": o.website,
    }


def service_row(s: Service) -> dict:
    return {
        "id": s.hsds_id,
        "organization_id": s.organization.hsds_id,
        "name": s.name,
        "alternate_name": s.alternate_name,
        "description": s.description,
        "url": s.url,
        "email": s.email,
        "status": s.status,
        "application_process": s.application_process,
        "wait_time": s.wait_time,
        "interpretation_services": INTERPRETER_AVAILABLE if s.interpreter_available else None,
        "fees_description": s.cost_notes,
        "eligibility_description": s.eligibility_notes,
        "minimum_age": s.min_age,
        "maximum_age": s.max_age,
        "assured_date": s.last_verified,
        "assurer_email": s.verified_by.email if s.verified_by else None,
        "last_modified": s.updated_at,
    }


UNIT_NAMES = {"beds": "Bed", "appointments": "Appointment", "cases": "Case", "places": "Place"}
"""The directory's capacity units as HSDS 3.1 unit rows' names (``identifier``: the code)."""


def unit_row(code: str) -> dict:
    return {
        "id": child_id("unit", code),
        "name": UNIT_NAMES.get(code, code),
        "identifier": code,
    }


def capacity_rows(s: Service) -> list[dict]:
    """The service's capacity as an HSDS 3.1 ``service_capacity`` row, with ``updated``
    the time the partner (or a coordinator) stated it, so a reader judges its age; none
    when no capacity was ever stated. The unit is "places" when none was named."""
    if s.capacity_available is None or s.capacity_updated_at is None:
        return []
    unit = s.capacity_unit or "places"
    return [
        {
            "id": child_id(s.hsds_id, "capacity"),
            "service_id": s.hsds_id,
            "unit_id": unit_row(unit)["id"],
            "available": s.capacity_available,
            "maximum": s.capacity_maximum,
            "updated": s.capacity_updated_at,
        }
    ]


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


def phone_rows(owner_hsds: str, phones: list[Phone], owner: str) -> list[dict]:
    return [
        {
            "id": child_id(owner_hsds, "phone", i),
            f"{owner}_id": owner_hsds,
            "number": p.number,
            "extension": phone_rule.extension_number(p.extension),  # HSDS 3.0: a number
            "type": phone_rule.hsds_type(p.kind),
            "description": p.label,
        }
        for i, p in enumerate(phones)
    ]


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


def language_rows(s: Service) -> list[dict]:
    """A row per language code, and one per language note (its name as the source gave
    it, without a code: "Spanish (limited)", an unknown language)."""
    return [
        {
            "id": child_id(s.hsds_id, "language", c),
            "service_id": s.hsds_id,
            "name": languages.name(c),
            "code": c,
        }
        for c in s.language_list
    ] + [
        {"id": child_id(s.hsds_id, "language-note", note), "service_id": s.hsds_id, "name": note}
        for note in s.language_note_list
    ]


def cost_option_rows(s: Service) -> list[dict]:
    """The service's cost, when it states one (a cost not stated is no row, never "free")."""
    if s.cost is None and not s.cost_notes:
        return []
    return [
        {
            "id": child_id(s.hsds_id, "cost"),
            "service_id": s.hsds_id,
            "option": s.cost,
            "amount_description": s.cost_notes,
        }
    ]


def document_rows(s: Service) -> list[dict]:
    if not s.required_documents:
        return []
    return [
        {
            "id": child_id(s.hsds_id, "documents"),
            "service_id": s.hsds_id,
            "document": s.required_documents,
        }
    ]


def contact_row(s: Service) -> dict | None:
    if not (s.handoff_name or s.handoff_phone):
        return None
    return {
        "id": child_id(s.hsds_id, "contact", "handoff"),
        "service_id": s.hsds_id,
        "name": s.handoff_name,
        "title": s.handoff_role,
        "department": "Warm hand-off",
    }


def contact_phone_row(s: Service) -> dict | None:
    if not s.handoff_phone:
        return None
    return {
        "id": child_id(s.hsds_id, "contact-phone", "handoff"),
        "contact_id": child_id(s.hsds_id, "contact", "handoff"),
        "number": s.handoff_phone,
        "type": "voice",
        "description": "Warm hand-off line",
    }


def attribute_rows(s: Service) -> list[dict]:
    rows = []
    if s.category:  # an uncategorized service has no category attribute
        rows.append(
            {
                "id": child_id(s.hsds_id, "attribute", "category"),
                "link_id": s.hsds_id,
                "taxonomy_term_id": term_id(s.category),
                "link_type": "category",
                "link_entity": "service",
                "value": s.category,
            }
        )
    rows += _field_attributes(s, schemas.SERVICE_FIELDS, "service")
    return rows


def _exported(obj: Organization | Service | Location, name: str) -> Any:
    """A field's value as it may leave the app (a service's place text withheld with its
    place: ``visibility.place_text``)."""
    if isinstance(obj, Service):
        return visibility.place_text(obj, name, None)
    return getattr(obj, name)


def _field_attributes(
    obj: Organization | Service | Location, fields: dict, entity: str
) -> list[dict]:
    rows = []
    for name, (_kind, default) in fields.items():
        value = _exported(obj, name)
        if value is None or value == default or value == "":
            continue
        rows.append(
            {
                "id": child_id(obj.hsds_id, "attribute", name),
                "link_id": obj.hsds_id,
                "taxonomy_term_id": field_term_id(name),
                "link_type": "field",
                "link_entity": entity,
                "value": _fmt(value),
            }
        )
    return rows


def taxonomy_rows() -> tuple[list[dict], list[dict]]:
    taxonomies = [
        {
            "id": TAXONOMY_ID,
            "name": "Referral Network Directory: Section V categories",
            "description": "Categories of the ICMEC toolkit's Community Directory of Resources "
            "(Section V) template.",
            "version": "1",
        },
        {
            "id": FIELDS_TAXONOMY_ID,
            "name": "Referral Network Directory: fields",
            "description": "Fields of the Referral Network Directory that HSDS has no column "
            "for; an attribute's value holds the field's value.",
            "version": "1",
        },
    ]
    terms = []
    for g in taxonomy.groups():
        terms.append(
            {
                "id": term_id(g.code),
                "code": g.code,
                "name": g.label,
                "description": g.label,
                "taxonomy_id": TAXONOMY_ID,
            }
        )
        for c in g.categories:
            if c.code == g.code:
                continue
            terms.append(
                {
                    "id": term_id(c.code),
                    "code": c.code,
                    "name": c.label,
                    "description": c.label,
                    "parent_id": term_id(g.code),
                    "taxonomy_id": TAXONOMY_ID,
                }
            )
    for name in (*schemas.SERVICE_FIELDS, *schemas.ORG_FIELDS, *schemas.LOCATION_FIELDS):
        terms.append(
            {
                "id": field_term_id(name),
                "code": name,
                "name": name,
                "description": f"Value of the directory field {name}",
                "taxonomy_id": FIELDS_TAXONOMY_ID,
            }
        )
    return taxonomies, terms
