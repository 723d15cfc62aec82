"""Writing the directory as an HSDS 3.0 tabular data package (CSV files and
``datapackage.json``), with HSDS 3.1's ``service_capacity`` and ``unit`` tables beside it;
withheld addresses and coordinates are left out.

Streamed: records are read a batch at a time (``BATCH``, in the order of their HSDS ids)
and each row is written to its table's file as it is made, so memory stays flat however
large the directory is (one batch of records, and a map of record ids to HSDS ids)."""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any, TypeVar

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.base import ExecutableOption

from app.extensions import DbSession
from app.models import AuditEvent
from directory import visibility
from directory.hsds.locations import (
    address_row,
    location_row,
    postal_address_row,
    service_at_location_rows,
)
from directory.hsds.mapping import (
    CAPACITY_TABLES,
    RESOURCE,
    TABLES,
    capacity_resources,
    child_id,
    datapackage,
    table_fields,
)
from directory.hsds.rows import (
    UNIT_NAMES,
    _field_attributes,
    _fmt,
    attribute_rows,
    capacity_rows,
    contact_phone_row,
    contact_row,
    cost_option_rows,
    document_rows,
    language_rows,
    organization_row,
    phone_rows,
    service_row,
    taxonomy_rows,
    unit_row,
)
from directory.hsds.schedules import other_place_schedule_rows, schedule_rows
from directory.hsds.schemas import LOCATION_FIELDS, ORG_FIELDS
from directory.hsds.source_rows import (
    source_taxonomy_row,
    source_term_row,
    term_attribute_row,
)
from directory.models import Location, Organization, Service, ServiceAtLocation
from directory.source_terms import ServiceTerm, SourceTaxonomy, SourceTerm

BATCH = 2000  # records read per query (organizations, services, links, audit entries)

ORG_OPTIONS = (
    selectinload(Organization.phones),
    selectinload(Organization.locations).selectinload(Location.phones),
)
SERVICE_OPTIONS = (
    selectinload(Service.organization),
    selectinload(Service.location),
    selectinload(Service.phones),
    selectinload(Service.hours),
    selectinload(Service.verified_by),
    selectinload(Service.at_locations).selectinload(ServiceAtLocation.hours),
    selectinload(Service.at_locations).selectinload(ServiceAtLocation.location),
)


class Tables:
    """The package's CSV files, open together; a row is written to its table's file as
    soon as it is made (every cell quoted; no formula guard: this is data for other
    systems, whose values must arrive as they are, an E.164 phone starts with "+")."""

    def __init__(self, stack: ExitStack, folder: Path):
        self.writers, self.fields, self.counts = {}, {}, {}
        for name in (*TABLES, *CAPACITY_TABLES):
            fh = stack.enter_context(
                (folder / f"{name}.csv").open("w", newline="", encoding="utf-8")
            )
            self.writers[name] = csv.writer(fh, quoting=csv.QUOTE_ALL)
            self.fields[name] = [f["name"] for f in table_fields(RESOURCE[name])]
            self.writers[name].writerow(self.fields[name])
            self.counts[name] = 0

    def add(self, name: str, rows: Iterable[dict[str, Any]]) -> None:
        writer, fields = self.writers[name], self.fields[name]
        for row in rows:
            writer.writerow([_fmt(row.get(f)) for f in fields])
            self.counts[name] += 1


Exported = TypeVar("Exported", Organization, Service)


def in_batches(
    session: DbSession,
    model: type[Exported],
    options: Sequence[ExecutableOption] = (),
    size: int = BATCH,
) -> Iterator[list[Exported]]:
    """Every record of ``model`` in the order of its HSDS id, a list of ``size`` at a time
    (loaded with ``options``); only the ordered record ids are held between batches."""
    ids = list(session.scalars(select(model.id).order_by(model.hsds_id)))
    for start in range(0, len(ids), size):
        some = ids[start : start + size]
        found = {
            r.id: r
            for r in session.scalars(select(model).where(model.id.in_(some)).options(*options))
        }
        yield [found[i] for i in some]


def _organizations(session: DbSession, t: Tables, size: int) -> None:
    for batch in in_batches(session, Organization, ORG_OPTIONS, size):
        for o in batch:
            t.add("organizations", [organization_row(o)])
            t.add("phones", phone_rows(o.hsds_id, o.phones, "organization"))
            t.add("attributes", _field_attributes(o, ORG_FIELDS, "organization"))
            for loc in sorted(o.locations, key=lambda x: x.hsds_id):
                t.add("locations", [location_row(loc)])
                t.add("addresses", filter(None, (address_row(loc), postal_address_row(loc))))
                t.add("phones", phone_rows(loc.hsds_id, loc.phones, "location"))
                t.add("attributes", _field_attributes(loc, LOCATION_FIELDS, "location"))


def _services(session: DbSession, t: Tables, size: int) -> None:
    for batch in in_batches(session, Service, SERVICE_OPTIONS, size):
        for s in batch:
            t.add("services", [service_row(s)])
            t.add("service_at_location", service_at_location_rows(s))
            t.add("schedules", other_place_schedule_rows(s))
            if s.location:
                if visibility.place_text(s, "accessibility", None):
                    t.add(
                        "accessibility",
                        [
                            {
                                "id": child_id(s.hsds_id, "accessibility"),
                                "location_id": s.location.hsds_id,
                                "description": s.accessibility,
                            }
                        ],
                    )
            # a service without a place has no service area written: the directory keeps
            # none, and "Everywhere" would be a claim no one made (#25)
            t.add("phones", phone_rows(s.hsds_id, s.phones, "service"))
            t.add("schedules", schedule_rows(s))
            t.add("languages", language_rows(s))
            t.add("cost_options", cost_option_rows(s))
            t.add("required_documents", document_rows(s))
            if (c := contact_row(s)) is not None:
                t.add("contacts", [c])
                if (p := contact_phone_row(s)) is not None:
                    t.add("phones", [p])
            t.add("attributes", attribute_rows(s))
            t.add("service_capacity", capacity_rows(s))


def _hsds_ids(session: DbSession, model: type[Organization] | type[Service]) -> dict[int, str]:
    return dict(session.execute(select(model.id, model.hsds_id)).all())


def _source_term_tables(session: DbSession, t: Tables, services: dict[int, str], size: int) -> None:
    """The source taxonomies and terms kept from imports, and each service's links to them
    (attributes), beside this product's own taxonomies."""
    taxonomies = session.scalars(select(SourceTaxonomy).order_by(SourceTaxonomy.hsds_id)).all()
    by_id = {tx.id: tx.hsds_id for tx in taxonomies}
    t.add("taxonomies", (source_taxonomy_row(tx) for tx in taxonomies))
    terms = session.scalars(select(SourceTerm).order_by(SourceTerm.hsds_id)).all()
    known = {term.hsds_id for term in terms}
    t.add("taxonomy_terms", (source_term_row(term, by_id, known) for term in terms))
    term_ids = {term.id: term.hsds_id for term in terms}
    links = session.execute(
        select(ServiceTerm.service_id, ServiceTerm.term_id, ServiceTerm.value)
        .order_by(ServiceTerm.service_id, ServiceTerm.term_id)
        .execution_options(yield_per=size)
    )
    t.add(
        "attributes",
        (
            term_attribute_row(services[link.service_id], term_ids[link.term_id], link.value)
            for link in links
            if link.service_id in services
        ),
    )


def metadata_rows(
    session: DbSession, orgs: dict[int, str], services: dict[int, str], size: int = BATCH
) -> Iterator[dict[str, Any]]:
    """Change history of organizations and services (HSDS ``metadata``), a row at a time;
    ``orgs`` and ``services``: record id → HSDS id."""
    ids = {
        "organizations": ({str(k): v for k, v in orgs.items()}, "organization"),
        "services": ({str(k): v for k, v in services.items()}, "service"),
    }
    events = session.execute(
        select(
            AuditEvent.id,
            AuditEvent.at,
            AuditEvent.action,
            AuditEvent.object_type,
            AuditEvent.object_id,
            AuditEvent.changes,
            AuditEvent.actor,
        )
        .where(
            AuditEvent.object_type.in_(("organizations", "services")),
            AuditEvent.action.in_(("create", "update")),
        )
        .order_by(AuditEvent.id)
        .execution_options(yield_per=size)
    )
    withheld = {str(i) for i in session.scalars(visibility.services_withholding_place_text())}
    for e in events:
        known, kind = ids[e.object_type]
        hsds_id = known.get(e.object_id)
        if hsds_id is None:  # not an exported record (theirs are never None)
            continue
        for field_name, change in sorted((e.changes or {}).items()):
            if field_name in ("hsds_id", "id") or not isinstance(change, list):
                continue
            if field_name in visibility.PLACE_TEXT_FIELDS and (
                kind == "service" and e.object_id in withheld
            ):
                continue  # text about a withheld place, as the service's rows leave it out
            yield {
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


def package_name(publisher: str) -> str:
    """A data package name (lower case, digits, ``-``) from the publisher's name."""
    slug = re.sub(r"[^a-z0-9]+", "-", publisher.lower()).strip("-")[:80]
    if not slug:
        return "referral-network-directory"
    return slug if slug.endswith("directory") else f"{slug}-directory"


def package_identity(version: str) -> dict:
    """Who the package is from and on what terms, from configuration (``HSDS_TITLE``,
    ``HSDS_PUBLISHER``, ``HSDS_LICENSE``; docs/hsds.md), never the specification's own
    title and licence. The title and publisher default to ``FACILITY_NAME``; no licence is
    declared until one is configured (unknown is not a licence nobody chose)."""
    config = current_app.config
    network = config["FACILITY_NAME"]
    title = config.get("HSDS_TITLE") or network
    publisher = config.get("HSDS_PUBLISHER") or network
    identity = {
        # the package's name is its source key when another directory imports it: the
        # publisher's own, so two networks' packages are two sources (``source.generic_name``)
        "name": package_name(publisher),
        "title": title,
        "description": f"Services listed by {publisher}, as an Open Referral HSDS {version} "
        "data package.",
        "contributors": [{"title": publisher, "role": "publisher"}],
        "homepage": config.get("PUBLIC_BASE_URL") or None,
    }
    if licence := config.get("HSDS_LICENSE"):
        identity["licenses"] = [
            {"path": licence} if licence.startswith(("http://", "https://")) else {"name": licence}
        ]
    return {k: v for k, v in identity.items() if v is not None}


def export_package(session: DbSession, folder: Path, *, batch: int = BATCH) -> dict[str, int]:
    """Write the data package into ``folder``, streaming ``batch`` records at a time;
    returns rows per table."""
    folder.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        t = Tables(stack, folder)
        taxonomies, terms = taxonomy_rows()
        t.add("taxonomies", taxonomies)
        t.add("taxonomy_terms", terms)
        t.add("units", [unit_row(code) for code in UNIT_NAMES])
        _organizations(session, t, batch)
        _services(session, t, batch)
        services = _hsds_ids(session, Service)
        _source_term_tables(session, t, services, batch)
        orgs = _hsds_ids(session, Organization)
        t.add("metadata", metadata_rows(session, orgs, services, batch))
    resources = []
    descriptors = [*datapackage()["resources"], *capacity_resources()]
    for name in (*TABLES, *CAPACITY_TABLES):
        descriptor = next(r for r in descriptors if r["name"] == RESOURCE[name])
        resources.append({**descriptor, "path": f"{name}.csv"})
    package = {k: v for k, v in datapackage().items() if k != "resources"}
    package.pop("license", None)  # the specification's licence is not the data's
    package.pop("homepage", None)
    package.update(package_identity(package["version"]))
    package["resources"] = resources
    (folder / "datapackage.json").write_text(json.dumps(package, indent=1, sort_keys=True))
    return t.counts


def export_zip(session: DbSession) -> bytes:
    """The data package as the bytes of a zip file."""
    with tempfile.TemporaryDirectory() as tmp:
        export_package(session, Path(tmp))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(Path(tmp).iterdir()):
                zf.write(path, path.name)
    return buffer.getvalue()
