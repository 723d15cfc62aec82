"""The nested objects of the HSDS 3.0 API, built from the same rows as the export."""

from __future__ import annotations

from datetime import date, datetime

from directory.hsds.mapping import (
    _fmt,
    address_row,
    attribute_rows,
    child_id,
    contact_phone_row,
    contact_row,
    cost_option_rows,
    document_rows,
    language_rows,
    location_row,
    organization_row,
    phone_rows,
    schedule_rows,
    service_row,
    taxonomy_rows,
)
from directory.models import Organization, Service


def _clean(obj):
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


def service_object(s: Service, *, full: bool = True) -> dict:
    obj = service_row(s)
    obj["organization"] = organization_row(s.organization)
    if full:
        terms = {t["id"]: t for t in taxonomy_rows()[1]}
        obj["phones"] = phone_rows(s.hsds_id, s.phones, "service")
        obj["schedules"] = schedule_rows(s)
        obj["languages"] = language_rows(s)
        obj["cost_options"] = cost_option_rows(s)
        obj["required_documents"] = document_rows(s)
        if (c := contact_row(s)) is not None:
            c["phones"] = [p for p in [contact_phone_row(s)] if p]
            obj["contacts"] = [c]
        obj["attributes"] = [
            {**a, "taxonomy_term": terms[a["taxonomy_term_id"]]} for a in attribute_rows(s)
        ]
        if s.location:
            obj["service_at_locations"] = [sal_object(s)]
    return _clean(obj)


def sal_object(s: Service, *, with_service: bool = False) -> dict:
    loc = s.location
    location = location_row(loc)
    if (a := address_row(loc)) is not None:
        location["addresses"] = [a]
    obj = {
        "id": child_id(s.hsds_id, "sal"),
        "service_id": s.hsds_id,
        "location_id": loc.hsds_id,
        "location": location,
    }
    if with_service:
        obj["service"] = service_object(s, full=False)
    return _clean(obj)


def organization_object(o: Organization, *, full: bool = True) -> dict:
    obj = organization_row(o)
    if full:
        obj["phones"] = phone_rows(o.hsds_id, o.phones, "organization")
        obj["locations"] = [location_row(loc) for loc in o.locations]
        obj["services"] = [service_object(s, full=False) for s in o.services]
    return _clean(obj)
