"""An HSDS package on disk as the import reads it (``Package``): its rows streamed one at
a time with every id made the directory's own, and what the check (``check``) found of
each: rejected, left out, noted, and what that leaves of the rest (the cascade), with the
report's counts per table."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from directory.errors import Invalid
from directory.hsds.importing import identifiers, legacy, values
from directory.hsds.importing.row_checks import PHONE_KEYS
from directory.hsds.importing.source import (
    NotAPackage,
    Source,
    unpack_zip,
)
from directory.hsds.mapping import PHONE_COLUMNS, RESOURCE, TABLES, table_fields

__all__ = ["NotAPackage", "ImportRejected", "Package", "unpack_zip"]


# the ids kept once a package is read: a re-import reads what these records held before
# it (``sync_parts``), and a full one deactivates what the package does not hold
KEEP_IDS = {"services", "organizations", "locations"}


class Ids(set):
    """A table's ids as given (every id is text, a UUID in its canonical spelling or not):
    a plain set, which answers ``in`` at C speed. (Keeping UUIDs as 128-bit numbers
    halved their memory, ~25 MB at 100,000 services, and cost a tenth of an import's
    time.)"""


class ImportRejected(Invalid):
    """Some rows are bad; nothing was imported. ``problems`` are 'table:row:field: message'."""

    def __init__(self, problems: list[str]):
        super().__init__(
            {"package": problems}, f"{len(problems)} problem(s); nothing was imported."
        )
        self.problems = problems


# Tables in an order where every table a row refers to has been read before it, so that
# foreign keys are checked while streaming (only the ids are kept in memory).
_FIRST = ("organizations", "taxonomies", "taxonomy_terms", "locations", "services", "contacts")

READ_ORDER = (*_FIRST, *(t for t in TABLES if t not in _FIRST))


Row = Any
"""A package's row: its non-empty HSDS values by column (text as read; ids and a few values
checked) and ``_src``, the file it came from. Columns differ by table and version and every
reader uses ``.get``: typed ``dict[str, Any]``, each of those reads would be ``Any | None``."""


@dataclass
class Package:
    """A checked package on disk: its readable tables, their ids, and the problems found.
    Rows are streamed from the files, never all held in memory. A row is known by its
    table, the file it came from (``_src``: a 1.x table for a 1.x package) and its line."""

    src: Source
    present: set[str] = field(default_factory=set)
    ids: dict[str, Ids] = field(default_factory=dict)  # only what is still needed
    problems: list[str] = field(default_factory=list)
    dependent: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rejected: set[tuple] = field(default_factory=set)
    bad_ids: dict[str, set[str]] = field(default_factory=dict)
    skipped: dict[tuple, str] = field(default_factory=dict)
    # rows of a stored table kept inside another record (a contact's phone as the service's
    # hand-off phone): "merged" in the report, not "stored"
    merged: set[tuple] = field(default_factory=set)
    skip_ids: dict[str, set[str]] = field(default_factory=dict)
    # facts the source leaves empty that the directory lists anyway ("services.status")
    unstated: Counter = field(default_factory=Counter)
    # locations whose coordinates were dropped (off the globe): found by their address
    no_point: set[str] = field(default_factory=set)
    # locations whose organization the package does not hold: id → (line, file, why)
    orphans: dict[str, tuple] = field(default_factory=dict)
    # the service each kept orphan location is given at (its organization's, ``adopt``)
    adopted: dict[str, str] = field(default_factory=dict)
    # each good phone row's clean values (``values.phone``) by line, kept from the check
    # so that loading does not parse and validate every number again
    phones: dict[int, tuple] = field(default_factory=dict)
    # tables whose every id was a UUID as given, seen on a whole read: later reads (the
    # load's) skip ``identifiers.own_ids``, which would change nothing
    ids_as_given: set[str] = field(default_factory=set)

    @property
    def folder(self) -> Path:
        return self.src.folder

    @property
    def legacy(self) -> bool:
        return self.src.version in ("1.x", "1.0")

    def rows(self, name: str) -> Iterator[tuple[int, Row]]:
        """``(line, row)`` of a table, keeping only non-empty values of its HSDS fields
        (and ``_src``, the file the row came from)."""
        if name not in self.present:
            return
        if name in self.ids_as_given:
            yield from self._read(name)
            return
        changed = False
        for line, row in self._read(name):
            keys = len(row)
            identifiers.own_ids(self.src.name, name, row, line)
            # an id own_ids derives or converts adds a key (``id``, ``_sid``, ``_given``)
            changed = changed or len(row) != keys
            yield line, row
        if not changed:
            self.ids_as_given.add(name)

    def _read(self, name: str) -> Iterator[tuple[int, Row]]:
        """The rows of a table as the source gives them (``rows`` before the ids)."""
        if self.legacy:
            yield from legacy.rows(self.src, name)
            return
        known = {f["name"] for f in table_fields(RESOURCE[name])}
        cells = self.src.cells(name)
        _, header = next(cells, (1, []))
        # a column named twice: its last cell, as a dict of the whole row would keep
        where = {h: i for i, h in enumerate(header) if h in known}
        columns = [(h, where[h]) for h in dict.fromkeys(header) if h in where]
        names = [h for h, _ in columns]
        width = max((i for _, i in columns), default=-1) + 1
        take = itemgetter(*(i for _, i in columns)) if len(columns) > 1 else None
        for line, given in cells:
            if take is not None and len(given) >= width:
                row = {k: v for k, v in zip(names, map(str.strip, take(given)), strict=True) if v}
            else:  # a short row (or one column): each cell it has
                row = {}
                for column, i in columns:
                    if i < len(given) and (value := given[i].strip()):
                        row[column] = value
            row["_src"] = name
            yield line, row

    def given(self, row: dict, column: str) -> str:
        """A column's value as the source wrote it (before ``identifiers.own_ids``)."""
        return (row.get("_given") or {}).get(column) or row.get(column) or ""

    def phone(self, line: int, row: dict) -> tuple[dict, dict]:
        """``values.phone`` of a phones row: as it was when the row was checked."""
        kept = self.phones.get(line)
        if kept is None:
            return values.phone(row)
        return {k: v for k, v in zip(PHONE_KEYS, kept, strict=True) if v is not None}, {}

    def good(self, name: str) -> Iterator[tuple[int, Row]]:
        """The rows of a table that were neither rejected nor left out."""
        for line, row in self.rows(name):
            if self.kept(name, row.get("_src", name), line):
                yield line, row

    def kept(self, table: str, src: str, line: int) -> bool:
        """Whether the row at ``line`` of ``src`` (a file of ``table``) is neither rejected
        nor left out (so far)."""
        key = (table, src, line)
        return key not in self.rejected and key not in self.skipped

    def bad(
        self, table: str, line: int, column: str, message: str, row: dict | None = None
    ) -> None:
        src = (row or {}).get("_src", table)
        self.problems.append(f"{self.src.stem(src)}:{line}:{column}: {message}")
        self._reject(table, src, line, row)

    def _reject(self, table: str, src: str, line: int, row: dict | None) -> None:
        self.rejected.add((table, src, line))
        if row and row.get("id"):
            self.bad_ids.setdefault(table, set()).add(row["id"])

    def merge(self, table: str, line: int, row: dict) -> None:
        """A row kept as a fact of another record, not as a row of its own."""
        self.merged.add((table, row.get("_src", table), line))

    def skip(self, table: str, line: int, row: dict, why: str) -> None:
        self.skipped[(table, row.get("_src", table), line)] = why
        if row.get("id"):
            self.skip_ids.setdefault(table, set()).add(row["id"])

    def dangling(self, table: str, line: int, row: dict, missing: list[tuple[str, str]]) -> None:
        """A row referring to a record the package does not hold (a published feed that
        lists a service but not its organization): what it needs, it cannot have (left out,
        with why); a link it can do without is dropped and said (a note); a location whose
        organization is missing is kept under the organization of a service given there
        (``adopt``)."""
        said = {c: f"no {t} row with id {self.given(row, c)!r} in the package" for c, t in missing}
        owners = OWNERS.get(table, ())
        needed = [c for c, _t in missing if c in NEEDED.get(table, ())]
        if table == "locations" and needed == ["organization_id"]:
            self.orphans[row["id"]] = (line, row.get("_src", table), said["organization_id"])
            return
        usable = [c for c in owners if row.get(c) and c not in said]
        if needed or (owners and not usable):
            column = needed[0] if needed else next(c for c in owners if c in said)
            self.skip(table, line, row, f"left out: {column}: {said[column]}")
            return
        for column, why in said.items():
            self.note(table, line, column, f"link dropped: {why}", row)

    def note(self, table: str, line: int, column: str, message: str, row: dict) -> None:
        self.notes.append(f"{self.src.stem(row.get('_src', table))}:{line}:{column}: {message}")

    def adopt(self) -> None:
        """Each location whose organization is missing: kept under the organization of a
        service the package gives there (the first listed), else left out, saying why."""
        if not self.orphans:
            return
        out = self.bad_ids.get("services", set()) | self.skip_ids.get("services", set())
        for _, r in self.good("service_at_location"):
            loc, svc = r.get("location_id"), r.get("service_id")
            if loc in self.orphans and svc and svc not in out:
                self.adopted.setdefault(loc, svc)
        for loc, (line, src, why) in self.orphans.items():
            row = {"id": loc, "_src": src}
            if loc in self.adopted:
                self.note(
                    "locations",
                    line,
                    "organization_id",
                    f"{why}: kept under the organization of a service given there",
                    row,
                )
            else:
                self.skip(
                    "locations",
                    line,
                    row,
                    f"left out: organization_id: {why}, and no "
                    "service of the package is given there",
                )

    def cascade(self) -> None:
        """Reject the rows that depend on a rejected row (the phones of a rejected
        service...), saying which, and leave out the rows whose every owner is left out;
        parents are read before their children."""
        self.adopt()
        for name in READ_ORDER:
            self._cascade_left_out(name)
            refs = {
                c: t
                for c, t in REFERENCES.get(name, {}).items()
                if t in self.present and self.bad_ids.get(t)
            }
            if not refs:
                continue  # nothing it refers to was rejected: no row of it depends on one
            for line, row in self.rows(name):
                src = row.get("_src", name)
                if (name, src, line) in self.rejected:
                    continue
                for column, target in refs.items():
                    if row.get(column) and row[column] in self.bad_ids.get(target, ()):
                        self.dependent.append(
                            f"{src}:{line}:{column}: depends on rejected {target} row {row[column]}"
                        )
                        self._reject(name, src, line, row)
                        break

    def _cascade_left_out(self, name: str) -> None:
        """Leave out the rows of ``name`` that belong only to records left out (the places,
        phones and hours of a service whose organization the package does not hold)."""
        refs = {
            c: t
            for c, t in REFERENCES.get(name, {}).items()
            if t in self.present and self.skip_ids.get(t)
        }
        if not refs:
            return
        owners = OWNERS.get(name) or tuple(refs)
        for line, row in self.rows(name):
            key = (name, row.get("_src", name), line)
            if key in self.rejected or key in self.skipped:
                continue
            given = [c for c in owners if row.get(c)]
            gone = [c for c in given if c in refs and row[c] in self.skip_ids[refs[c]]]
            needed = [c for c in gone if c in NEEDED.get(name, ())]
            if gone and (needed or len(gone) == len(given)):
                column = (needed or gone)[0]
                self.skip(
                    name,
                    line,
                    row,
                    f"left out with the {refs[column]} row {self.given(row, column)!r} "
                    "it belongs to",
                )

    def counts(self) -> dict[str, Counter]:
        """Per source table: rows read, rejected and left out (the rest were stored or
        merged into another record)."""
        out: dict[str, Counter] = {}
        for table in sorted(self.src.files):
            out[table] = Counter(read=self.src.count(table))
        for key in (*self.rejected, *self.skipped):
            table, src, _line = key
            if src in out and _primary(self, src) == table:
                out[src]["rejected" if key in self.rejected else "skipped"] += 1
        for key in self.merged:
            table, src, _line = key
            if src in out and _primary(self, src) == table:
                out[src]["merged"] += 1
        for table, c in out.items():
            if table not in (legacy.FEEDS if self.legacy else KEPT):
                c["skipped"] = c["read"]
                c["merged"] = 0
            rest = max(0, c["read"] - c["rejected"] - c["skipped"] - c["merged"])
            c["stored" if table in STORED else "merged"] += rest
        return out

    def not_kept(self) -> dict[str, str]:
        """Every source column this directory does not keep → why."""
        if self.legacy:
            return legacy.not_kept(self.src)
        out = {}
        for table in sorted(self.src.files):
            kept = KEPT.get(table)
            if kept is None:
                out[f"{table}.*"] = WHY.get(table, "no place in this directory")
                continue
            for column in self.src.header(table):
                if column and column not in kept:
                    out[f"{table}.{column}"] = WHY.get(
                        f"{table}.{column}", WHY.get(table, "no place in this directory")
                    )
        return out


def _primary(pkg: Package, src: str) -> str:
    return legacy.FEEDS.get(src, src) if pkg.legacy else src


STORED = {
    "organizations",
    "services",
    "locations",
    "phones",
    "taxonomies",
    "taxonomy_terms",
    "taxonomy",
    "service_at_location",
    "services_at_location",
}

# the 3.x columns the directory keeps, per table (the rest are listed in the report)
KEPT = {
    "organizations": {"id", "name", "alternate_name", "description", "email", "website"},
    "services": {
        "id",
        "organization_id",
        "name",
        "description",
        "status",
        "minimum_age",
        "maximum_age",
        "eligibility_description",
        "fees_description",
        "assured_date",
        "last_modified",
        "alternate_name",
        "url",
        "email",
        "application_process",
        "wait_time",
        "interpretation_services",
    },
    "locations": {
        "id",
        "organization_id",
        "name",
        "alternate_name",
        "description",
        "transportation",
        "latitude",
        "longitude",
        "location_type",
    },
    "addresses": {
        "id",
        "location_id",
        "address_1",
        "address_2",
        "city",
        "state_province",
        "postal_code",
        "country",
        "address_type",
    },
    "service_at_location": {"id", "service_id", "location_id", "description"},
    "phones": PHONE_COLUMNS,
    "schedules": {
        "id",
        "service_id",
        "location_id",
        "service_at_location_id",
        "byday",
        "opens_at",
        "closes_at",
        "description",
        "notes",
        "freq",
    },
    "languages": {"id", "service_id", "location_id", "code", "name", "note"},
    "cost_options": {"id", "service_id", "option", "amount_description"},
    "required_documents": {"id", "service_id", "document"},
    "accessibility": {"id", "location_id", "description", "details"},
    "contacts": {"id", "service_id", "name", "title", "department"},
    "taxonomies": {"id", "name", "description", "uri", "version"},
    "taxonomy_terms": {
        "id",
        "code",
        "name",
        "description",
        "parent_id",
        "taxonomy",
        "taxonomy_id",
        "term_uri",
    },
    "attributes": {"id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"},
}
WHY = {
    "metadata": "the directory keeps its own change history (audit log)",
    "meta_table_descriptions": "describes the package, not a record",
    # a feed's bed count, of its own time, would overwrite what the partner told this
    # directory more recently; capacity comes from the partner (link, inbox, suggestion)
    "service_capacity": "capacity is what the partner states here, not read from a feed",
    "units": "capacity is what the partner states here, not read from a feed",
}


# the references a row cannot do without (left out when the record is not in the package)
NEEDED = {
    "services": ("organization_id",),
    "locations": ("organization_id",),
    "service_at_location": ("service_id", "location_id"),
    "addresses": ("location_id",),
    "service_areas": ("service_id",),
    "cost_options": ("service_id",),
    "required_documents": ("service_id",),
    "accessibility": ("location_id",),
    "attributes": ("taxonomy_term_id",),
}
# the records a row may belong to, any one of which is enough
OWNERS = {
    "phones": (
        "service_id",
        "organization_id",
        "location_id",
        "contact_id",
        "service_at_location_id",
    ),
    "schedules": ("service_id", "location_id", "service_at_location_id"),
    "languages": ("service_id", "location_id"),
    "contacts": ("service_id", "organization_id"),
}

REFERENCES = {
    "services": {"organization_id": "organizations"},
    "locations": {"organization_id": "organizations"},
    "service_at_location": {"service_id": "services", "location_id": "locations"},
    "addresses": {"location_id": "locations"},
    "phones": {
        "service_id": "services",
        "organization_id": "organizations",
        "location_id": "locations",
        "contact_id": "contacts",
        "service_at_location_id": "service_at_location",
    },
    "schedules": {
        "service_id": "services",
        "location_id": "locations",
        "service_at_location_id": "service_at_location",
    },
    "languages": {"service_id": "services", "location_id": "locations"},
    "service_areas": {"service_id": "services"},
    "cost_options": {"service_id": "services"},
    "required_documents": {"service_id": "services"},
    "accessibility": {"location_id": "locations"},
    "contacts": {"service_id": "services", "organization_id": "organizations"},
    "taxonomy_terms": {"taxonomy_id": "taxonomies"},
    "attributes": {"taxonomy_term_id": "taxonomy_terms"},
}
