"""Loading the demo directory and the international organizations from ``seeds/``.

Idempotent: organizations are matched by name and services by (organization, name), so
loading twice adds nothing and never overwrites a coordinator's edits. Every record goes
through the same schemas as the API, so a bad seed file fails loudly.
"""

from __future__ import annotations

from datetime import timedelta

import yaml
from marshmallow import Schema, ValidationError
from sqlalchemy import func, select

from app import clock
from app.extensions import DbSession
from directory import hours
from directory.catalog import records
from directory.catalog.schemas import OrganizationInSchema, ServiceInSchema
from directory.models import Organization
from directory.taxonomy import SEEDS


class SeedError(ValueError):
    """A seed file does not validate; the message names the record and field."""


def directory_has_data(session: DbSession) -> bool:
    return bool(session.scalar(select(func.count()).select_from(Organization)))


def _validate(schema: Schema, data: dict, where: str) -> dict:
    try:
        return schema.load(data)
    except ValidationError as exc:
        raise SeedError(f"{where}: {exc.messages}") from exc


def load_organizations(session: DbSession, orgs: list[dict], *, is_demo: bool) -> dict:
    """Create the organizations and services not yet present; counts what exists and what
    was created."""
    counts = {"organizations": 0, "services": 0, "created": 0}
    for raw in orgs:
        raw = dict(raw)
        locations = raw.pop("locations", {}) or {}
        services = raw.pop("services", []) or []
        raw.pop("is_demo", None)
        org = session.scalar(select(Organization).where(Organization.name == raw["name"]))
        if org is None:
            org = records.create_organization(
                session, _validate(OrganizationInSchema(), raw, raw["name"])
            )
            org.is_demo = is_demo
            counts["created"] += 1
        counts["organizations"] += 1
        existing = {s.name for s in org.services}
        shared_locations: dict[str, object] = {}
        for s_raw in services:
            counts["services"] += 1
            if s_raw["name"] in existing:
                continue
            s_raw = dict(s_raw)
            days_ago = s_raw.pop("verified_days_ago", None)
            key = s_raw.pop("location", None)
            if isinstance(s_raw.get("hours"), str):
                s_raw["hours"] = hours.parse_week(s_raw["hours"])
            s_raw["organization_id"] = org.id
            if key and key not in shared_locations:
                s_raw["location"] = locations[key]
            data = _validate(ServiceInSchema(), s_raw, f"{org.name} / {s_raw['name']}")
            if key in shared_locations:
                data["location_id"] = shared_locations[key]
            service = records.create_service(session, data)
            if key and key not in shared_locations:
                shared_locations[key] = service.location_id
            if days_ago is not None:
                service.last_verified = clock.today() - timedelta(days=days_ago)
            counts["created"] += 1
    session.flush()
    return counts


def load_demo(session: DbSession) -> dict:
    """The demo directory plus the international organizations of Section V."""
    demo = yaml.safe_load((SEEDS / "demo" / "directory.yaml").read_text())
    counts = load_organizations(session, demo["organizations"], is_demo=True)
    intl = yaml.safe_load((SEEDS / "international.yaml").read_text())
    intl_orgs = [
        {
            "name": o["name"],
            "website": o["website"],
            "kind": "international",
            "scope": "international",
            "services": [
                {
                    "name": o["name"],
                    "category": "international",
                    "languages": ["en", "fr", "es"],
                    "modalities": "phone video",
                    "description": (
                        "International organization listed in Section V of the ICMEC toolkit."
                    ),
                }
            ],
        }
        for o in intl["organizations"]
    ]
    more = load_organizations(session, intl_orgs, is_demo=False)
    return {k: counts[k] + more[k] for k in counts}
