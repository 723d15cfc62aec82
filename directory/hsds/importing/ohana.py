"""The Ohana API's CSV shape (the HSDS 1.0 era: Code for America's Ohana, San Mateo
County's and other early feeds) read as the 1.x tables ``legacy`` translates, so that
checking and loading stay one path.

Recognised by its files (``mail_addresses.csv``, or ``addresses.csv`` with
``services.location_id`` and no service-at-location table), with or without a
``datapackage.json``. What differs from 1.x, and how it is read:

- ``addresses.csv`` / ``mail_addresses.csv`` are the physical and postal addresses;
- ``services.location_id`` is the service's place (a service-at-location row);
- ``services.languages`` and ``locations.languages`` are comma-separated language names;
- ``services.eligibility``, ``services.required_documents`` are text columns of the
  service; ``locations.accessibility`` a comma-separated list (``disabled_parking, ramp``);
- ``phones.number_type`` is the phone's type, ``phones.country_prefix`` its country code;
- ``organizations.website`` and ``services.website`` are the web addresses;
- ``taxonomy.csv`` names its ids ``taxonomy_id`` (``101-01``: kept as the term's code).
"""

from __future__ import annotations

from collections.abc import Iterator

from directory.hsds.importing.source import Source

# Ohana file stem → the 1.x table it is read as
FILES = {"addresses": "physical_addresses", "mail_addresses": "postal_addresses"}

# per 1.x table: {1.x column: Ohana column} where the names differ
RENAMED = {
    "organizations": {"url": "website"},
    "services": {"url": "website"},
    "phones": {"type": "number_type"},
    "taxonomy": {"id": "taxonomy_id"},
}

# tables made from a column of another file: table → (file, columns it is made from)
VIRTUAL = {
    "services_at_location": ("services", {"location_id"}),
    "eligibility": ("services", {"eligibility"}),
    "required_documents": ("services", {"required_documents"}),
    "languages": ("services", {"languages"}),
    "location_languages": ("locations", {"languages"}),
    "accessibility_for_disabilities": ("locations", {"accessibility"}),
}

# Ohana columns read under another name, for the report's "not kept" list
USED = {
    "organizations": {"website"},
    "services": {"website", "location_id", "eligibility", "required_documents", "languages"},
    # (an Ohana service's organization is its location's: services.location_id)
    "locations": {"accessibility", "languages"},
    "phones": {"number_type", "country_prefix"},
    "taxonomy": {"taxonomy_id"},
}


def recognise(src: Source) -> bool:
    """Whether the package is in the Ohana CSV shape (then its files are renamed to the 1.x
    tables they are read as)."""
    files = set(src.files)
    if "mail_addresses" not in files and not (
        "addresses" in files
        and "location_id" in src.header("services")
        and not files & {"services_at_location", "service_at_location"}
    ):
        return False
    if files & {"schedules", "taxonomy_terms", "attributes", "service_at_location"}:
        return False  # a 3.x package that happens to hold an addresses.csv
    for stem, table in FILES.items():
        if stem in src.files:
            src.files[table] = src.files.pop(stem)
    src.virtual = {table: file for table, (file, _cols) in VIRTUAL.items() if file in src.files}
    src.version = "1.0"
    src.evidence = ", ".join(
        sorted(
            [f"{s}.csv" for s in FILES if FILES[s] in src.files]
            + (["services.location_id"] if "location_id" in src.header("services") else [])
        )
    )
    return True


def _split(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def records(src: Source, table: str) -> Iterator[tuple[int, dict[str, str]]]:
    """``(line, raw row)`` of a 1.x table as the Ohana files give it."""
    if table in getattr(src, "virtual", {}):
        yield from _virtual(src, table)
        return
    renamed = RENAMED.get(table, {})
    owners = _location_owners(src) if table == "services" else {}
    for line, raw in src.records(table):
        row = {k: v for k, v in raw.items() if isinstance(k, str)}
        for new, old in renamed.items():
            if old in row and not row.get(new):
                row[new] = row[old]
        if table == "services" and not (row.get("organization_id") or "").strip():
            # an Ohana service belongs to its location, the location to its organization
            row["organization_id"] = owners.get((row.get("location_id") or "").strip(), "")
        if table == "phones" and row.get("country_prefix") and row.get("number"):
            prefix = row["country_prefix"].strip().lstrip("+")
            if not row["number"].strip().startswith("+"):
                row["number"] = f"+{prefix} {row['number']}"
        yield line, row


def _location_owners(src: Source) -> dict[str, str]:
    """Each location's organization (an Ohana service's organization is its location's)."""
    if "locations" not in src.files:
        return {}
    return {
        (raw.get("id") or "").strip(): (raw.get("organization_id") or "").strip()
        for _, raw in src.records("locations")
    }


def _virtual(src: Source, table: str) -> Iterator[tuple[int, dict[str, str]]]:
    file, _cols = VIRTUAL[table]
    for line, raw in src.records(file):
        rid = (raw.get("id") or "").strip()
        if not rid:
            continue
        if table == "services_at_location" and (loc := (raw.get("location_id") or "").strip()):
            yield line, {"id": f"{rid}@{loc}", "service_id": rid, "location_id": loc}
        elif table == "eligibility" and (text := (raw.get("eligibility") or "").strip()):
            yield line, {"id": f"{rid}/eligibility", "service_id": rid, "eligibility": text}
        elif table == "required_documents" and (
            text := (raw.get("required_documents") or "").strip()
        ):
            yield line, {"id": f"{rid}/documents", "service_id": rid, "document": text}
        elif table == "accessibility_for_disabilities" and (
            text := (raw.get("accessibility") or "").strip()
        ):
            yield line, {"id": f"{rid}/accessibility", "location_id": rid, "accessibility": text}
        elif table in ("languages", "location_languages"):
            owner = "service_id" if table == "languages" else "location_id"
            for i, name in enumerate(_split(raw.get("languages", ""))):
                yield line, {"id": f"{owner}/{rid}/{i}", owner: rid, "language": name}
