"""What a package's attributes say of its records, gathered while they are checked
(``Links.visit``, called by ``check.read_package`` for every row as read): each record's
Section V category and the values of this product's own fields, and the source terms each
service is filed under."""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from directory import taxonomy
from directory.hsds.importing import categories, values
from directory.hsds.importing.package import Package, Row
from directory.hsds.schemas import LOCATION_FIELDS, ORG_FIELDS, SERVICE_FIELDS


@dataclass
class Links:
    """What the attributes say of each record: its Section V category and the values of
    this product's own fields (by field code), kept compact; and the source terms each
    service is filed under. Filled while the package is checked (``visit``): the
    attributes, often the largest table, are read once."""

    mapping: dict = field(default_factory=dict)
    category: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    # records filed under at least one taxonomy term (mapped or not): why one is
    # uncategorized, for the report
    termed: set[str] = field(default_factory=set)
    # the package's terms: id → (code, name, parent id); the AIRS codes among them
    terms: dict[str, tuple] = field(default_factory=dict)
    airs: dict | None = None
    # (file, line, service id, term id, value) of each attribute filing a service under a
    # term, for ``terms.write`` (which keeps those of the rows still good by then)
    filed: list[tuple[str, int, str, str, str | None]] = field(default_factory=list)

    def visit(self, pkg: Package, table: str, line: int, row: Row) -> None:
        """Take what a row of the package says, as ``read_package`` reads it (every row of
        the taxonomy terms, then of the attributes, checked or not)."""
        if table == "taxonomy_terms" and row.get("id"):
            self.terms[row["id"]] = (row.get("code"), row.get("name"), row.get("parent_id"))
        elif table == "attributes":
            self._attribute(pkg, line, row)

    def _attribute(self, pkg: Package, line: int, a: Row) -> None:
        if self.airs is None:  # the terms are read before the attributes
            self.airs = categories.airs_terms(self.terms)
        link = a.get("link_id")
        term = a.get("taxonomy_term_id")
        code, _name, _parent = self.terms.get(term, (None, None, None))
        field_row = a.get("link_type") == "field"
        if field_row:
            if code and (kept := _field_value(pkg, line, a, code)) is not _REFUSED:
                # repeated values ("true", "in_person") are kept once
                self.values[link][code] = sys.intern(kept) if isinstance(kept, str) else kept
        elif term:
            self.termed.add(link)
            if a.get("link_entity", "service") == "service":
                self.filed.append((a.get("_src", "attributes"), line, link, term, a.get("value")))
        if link in self.category:
            return
        if not field_row:
            for key in (a.get("value"), code):
                if key in taxonomy.categories():
                    self.category[link] = key
                    return
        if found := categories.map_term(self.mapping, term, self.terms) or (
            categories.airs_category(term, self.airs)
        ):
            self.category[link] = found

    def fields(self, record_id: str, spec: dict) -> dict:
        """The record's values of ``spec``'s fields; None where the package gives none (a
        new record then takes the default, a stored one keeps its value)."""
        given = self.values.get(record_id, {})
        return {name: given.get(name) for name in spec}


_REFUSED = object()
_ENTITIES = (
    ("services", "service", SERVICE_FIELDS),
    ("organizations", "organization", ORG_FIELDS),
    ("locations", "location", LOCATION_FIELDS),
)


def _field_value(pkg: Package, line: int, a: dict, code: str) -> Any:
    """The value of one of this product's own fields an attribute carries, checked as the
    form checks it (``values.field_value``); a bad one is refused, naming the attribute."""
    link, said = a.get("link_id"), a.get("link_entity")
    for table, entity, spec in _ENTITIES:
        if link in pkg.ids.get(table, ()) or (said == entity and not pkg.ids.get(table)):
            if code not in spec:
                return a.get("value") or ""
            value, problem = values.field_value(entity, code, spec[code][0], a.get("value"))
            if problem:
                pkg.bad("attributes", line, "value", problem, a)
                return _REFUSED
            return value
    return a.get("value") or ""
