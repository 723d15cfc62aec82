"""The CSV export of a sheet's selection, guarded against formula injection."""

from __future__ import annotations

import io

from app import csvsafe
from directory import visibility
from directory.sheets.sheet import Sheet

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


def safe_cell(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula (``app.csvsafe.guard``)."""
    return csvsafe.guard(value)


def to_csv(sheet: Sheet) -> str:
    out = io.StringIO()
    writer = csvsafe.Writer(out)
    writer.header(CSV_COLUMNS)
    for group in sheet.groups:
        for r in group.rows:
            s = r.service
            cells = {
                "service_id": s.id,
                "organization_id": s.organization_id,
                "group": group.code,
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
            writer.row(cells[c] for c in CSV_COLUMNS)
    return out.getvalue()
