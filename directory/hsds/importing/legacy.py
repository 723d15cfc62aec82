"""HSDS 1.x packages read as HSDS 3.0 rows, so that checking and loading stay one path.

Each 3.0 table is produced from the 1.x tables that hold its content (``physical_addresses``
→ ``addresses`` with ``address_type`` physical, ``regular_schedules`` → ``schedules`` with
``byday``, ``taxonomy`` → ``taxonomies``/``taxonomy_terms``, ``services_taxonomy`` and
``services.taxonomy_ids`` → ``attributes``, ``eligibility`` → the service's eligibility
description, ``accessibility_for_disabilities`` → ``accessibility``...). Every translated
row carries ``_src``, the 1.x table it came from, and its line in that file, so problems name
the file a 211 sent. Columns are matched by name: any 1.x package of that shape reads, not
only Open Referral's sample.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from directory import languages
from directory.hsds.importing import ohana
from directory.hsds.importing.source import Source
from directory.hsds.mapping import BYDAY, NS, PHONE_COLUMNS

Rows = Iterator[tuple[int, dict[str, Any]]]
"""``(line, row)`` of a table as the 3.0 loader reads it (``_src``: the 1.x file)."""

# 1.x table → (3.0 table, {1.x column: 3.0 column}); a column not named is not kept
PLAIN = {
    "organizations": (
        "organizations",
        {
            "id": "id",
            "name": "name",
            "alternate_name": "alternate_name",
            "description": "description",
            "email": "email",
            "url": "website",
        },
    ),
    "locations": (
        "locations",
        {
            "id": "id",
            "organization_id": "organization_id",
            "name": "name",
            "alternate_name": "alternate_name",
            "description": "description",
            "transportation": "transportation",
            "latitude": "latitude",
            "longitude": "longitude",
        },
    ),
    "physical_addresses": (
        "addresses",
        {
            "id": "id",
            "location_id": "location_id",
            "organization_id": "organization_id",
            "address_1": "address_1",
            "address_2": "address_2",
            "city": "city",
            "state_province": "state_province",
            "postal_code": "postal_code",
            "country": "country",
        },
    ),
    "services_at_location": (
        "service_at_location",
        {
            "id": "id",
            "service_id": "service_id",
            "location_id": "location_id",
            "description": "description",
        },
    ),
    "required_documents": (
        "required_documents",
        {"id": "id", "service_id": "service_id", "document": "document"},
    ),
    "contacts": (
        "contacts",
        {"id": "id", "service_id": "service_id", "name": "name", "title": "title"},
    ),
}
PLAIN["postal_addresses"] = ("addresses", PLAIN["physical_addresses"][1])

SERVICE_COLUMNS = {
    "id": "id",
    "organization_id": "organization_id",
    "name": "name",
    "description": "description",
    "status": "status",
    "fees": "fees_description",
    "alternate_name": "alternate_name",
    "url": "url",
    "email": "email",
    "application_process": "application_process",
    "wait_time": "wait_time",
    "interpretation_services": "interpretation_services",
}

# what each 1.x table's kept columns are, for the report (columns used to link rows count)
KEPT = {
    **{table: set(cols) for table, (_, cols) in PLAIN.items()},
    "services": {*SERVICE_COLUMNS, "taxonomy_ids"},
    "phones": PHONE_COLUMNS,
    "regular_schedules": {
        "id",
        "service_id",
        "service_at_location_id",
        "location_id",
        "weekday",
        "opens_at",
        "closes_at",
    },
    "languages": {"id", "service_id", "location_id", "language"},
    "eligibility": {"id", "service_id", "eligibility"},
    "accessibility_for_disabilities": {"id", "location_id", "accessibility", "details"},
    "taxonomy": {"id", "name", "parent_id", "parent_name", "vocabulary"},
    "services_taxonomy": {"id", "service_id", "taxonomy_id", "taxonomy_detail"},
}

WHY = {
    "holiday_schedules": "holiday closures have no place in this directory",
    "metadata": "the directory keeps its own change history (audit log)",
    "meta_table_descriptions": "describes the package, not a record",
}

# which 3.0 table each 1.x table feeds (tables not named are not kept at all)
FEEDS = {
    **{table: target for table, (target, _) in PLAIN.items()},
    "services": "services",
    "phones": "phones",
    "regular_schedules": "schedules",
    "languages": "languages",
    "location_languages": "languages",
    "eligibility": "services",
    "accessibility_for_disabilities": "accessibility",
    "taxonomy": "taxonomy_terms",
    "services_taxonomy": "attributes",
    "postal_addresses": "addresses",
}

LEGACY_TAXONOMY_ID = str(uuid.uuid5(NS, "taxonomy/hsds-1.x"))

DAYS = {
    name: code
    for code, name in zip(
        BYDAY,
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        strict=True,
    )
}


def _read(src: Source, table: str) -> Rows:
    if not src.has(table):
        return
    records = ohana.records(src, table) if src.version == "1.0" else src.records(table)
    for line, raw in records:
        yield (
            line,
            {k: v.strip() for k, v in raw.items() if isinstance(k, str) and isinstance(v, str)},
        )


def _plain(src: Source, table: str) -> Rows:
    _, columns = PLAIN[table]
    for line, raw in _read(src, table):
        row = {new: raw[old] for old, new in columns.items() if raw.get(old)}
        yield line, {**row, "_src": table}


def _services(src: Source) -> Rows:
    eligibility: defaultdict[str, list[str]] = defaultdict(list)
    for _, r in _read(src, "eligibility"):
        if r.get("service_id") and r.get("eligibility"):
            eligibility[r["service_id"]].append(r["eligibility"])
    for line, raw in _read(src, "services"):
        row = {new: raw[old] for old, new in SERVICE_COLUMNS.items() if raw.get(old)}
        if row.get("status") == "temporarily closed":
            row["status"] = "inactive"
        if raw.get("id") in eligibility:
            row["eligibility_description"] = "; ".join(eligibility[raw["id"]])
        yield line, {**row, "_src": "services"}


def _sal_services(src: Source) -> dict[str, str]:
    return {r["id"]: r["service_id"] for _, r in _read(src, "services_at_location") if r.get("id")}


def _phones(src: Source) -> Rows:
    sal = _sal_services(src)
    for line, raw in _read(src, "phones"):
        row = {k: raw[k] for k in KEPT["phones"] if raw.get(k) and k != "service_at_location_id"}
        if not row.get("service_id") and raw.get("service_at_location_id") in sal:
            row["service_id"] = sal[raw["service_at_location_id"]]
        if any(row.get(k) for k in ("service_id", "organization_id", "contact_id")):
            row.pop("location_id", None)  # a phone has one owner: the most specific one
        yield line, {**row, "_src": "phones"}


def _schedules(src: Source) -> Rows:
    sal = _sal_services(src)
    for line, raw in _read(src, "regular_schedules"):
        row = {"id": raw.get("id", ""), "freq": "WEEKLY", "_src": "regular_schedules"}
        service = raw.get("service_id") or sal.get(raw.get("service_at_location_id", ""))
        if raw.get("service_at_location_id") in sal:
            row["service_at_location_id"] = raw["service_at_location_id"]  # hours at that place
        if service:
            row["service_id"] = service
        elif raw.get("location_id"):
            row["location_id"] = raw["location_id"]
        day = raw.get("weekday", "").strip().lower()
        if day.isdigit() and 1 <= int(day) <= 7:  # ISO 8601: 1 is Monday
            row["byday"] = BYDAY[int(day) - 1]
        elif day[:3] in {d[:3] for d in DAYS}:
            row["byday"] = next(code for name, code in DAYS.items() if name[:3] == day[:3])
        elif day:
            row["byday"] = raw["weekday"]  # refused by the check, naming the value
        for key in ("opens_at", "closes_at"):
            if raw.get(key):
                row[key] = raw[key].removesuffix("Z")
        yield line, row


def _languages(src: Source) -> Rows:
    for table in ("languages", "location_languages"):
        yield from _languages_of(src, table)


def _languages_of(src: Source, table: str) -> Rows:
    for line, raw in _read(src, table):
        value = raw.get("language", "")
        row = {"id": raw.get("id", ""), "_src": table}
        for key in ("service_id", "location_id"):
            if raw.get(key):
                row[key] = raw[key]
        if value:
            # a code or a name: the name is kept when it is not a plain code, so the
            # loader keeps a qualifier ("Spanish (limited)") or an unknown name as a note
            code, _note = languages.from_source(value)
            if code and languages.canonical(value) == code:
                row["code"] = code
            else:
                row["name"] = value
        yield line, row


def _accessibility(src: Source) -> Rows:
    for line, raw in _read(src, "accessibility_for_disabilities"):
        text = ": ".join(v for v in (raw.get("accessibility"), raw.get("details")) if v)
        row = {
            "id": raw.get("id", ""),
            "location_id": raw.get("location_id", ""),
            "_src": "accessibility_for_disabilities",
        }
        if text:
            row["description"] = text.replace("_", " ")
        yield line, {k: v for k, v in row.items() if v}


def _taxonomies(src: Source) -> Rows:
    if src.has("taxonomy"):
        yield (
            1,
            {
                "id": LEGACY_TAXONOMY_ID,
                "name": "HSDS 1.x taxonomy",
                "description": "Terms of the package's taxonomy.csv",
                "_src": "taxonomy",
            },
        )


def _terms(src: Source) -> Rows:
    given: set[str] = set()
    parents: dict[str, tuple[int, dict[str, str]]] = {}
    for line, raw in _read(src, "taxonomy"):
        row = {
            "id": raw.get("id", ""),
            "name": raw.get("name", ""),
            "code": raw.get("id", ""),
            "description": raw.get("name", ""),
            "parent_id": raw.get("parent_id", ""),
            "taxonomy": raw.get("vocabulary", ""),
            "taxonomy_id": LEGACY_TAXONOMY_ID,
            "_src": "taxonomy",
        }
        given.add(row["id"])
        if raw.get("parent_id") and raw.get("parent_name"):
            parents.setdefault(raw["parent_id"], (line, raw))
        yield line, {k: v for k, v in row.items() if v}
    # a parent named but not listed (parent_name): kept as a term of its own
    for parent_id, (line, raw) in parents.items():
        if parent_id not in given:
            row = {
                "id": parent_id,
                "name": raw["parent_name"],
                "code": parent_id,
                "description": raw["parent_name"],
                "taxonomy": raw.get("vocabulary", ""),
                "taxonomy_id": LEGACY_TAXONOMY_ID,
                "_src": "taxonomy",
            }
            yield line, {k: v for k, v in row.items() if v}


def _attributes(src: Source) -> Rows:
    for line, raw in _read(src, "services_taxonomy"):
        yield (
            line,
            {
                "id": raw.get("id", ""),
                "link_id": raw.get("service_id", ""),
                "taxonomy_term_id": raw.get("taxonomy_id", ""),
                "link_type": "taxonomy",
                "link_entity": "service",
                "value": raw.get("taxonomy_detail", ""),
                "_src": "services_taxonomy",
            },
        )
    for line, raw in _read(src, "services"):
        for term in filter(None, (t.strip() for t in raw.get("taxonomy_ids", "").split(","))):
            yield (
                line,
                {
                    "id": str(uuid.uuid5(NS, f"{raw.get('id')}/taxonomy/{term}")),
                    "link_id": raw.get("id", ""),
                    "taxonomy_term_id": term,
                    "link_type": "taxonomy",
                    "link_entity": "service",
                    "_src": "services",
                },
            )


def _addresses(src: Source) -> Rows:
    for table, kind in (("physical_addresses", "physical"), ("postal_addresses", "postal")):
        if src.has(table):
            for line, row in _plain(src, table):
                yield line, {**row, "address_type": kind}


TRANSLATE: dict[str, Callable[[Source], Rows]] = {
    "organizations": lambda src: _plain(src, "organizations"),
    "services": _services,
    "locations": lambda src: (
        (line, {**row, "location_type": "physical"}) for line, row in _plain(src, "locations")
    ),
    "addresses": lambda src: _addresses(src),
    "service_at_location": lambda src: _plain(src, "services_at_location"),
    "required_documents": lambda src: _plain(src, "required_documents"),
    "contacts": lambda src: _plain(src, "contacts"),
    "phones": _phones,
    "schedules": _schedules,
    "languages": _languages,
    "accessibility": _accessibility,
    "taxonomies": _taxonomies,
    "taxonomy_terms": _terms,
    "attributes": _attributes,
}


def present(src: Source) -> set[str]:
    """The 3.0 tables a 1.x package yields rows for."""
    fed = {FEEDS[t] for t in (*src.files, *src.virtual) if t in FEEDS}
    if "taxonomy" in src.files:
        fed.add("taxonomies")
    if "services" in src.files:
        fed.add("attributes")
    return fed


def rows(src: Source, table: str) -> Rows:
    """``(line, row)``: the 3.0 ``table``'s rows, translated from the 1.x tables."""
    translate = TRANSLATE.get(table)
    if translate is not None:
        yield from translate(src)


def not_kept(src: Source) -> dict[str, str]:
    """Every 1.x column this directory does not keep → why."""
    out = {}
    for table in sorted(src.files):
        header = src.header(table)
        if table not in KEPT:
            out[f"{table}.*"] = WHY.get(table, "no place in this directory")
            continue
        used = ohana.USED.get(table, set()) if src.version == "1.0" else set()
        for column in header:
            if column and column not in KEPT[table] and column not in used:
                out[f"{table}.{column}"] = WHY.get(
                    f"{table}.{column}", "no place in this directory"
                )
    return out
