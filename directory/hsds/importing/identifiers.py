"""A source's ids as this directory keeps them. HSDS 3.0 wants UUIDs; published feeds use
integers ("131321"), slugs or codes. A UUID is kept as given; any other id becomes a UUID
derived stably from the source's name, the table and the id (``own_id``), and the id itself
is kept beside it (``source_id``), so that a re-import of the same source finds the same
records and an export writes the same UUIDs each time. Integer ids of two sources never
collide: the source's name is part of the derivation."""

from __future__ import annotations

import uuid

from directory.hsds.importing.row_checks import UUID_RE
from directory.hsds.mapping import NS

# tables whose row without an id and a name holds nothing to import
NAMED = ("organizations", "services", "locations")

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

UUIDS = REFERENCES | {"id"}
"""The columns ``own_ids`` leaves holding a UUID (or nothing)."""


def target(table: str, row: dict, column: str) -> str:
    """The table the id in a reference ``column`` of a ``table`` row belongs to."""
    if column == "parent_id":
        return table
    if column == "link_id":
        return LINKED.get(row.get("link_entity") or "service", "services")
    return TARGETS[column]


def own_ids(source: str, name: str, row: dict, line: int | None = None) -> dict:
    """A row of table ``name`` with every id it holds (its own and each reference) as a
    UUID: a UUID as given; any other id (an integer, a slug) derived stably from the
    ``source``'s name, the table and the id (``own_id``), the source's own id kept in
    ``_sid``, so that a re-import of the same source matches on the source's ids."""
    value = row.get("id")
    if not value and name not in NAMED and line is not None:
        # a 1.x child row without an id (a transformer's output): one derived from
        # what it links (a place: its service and location), else its file and line
        key = (
            f"{row.get('service_id')}/{row.get('location_id')}"
            if name == "service_at_location" and row.get("service_id")
            else f"{row.get('_src', name)}/{line}"
        )
        row["id"] = own_id(source, f"{name}/unnamed", key)
    elif value and not UUID_RE.match(value):
        row["_sid"] = value
        row["id"] = own_id(source, namespace(name, row), value)
    for column in REFERENCES.intersection(row):
        value = row[column]
        if value and not UUID_RE.match(value):
            row.setdefault("_given", {})[column] = value
            row[column] = own_id(source, target(name, row, column), value)
    return row
