"""Checks of each row of a package: against the HSDS table schema's fields (``check_row``:
required, UUID, e-mail, number, date, time, enumerations) and against the directory's own
validation, the forms' schemas (``check_values``). Problems go to the package
(``Package.bad``/``skip``/``note``), which the report reads."""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import TYPE_CHECKING

from directory import hours, languages
from directory.hsds.importing import values
from directory.hsds.mapping import BYDAY

if TYPE_CHECKING:
    from directory.hsds.package import Package

UUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
    r"[0-9a-fA-F]{12}$"
)

TIME_RE = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)(:([0-5]\d))?$")

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


PHONE_KEYS = ("number", "kind", "extension", "label")  # what ``values.phone`` gives


def check_values(pkg: Package, table: str, line: int, row: dict) -> None:
    """The directory's own validation (the forms' schemas), and rows with no place here."""
    problems: dict[str, str] = {}
    why: str | None
    if table == "organizations":
        _, problems, dropped = values.organization(row)
        for column, why in dropped.items():
            pkg.note(table, line, column, why, row)
    elif table == "services":
        _url, why = values.website(row.get("url"))
        if why:  # a bad link is dropped and reported; the service still comes in
            pkg.note(table, line, "url", why, row)
        if why := values.shortened_note(row.get("wait_time")):
            pkg.note(table, line, "wait_time", why, row)
        problems = values.service(
            {
                "name": row.get("name"),
                "alternate_name": row.get("alternate_name"),
                "email": row.get("email"),
                "description": row.get("description"),
                "min_age": _int(row.get("minimum_age")),
                "max_age": _int(row.get("maximum_age")),
                "eligibility_notes": row.get("eligibility_description"),
                "cost_notes": row.get("fees_description"),
            }
        )
    elif table == "locations":
        problems = values.location(
            {k: row.get(k) for k in ("name", "alternate_name", "latitude", "longitude")}
            | {"country": "US"}
        )
        where = {k: problems.pop(k) for k in ("latitude", "longitude") if k in problems}
        if where:  # a point off the globe: the place is kept, found by its address
            pkg.no_point.add(row["id"])
            for column, why in where.items():
                pkg.note(table, line, column, f"dropped {row.get(column)!r}: {why}", row)
    elif table == "addresses":
        problems = values.location(
            {
                "address_1": row.get("address_1"),
                "address_2": row.get("address_2"),
                "city": row.get("city"),
                "region": row.get("state_province"),
                "postal_code": row.get("postal_code"),
                "country": row.get("country"),
            }
        )
    elif table == "phones":
        owners = (
            "service_id",
            "organization_id",
            "contact_id",
            "location_id",
            "service_at_location_id",
        )
        if not any(row.get(k) for k in owners):
            pkg.skip(table, line, row, "a phone of no organization, service or location")
            return
        clean, problems = values.phone(row)
        extras = {k for k in problems if k in ("description", "extension")}
        if extras and extras == set(problems):
            # a label or extension the directory cannot hold: the number is kept without it
            for column in sorted(extras):
                pkg.note(table, line, column, f"dropped: {problems[column]}", row)
            clean, problems = values.phone({k: v for k, v in row.items() if k not in extras})
        if problems:  # a bad number is left out and reported; its service still comes in
            why = "; ".join(f"{k}: {v}" for k, v in problems.items())
            pkg.skip(table, line, row, f"phone left out ({why})")
            return
        pkg.phones[line] = tuple(clean.get(k) for k in PHONE_KEYS)
    elif table == "contacts":
        problems = values.contact(row)
    elif table == "cost_options":
        problems = values.cost(row)
    elif table == "taxonomies":
        problems = values.longer_than(row, values.TAXONOMY_LIMITS)
    elif table == "taxonomy_terms":
        problems = values.longer_than(row, values.TERM_LIMITS)
    elif table == "attributes" and row.get("link_type") != "field":
        if why := values.shortened_note(row.get("value")):
            pkg.note(table, line, "value", why, row)
    if table == "schedules":
        problems = values.schedule(row)
        said = [row.get(k) for k in ("opens_at", "closes_at", "description", "notes")]
        if not any(said):
            pkg.skip(
                table, line, row, "left out: a day with neither times nor text (not read as open)"
            )
            return
        if (row.get("opens_at") or row.get("closes_at")) and hours.read_span(
            row.get("opens_at"), row.get("closes_at")
        ) is None:
            pkg.note(
                table,
                line,
                "opens_at",
                f"times kept as the source's text, not read as open: {source_times(row)!r}",
                row,
            )
        if not row.get("notes") and not row.get("opens_at"):  # the text is the hours
            if why := values.shortened_note(row.get("description")):
                pkg.note(table, line, "description", why, row)
    if table in ("schedules", "languages") and not (
        row.get("service_id") or row.get("location_id") or row.get("service_at_location_id")
    ):
        pkg.skip(table, line, row, "only a service's or a location's hours and languages are kept")
    for column, message in problems.items():
        if column not in row and column in ("name", "number"):
            continue  # already said: a required value is empty
        pkg.bad(table, line, column, message, row)


def source_times(row: dict) -> str:
    """A schedule's day and times as the source wrote them ("MO 9:00–4:00")."""
    times = "–".join(filter(None, (row.get("opens_at"), row.get("closes_at"))))
    return " ".join(filter(None, (row.get("byday"), times)))


def _int(value: str | None) -> int | None:
    """A whole number as the checks see it: past any number (``1e999``, ``nan``) is one
    far out of every range, refused by the field's own range, naming it."""
    try:
        number = float(value) if value else None
    except ValueError:
        return None
    if number is None:
        return None
    return int(number) if math.isfinite(number) else 10**9


def checks_of(fields: dict, uuids: frozenset[str] = frozenset()) -> list[tuple]:
    """Each field's checks, read once per table: (name, required, type, format, enum).
    ``uuids``: the columns the rows hold as UUIDs already (``identifiers.own_ids`` made
    them so), whose format is not checked again."""
    out = []
    for name, spec in fields.items():
        constraints = spec.get("constraints", {})
        enum = constraints["enum"] if "enum" in constraints else None
        fmt = None if name in uuids else spec.get("format")
        out.append((name, bool(constraints.get("required")), spec.get("type"), fmt, enum))
    return out


def check_row(pkg: Package, table: str, line: int, row: dict, checks: list[tuple]) -> None:
    for name, required, kind, fmt, enum in checks:
        value = row.get(name) or ""
        if "\x00" in value:
            pkg.bad(table, line, name, "contains a NUL character (\\x00)", row)
            continue
        if not value:
            if table == "services" and name == "status":
                # a 211's export leaves it empty: the service is listed, the report counts it
                pkg.unstated["services.status"] += 1
            elif required:
                pkg.bad(table, line, name, "required value is empty", row)
            continue
        if fmt == "uuid" and not UUID_RE.match(value):
            pkg.bad(table, line, name, f"not a UUID: {value[:40]!r}", row)
        elif fmt == "email" and not EMAIL_RE.match(value):
            pkg.bad(table, line, name, f"not an e-mail address: {value[:40]!r}", row)
        elif kind == "number":
            try:
                float(value)
            except ValueError:
                pkg.bad(table, line, name, f"not a number: {value[:40]!r}", row)
        elif kind == "date":
            try:
                date.fromisoformat(value)
            except ValueError:
                pkg.bad(table, line, name, f"not a date (YYYY-MM-DD): {value[:40]!r}", row)
        elif kind == "datetime":
            try:
                datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                pkg.bad(table, line, name, f"not a date-time: {value[:40]!r}", row)
        elif kind == "time" and table != "schedules" and not TIME_RE.match(value):
            pkg.bad(table, line, name, f"not a time (HH:MM or HH:MM:SS): {value[:40]!r}", row)
        if enum is not None and value not in enum:
            pkg.bad(table, line, name, f"must be one of {', '.join(enum)}", row)
    if table == "languages" and row.get("code") and not languages.canonical(row["code"]):
        pkg.bad(
            table, line, "code", f"unknown language code {row['code']!r} (ISO 639-1 or -3)", row
        )
    if table == "schedules" and row.get("byday"):
        days = row["byday"].split(",")
        if any(d.strip() not in BYDAY for d in days):
            pkg.bad(table, line, "byday", "days must be MO, TU, WE, TH, FR, SA or SU", row)
