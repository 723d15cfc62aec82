"""Importing a checked HSDS package: all or nothing, in bulk, a chunk of rows at a time.
Records with a known HSDS id are updated in place, never duplicated."""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session, selectinload

from app.audit import record
from app.models import utcnow
from directory import hours, languages, taxonomy
from directory.catalog import records
from directory.hsds.mapping import BYDAY
from directory.hsds.package import ImportRejected, Package, read_package
from directory.hsds.schemas import LOCATION_FIELDS, ORG_FIELDS, SERVICE_FIELDS
from directory.models import Location, Organization, Phone, Service, ServiceHours
from directory.search import index

CHUNK = 5000  # rows per bulk statement on import


def _parse(kind: str, value: str):
    if kind == "bool":
        return value.lower() == "true"
    if kind == "date":
        return date.fromisoformat(value)
    return value


def import_package(
    session: Session, folder: Path, *, mapping: dict | None = None, progress=None
) -> dict[str, int]:
    """Validate everything, then import in one transaction (all or nothing). Existing
    records with the same HSDS id are updated, not duplicated."""
    pkg = read_package(folder, progress)
    mapping = {k.lower(): v for k, v in (mapping or {}).items()}
    links = Links.read(pkg, mapping)
    for line, row in pkg.rows("services"):
        if row.get("id") not in links.category:
            pkg.bad(
                "services",
                line,
                "id",
                "no Section V category: add an attribute with a "
                "taxonomy term of the product's taxonomy, or give a mapping file "
                "(--mapping, see docs/hsds.md)",
            )
    if pkg.problems:
        raise ImportRejected(pkg.problems)
    return _write(session, pkg, links)


@dataclass
class Links:
    """What the attributes say of each record: its Section V category and the values of
    this product's own fields (by field code), kept compact."""

    category: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))

    @classmethod
    def read(cls, pkg: Package, mapping: dict) -> Links:
        terms = {
            row["id"]: (row.get("code"), row.get("name")) for _, row in pkg.rows("taxonomy_terms")
        }
        links = cls()
        categories = taxonomy.categories()
        for _, a in pkg.rows("attributes"):
            link = a.get("link_id")
            code, name = terms.get(a.get("taxonomy_term_id"), (None, None))
            if a.get("link_type") == "field":
                if code:
                    # repeated values ("true", "in_person") are kept once
                    links.values[link][code] = sys.intern(a.get("value") or "")
            if link in links.category:
                continue
            for key in (a.get("value"), code):
                if key in categories and a.get("link_type") != "field":
                    links.category[link] = key
                    break
            else:
                for key in (a.get("taxonomy_term_id"), code, name):
                    if key and key.lower() in mapping:
                        links.category[link] = mapping[key.lower()]
                        break
        return links

    def fields(self, record_id: str, spec: dict) -> dict:
        """The record's values of ``spec``'s fields, defaults where none is given."""
        given = self.values.get(record_id, {})
        return {
            name: _parse(kind, given[name]) if name in given else default
            for name, (kind, default) in spec.items()
        }


def _chunks(rows, size: int = CHUNK):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _write(session: Session, pkg: Package, links: Links) -> dict[str, int]:
    """Write in bulk, a chunk of rows at a time, streaming each table from its file."""
    now = utcnow()
    counts = {"created": 0, "updated": 0}

    def upsert(model, rows) -> tuple[dict[str, int], int]:
        """Insert new and update known records (by HSDS id); → hsds id → id, count."""
        existing = dict(session.execute(select(model.hsds_id, model.id)).all())
        total = 0
        for batch in _chunks(rows):
            new = [r for r in batch if r["hsds_id"] not in existing]
            old = [r for r in batch if r["hsds_id"] in existing]
            if new:
                session.execute(insert(model), new)
            if old:
                table = model.__table__
                columns = [c for c in old[0] if c not in ("hsds_id", "version", "created_at")]
                statement = (
                    update(table)
                    .where(table.c.id == bindparam("b_id"))
                    .values(
                        {
                            **{c: bindparam(f"b_{c}") for c in columns},
                            "version": table.c.version + 1,
                        }
                    )
                )
                session.execute(
                    statement,
                    [
                        {"b_id": existing[r["hsds_id"]], **{f"b_{c}": r[c] for c in columns}}
                        for r in old
                    ],
                )
            counts["created"] += len(new)
            counts["updated"] += len(old)
            total += len(batch)
        return dict(session.execute(select(model.hsds_id, model.id)).all()), total

    def organizations():
        for _, row in pkg.rows("organizations"):
            yield {
                "hsds_id": row["id"],
                "name": row["name"],
                "alternate_name": row.get("alternate_name") or None,
                "description": row.get("description") or None,
                "email": row.get("email") or None,
                "website": row.get("website") or None,
                "version": 1,
                "created_at": now,
                "updated_at": now,
                **links.fields(row["id"], ORG_FIELDS),
            }

    org_ids, org_count = upsert(Organization, organizations())
    org_imported = [org_ids[row["id"]] for _, row in pkg.rows("organizations")]

    address_columns = ("address_1", "address_2", "city", "state_province", "postal_code", "country")
    addresses = {
        row["location_id"]: tuple(row.get(c) for c in address_columns)
        for _, row in pkg.rows("addresses")
    }

    def locations():
        for _, row in pkg.rows("locations"):
            organization_id = org_ids.get(row.get("organization_id"))
            if organization_id is None:
                continue
            a = dict(zip(address_columns, addresses.get(row["id"], ()), strict=False))
            extra = links.fields(row["id"], LOCATION_FIELDS)
            lat = float(row["latitude"]) if row.get("latitude") else None
            lon = float(row["longitude"]) if row.get("longitude") else None
            loc = Location(
                address_1=a.get("address_1"),
                city=a.get("city"),
                region=a.get("state_province"),
                postal_code=a.get("postal_code"),
                country=a.get("country") or "US",
                latitude=lat,
                longitude=lon,
                **extra,
            )
            records.place_location(loc)
            yield {
                "hsds_id": row["id"],
                "organization_id": organization_id,
                "name": row.get("name") or None,
                "address_1": loc.address_1,
                "address_2": a.get("address_2") or None,
                "city": loc.city,
                "region": loc.region,
                "postal_code": loc.postal_code,
                "country": loc.country[:2],
                "latitude": lat,
                "longitude": lon,
                **{name: getattr(loc, name) for name in LOCATION_FIELDS},
                "search_lat": loc.search_lat,
                "search_lon": loc.search_lon,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }

    loc_ids, loc_count = upsert(Location, locations())

    sal = {row["service_id"]: row["location_id"] for _, row in pkg.rows("service_at_location")}
    costs = {
        row["service_id"]: (row.get("option"), row.get("amount_description"))
        for _, row in pkg.rows("cost_options")
    }
    docs = {row["service_id"]: row["document"] for _, row in pkg.rows("required_documents")}
    access = {row["location_id"]: row.get("description") for _, row in pkg.rows("accessibility")}
    contacts = {
        row["service_id"]: (row["id"], row.get("name"))
        for _, row in pkg.rows("contacts")
        if row.get("service_id")
    }
    contact_phones = {
        row["contact_id"]: row["number"] for _, row in pkg.rows("phones") if row.get("contact_id")
    }
    langs = defaultdict(list)
    for _, row in pkg.rows("languages"):
        if row.get("service_id") and row.get("code"):
            langs[row["service_id"]].append(languages.canonical(row["code"]))
    schedule_notes = {}
    for _, row in pkg.rows("schedules"):
        if row.get("service_id") and row.get("notes"):
            schedule_notes.setdefault(row["service_id"], row["notes"])

    def services():
        for _, row in pkg.rows("services"):
            sid = row["id"]
            extra = links.fields(sid, SERVICE_FIELDS)
            contact_id, contact_name = contacts.get(sid, (None, None))
            option, amount = costs.get(sid, (None, None))
            loc_hsds = sal.get(sid)
            yield {
                "hsds_id": sid,
                "organization_id": org_ids[row["organization_id"]],
                "location_id": loc_ids.get(loc_hsds) if loc_hsds else None,
                "name": row["name"],
                "category": links.category[sid],
                "description": row.get("description") or None,
                "status": "inactive"
                if row.get("status") in ("inactive", "defunct", "temporarily closed")
                else "active",
                "languages": " ".join(dict.fromkeys(langs.get(sid, []))),
                "min_age": int(float(row["minimum_age"])) if row.get("minimum_age") else None,
                "max_age": int(float(row["maximum_age"])) if row.get("maximum_age") else None,
                "eligibility_notes": row.get("eligibility_description") or None,
                "cost_notes": row.get("fees_description") or amount or None,
                "required_documents": docs.get(sid),
                "handoff_name": contact_name or None,
                "handoff_phone": contact_phones.get(contact_id) if contact_id else None,
                "last_verified": date.fromisoformat(row["assured_date"])
                if row.get("assured_date")
                else None,
                "version": 1,
                "created_at": now,
                "updated_at": datetime.fromisoformat(row["last_modified"].replace("Z", "+00:00"))
                .astimezone(UTC)
                .replace(tzinfo=None)
                if row.get("last_modified")
                else now,
                **extra,
                "accessibility": extra["accessibility"] or access.get(loc_hsds),
                "hours_notes": extra["hours_notes"] or schedule_notes.get(sid),
                "cost": option
                if option in ("free", "sliding_scale", "fee", "insurance")
                else extra["cost"],
            }

    svc_ids, svc_count = upsert(Service, services())
    imported = [svc_ids[row["id"]] for _, row in pkg.rows("services")]

    # children are replaced wholesale for imported records
    session.execute(delete(Phone).where(Phone.service_id.in_(imported)))
    session.execute(delete(Phone).where(Phone.organization_id.in_(org_imported)))
    session.execute(delete(ServiceHours).where(ServiceHours.service_id.in_(imported)))

    def phones():
        for _, row in pkg.rows("phones"):
            if row.get("contact_id"):
                continue
            owner = {
                "service_id": svc_ids.get(row.get("service_id")),
                "organization_id": org_ids.get(row.get("organization_id")),
            }
            if any(owner.values()):
                yield {
                    **owner,
                    "number": row["number"],
                    "kind": row.get("type") or "voice",
                    "extension": row.get("extension") or None,
                    "label": row.get("description") or None,
                }

    def opening_hours():
        for _, r in pkg.rows("schedules"):
            service_id = svc_ids.get(r.get("service_id"))
            if service_id is None or r.get("description") == "Open 24 hours, 7 days":
                continue
            opens = hours.parse_time(r["opens_at"][:5]) if r.get("opens_at") else 0
            closes = hours.parse_time(r["closes_at"][:5]) if r.get("closes_at") else 1440
            for day in (r.get("byday") or ",".join(BYDAY)).split(","):
                yield {
                    "service_id": service_id,
                    "weekday": BYDAY.index(day.strip()),
                    "opens": opens,
                    "closes": closes,
                }

    for model, rows in ((Phone, phones()), (ServiceHours, opening_hours())):
        for batch in _chunks(rows):
            session.execute(insert(model), batch)
    session.flush()
    _reindex(session, imported)
    record(
        session,
        "import",
        "hsds",
        detail=f"{svc_count} services, {org_count} "
        f"organizations ({counts['created']} created, {counts['updated']} updated)",
    )
    return {
        "organizations": org_count,
        "services": svc_count,
        "locations": loc_count,
        **counts,
    }


def _reindex(session: Session, service_ids: list[int]) -> None:
    for start in range(0, len(service_ids), 2000):
        batch = session.scalars(
            select(Service)
            .where(Service.id.in_(service_ids[start : start + 2000]))
            .options(selectinload(Service.organization), selectinload(Service.location))
        ).all()
        index.refresh_index(session, batch)
