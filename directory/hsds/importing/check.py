"""Checking an HSDS package: every row against the HSDS field definitions (types,
formats, required values, enumerations, unique and foreign keys) and the directory's own
validation (``values``), streamed one row at a time (``read_package``); and reading a
coordinator's mapping file of source terms to Section V categories."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from directory import taxonomy
from directory.hsds.importing import legacy, row_checks
from directory.hsds.importing.identifiers import NAMED, UUIDS
from directory.hsds.importing.package import (
    KEEP_IDS,
    NEEDED,
    READ_ORDER,
    REFERENCES,
    Ids,
    Package,
)
from directory.hsds.importing.source import NotAPackage, Source, detect_encoding, open_source
from directory.hsds.mapping import RESOURCE, table_fields

PROGRESS_EVERY = 1000
"""Rows checked between two reports to ``progress`` (a progress bar's update a row was 1 %
of a large import)."""


def self_linked(pkg: Package, row: dict) -> bool:
    """Whether an attribute links a record the package holds (its services, organizations
    or locations; a link to anything else has no record to go to)."""
    link = row.get("link_id")
    return bool(link) and any(link in pkg.ids.get(t, ()) for t in KEEP_IDS)


def ensure_package(folder: Path, label: str | None = None) -> Source:
    """Raise ``NotAPackage`` unless ``folder`` holds an HSDS package's core tables."""
    return open_source(folder, label)


def read_package(
    folder: Path | Source,
    progress: Callable[[int], object] | None = None,
    visit: Callable[[Package, str, int, dict], object] | None = None,
) -> Package:
    """Check every row against the HSDS field definitions (types, formats, required
    values, enumerations, unique and foreign keys) and the directory's own validation
    (``values``), one row at a time; ``visit(pkg, table, line, row)`` sees every row as it
    is read, before its checks (what the import takes of a table in the same pass)."""
    src = folder if isinstance(folder, Source) else open_source(folder)
    pkg = Package(src)
    present = legacy.present(src) if pkg.legacy else set(src.files)
    for name in READ_ORDER:
        if name not in present:
            continue
        fields = {f["name"]: f for f in table_fields(RESOURCE[name])}
        if not pkg.legacy:
            header = src.header(name)
            required = [f for f, d in fields.items() if d.get("constraints", {}).get("required")]
            missing = [f for f in required if f not in header]
            for column in missing:
                pkg.bad(name, 1, column, "required column is missing")
            if missing:
                continue
        pkg.present.add(name)
        seen = pkg.ids[name] = Ids()
        refs = {c: t for c, t in REFERENCES.get(name, {}).items() if t in pkg.present}
        checks = row_checks.checks_of(fields, UUIDS)
        unreported = 0  # rows checked and not yet reported to ``progress``
        for line, row in pkg.rows(name):
            if visit:
                visit(pkg, name, line, row)
            if name in NAMED and not (row.get("id") or row.get("name")):
                pkg.skip(name, line, row, "left out: an empty row (no id, no name)")
                continue
            if name == "attributes" and not self_linked(pkg, row):
                pkg.skip(
                    name,
                    line,
                    row,
                    "left out: link_id: no record of the package with "
                    f"id {pkg.given(row, 'link_id')!r}",
                )
                continue
            if name == "phones" and not row.get("number"):
                pkg.skip(name, line, row, "left out: a phone row without a number")
                continue
            if name == "addresses" and not row.get("location_id") and row.get("organization_id"):
                pkg.skip(
                    name,
                    line,
                    row,
                    "left out: an organization's own address (this "
                    "directory keeps the addresses of places only)",
                )
                continue
            if empty := [c for c in NEEDED.get(name, ()) if not row.get(c)]:
                pkg.skip(name, line, row, f"left out: {empty[0]} is empty (it links nothing)")
                continue
            row_checks.check_row(pkg, name, line, row, checks)
            if row.get("id"):
                if row["id"] in seen:
                    pkg.bad(name, line, "id", "duplicate id", row)
                seen.add(row["id"])
            dangling = [
                (column, target)
                for column, target in refs.items()
                if row.get(column) and row[column] not in pkg.ids[target]
            ]
            if dangling:
                pkg.dangling(name, line, row, dangling)
            row_checks.check_values(pkg, name, line, row)
            unreported += 1
            if progress and unreported == PROGRESS_EVERY:
                progress(unreported)
                unreported = 0
        if progress and unreported:
            progress(unreported)
        # ids no table still to be read refers to are freed (duplicates were checked)
        later = READ_ORDER[READ_ORDER.index(name) + 1 :]
        needed = {t for n in later for t in REFERENCES.get(n, {}).values()} | KEEP_IDS
        for table in [t for t in pkg.ids if t not in needed]:
            del pkg.ids[table]
    return pkg


def read_mapping(path: Path | None) -> dict[str, str]:
    """A mapping file: CSV with columns ``term`` (taxonomy term id, code or name) and
    ``category`` (a Section V code)."""
    if path is None:
        return {}
    mapping = {}
    with path.open(newline="", encoding=detect_encoding(path)) as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            category = (row.get("category") or "").strip()
            if category not in taxonomy.categories():
                raise NotAPackage(f"{path.name}:{line}:category: unknown category {category!r}")
            mapping[(row.get("term") or "").strip().lower()] = category
    return mapping
