"""The CSV export of a sheet's selection, guarded against formula injection."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime
from typing import TextIO

from app import csvsafe
from app.extensions import DbSession
from directory import taxonomy, visibility
from directory.search import query
from directory.search.filters import Filters
from directory.sheets import sheet as sheets
from directory.sheets.sheet import Row, Sheet

BATCH = 2000  # services read a page at a time by ``write_all``

CSV_COLUMNS = [
    "service_id",
    "organization_id",
    "location_id",
    "group",
    "category",
    "type",
    "name",
    "organization",
    "phones",
    "address",
    "city",
    "region",
    "postal_code",
    *visibility.CSV_PLACE_COLUMNS[-1:],
    "hours",
    "length_of_stay",
    "languages",
    "website",
    "last_verified",
]

FORMULA_START = csvsafe.FORMULA_START


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula (``app.csvsafe.guard``)."""
    return csvsafe.guard(value)


def _cells(group: str, r: Row) -> list:
    s = r.service
    cells = {
        "service_id": s.id,
        "organization_id": s.organization_id,
        "group": group,
        "category": s.category,
        "type": r.category_label,
        "name": s.name,
        "organization": s.organization.name,
        "phones": "; ".join(r.phones),
        "address": r.address or "",
        **visibility.csv_place(s.location),
        "hours": r.hours,
        "length_of_stay": r.length_of_stay or "",
        "languages": r.languages,
        "website": r.website or "",
        "last_verified": r.verified.isoformat() if r.verified else "",
    }
    return [cells[c] for c in CSV_COLUMNS]


def to_csv(sheet: Sheet) -> str:
    """A sheet's rows (grouped as printed) as CSV text."""
    out = io.StringIO()
    writer = csvsafe.Writer(out)
    writer.header(CSV_COLUMNS)
    for group in sheet.groups:
        for r in group.rows:
            writer.row(_cells(group.code, r))
    return out.getvalue()


def write_all(
    out: TextIO,
    session: DbSession,
    filters: Filters,
    *,
    lang: str,
    now_utc: datetime,
    progress: Callable[[float], None] = lambda _done: None,
) -> int:
    """Every service the filters select, as CSV, however many (a job's file: no cap),
    read ``BATCH`` at a time in the search's order so memory stays flat; the number of
    rows written."""
    lab = sheets.labels(lang)
    group_of = {c.code: g.code for g in taxonomy.groups() for c in g.categories}
    writer = csvsafe.Writer(out)
    writer.header(CSV_COLUMNS)
    written, number = 0, 1
    while True:
        page = query.search(
            session, filters, page=number, per_page=BATCH, now_utc=now_utc, explain=False
        )
        for hit in page.items:
            s = hit.service
            writer.row(
                _cells(group_of.get(s.category, sheets.UNCATEGORIZED[0]), sheets.row(s, lab))
            )
        written += len(page.items)
        progress(written / max(1, page.total))
        session.expunge_all()  # the page's records: not kept while the next is read
        if not page.items or written >= page.total:
            return written
        number += 1
