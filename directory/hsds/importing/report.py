"""What an import did, for the command line and the upload page: the package's HSDS
version, every rejected row (``table:line:field: problem``, the file's own line number),
values dropped, rows left out, records deactivated, per table the rows read / stored /
merged / rejected / left out, and every source column not kept, with why."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

COUNTS = ("read", "stored", "merged", "rejected", "skipped")


@dataclass
class Report:
    """The structured result of ``load.import_package``; the keys ``organizations``,
    ``services``, ``locations``, ``created`` and ``updated`` read like the dict it was."""

    version: str = ""
    evidence: str = ""
    source: str = ""
    # why the source's name is not the package's own (``Source.name_note``)
    source_note: str = ""
    organizations: int = 0
    services: int = 0
    locations: int = 0
    created: int = 0
    updated: int = 0
    changed: int = 0
    tables: dict[str, Counter] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    not_kept: dict[str, str] = field(default_factory=dict)
    # facts the source leaves empty that the directory lists anyway, counted
    unstated: dict[str, int] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)

    def keys(self) -> tuple[str, ...]:
        return ("organizations", "services", "locations", "created", "updated")

    def summary(self) -> str:
        return (
            f"Imported {self.services} services, {self.organizations} organizations, "
            f"{self.locations} locations ({self.created} created, {self.updated} updated)."
        )

    def table_rows(self) -> list[tuple[str, dict]]:
        return [(t, {k: c.get(k, 0) for k in COUNTS}) for t, c in self.tables.items()]

    def lines(self) -> list[str]:
        """The report as text, one fact a line."""
        out = [
            f"HSDS {self.version} package {self.source!r} (recognised by {self.evidence}).",
            *([self.source_note] if self.source_note else []),
            self.summary(),
        ]
        for title, items in (
            (f"Rejected rows ({len(self.rejected)}):", self.rejected),
            (f"Values dropped ({len(self.dropped)}):", self.dropped),
            (f"Rows left out ({len(self.left_out)}):", self.left_out),
            (f"Deactivated, no longer in this source ({len(self.deactivated)}):", self.deactivated),
        ):
            if items:
                out.append(title)
                out += [f"  {i}" for i in items]
        if n := self.unstated.get("services.status"):
            out.append(f"Services with no status: {n} (not stated: listed as active).")
        no_term = self.unstated.get("services.category.no_term", 0)
        unmapped = self.unstated.get("services.category.unmapped", 0)
        if no_term or unmapped:
            out.append(
                f"Services uncategorized: {no_term + unmapped} ({no_term} filed under no "
                f"taxonomy term; {unmapped} under terms no mapping gives a Section V "
                "category: add them to a mapping file by code, code prefix or name)."
            )
        out.append("Per table: read / stored / merged / rejected / left out")
        for table, c in self.table_rows():
            out.append(f"  {table}: " + " / ".join(str(c[k]) for k in COUNTS))
        if self.not_kept:
            out.append(f"Source fields not kept ({len(self.not_kept)}):")
            out += [f"  {column}: {why}" for column, why in self.not_kept.items()]
        return out

    def as_dict(self) -> dict:
        return {
            "version": self.version,
            "source": self.source,
            "source_note": self.source_note,
            **{k: self[k] for k in self.keys()},
            "changed": self.changed,
            "tables": dict(self.table_rows()),
            "rejected": self.rejected,
            "dropped": self.dropped,
            "left_out": self.left_out,
            "deactivated": self.deactivated,
            "not_kept": self.not_kept,
            "unstated": self.unstated,
        }
