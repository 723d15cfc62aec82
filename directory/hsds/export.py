"""Writing the directory as an HSDS 3.0 tabular data package (CSV files and
``datapackage.json``); withheld addresses and coordinates are left out."""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.models import AuditEvent
from directory import visibility
from directory.hsds.mapping import (
    RESOURCE,
    TABLES,
    _field_attributes,
    _fmt,
    address_row,
    attribute_rows,
    child_id,
    contact_phone_row,
    contact_row,
    cost_option_rows,
    datapackage,
    document_rows,
    language_rows,
    location_row,
    organization_row,
    other_place_schedule_rows,
    phone_rows,
    postal_address_row,
    schedule_rows,
    service_at_location_rows,
    service_row,
    table_fields,
    taxonomy_rows,
)
from directory.hsds.schemas import LOCATION_FIELDS, ORG_FIELDS
from directory.hsds.source_rows import source_taxonomy_row, source_term_row, term_attribute_row
from directory.models import Location, Organization, Service, ServiceAtLocation
from directory.source_terms import ServiceTerm, SourceTaxonomy, SourceTerm


def _load_all(session: Session):
    orgs = session.scalars(
        select(Organization)
        .order_by(Organization.hsds_id)
        .options(
            selectinload(Organization.phones),
            selectinload(Organization.locations).selectinload(Location.phones),
        )
    ).all()
    services = session.scalars(
        select(Service)
        .order_by(Service.hsds_id)
        .options(
            selectinload(Service.organization),
            selectinload(Service.location),
            selectinload(Service.phones),
            selectinload(Service.hours),
            selectinload(Service.verified_by),
            selectinload(Service.at_locations).selectinload(ServiceAtLocation.hours),
            selectinload(Service.at_locations).selectinload(ServiceAtLocation.location),
        )
    ).all()
    return orgs, services


def _source_term_tables(session: Session, t: dict[str, list[dict]], services) -> None:
    """The source taxonomies and terms kept from imports, and each service's links to them
    (attributes), beside this product's own taxonomies."""
    taxonomies = session.scalars(select(SourceTaxonomy).order_by(SourceTaxonomy.hsds_id)).all()
    by_id = {tx.id: tx.hsds_id for tx in taxonomies}
    t["taxonomies"] += [source_taxonomy_row(tx) for tx in taxonomies]
    terms = session.scalars(select(SourceTerm).order_by(SourceTerm.hsds_id)).all()
    known = {term.hsds_id for term in terms}
    t["taxonomy_terms"] += [source_term_row(term, by_id, known) for term in terms]
    term_ids = {term.id: term.hsds_id for term in terms}
    hsds = {s.id: s.hsds_id for s in services}
    links = session.execute(
        select(ServiceTerm).order_by(ServiceTerm.service_id, ServiceTerm.term_id)
    ).scalars()
    t["attributes"] += [
        term_attribute_row(hsds[link.service_id], term_ids[link.term_id], link.value)
        for link in links
        if link.service_id in hsds
    ]


def package_tables(session: Session) -> dict[str, list[dict]]:
    """Every exported table as rows (dicts keyed by HSDS field names)."""
    orgs, services = _load_all(session)
    t: dict[str, list[dict]] = {name: [] for name in TABLES}
    t["taxonomies"], t["taxonomy_terms"] = taxonomy_rows()
    for o in orgs:
        t["organizations"].append(organization_row(o))
        t["phones"] += phone_rows(o.hsds_id, o.phones, "organization")
        t["attributes"] += _field_attributes(o, ORG_FIELDS, "organization")
        for loc in sorted(o.locations, key=lambda x: x.hsds_id):
            t["locations"].append(location_row(loc))
            for a in (address_row(loc), postal_address_row(loc)):
                if a is not None:
                    t["addresses"].append(a)
            t["phones"] += phone_rows(loc.hsds_id, loc.phones, "location")
            t["attributes"] += _field_attributes(loc, LOCATION_FIELDS, "location")
    for s in services:
        t["services"].append(service_row(s))
        t["service_at_location"] += service_at_location_rows(s)
        t["schedules"] += other_place_schedule_rows(s)
        if s.location:
            if s.accessibility and visibility.exports_address(s.location):
                t["accessibility"].append(
                    {
                        "id": child_id(s.hsds_id, "accessibility"),
                        "location_id": s.location.hsds_id,
                        "description": s.accessibility,
                    }
                )
        elif not s.at_locations:
            t["service_areas"].append(
                {
                    "id": child_id(s.hsds_id, "area"),
                    "service_id": s.hsds_id,
                    "name": "Everywhere",
                    "description": "Phone or remote service",
                }
            )
        t["phones"] += phone_rows(s.hsds_id, s.phones, "service")
        t["schedules"] += schedule_rows(s)
        t["languages"] += language_rows(s)
        t["cost_options"] += cost_option_rows(s)
        t["required_documents"] += document_rows(s)
        if (c := contact_row(s)) is not None:
            t["contacts"].append(c)
            if (p := contact_phone_row(s)) is not None:
                t["phones"].append(p)
        t["attributes"] += attribute_rows(s)
    _source_term_tables(session, t, services)
    t["metadata"] = metadata_rows(session, orgs, services)
    return t


def metadata_rows(session: Session, orgs, services) -> list[dict]:
    """Change history of organizations and services (HSDS ``metadata``)."""
    ids = {f"organizations:{o.id}": (o.hsds_id, "organization") for o in orgs}
    ids.update({f"services:{s.id}": (s.hsds_id, "service") for s in services})
    rows = []
    events = session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.object_type.in_(("organizations", "services")),
            AuditEvent.action.in_(("create", "update")),
        )
        .order_by(AuditEvent.id)
    )
    for e in events:
        key = f"{e.object_type}:{e.object_id}"
        if key not in ids:
            continue
        hsds_id, kind = ids[key]
        for field_name, change in sorted((e.changes or {}).items()):
            if field_name in ("hsds_id", "id") or not isinstance(change, list):
                continue
            rows.append(
                {
                    "id": child_id(hsds_id, "metadata", f"{e.id}/{field_name}"),
                    "resource_id": hsds_id,
                    "resource_type": kind,
                    "last_action_date": e.at.date(),
                    "last_action_type": e.action,
                    "field_name": field_name,
                    "previous_value": _fmt(change[0]) or "(none)",
                    "replacement_value": _fmt(change[1]) or "(none)",
                    "updated_by": e.actor,
                }
            )
    return rows


def export_package(session: Session, folder: Path) -> dict[str, int]:
    """Write the data package into ``folder``; returns rows per table."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = package_tables(session)
    resources = []
    for name in TABLES:
        fields = table_fields(RESOURCE[name])
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as fh:
            # every cell quoted; no formula guard: this is data for other systems, whose
            # values must arrive as they are (an E.164 phone starts with "+")
            writer = csv.writer(fh, quoting=csv.QUOTE_ALL)
            writer.writerow([f["name"] for f in fields])
            for row in tables[name]:
                writer.writerow([_fmt(row.get(f["name"])) for f in fields])
        descriptor = next(r for r in datapackage()["resources"] if r["name"] == RESOURCE[name])
        resources.append({**descriptor, "path": f"{name}.csv"})
    package = {k: v for k, v in datapackage().items() if k != "resources"}
    package.update({"name": "referral-network-directory", "resources": resources})
    (folder / "datapackage.json").write_text(json.dumps(package, indent=1, sort_keys=True))
    return {name: len(rows) for name, rows in tables.items()}


def export_zip(session: Session) -> bytes:
    """The data package as the bytes of a zip file."""
    with tempfile.TemporaryDirectory() as tmp:
        export_package(session, Path(tmp))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(Path(tmp).iterdir()):
                zf.write(path, path.name)
    return buffer.getvalue()
