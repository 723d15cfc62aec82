"""Rewrite an HSDS 3.0 package (this product's export) as an HSDS 1.x package, streaming
one row at a time, for ``hsds_import.py --shape 1.x``: the tables a 211 on HSDS 1.x
sends (``physical_addresses``, ``postal_addresses``, ``regular_schedules`` with weekday
numbers, ``services_at_location``, ``taxonomy`` and ``services_taxonomy``, languages by
name). This product's own field attributes have no 1.x table and are left behind; its
Section V terms become the 1.x taxonomy, so services come in uncategorized (no mapping)."""

from __future__ import annotations

import csv
import uuid
from pathlib import Path

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _rows(folder: Path, table: str):
    path = folder / f"{table}.csv"
    if path.exists():
        with path.open(newline="", encoding="utf-8") as fh:
            yield from csv.DictReader(fh)


def _write(folder: Path, table: str, columns: list[str], rows) -> None:
    with (folder / f"{table}.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)


def _renamed(rows, names: dict[str, str]):
    for row in rows:
        yield {new: row.get(old, "") for new, old in names.items()}


def convert(src: Path, dst: Path) -> None:
    dst.mkdir(parents=True, exist_ok=True)
    org = {
        "id": "id",
        "name": "name",
        "alternate_name": "alternate_name",
        "description": "description",
        "email": "email",
        "url": "website",
    }
    _write(dst, "organizations", list(org), _renamed(_rows(src, "organizations"), org))
    svc = {
        k: k
        for k in (
            "id",
            "organization_id",
            "name",
            "alternate_name",
            "description",
            "url",
            "email",
            "status",
            "application_process",
            "wait_time",
        )
    }
    svc["fees"] = "fees_description"
    _write(dst, "services", list(svc), _renamed(_rows(src, "services"), svc))
    loc = {
        k: k
        for k in (
            "id",
            "organization_id",
            "name",
            "description",
            "transportation",
            "latitude",
            "longitude",
        )
    }
    _write(dst, "locations", list(loc), _renamed(_rows(src, "locations"), loc))
    sal = {k: k for k in ("id", "service_id", "location_id", "description")}
    _write(dst, "services_at_location", list(sal), _renamed(_rows(src, "service_at_location"), sal))
    addr = [
        "id",
        "location_id",
        "address_1",
        "address_2",
        "city",
        "state_province",
        "postal_code",
        "country",
    ]
    for kind in ("physical", "postal"):
        rows = (r for r in _rows(src, "addresses") if r["address_type"] == kind)
        _write(dst, f"{kind}_addresses", addr, rows)
    phone = [
        "id",
        "location_id",
        "service_id",
        "organization_id",
        "contact_id",
        "service_at_location_id",
        "number",
        "extension",
        "type",
        "description",
    ]
    _write(dst, "phones", phone, _rows(src, "phones"))

    def schedules():
        for r in _rows(src, "schedules"):
            for day in filter(None, r["byday"].split(",")):
                # one 1.x row per weekday, each with an id of its own
                day_id = str(uuid.uuid5(uuid.UUID(r["id"]), day))
                yield {**r, "id": day_id, "weekday": DAYS.index(day) + 1}

    _write(
        dst,
        "regular_schedules",
        [
            "id",
            "service_id",
            "location_id",
            "service_at_location_id",
            "weekday",
            "opens_at",
            "closes_at",
        ],
        schedules(),
    )
    languages = (
        {
            "id": r["id"],
            "service_id": r["service_id"],
            "location_id": r["location_id"],
            "language": r["name"] or r["code"],
        }
        for r in _rows(src, "languages")
    )
    _write(dst, "languages", ["id", "service_id", "location_id", "language"], languages)
    docs = {k: k for k in ("id", "service_id", "document")}
    _write(dst, "required_documents", list(docs), _renamed(_rows(src, "required_documents"), docs))
    contact = {k: k for k in ("id", "service_id", "name", "title")}
    _write(dst, "contacts", list(contact), _renamed(_rows(src, "contacts"), contact))
    access = {"id": "id", "location_id": "location_id", "accessibility": "description"}
    _write(
        dst,
        "accessibility_for_disabilities",
        list(access),
        _renamed(_rows(src, "accessibility"), access),
    )
    term = {"id": "id", "name": "name", "parent_id": "parent_id", "vocabulary": "taxonomy"}
    _write(dst, "taxonomy", list(term), _renamed(_rows(src, "taxonomy_terms"), term))
    links = (
        {"id": r["id"], "service_id": r["link_id"], "taxonomy_id": r["taxonomy_term_id"]}
        for r in _rows(src, "attributes")
        if r["link_entity"] == "service" and r["link_type"] != "field"
    )
    _write(dst, "services_taxonomy", ["id", "service_id", "taxonomy_id"], links)
