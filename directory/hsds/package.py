"""Reading and checking an HSDS package on disk: every row against the HSDS field
definitions (types, formats, required values, enumerations, unique and foreign keys),
streamed one row at a time."""

from __future__ import annotations

import csv
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from directory import languages, taxonomy
from directory.errors import Invalid
from directory.hsds.mapping import BYDAY, RESOURCE, TABLES, table_fields

UUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
    r"[0-9a-fA-F]{12}$"
)

TIME_RE = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)(:([0-5]\d))?$")

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class NotAPackage(Invalid):
    """The folder is not an HSDS package (one line, for the CLI)."""

    def __init__(self, message: str):
        super().__init__({"package": [message]}, message)


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


@dataclass
class Package:
    """A checked package on disk: its readable tables, their ids, and the problems found.
    Rows are streamed from the files, never all held in memory."""

    folder: Path
    present: set[str] = field(default_factory=set)
    ids: dict[str, set[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def rows(self, name: str):
        """``(line, row)`` of a table, keeping only non-empty values of its HSDS fields."""
        if name not in self.present:
            return
        fields = table_fields(RESOURCE[name])
        known = {f["name"] for f in fields}
        with (self.folder / f"{name}.csv").open(newline="", encoding="utf-8-sig") as fh:
            for line, raw in enumerate(csv.DictReader(fh), start=2):
                yield (
                    line,
                    {
                        k: v.strip()
                        for k, v in raw.items()
                        if k in known and isinstance(v, str) and v.strip()
                    },
                )

    def bad(self, table: str, line: int, column: str, message: str) -> None:
        self.problems.append(f"{table}:{line}:{column}: {message}")


def ensure_package(folder: Path) -> None:
    """Raise ``NotAPackage`` unless ``folder`` holds an HSDS package's core tables."""
    if not folder.is_dir():
        raise NotAPackage(f"{folder} is not a folder.")
    if not (folder / "services.csv").exists() or not (folder / "organizations.csv").exists():
        raise NotAPackage(
            f"{folder} is not an HSDS package: services.csv and organizations.csv are missing."
        )


def read_package(folder: Path, progress=None) -> Package:
    """Check every row against the HSDS field definitions (types, formats, required
    values, enumerations, unique and foreign keys), one row at a time."""
    ensure_package(folder)
    pkg = Package(folder)
    for name in READ_ORDER:
        path = folder / f"{name}.csv"
        if not path.exists():
            continue
        fields = {f["name"]: f for f in table_fields(RESOURCE[name])}
        with path.open(newline="", encoding="utf-8-sig") as fh:
            header = next(csv.reader(fh), [])
        required = [f for f, d in fields.items() if d.get("constraints", {}).get("required")]
        missing = [f for f in required if f not in header]
        for column in missing:
            pkg.bad(name, 1, column, "required column is missing")
        if missing:
            continue
        pkg.present.add(name)
        seen = pkg.ids[name] = set()
        refs = {c: t for c, t in REFERENCES.get(name, {}).items() if t in pkg.present}
        for line, row in pkg.rows(name):
            _check_row(pkg, name, line, row, fields)
            if row.get("id"):
                if row["id"] in seen:
                    pkg.bad(name, line, "id", "duplicate id")
                seen.add(row["id"])
            for column, target in refs.items():
                value = row.get(column)
                if value and value not in pkg.ids[target]:
                    pkg.bad(name, line, column, f"no {target} row with id {value}")
            if progress:
                progress(1)
    return pkg


def _check_row(pkg: Package, table: str, line: int, row: dict, fields: dict) -> None:
    for name, spec in fields.items():
        value = row.get(name) or ""
        constraints = spec.get("constraints", {})
        if "\x00" in value:
            pkg.bad(table, line, name, "contains a NUL character (\\x00)")
            continue
        if not value:
            if constraints.get("required"):
                pkg.bad(table, line, name, "required value is empty")
            continue
        kind, fmt = spec.get("type"), spec.get("format")
        if fmt == "uuid" and not UUID_RE.match(value):
            pkg.bad(table, line, name, f"not a UUID: {value[:40]!r}")
        elif fmt == "email" and not EMAIL_RE.match(value):
            pkg.bad(table, line, name, f"not an e-mail address: {value[:40]!r}")
        elif kind == "number":
            try:
                float(value)
            except ValueError:
                pkg.bad(table, line, name, f"not a number: {value[:40]!r}")
        elif kind == "date":
            try:
                date.fromisoformat(value)
            except ValueError:
                pkg.bad(table, line, name, f"not a date (YYYY-MM-DD): {value[:40]!r}")
        elif kind == "datetime":
            try:
                datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                pkg.bad(table, line, name, f"not a date-time: {value[:40]!r}")
        elif kind == "time" and not TIME_RE.match(value):
            pkg.bad(table, line, name, f"not a time (HH:MM or HH:MM:SS): {value[:40]!r}")
        if "enum" in constraints and value not in constraints["enum"]:
            pkg.bad(table, line, name, f"must be one of {', '.join(constraints['enum'])}")
    if table == "languages" and row.get("code") and not languages.canonical(row["code"]):
        pkg.bad(table, line, "code", f"unknown language code {row['code']!r} (ISO 639-1 or -3)")
    if table == "schedules" and row.get("byday"):
        days = row["byday"].split(",")
        if any(d.strip() not in BYDAY for d in days):
            pkg.bad(table, line, "byday", "days must be MO, TU, WE, TH, FR, SA or SU")


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
    },
    "schedules": {"service_id": "services", "location_id": "locations"},
    "languages": {"service_id": "services", "location_id": "locations"},
    "service_areas": {"service_id": "services"},
    "cost_options": {"service_id": "services"},
    "required_documents": {"service_id": "services"},
    "accessibility": {"location_id": "locations"},
    "contacts": {"service_id": "services", "organization_id": "organizations"},
    "taxonomy_terms": {"taxonomy_id": "taxonomies"},
    "attributes": {"taxonomy_term_id": "taxonomy_terms"},
}


def read_mapping(path: Path | None) -> dict[str, str]:
    """A mapping file: CSV with columns ``term`` (taxonomy term id, code or name) and
    ``category`` (a Section V code)."""
    if path is None:
        return {}
    mapping = {}
    with path.open(newline="", encoding="utf-8-sig") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            category = (row.get("category") or "").strip()
            if category not in taxonomy.categories():
                raise NotAPackage(f"{path.name}:{line}:category: unknown category {category!r}")
            mapping[(row.get("term") or "").strip().lower()] = category
    return mapping


def unpack_zip(stream, folder: Path) -> None:
    """The CSV and JSON files of a zipped package, flattened into ``folder`` (any path
    inside the archive is dropped, so nothing is written outside it)."""
    with zipfile.ZipFile(stream) as zf:
        for name in (n for n in zf.namelist() if not n.endswith("/")):
            base = Path(name).name
            if base.endswith((".csv", ".json")) and "/" not in base:
                folder.mkdir(exist_ok=True)
                (folder / base).write_bytes(zf.read(name))
