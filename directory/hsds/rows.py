"""Records to HSDS table rows: organizations, services and what hangs on a service (its
capacity, phones, languages, cost, documents, warm hand-off contact, attributes), and this
product's two taxonomies. Places are ``locations``, hours ``schedules``; the ids are
``mapping``'s."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from directory import languages, taxonomy, visibility
from directory import phones as phone_rule
from directory.hsds import schemas
from directory.hsds.mapping import (
    FIELDS_TAXONOMY_ID,
    INTERPRETER_AVAILABLE,
    TAXONOMY_ID,
    child_id,
    field_term_id,
    term_id,
)
from directory.models import Location, Organization, Phone, Service


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
