"""Open Referral HSDS 3.0: the directory as a tabular data package (export and import)
and as the nested objects of the HSDS API.

One mapping serves all three: ``*_row`` functions turn records into HSDS table rows; the
export writes them as CSV, the API nests them. Identifiers: organizations, services and
locations keep their own UUID (``hsds_id``) across exports and imports; child rows get
UUIDs derived from their parent's, so a round trip gives the same package.
Confidential locations are exported without address or coordinates.

Categories travel as attributes linking each service to a term of this product's own
taxonomy (the Section V codes). Fields HSDS has no column for (walk-in, modalities,
genders, confidential...) travel as attributes of a second taxonomy, one term per field.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session, selectinload

from app.audit import record
from app.models import AuditEvent, utcnow
from directory import hours, languages, search, taxonomy
from directory.models import (
    WEEKDAYS,
    Location,
    Organization,
    Phone,
    Service,
    ServiceHours,
)
from directory.records import place_location
from directory.taxonomy import SEEDS

NS = uuid.UUID("5a3f8f0e-3c55-4d2e-9a55-7b2f0c6d1e01")
TAXONOMY_ID = str(uuid.uuid5(NS, "taxonomy/section-v"))
FIELDS_TAXONOMY_ID = str(uuid.uuid5(NS, "taxonomy/fields"))
BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
TABLES = (
    "organizations",
    "services",
    "locations",
    "service_at_location",
    "addresses",
    "phones",
    "schedules",
    "languages",
    "service_areas",
    "cost_options",
    "required_documents",
    "accessibility",
    "contacts",
    "taxonomies",
    "taxonomy_terms",
    "attributes",
    "metadata",
    "programs",
    "funding",
    "organization_identifiers",
    "meta_table_descriptions",
)
"""Every table of the HSDS package; the last four are written empty (nothing maps to
them) so that the package's foreign keys all resolve."""
RESOURCE = {
    "organizations": "organization",
    "services": "service",
    "locations": "location",
    "service_at_location": "service_at_location",
    "addresses": "address",
    "phones": "phone",
    "schedules": "schedule",
    "languages": "language",
    "service_areas": "service_area",
    "cost_options": "cost_option",
    "required_documents": "required_document",
    "accessibility": "accessibility",
    "contacts": "contact",
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
    "attributes": "attribute",
    "metadata": "metadata",
    "programs": "program",
    "funding": "funding",
    "organization_identifiers": "organization_identifier",
    "meta_table_descriptions": "meta_table_description",
}
# Service fields with no HSDS column, carried as attributes: name → (kind, default)
SERVICE_FIELDS = {
    "walk_in": ("bool", False),
    "appointment_required": ("bool", False),
    "interpreter_available": ("bool", False),
    "victim_id_required": ("bool", False),
    "interpreter_trauma_trained": ("bool", False),
    "open_24_7": ("bool", False),
    "modalities": ("str", "in_person"),
    "genders": ("str", ""),
    "immigration_status": ("str", "any"),
    "care_type": ("str", "ongoing"),
    "cost": ("str", "free"),
    "nationality_limits": ("str", None),
    "interpreter_dialects": ("str", None),
    "interpreter_genders": ("str", None),
    "country_represented": ("str", None),
    "length_of_stay": ("str", None),
    "admits": ("str", None),
    "hours_notes": ("str", None),
    "handoff_notes": ("str", None),
    "handoff_role": ("str", None),
    "accessibility": ("str", None),
}
ORG_FIELDS = {
    "kind": ("str", "ngo"),
    "scope": ("str", "local"),
    "mou_status": ("str", "none"),
    "mou_date": ("date", None),
    "referral_process": ("str", None),
    "status": ("str", "active"),
    "is_demo": ("bool", False),
}
LOCATION_FIELDS = {"confidential": ("bool", False), "timezone": ("str", None)}


def child_id(parent: str, kind: str, key="") -> str:
    return str(uuid.uuid5(NS, f"{parent}/{kind}/{key}"))


def term_id(code: str) -> str:
    return str(uuid.uuid5(NS, f"term/{code}"))


def field_term_id(name: str) -> str:
    return str(uuid.uuid5(NS, f"field/{name}"))


@cache
def datapackage() -> dict:
    """The official HSDS 3.0 data package descriptor (copied into seeds/hsds)."""
    return json.loads((SEEDS / "hsds" / "datapackage.json").read_text())


@cache
def table_fields(resource: str) -> list[dict]:
    for r in datapackage()["resources"]:
        if r["name"] == resource:
            return r["schema"]["fields"]
    raise KeyError(resource)


def _fmt(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _time(minutes: int) -> str:
    return f"{(minutes // 60) % 24:02d}:{minutes % 60:02d}:00"


# --- rows -----------------------------------------------------------------------------------


def organization_row(o: Organization) -> dict:
    return {
        "id": o.hsds_id,
        "name": o.name,
        "alternate_name": o.alternate_name,
        "description": o.description or o.name,
        "email": o.email,
        "website": o.website,
    }


def service_row(s: Service) -> dict:
    return {
        "id": s.hsds_id,
        "organization_id": s.organization.hsds_id,
        "name": s.name,
        "description": s.description,
        "status": s.status,
        "interpretation_services": "Interpreter available" if s.interpreter_available else None,
        "fees_description": s.cost_notes,
        "eligibility_description": s.eligibility_notes,
        "minimum_age": s.min_age,
        "maximum_age": s.max_age,
        "assured_date": s.last_verified,
        "assurer_email": s.verified_by.email if s.verified_by else None,
        "last_modified": s.updated_at,
    }


def location_row(loc: Location) -> dict:
    return {
        "id": loc.hsds_id,
        "location_type": "physical",
        "organization_id": loc.organization.hsds_id,
        "name": loc.name,
        "latitude": None if loc.confidential else loc.latitude,
        "longitude": None if loc.confidential else loc.longitude,
    }


def address_row(loc: Location) -> dict | None:
    """The address of a non-confidential location complete enough for HSDS."""
    if loc.confidential or not all((loc.address_1, loc.city, loc.region, loc.postal_code)):
        return None
    return {
        "id": child_id(loc.hsds_id, "address"),
        "location_id": loc.hsds_id,
        "address_1": loc.address_1,
        "address_2": loc.address_2,
        "city": loc.city,
        "state_province": loc.region,
        "postal_code": loc.postal_code,
        "country": loc.country,
        "address_type": "physical",
    }


def phone_rows(owner_hsds: str, phones: list[Phone], owner: str) -> list[dict]:
    return [
        {
            "id": child_id(owner_hsds, "phone", i),
            f"{owner}_id": owner_hsds,
            "number": p.number,
            "extension": p.extension,
            "type": p.kind,
            "description": p.label,
        }
        for i, p in enumerate(phones)
    ]


def schedule_rows(s: Service) -> list[dict]:
    if s.open_24_7:
        return [
            {
                "id": child_id(s.hsds_id, "schedule", "24/7"),
                "service_id": s.hsds_id,
                "freq": "WEEKLY",
                "byday": ",".join(BYDAY),
                "opens_at": "00:00:00",
                "closes_at": "00:00:00",
                "description": "Open 24 hours, 7 days",
                "notes": s.hours_notes,
            }
        ]
    return [
        {
            "id": child_id(s.hsds_id, "schedule", f"{h.weekday}/{h.opens}/{h.closes}"),
            "service_id": s.hsds_id,
            "freq": "WEEKLY",
            "byday": BYDAY[h.weekday],
            "opens_at": _time(h.opens),
            "closes_at": _time(h.closes),
            "description": f"{WEEKDAYS[h.weekday]} {hours.format_time(h.opens)}–"
            f"{hours.format_time(h.closes)}",
            "notes": s.hours_notes,
        }
        for h in s.hours
    ]


def language_rows(s: Service) -> list[dict]:
    return [
        {
            "id": child_id(s.hsds_id, "language", c),
            "service_id": s.hsds_id,
            "name": languages.name(c),
            "code": c,
        }
        for c in s.language_list
    ]


def contact_row(s: Service) -> dict | None:
    if not (s.handoff_name or s.handoff_phone):
        return None
    return {
        "id": child_id(s.hsds_id, "contact", "handoff"),
        "service_id": s.hsds_id,
        "name": s.handoff_name,
        "title": s.handoff_role,
        "department": "Warm hand-off",
    }


def contact_phone_row(s: Service) -> dict | None:
    if not s.handoff_phone:
        return None
    return {
        "id": child_id(s.hsds_id, "contact-phone", "handoff"),
        "contact_id": child_id(s.hsds_id, "contact", "handoff"),
        "number": s.handoff_phone,
        "type": "voice",
        "description": "Warm hand-off line",
    }


def attribute_rows(s: Service) -> list[dict]:
    rows = [
        {
            "id": child_id(s.hsds_id, "attribute", "category"),
            "link_id": s.hsds_id,
            "taxonomy_term_id": term_id(s.category),
            "link_type": "category",
            "link_entity": "service",
            "value": s.category,
        }
    ]
    rows += _field_attributes(s, SERVICE_FIELDS, "service")
    return rows


def _field_attributes(obj, fields: dict, entity: str) -> list[dict]:
    rows = []
    for name, (_kind, default) in fields.items():
        value = getattr(obj, name)
        if value is None or value == default or value == "":
            continue
        rows.append(
            {
                "id": child_id(obj.hsds_id, "attribute", name),
                "link_id": obj.hsds_id,
                "taxonomy_term_id": field_term_id(name),
                "link_type": "field",
                "link_entity": entity,
                "value": _fmt(value),
            }
        )
    return rows


def taxonomy_rows() -> tuple[list[dict], list[dict]]:
    taxonomies = [
        {
            "id": TAXONOMY_ID,
            "name": "Referral Network Directory: Section V categories",
            "description": "Categories of the ICMEC toolkit's Community Directory of Resources "
            "(Section V) template.",
            "version": "1",
        },
        {
            "id": FIELDS_TAXONOMY_ID,
            "name": "Referral Network Directory: fields",
            "description": "Fields of the Referral Network Directory that HSDS has no column "
            "for; an attribute's value holds the field's value.",
            "version": "1",
        },
    ]
    terms = []
    for g in taxonomy.groups():
        terms.append(
            {
                "id": term_id(g.code),
                "code": g.code,
                "name": g.label,
                "description": g.label,
                "taxonomy_id": TAXONOMY_ID,
            }
        )
        for c in g.categories:
            if c.code == g.code:
                continue
            terms.append(
                {
                    "id": term_id(c.code),
                    "code": c.code,
                    "name": c.label,
                    "description": c.label,
                    "parent_id": term_id(g.code),
                    "taxonomy_id": TAXONOMY_ID,
                }
            )
    for name in (*SERVICE_FIELDS, *ORG_FIELDS, *LOCATION_FIELDS):
        terms.append(
            {
                "id": field_term_id(name),
                "code": name,
                "name": name,
                "description": f"Value of the directory field {name}",
                "taxonomy_id": FIELDS_TAXONOMY_ID,
            }
        )
    return taxonomies, terms


# --- export ---------------------------------------------------------------------------------


def _load_all(session: Session):
    orgs = session.scalars(
        select(Organization)
        .order_by(Organization.hsds_id)
        .options(
            selectinload(Organization.phones),
            selectinload(Organization.locations),
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
        )
    ).all()
    return orgs, services


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
            if (a := address_row(loc)) is not None:
                t["addresses"].append(a)
            t["attributes"] += _field_attributes(loc, LOCATION_FIELDS, "location")
    for s in services:
        t["services"].append(service_row(s))
        if s.location:
            t["service_at_location"].append(
                {
                    "id": child_id(s.hsds_id, "sal"),
                    "service_id": s.hsds_id,
                    "location_id": s.location.hsds_id,
                }
            )
            if s.accessibility and not s.location.confidential:
                t["accessibility"].append(
                    {
                        "id": child_id(s.hsds_id, "accessibility"),
                        "location_id": s.location.hsds_id,
                        "description": s.accessibility,
                    }
                )
        else:
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
        t["cost_options"].append(
            {
                "id": child_id(s.hsds_id, "cost"),
                "service_id": s.hsds_id,
                "option": s.cost,
                "amount_description": s.cost_notes,
            }
        )
        if s.required_documents:
            t["required_documents"].append(
                {
                    "id": child_id(s.hsds_id, "documents"),
                    "service_id": s.hsds_id,
                    "document": s.required_documents,
                }
            )
        if (c := contact_row(s)) is not None:
            t["contacts"].append(c)
            if (p := contact_phone_row(s)) is not None:
                t["phones"].append(p)
        t["attributes"] += attribute_rows(s)
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
            writer = csv.writer(fh)
            writer.writerow([f["name"] for f in fields])
            for row in tables[name]:
                writer.writerow([_fmt(row.get(f["name"])) for f in fields])
        descriptor = next(r for r in datapackage()["resources"] if r["name"] == RESOURCE[name])
        resources.append({**descriptor, "path": f"{name}.csv"})
    package = {k: v for k, v in datapackage().items() if k != "resources"}
    package.update({"name": "referral-network-directory", "resources": resources})
    (folder / "datapackage.json").write_text(json.dumps(package, indent=1, sort_keys=True))
    return {name: len(rows) for name, rows in tables.items()}


# --- import ---------------------------------------------------------------------------------

UUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
    r"[0-9a-fA-F]{12}$"
)
TIME_RE = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)(:([0-5]\d))?$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class NotAPackage(ValueError):
    """The folder is not an HSDS package (one line, for the CLI)."""


class ImportRejected(ValueError):
    """Some rows are bad; nothing was imported. ``problems`` are 'table:row:field: message'."""

    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} problem(s); nothing was imported.")
        self.problems = problems


# Tables in an order where every table a row refers to has been read before it, so that
# foreign keys are checked while streaming (only the ids are kept in memory).
_FIRST = ("organizations", "taxonomies", "taxonomy_terms", "locations", "services", "contacts")
READ_ORDER = (*_FIRST, *(t for t in TABLES if t not in _FIRST))
CHUNK = 5000  # rows per bulk statement on import


@dataclass
class Package:
    """A checked package on disk: its readable tables, their ids, and the problems found.
    Rows are streamed from the files, never all held in memory."""

    folder: Path
    present: set[str] = field(default_factory=set)
    ids: dict[str, set[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def rows(self, name: str):
        """``(line, row)`` of a table, keeping only non-empty values of its HSDS fields."""
        if name not in self.present:
            return
        fields = table_fields(RESOURCE[name])
        known = {f["name"] for f in fields}
        with (self.folder / f"{name}.csv").open(newline="", encoding="utf-8-sig") as fh:
            for line, raw in enumerate(csv.DictReader(fh), start=2):
                yield (
                    line,
                    {
                        k: v.strip()
                        for k, v in raw.items()
                        if k in known and isinstance(v, str) and v.strip()
                    },
                )

    def bad(self, table: str, line: int, column: str, message: str) -> None:
        self.problems.append(f"{table}:{line}:{column}: {message}")


def ensure_package(folder: Path) -> None:
    """Raise ``NotAPackage`` unless ``folder`` holds an HSDS package's core tables."""
    if not folder.is_dir():
        raise NotAPackage(f"{folder} is not a folder.")
    if not (folder / "services.csv").exists() or not (folder / "organizations.csv").exists():
        raise NotAPackage(
            f"{folder} is not an HSDS package: services.csv and organizations.csv are missing."
        )


def read_package(folder: Path, progress=None) -> Package:
    """Check every row against the HSDS field definitions (types, formats, required
    values, enumerations, unique and foreign keys), one row at a time."""
    ensure_package(folder)
    pkg = Package(folder)
    for name in READ_ORDER:
        path = folder / f"{name}.csv"
        if not path.exists():
            continue
        fields = {f["name"]: f for f in table_fields(RESOURCE[name])}
        with path.open(newline="", encoding="utf-8-sig") as fh:
            header = next(csv.reader(fh), [])
        required = [f for f, d in fields.items() if d.get("constraints", {}).get("required")]
        missing = [f for f in required if f not in header]
        for column in missing:
            pkg.bad(name, 1, column, "required column is missing")
        if missing:
            continue
        pkg.present.add(name)
        seen = pkg.ids[name] = set()
        refs = {c: t for c, t in REFERENCES.get(name, {}).items() if t in pkg.present}
        for line, row in pkg.rows(name):
            _check_row(pkg, name, line, row, fields)
            if row.get("id"):
                if row["id"] in seen:
                    pkg.bad(name, line, "id", "duplicate id")
                seen.add(row["id"])
            for column, target in refs.items():
                value = row.get(column)
                if value and value not in pkg.ids[target]:
                    pkg.bad(name, line, column, f"no {target} row with id {value}")
            if progress:
                progress(1)
    return pkg


def _check_row(pkg: Package, table: str, line: int, row: dict, fields: dict) -> None:
    for name, spec in fields.items():
        value = row.get(name) or ""
        constraints = spec.get("constraints", {})
        if "\x00" in value:
            pkg.bad(table, line, name, "contains a NUL character (\\x00)")
            continue
        if not value:
            if constraints.get("required"):
                pkg.bad(table, line, name, "required value is empty")
            continue
        kind, fmt = spec.get("type"), spec.get("format")
        if fmt == "uuid" and not UUID_RE.match(value):
            pkg.bad(table, line, name, f"not a UUID: {value[:40]!r}")
        elif fmt == "email" and not EMAIL_RE.match(value):
            pkg.bad(table, line, name, f"not an e-mail address: {value[:40]!r}")
        elif kind == "number":
            try:
                float(value)
            except ValueError:
                pkg.bad(table, line, name, f"not a number: {value[:40]!r}")
        elif kind == "date":
            try:
                date.fromisoformat(value)
            except ValueError:
                pkg.bad(table, line, name, f"not a date (YYYY-MM-DD): {value[:40]!r}")
        elif kind == "datetime":
            try:
                datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                pkg.bad(table, line, name, f"not a date-time: {value[:40]!r}")
        elif kind == "time" and not TIME_RE.match(value):
            pkg.bad(table, line, name, f"not a time (HH:MM or HH:MM:SS): {value[:40]!r}")
        if "enum" in constraints and value not in constraints["enum"]:
            pkg.bad(table, line, name, f"must be one of {', '.join(constraints['enum'])}")
    if table == "languages" and row.get("code") and not languages.canonical(row["code"]):
        pkg.bad(table, line, "code", f"unknown language code {row['code']!r} (ISO 639-1 or -3)")
    if table == "schedules" and row.get("byday"):
        days = row["byday"].split(",")
        if any(d.strip() not in BYDAY for d in days):
            pkg.bad(table, line, "byday", "days must be MO, TU, WE, TH, FR, SA or SU")


REFERENCES = {
    "services": {"organization_id": "organizations"},
    "locations": {"organization_id": "organizations"},
    "service_at_location": {"service_id": "services", "location_id": "locations"},
    "addresses": {"location_id": "locations"},
    "phones": {
        "service_id": "services",
        "organization_id": "organizations",
        "location_id": "locations",
        "contact_id": "contacts",
    },
    "schedules": {"service_id": "services", "location_id": "locations"},
    "languages": {"service_id": "services", "location_id": "locations"},
    "service_areas": {"service_id": "services"},
    "cost_options": {"service_id": "services"},
    "required_documents": {"service_id": "services"},
    "accessibility": {"location_id": "locations"},
    "contacts": {"service_id": "services", "organization_id": "organizations"},
    "taxonomy_terms": {"taxonomy_id": "taxonomies"},
    "attributes": {"taxonomy_term_id": "taxonomy_terms"},
}


def read_mapping(path: Path | None) -> dict[str, str]:
    """A mapping file: CSV with columns ``term`` (taxonomy term id, code or name) and
    ``category`` (a Section V code)."""
    if path is None:
        return {}
    mapping = {}
    with path.open(newline="", encoding="utf-8-sig") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            category = (row.get("category") or "").strip()
            if category not in taxonomy.categories():
                raise NotAPackage(f"{path.name}:{line}:category: unknown category {category!r}")
            mapping[(row.get("term") or "").strip().lower()] = category
    return mapping


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
                confidential=extra["confidential"],
                timezone=extra["timezone"],
            )
            place_location(loc)
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
                "timezone": loc.timezone,
                "confidential": loc.confidential,
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
        search.refresh_index(session, batch)


# --- API objects ----------------------------------------------------------------------------


def _clean(obj):
    """Drop empty values: the compiled HSDS schemas allow no nulls."""
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items() if v not in (None, "", [])}
    if isinstance(obj, list):
        return [_clean(v) for v in obj]
    if isinstance(obj, datetime):
        return _fmt(obj)
    if isinstance(obj, date):
        return obj.isoformat()
    return obj


def service_object(s: Service, *, full: bool = True) -> dict:
    obj = service_row(s)
    obj["organization"] = organization_row(s.organization)
    if full:
        terms = {t["id"]: t for t in taxonomy_rows()[1]}
        obj["phones"] = phone_rows(s.hsds_id, s.phones, "service")
        obj["schedules"] = schedule_rows(s)
        obj["languages"] = language_rows(s)
        obj["cost_options"] = [
            {
                "id": child_id(s.hsds_id, "cost"),
                "service_id": s.hsds_id,
                "option": s.cost,
                "amount_description": s.cost_notes,
            }
        ]
        if s.required_documents:
            obj["required_documents"] = [
                {
                    "id": child_id(s.hsds_id, "documents"),
                    "service_id": s.hsds_id,
                    "document": s.required_documents,
                }
            ]
        if (c := contact_row(s)) is not None:
            c["phones"] = [p for p in [contact_phone_row(s)] if p]
            obj["contacts"] = [c]
        obj["attributes"] = [
            {**a, "taxonomy_term": terms[a["taxonomy_term_id"]]} for a in attribute_rows(s)
        ]
        if s.location:
            obj["service_at_locations"] = [sal_object(s)]
    return _clean(obj)


def sal_object(s: Service, *, with_service: bool = False) -> dict:
    loc = s.location
    location = location_row(loc)
    if (a := address_row(loc)) is not None:
        location["addresses"] = [a]
    obj = {
        "id": child_id(s.hsds_id, "sal"),
        "service_id": s.hsds_id,
        "location_id": loc.hsds_id,
        "location": location,
    }
    if with_service:
        obj["service"] = service_object(s, full=False)
    return _clean(obj)


def organization_object(o: Organization, *, full: bool = True) -> dict:
    obj = organization_row(o)
    if full:
        obj["phones"] = phone_rows(o.hsds_id, o.phones, "organization")
        obj["locations"] = [location_row(loc) for loc in o.locations]
        obj["services"] = [service_object(s, full=False) for s in o.services]
    return _clean(obj)
