"""A source's ids as this directory keeps them. HSDS 3.0 wants UUIDs; published feeds use
integers ("131321"), slugs or codes. A UUID is kept as given; any other id becomes a UUID
derived stably from the source's name, the table and the id (``own_id``), and the id itself
is kept beside it (``source_id``), so that a re-import of the same source finds the same
records and an export writes the same UUIDs each time. Integer ids of two sources never
collide: the source's name is part of the derivation."""

from __future__ import annotations

import uuid

from directory.hsds.mapping import NS

# a reference column → the table its ids belong to (3.0 table names)
TARGETS = {
    "organization_id": "organizations",
    "parent_organization_id": "organizations",
    "service_id": "services",
    "location_id": "locations",
    "service_at_location_id": "service_at_location",
    "contact_id": "contacts",
    "taxonomy_id": "taxonomies",
    "taxonomy_term_id": "taxonomy_terms",
    "program_id": "programs",
    "phone_id": "phones",
    "unit_id": "units",
}
LINKED = {"service": "services", "organization": "organizations", "location": "locations"}


def own_id(source: str, table: str, given: str) -> str:
    """The UUID a source's non-UUID id is kept under: the same for the same source, table
    and id, every time."""
    return str(uuid.uuid5(NS, f"source-id/{source}/{table}/{given}"))


def namespace(table: str, row: dict) -> str:
    """The table a row's own id belongs to: its 3.0 table, except addresses, whose 1.x
    files (physical, postal) number their rows apart."""
    return row.get("_src", table) if table == "addresses" else table


REFERENCES = frozenset(TARGETS) | {"parent_id", "link_id"}
"""Every column that holds the id of another record."""


def target(table: str, row: dict, column: str) -> str:
    """The table the id in a reference ``column`` of a ``table`` row belongs to."""
    if column == "parent_id":
        return table
    if column == "link_id":
        return LINKED.get(row.get("link_entity") or "service", "services")
    return TARGETS[column]
