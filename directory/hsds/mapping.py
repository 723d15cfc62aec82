"""Open Referral HSDS 3.0 mapping: the package's tables and the identifiers of its rows,
shared by the export, the import and the HSDS API.

Records become HSDS table rows in ``rows`` (organizations, services and what hangs on
them: phones, languages, costs, contacts, attributes, taxonomies), ``locations`` (locations,
addresses, services at locations) and ``schedules``; the export writes them as CSV, the API
nests them. Identifiers: organizations, services and locations keep their own UUID
(``hsds_id``) across exports and imports; child rows get UUIDs derived from their parent's
(``child_id``), so a round trip gives the same package. A withheld address (``visibility``)
is exported without address or coordinates.

Categories travel as attributes linking each service to a term of this product's own
taxonomy (the Section V codes, ``TAXONOMY_ID``). Fields HSDS has no column for (walk-in,
modalities, genders...) travel as attributes of a second taxonomy (``FIELDS_TAXONOMY_ID``),
one term per field (``hsds.schemas``).
"""

from __future__ import annotations

import json
import uuid
from functools import cache

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
