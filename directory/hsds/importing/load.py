"""Importing a checked HSDS package (3.x, or 1.x read as 3.0 rows by ``legacy``): all or
nothing, or (``skip_invalid``) the valid records with every rejected row reported; in bulk,
a chunk of rows at a time. Records with a known HSDS id are updated in place, never
duplicated, and never blanked by a value the source does not carry (``sync``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TypeVar

from sqlalchemy import delete, select

from app.audit import record
from app.extensions import DbSession
from app.models import utcnow
from directory import languages
from directory.catalog import records
from directory.hsds.importing import (
    details,
    owners,
    places,
    sync,
    sync_parts,
    terms,
    values,
)
from directory.hsds.importing.check import read_package
from directory.hsds.importing.links import Links
from directory.hsds.importing.package import ImportRejected, Package
from directory.hsds.importing.report import Report
from directory.hsds.importing.source import Source, open_source
from directory.hsds.mapping import INTERPRETER_AVAILABLE
from directory.hsds.schemas import LOCATION_FIELDS, ORG_FIELDS, SERVICE_FIELDS
from directory.models import Location, Organization, Phone, Service, ServiceHours
from directory.search import index

CHUNK = 5000  # rows per bulk statement on import


def import_package(
    session: DbSession,
    folder: Path | Source,
    *,
    mapping: dict | None = None,
    progress: Callable[[int], object] | None = None,
    skip_invalid: bool = False,
    deactivate: bool = True,
    source: str | None = None,
) -> Report:
    """Validate everything, then import in one transaction: all or nothing (``ImportRejected``
    lists every problem), or with ``skip_invalid`` the valid records, every rejected row and
    the rows depending on it in the report. Existing records with the same HSDS id are
    updated, not duplicated; with ``deactivate``, records of the same source the package no
    longer holds are deactivated."""
    src = folder if isinstance(folder, Source) else open_source(folder)
    if source:  # given: the source's key as its importer names it, nothing to explain
        src.name, src.name_note = source[:100], ""
    else:
        owners.recognise(session, src)
    deactivate = deactivate and not src.recognised
    links = Links(mapping={k.lower(): v for k, v in (mapping or {}).items()})
    pkg = read_package(src, progress, visit=links.visit)
    if pkg.problems and not skip_invalid:
        raise ImportRejected(pkg.problems)
    owners.leave_out_other_sources(session, pkg)
    pkg.cascade()
    report = _write(session, pkg, links, deactivate=deactivate)
    report.rejected = pkg.problems + pkg.dependent
    report.source_note = src.name_note
    return report


T = TypeVar("T")


def _chunks(rows: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    batch: list[T] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass(frozen=True)
class Context:
    """What every phase of one import reads and never changes: the session, the package
    (which keeps its own notes of what it leaves out), what its attributes say, and the
    moment the import is stamped with."""

    session: DbSession
    pkg: Package
    links: Links
    now: datetime = field(default_factory=utcnow)

    def stamps(self) -> dict:
        return {"version": 1, "created_at": self.now, "updated_at": self.now}


@dataclass
class Written:
    """What one phase wrote of its table: every stored record's id by HSDS id, the rows
    read, how many records were created, updated and changed, and the update entries of
    known records (``pending``) that ``sync_parts`` completes with their parts."""

    ids: dict[str, int]
    read: int = 0
    created: int = 0
    updated: int = 0
    changed: int = 0
    pending: list = field(default_factory=list)


def upsert(
    ctx: Context,
    model: sync.Imported,
    rows: Iterable[dict[str, Any]],
    defaults: dict,
    derive: sync.Derive | None = None,
) -> Written:
    """Insert new and update known records (by HSDS id), each stamped with the source."""
    session = ctx.session
    existing: dict[str, int] = dict(session.execute(select(model.hsds_id, model.id)).all())
    out = Written(ids={})
    for batch in _chunks(rows):
        for r in batch:
            r["import_source"] = ctx.pkg.src.name
        new = [r for r in batch if r["hsds_id"] not in existing]
        old = [r for r in batch if r["hsds_id"] in existing]
        if new:
            for r in new:
                r.update(derive(r) if derive else {})
            sync.insert_new(session, model, new, defaults)
        if old:
            out.changed += sync.update_known(session, model, old, derive, pending=out.pending)
        out.created += len(new)
        out.updated += len(old)
        out.read += len(batch)
    out.ids = dict(session.execute(select(model.hsds_id, model.id)).all())
    return out


def _defaults(spec: dict, **more: object) -> dict:
    return {**{name: default for name, (_kind, default) in spec.items()}, **more}


def _organizations(ctx: Context) -> Written:
    def rows() -> Iterator[dict[str, Any]]:
        for _, row in ctx.pkg.good("organizations"):
            clean, _problems, _dropped = values.organization(row)
            yield {
                "hsds_id": row["id"],
                "name": clean.get("name", row["name"]),
                "alternate_name": clean.get("alternate_name"),
                "description": clean.get("description"),
                "email": clean.get("email"),
                "website": clean.get("website"),
                **ctx.stamps(),
                **ctx.links.fields(row["id"], ORG_FIELDS),
            }

    return upsert(ctx, Organization, rows(), _defaults(ORG_FIELDS))


ADDRESS_COLUMNS = ("address_1", "address_2", "city", "state_province", "postal_code", "country")


def _place(row: dict) -> dict:
    """Where search measures from and the time zone, from a location's (merged) values."""
    where = ("address_1", "city", "region", "postal_code", "country", "latitude", "longitude")
    # the location's values as plain attributes: the same rules, without an ORM object a row
    loc = SimpleNamespace(**{k: row.get(k) for k in (*where, *LOCATION_FIELDS)})
    records.place_location(loc)
    return {"search_lat": loc.search_lat, "search_lon": loc.search_lon, "timezone": loc.timezone}


def _locations(ctx: Context, org_ids: dict[str, int]) -> Written:
    addresses: dict[str, dict[str, tuple]] = {"physical": {}, "postal": {}}
    for _, row in ctx.pkg.good("addresses"):
        kind = row.get("address_type", "physical")
        if row.get("location_id") and kind in addresses:
            addresses[kind][row["location_id"]] = tuple(row.get(c) for c in ADDRESS_COLUMNS)

    # a location whose organization the package lacks: its service's (``Package.adopt``)
    adopted: dict[str, int | None] = {}
    if ctx.pkg.adopted:
        wanted = set(ctx.pkg.adopted.values())
        owner = {
            r["id"]: r["organization_id"] for _, r in ctx.pkg.good("services") if r["id"] in wanted
        }
        adopted = {loc: org_ids.get(owner.get(svc, "")) for loc, svc in ctx.pkg.adopted.items()}

    # a place withheld here is published only by hand (audited), never by a package saying
    # "not confidential" (an older export coming back, a feed that writes false for all)
    withheld = set(
        ctx.session.scalars(select(Location.hsds_id).where(Location.confidential.is_(True)))
    )

    def rows() -> Iterator[dict[str, Any]]:
        for line, row in ctx.pkg.good("locations"):
            organization_id = org_ids.get(row.get("organization_id")) or adopted.get(row["id"])
            if organization_id is None:
                continue
            fields = ctx.links.fields(row["id"], LOCATION_FIELDS)
            if fields.get("confidential") is False and row["id"] in withheld:
                fields["confidential"] = None  # None: the stored value is kept
                ctx.pkg.notes.append(
                    f"{row.get('_src', 'locations')}:{line}:confidential: the package says "
                    "not confidential; a place withheld here is published only by hand, so it "
                    "stays withheld"
                )
            a = dict(zip(ADDRESS_COLUMNS, addresses["physical"].get(row["id"], ()), strict=False))
            p = dict(zip(ADDRESS_COLUMNS, addresses["postal"].get(row["id"], ()), strict=False))
            yield {
                "hsds_id": row["id"],
                "organization_id": organization_id,
                "name": row.get("name") or None,
                "alternate_name": row.get("alternate_name"),
                "description": row.get("description"),
                "transportation": row.get("transportation"),
                "postal_address_1": p.get("address_1"),
                "postal_address_2": p.get("address_2"),
                "postal_city": p.get("city"),
                "postal_region": p.get("state_province"),
                "postal_postal_code": p.get("postal_code"),
                "postal_country": (p.get("country") or "").upper()[:2] or None,
                "address_1": a.get("address_1"),
                "address_2": a.get("address_2") or None,
                "city": a.get("city"),
                "region": a.get("state_province"),
                "postal_code": a.get("postal_code"),
                "country": (a.get("country") or "").upper()[:2] or None,
                **_point(ctx.pkg, row),
                **fields,
                "search_lat": None,  # derived by _place from the merged values
                "search_lon": None,
                **ctx.stamps(),
            }

    return upsert(ctx, Location, rows(), _defaults(LOCATION_FIELDS, country="US"), _place)


def _point(pkg: Package, row: dict) -> dict:
    """A location's coordinates, unless they were dropped (``row_checks``)."""
    if row["id"] in pkg.no_point or not (row.get("latitude") and row.get("longitude")):
        return {"latitude": None, "longitude": None}
    return {"latitude": float(row["latitude"]), "longitude": float(row["longitude"])}


def _services(ctx: Context, d: dict, org_ids: dict, loc_ids: dict) -> tuple[Written, list[str]]:
    """The services (``d``: ``details.service_details``); → what was written, and the ids
    of every service the package lists, in its order."""
    listed: list[str] = []

    def rows() -> Iterator[dict[str, Any]]:
        for _, row in ctx.pkg.good("services"):
            sid = row["id"]
            listed.append(sid)
            if row.get("organization_id") not in org_ids:
                continue
            extra = ctx.links.fields(sid, SERVICE_FIELDS)
            if sid not in ctx.links.category:
                why = "unmapped" if sid in ctx.links.termed else "no_term"
                ctx.pkg.unstated[f"services.category.{why}"] += 1
            contact_id, contact_name, contact_title = d["contacts"].get(sid, (None, None, None))
            option, amount = d["costs"].get(sid, (None, None))
            loc_hsds = d["sal"].get(sid)
            codes, notes = details.languages_of(d, sid, loc_hsds)
            interpretation = row.get("interpretation_services")
            if interpretation and interpretation != INTERPRETER_AVAILABLE:
                notes = languages.join_notes(notes and notes.split("; "), [interpretation])
            if extra["interpreter_available"] is None and interpretation:
                extra["interpreter_available"] = True
            url, _why = values.website(row.get("url"))  # a bad one: reported by the check
            yield {
                "hsds_id": sid,
                "organization_id": org_ids[row["organization_id"]],
                "location_id": loc_ids.get(loc_hsds) if loc_hsds else None,
                "name": row["name"],
                # no mapped Section V category: uncategorized, listed, flagged for review
                "category": ctx.links.category.get(sid),
                "description": row.get("description") or None,
                "status": "inactive"
                if row.get("status") in ("inactive", "defunct", "temporarily closed")
                else "active",
                "languages": codes,
                "language_notes": notes,
                "alternate_name": row.get("alternate_name"),
                "url": url,
                "email": row.get("email"),
                "application_process": row.get("application_process"),
                "wait_time": values.shortened(row.get("wait_time")),
                "min_age": int(float(row["minimum_age"])) if row.get("minimum_age") else None,
                "max_age": int(float(row["maximum_age"])) if row.get("maximum_age") else None,
                "eligibility_notes": row.get("eligibility_description") or None,
                "cost_notes": row.get("fees_description") or amount or None,
                "required_documents": "; ".join(d["docs"].get(sid, [])) or None,
                "handoff_name": contact_name or None,
                "handoff_phone": d["contact_phones"].get(contact_id) if contact_id else None,
                "last_verified": date.fromisoformat(row["assured_date"])
                if row.get("assured_date")
                else None,
                **ctx.stamps(),
                "updated_at": _moment(row["last_modified"])
                if row.get("last_modified")
                else ctx.now,
                **extra,
                "accessibility": extra["accessibility"]
                or "; ".join(d["access"].get(loc_hsds, []))
                or None,
                "hours_notes": extra["hours_notes"]
                or d["schedule_notes"].get(sid)
                or d["loc_schedule_notes"].get(loc_hsds),
                "handoff_role": extra["handoff_role"] or contact_title,
                "cost": option
                if option in ("free", "sliding_scale", "fee", "insurance")
                else extra["cost"],
            }

    return upsert(ctx, Service, rows(), _defaults(SERVICE_FIELDS, languages="")), listed


def _moment(text: str) -> datetime:
    """An HSDS date-time → naive UTC, as the database keeps it."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC).replace(tzinfo=None)


def _write(session: DbSession, pkg: Package, links: Links, *, deactivate: bool) -> Report:
    """Write in bulk, a chunk of rows at a time, streaming each table from its file:
    organizations, locations, services, then their phones and hours (replaced for the
    records the package gives phones or hours for; kept for the others)."""
    ctx = Context(session, pkg, links)
    # what the records the package holds have beside their columns (places, terms,
    # phones, hours), read before the import replaces it: changes are audited per record
    parts = sync_parts.Parts(
        session,
        {
            model: pkg.ids.get(table, set())
            for model, table in (
                (Organization, "organizations"),
                (Location, "locations"),
                (Service, "services"),
            )
        },
    )
    orgs = _organizations(ctx)
    locs = _locations(ctx, orgs.ids)
    d = details.service_details(pkg)
    svcs, listed = _services(ctx, d, orgs.ids, locs.ids)
    # what the places, phones and hours still need; the rest is freed before the reindex
    at = {k: d[k] for k in ("sal", "sal_service", "elsewhere")}
    del d
    svc_ids = svcs.ids
    terms.write(session, pkg, svc_ids, links.filed)
    imported = [svc_ids[sid] for sid in listed if sid in svc_ids]
    del listed
    places.write(session, pkg, at["sal"], svc_ids, locs.ids)
    phones = places.phones(pkg, at["sal_service"], svc_ids, orgs.ids, locs.ids)
    spans, hour_owners = places.opening_hours(session, pkg, at, svc_ids)
    del at
    for column in (Phone.service_id, Phone.organization_id, Phone.location_id):
        owners = {p[column.key] for p in phones if p[column.key]}
        session.execute(delete(Phone).where(column.in_(owners)))
    session.execute(delete(ServiceHours).where(ServiceHours.service_id.in_(hour_owners)))
    for model, rows in ((Phone, phones), (ServiceHours, spans)):
        for batch in _chunks(rows):
            sync.bulk_insert(session, model, batch)
    phases = {Organization: orgs, Location: locs, Service: svcs}
    created = sum(w.created for w in phases.values())
    updated = sum(w.updated for w in phases.values())
    changed = sum(w.changed for w in phases.values())
    changed += parts.audit({model: w.pending for model, w in phases.items()}, ctx.now)
    deactivated = []
    if deactivate:
        for kind, table in ((Service, "services"), (Organization, "organizations")):
            deactivated += sync.deactivate_missing(
                session, kind, pkg.src.name, pkg.ids.get(table, set())
            )
    session.flush()
    index.reindex_plain(session, imported)
    report = Report(
        version=pkg.src.version,
        evidence=pkg.src.evidence,
        source=pkg.src.name,
        organizations=orgs.read,
        services=svcs.read,
        locations=locs.read,
        created=created,
        updated=updated,
        changed=changed,
        tables=pkg.counts(),
        dropped=list(pkg.notes),
        left_out=[
            f"{pkg.src.stem(src)}:{line}: {why}" for (_t, src, line), why in pkg.skipped.items()
        ],
        unstated=dict(pkg.unstated),
        deactivated=deactivated,
        not_kept=pkg.not_kept(),
    )
    record(
        session,
        "import",
        "hsds",
        detail=f"{svcs.read} services, {orgs.read} organizations from {pkg.src.name!r} "
        f"({created} created, {updated} updated, {changed} changed, "
        f"{len(deactivated)} deactivated)",
    )
    return report
