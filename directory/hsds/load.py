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


@dataclass
class Run:
    """One import under way: the package, what its attributes say, the moment it is stamped
    with, and how many records it created and updated."""

    session: Session
    pkg: Package
    links: Links
    now: datetime = field(default_factory=utcnow)
    created: int = 0
    updated: int = 0

    def upsert(self, model, rows) -> tuple[dict[str, int], int]:
        """Insert new and update known records (by HSDS id); → hsds id → id, rows read."""
        session = self.session
        existing = dict(session.execute(select(model.hsds_id, model.id)).all())
        total = 0
        for batch in _chunks(rows):
            new = [r for r in batch if r["hsds_id"] not in existing]
            old = [r for r in batch if r["hsds_id"] in existing]
            if new:
                session.execute(insert(model), new)
            if old:
                _update_known(session, model, old, existing)
            self.created += len(new)
            self.updated += len(old)
            total += len(batch)
        return dict(session.execute(select(model.hsds_id, model.id)).all()), total

    def stamps(self) -> dict:
        return {"version": 1, "created_at": self.now, "updated_at": self.now}


def _update_known(session: Session, model, rows: list[dict], existing: dict) -> None:
    """Update records the directory holds already, in one statement per chunk."""
    table = model.__table__
    columns = [c for c in rows[0] if c not in ("hsds_id", "version", "created_at")]
    statement = (
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values({**{c: bindparam(f"b_{c}") for c in columns}, "version": table.c.version + 1})
    )
    session.execute(
        statement,
        [{"b_id": existing[r["hsds_id"]], **{f"b_{c}": r[c] for c in columns}} for r in rows],
    )


def _organizations(run: Run) -> tuple[dict[str, int], int]:
    def rows():
        for _, row in run.pkg.rows("organizations"):
            yield {
                "hsds_id": row["id"],
                "name": row["name"],
                "alternate_name": row.get("alternate_name") or None,
                "description": row.get("description") or None,
                "email": row.get("email") or None,
                "website": row.get("website") or None,
                **run.stamps(),
                **run.links.fields(row["id"], ORG_FIELDS),
            }

    return run.upsert(Organization, rows())


ADDRESS_COLUMNS = ("address_1", "address_2", "city", "state_province", "postal_code", "country")


def _locations(run: Run, org_ids: dict[str, int]) -> tuple[dict[str, int], int]:
    addresses = {
        row["location_id"]: tuple(row.get(c) for c in ADDRESS_COLUMNS)
        for _, row in run.pkg.rows("addresses")
    }

    def rows():
        for _, row in run.pkg.rows("locations"):
            organization_id = org_ids.get(row.get("organization_id"))
            if organization_id is None:
                continue
            a = dict(zip(ADDRESS_COLUMNS, addresses.get(row["id"], ()), strict=False))
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
                **run.links.fields(row["id"], LOCATION_FIELDS),
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
                **run.stamps(),
            }

    return run.upsert(Location, rows())


def _service_details(pkg: Package) -> dict[str, dict]:
    """What other tables say of each service, by service HSDS id: its location, cost,
    documents, hand-off contact, languages, schedule notes; and accessibility by location."""
    d: dict[str, dict] = {
        "sal": {r["service_id"]: r["location_id"] for _, r in pkg.rows("service_at_location")},
        "costs": {
            r["service_id"]: (r.get("option"), r.get("amount_description"))
            for _, r in pkg.rows("cost_options")
        },
        "docs": {r["service_id"]: r["document"] for _, r in pkg.rows("required_documents")},
        "access": {r["location_id"]: r.get("description") for _, r in pkg.rows("accessibility")},
        "contacts": {
            r["service_id"]: (r["id"], r.get("name"))
            for _, r in pkg.rows("contacts")
            if r.get("service_id")
        },
        "contact_phones": {
            r["contact_id"]: r["number"] for _, r in pkg.rows("phones") if r.get("contact_id")
        },
        "langs": defaultdict(list),
        "schedule_notes": {},
    }
    for _, row in pkg.rows("languages"):
        if row.get("service_id") and row.get("code"):
            d["langs"][row["service_id"]].append(languages.canonical(row["code"]))
    for _, row in pkg.rows("schedules"):
        if row.get("service_id") and row.get("notes"):
            d["schedule_notes"].setdefault(row["service_id"], row["notes"])
        elif row.get("service_id") and row.get("description") and not row.get("opens_at"):
            # times given only as text ("10:00am-11:00am AND 6:45pm"): kept as said
            d["schedule_notes"].setdefault(row["service_id"], row["description"][:300])
    return d


def _services(run: Run, org_ids: dict, loc_ids: dict) -> tuple[dict[str, int], int]:
    d = _service_details(run.pkg)

    def rows():
        for _, row in run.pkg.rows("services"):
            sid = row["id"]
            extra = run.links.fields(sid, SERVICE_FIELDS)
            contact_id, contact_name = d["contacts"].get(sid, (None, None))
            option, amount = d["costs"].get(sid, (None, None))
            loc_hsds = d["sal"].get(sid)
            yield {
                "hsds_id": sid,
                "organization_id": org_ids[row["organization_id"]],
                "location_id": loc_ids.get(loc_hsds) if loc_hsds else None,
                "name": row["name"],
                "category": run.links.category[sid],
                "description": row.get("description") or None,
                "status": "inactive"
                if row.get("status") in ("inactive", "defunct", "temporarily closed")
                else "active",
                "languages": " ".join(dict.fromkeys(d["langs"].get(sid, []))),
                "min_age": int(float(row["minimum_age"])) if row.get("minimum_age") else None,
                "max_age": int(float(row["maximum_age"])) if row.get("maximum_age") else None,
                "eligibility_notes": row.get("eligibility_description") or None,
                "cost_notes": row.get("fees_description") or amount or None,
                "required_documents": d["docs"].get(sid),
                "handoff_name": contact_name or None,
                "handoff_phone": d["contact_phones"].get(contact_id) if contact_id else None,
                "last_verified": date.fromisoformat(row["assured_date"])
                if row.get("assured_date")
                else None,
                **run.stamps(),
                "updated_at": _moment(row["last_modified"])
                if row.get("last_modified")
                else run.now,
                **extra,
                "accessibility": extra["accessibility"] or d["access"].get(loc_hsds),
                "hours_notes": extra["hours_notes"] or d["schedule_notes"].get(sid),
                "cost": option
                if option in ("free", "sliding_scale", "fee", "insurance")
                else extra["cost"],
            }

    return run.upsert(Service, rows())


def _moment(text: str) -> datetime:
    """An HSDS date-time → naive UTC, as the database keeps it."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC).replace(tzinfo=None)


def _phones(run: Run, svc_ids: dict, org_ids: dict):
    for _, row in run.pkg.rows("phones"):
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


def _opening_hours(run: Run, svc_ids: dict):
    for _, r in run.pkg.rows("schedules"):
        service_id = svc_ids.get(r.get("service_id"))
        if service_id is None or r.get("description") == "Open 24 hours, 7 days":
            continue
        opens = closes = None  # times not given (both needed): open-now stays unknown
        if r.get("opens_at") and r.get("closes_at"):
            opens = hours.parse_time(r["opens_at"][:5])
            closes = hours.parse_time(r["closes_at"][:5])
        for day in (r.get("byday") or ",".join(BYDAY)).split(","):
            yield {
                "service_id": service_id,
                "weekday": BYDAY.index(day.strip()),
                "opens": opens,
                "closes": closes,
            }


def _write(session: Session, pkg: Package, links: Links) -> dict[str, int]:
    """Write in bulk, a chunk of rows at a time, streaming each table from its file:
    organizations, locations, services, then their phones and hours (replaced wholesale)."""
    run = Run(session, pkg, links)
    org_ids, org_count = _organizations(run)
    loc_ids, loc_count = _locations(run, org_ids)
    svc_ids, svc_count = _services(run, org_ids, loc_ids)
    imported = [svc_ids[row["id"]] for _, row in pkg.rows("services")]
    org_imported = [org_ids[row["id"]] for _, row in pkg.rows("organizations")]
    session.execute(delete(Phone).where(Phone.service_id.in_(imported)))
    session.execute(delete(Phone).where(Phone.organization_id.in_(org_imported)))
    session.execute(delete(ServiceHours).where(ServiceHours.service_id.in_(imported)))
    for model, rows in (
        (Phone, _phones(run, svc_ids, org_ids)),
        (ServiceHours, _opening_hours(run, svc_ids)),
    ):
        for batch in _chunks(rows):
            session.execute(insert(model), batch)
    session.flush()
    _reindex(session, imported)
    counts = {"created": run.created, "updated": run.updated}
    record(
        session,
        "import",
        "hsds",
        detail=f"{svc_count} services, {org_count} "
        f"organizations ({counts['created']} created, {counts['updated']} updated)",
    )
    return {"organizations": org_count, "services": svc_count, "locations": loc_count, **counts}


def _reindex(session: Session, service_ids: list[int]) -> None:
    for start in range(0, len(service_ids), 2000):
        batch = session.scalars(
            select(Service)
            .where(Service.id.in_(service_ids[start : start + 2000]))
            .options(selectinload(Service.organization), selectinload(Service.location))
        ).all()
        index.refresh_index(session, batch)
