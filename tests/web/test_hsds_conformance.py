"""Conformance with the HSDS 3.0 API specification (issue #17), written from the spec's
``openapi.json`` (``seeds/hsds/openapi.json``, openreferral/specification branch 3.0):
every path of the spec is walked on a populated directory as a validator does it (each
list endpoint's first, middle and last page, then every parameter the spec gives it, then
the ``/{id}`` endpoints with the ids collected from the answers), and each answer is
validated against the schema the spec names for it, with format checks (uuid, uri, date,
date-time, email). Any 404, 5xx or schema error fails.

The spec's response schemas are remote ``$ref``s to the compiled schemas; they are served
from ``tests/data/hsds`` (copies from the same commit), nothing is downloaded.
"""

from __future__ import annotations

import json
import math
import re
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import rfc3986
import rfc3986.exceptions
import rfc3986.validators
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from sqlalchemy import select

from app.extensions import db
from directory import seeding
from directory.hsds import mapping
from directory.models import Service
from directory.service_locations import ServiceAtLocation, ServiceAtLocationHours
from directory.source_terms import ServiceTerm, SourceTaxonomy, SourceTerm
from tests.factories import LocationFactory, OrganizationFactory, ServiceFactory

ROOT = Path(__file__).resolve().parents[2]
SPEC = json.loads((ROOT / "seeds" / "hsds" / "openapi.json").read_text(encoding="utf-8"))
SCHEMAS = ROOT / "tests" / "data" / "hsds"
REMOTE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
SPEC_URI = "urn:hsds-3.0:openapi.json"
PAGE_FIELDS = ("total_items", "total_pages", "page_number", "size", "first_page", "last_page")
SECRET = {"street": "13 Secret Row", "postal": "60699", "lat": "41.90017", "lon": "-87.70013"}

checker = FormatChecker()
_DATE_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


_URI = rfc3986.validators.Validator().require_presence_of("scheme")


@checker.checks("uri")
def _uri(value) -> bool:
    if not isinstance(value, str):
        return True
    try:
        _URI.validate(rfc3986.uri_reference(value))
    except rfc3986.exceptions.RFC3986Exception:
        return False
    return True


@checker.checks("date-time")
def _date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    return bool(_DATE_TIME.fullmatch(value)) and bool(
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    )


def _registry() -> Registry:
    resources = [(SPEC_URI, Resource.from_contents(SPEC, default_specification=DRAFT202012))]
    for path in SCHEMAS.glob("*.json"):
        contents = json.loads(path.read_text(encoding="utf-8"))
        folder = "" if path.stem in ("taxonomy", "taxonomy_term", "metadata") else "compiled/"
        uri = REMOTE + folder + path.name
        resources.append((uri, Resource.from_contents(contents, default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def _pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def validator(path: str) -> Draft202012Validator:
    """The validator of the 200 answer the spec gives ``GET path``."""
    ref = (
        SPEC_URI
        + "#/"
        + _pointer(
            "paths", path, "get", "responses", "200", "content", "application/json", "schema"
        )
    )
    return Draft202012Validator({"$ref": ref}, registry=REGISTRY, format_checker=checker)


def compiled(name: str) -> Draft202012Validator:
    return Draft202012Validator(
        {"$ref": REMOTE + "compiled/" + name + ".json"}, registry=REGISTRY, format_checker=checker
    )


def item_validator(path: str) -> Draft202012Validator:
    """The validator of one item of a list endpoint's ``contents`` (for ndjson lines)."""
    ref = SPEC_URI + "#/" + _pointer(
        "paths", path, "get", "responses", "200", "content", "application/json", "schema",
        "properties", "contents", "items",
    )  # fmt: skip
    return Draft202012Validator({"$ref": ref}, registry=REGISTRY, format_checker=checker)


class Walk:
    """The client side of the walk: every answer checked and counted."""

    def __init__(self, client, headers):
        self.client, self.headers = client, headers
        self.requests = 0
        self.pages = 0

    def get(self, url: str, path: str):
        response = self.client.get("/api/hsds" + url, headers=self.headers)
        self.requests += 1
        assert response.status_code == 200, (url, response.status_code, response.text[:300])
        if response.mimetype == "application/x-ndjson":
            check = item_validator(path)
            items = [json.loads(line) for line in response.text.splitlines()]
            for item in items:
                _valid(check, item, url)
            return {"contents": items, "ndjson": True}
        body = response.get_json()
        _valid(validator(path), body, url)
        if "contents" in body:
            self.pages += 1
            assert all(k in body for k in PAGE_FIELDS), (url, sorted(body))
            assert body["size"] == len(body["contents"])
        return body


def _valid(check: Draft202012Validator, instance, url: str) -> None:
    errors = sorted(check.iter_errors(instance), key=lambda e: list(e.absolute_path))
    assert not errors, (url, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]])


def populate() -> dict:
    """The demo directory plus what a validator must also meet: a confidential location,
    an inactive service, an uncategorized one, a location shared by several services and
    services without a location."""
    seeding.load_demo(db.session)
    db.session.commit()
    org = OrganizationFactory(name="Conformance Organization")
    secret = LocationFactory(
        organization=org,
        address_1=SECRET["street"],
        postal_code=SECRET["postal"],
        latitude=float(SECRET["lat"]),
        longitude=float(SECRET["lon"]),
        confidential=True,
    )
    shared = LocationFactory(organization=org, name="Shared hall")
    made = {
        "confidential": ServiceFactory(
            organization=org,
            location=secret,
            category="shelter.adults_hte",
            handoff_name="Internal Hand-off Person",
            handoff_phone="+13125557391",
            handoff_notes="internal hand-off note",
        ),
        "inactive": ServiceFactory(organization=org, location=shared, status="inactive"),
        "uncategorized": ServiceFactory(organization=org, location=shared, category=None),
        "shared": ServiceFactory(organization=org, location=shared),
        "nowhere": ServiceFactory(organization=org, location=None, category="hotline.suicide"),
    }
    # a service at two places, the second with hours of its own, filed under a term of a
    # source's own taxonomy (a child term whose parent is kept too)
    annex = LocationFactory(organization=org, name="Annex hall")
    two = made["shared"]
    db.session.add_all(
        [
            ServiceAtLocation(service_id=two.id, location_id=shared.id),
            ServiceAtLocation(
                hsds_id="3f0f3c1e-8a4b-4c55-9d55-2b1a7e0c9a10",
                service_id=two.id,
                location_id=annex.id,
                description="Saturdays at the annex",
            ),
        ]
    )
    source = SourceTaxonomy(hsds_id="airs", name="AIRS", import_source="conformance")
    db.session.add(source)
    db.session.flush()
    place = db.session.scalar(
        select(ServiceAtLocation).where(ServiceAtLocation.location_id == annex.id)
    )
    db.session.add(ServiceAtLocationHours(sal_id=place.id, weekday=5, opens=600, closes=720))
    parent = SourceTerm(hsds_id="BD", taxonomy_id=source.id, code="BD", name="Basic Needs")
    child = SourceTerm(
        hsds_id="BD-1800",
        taxonomy_id=source.id,
        parent_hsds_id="BD",
        code="BD-1800",
        name="Food",
    )
    db.session.add_all([parent, child])
    db.session.flush()
    db.session.add(ServiceTerm(service_id=two.id, term_id=child.id, value="BD-1800"))
    db.session.commit()
    return {k: v.hsds_id for k, v in made.items()}


def _middle(pages: int) -> list[int]:
    return sorted({1, max(1, math.ceil(pages / 2)), pages})


def _value(name: str, ids: dict) -> dict:
    """A sensible value for each parameter the spec defines."""
    return {
        "search": {"search": "shelter"},
        "page": {"page": "2"},
        "per_page": {"per_page": "7"},
        "format": {"format": "ndjson"},
        "taxonomy_term_id": {"taxonomy_term_id": mapping.term_id("shelters")},
        "taxonomy_id": {"taxonomy_id": mapping.TAXONOMY_ID},
        "organization_id": {"organization_id": ids["organization"]},
        "modified_after": {"modified_after": "2000-01-01T00:00:00Z"},
        "minimal": {"minimal": "true"},
        "full": {"full": "true"},
        "full_service": {"full_service": "true"},
        "postcode": {"postcode": "60601", "proximity": "50000"},
        "proximity": {"postcode": "60201", "proximity": "8000"},
        "top_only": {"top_only": "true"},
        "parent_id": {"parent_id": mapping.term_id("shelters")},
    }[name]


def _parameters(operation: dict) -> list[str]:
    names = []
    for p in operation.get("parameters", []):
        if "$ref" in p:
            p = SPEC["components"]["parameters"][p["$ref"].rsplit("/", 1)[1]]
        if p["in"] == "query":
            names.append(p["name"])
    return names


def conformance_walk(client, headers) -> Walk:
    walk = Walk(client, headers)
    root = walk.get("/", "/")
    assert root["version"].startswith("3.")
    served = client.get(urlsplit(root["openapi_url"]).path, headers=headers)
    walk.requests += 1
    spec_paths = set(SPEC["paths"])
    assert served.status_code == 200
    assert set(served.get_json()["paths"]) == spec_paths
    ids: dict[str, set] = {p: set() for p in spec_paths if p.endswith("/{id}")}
    first_org = None
    lists = sorted(p for p in spec_paths if p != "/" and "{" not in p)
    for path in lists:
        body = walk.get(f"{path}?per_page=5", path)
        for page in _middle(body["total_pages"]):
            body = walk.get(f"{path}?per_page=5&page={page}", path)
            _collect(body["contents"], path, ids)
        first_org = first_org or next(iter(sorted(ids["/organizations/{id}"])), None)
    for path in lists:
        for name in _parameters(SPEC["paths"][path]["get"]):
            query = _value(name, {"organization": first_org})
            url = path + "?" + "&".join(f"{k}={v}" for k, v in query.items())
            body = walk.get(url, path)
            _collect(body["contents"], path, ids)
    for path, found in sorted(ids.items()):
        assert found, f"no ids collected for {path}"
        for hsds_id in sorted(found):
            params = "?full_service=true" if path.startswith("/organizations") else ""
            body = walk.get(path.replace("{id}", hsds_id) + params, path)
            if path == "/service_at_locations/{id}":
                # the 3.0 spec names the service schema here; it is a service at location
                _valid(compiled("service_at_location"), body, path)
            _collect([body], path.rsplit("/", 1)[0], ids, nested_only=True)
    return walk


def _collect(items: list, path: str, ids: dict, *, nested_only: bool = False) -> None:
    """The ids a validator follows: each item's own, and those nested in it."""
    own = f"{path}/{{id}}"
    for item in items:
        if not nested_only and own in ids:
            ids[own].add(item["id"])
        service = item.get("service") or item
        for attribute in service.get("attributes", []):
            ids["/taxonomy_terms/{id}"].add(attribute["taxonomy_term_id"])
        for sal in service.get("service_at_locations", []):
            ids["/service_at_locations/{id}"].add(sal["id"])
        if org := service.get("organization_id"):
            ids["/organizations/{id}"].add(org)
        if tax := item.get("taxonomy_id"):
            ids["/taxonomies/{id}"].add(tax)


@pytest.fixture
def populated(app):
    return populate()


def test_every_endpoint_of_the_spec_conforms(client, token, populated, capsys):
    started = time.perf_counter()
    walk = conformance_walk(client, token("viewer"))
    seconds = time.perf_counter() - started
    with capsys.disabled():
        print(f"\nHSDS conformance: {walk.requests} requests, {walk.pages} pages, {seconds:.1f} s")
    assert walk.pages >= 5 * 3


def test_the_directory_holds_what_the_walk_must_meet(client, token, populated):
    headers = token("viewer")
    listed = client.get("/api/hsds/services?format=ndjson", headers=headers).text
    assert populated["inactive"] not in listed  # not listed without modified_after
    synced = client.get(
        "/api/hsds/services?format=ndjson&modified_after=2000-01-01", headers=headers
    ).text
    assert populated["inactive"] in synced
    assert '"status": "inactive"' in synced
    sal = client.get(
        "/api/hsds/service_at_locations?format=ndjson&search=Test Service", headers=headers
    ).text
    shared = [json.loads(line) for line in sal.splitlines()]
    by_location = {}
    for row in shared:
        by_location.setdefault(row["location_id"], set()).add(row["service_id"])
    assert any(len(services) >= 2 for services in by_location.values())
    # the service at two places is two rows, each at its own place
    two = [r["location_id"] for r in shared if r["service_id"] == populated["shared"]]
    assert len(two) == len(set(two)) == 2
    terms = client.get("/api/hsds/taxonomy_terms?format=ndjson", headers=headers).text
    assert '"code": "BD-1800"' in terms
    assert populated["nowhere"] not in sal
    uncategorized = db.session.scalar(
        select(Service).where(Service.hsds_id == populated["uncategorized"])
    )
    assert uncategorized.category is None
