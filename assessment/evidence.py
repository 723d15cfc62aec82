"""What the directory says about the questions it can answer.

Beside the ICMEC item on "easily accessible, up-to-date lists of relevant external
agencies" (and the self-assessment's items on a dynamic directory and an easy list of
resources) sits evidence computed from the directory: for each area the item names, how
many active services are listed and how many were verified recently. Domain 12's list of
facilities is the directory's health and mental-health services with their current AAAQ.
The respondent still answers; the evidence only sits beside the question.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import Integer, func, select
from sqlalchemy.orm import selectinload

from app.extensions import DbSession
from assessment.instruments import SERVICE, of
from directory import aaaq, taxonomy
from directory.models import Organization, Service


def _counts_by_category(session: DbSession, today: date) -> dict[str | None, tuple[int, int]]:
    """category → (active services, of which verified within the review period)."""
    fresh_since = today - timedelta(days=current_app.config["STALE_AFTER_DAYS"])
    rows = session.execute(
        select(
            Service.category,
            func.count(),
            func.sum((Service.last_verified >= fresh_since).cast(Integer)),
        )
        .join(Service.organization)
        .where(Service.status == "active", Organization.status == "active")
        .group_by(Service.category)
    )
    return {cat: (n, int(verified or 0)) for cat, n, verified in rows}


def external_agencies(session: DbSession, today: date) -> list[dict]:
    """Per area of the ICMEC item: services listed, verified, and a status word."""
    counts = _counts_by_category(session, today)
    out = []
    for area in of(SERVICE).evidence["external_agencies"]:
        codes, _ = taxonomy.expand(area["categories"])
        active = sum(counts.get(c, (0, 0))[0] for c in codes)
        verified = sum(counts.get(c, (0, 0))[1] for c in codes)
        if not codes:
            status = "no directory category"
        elif verified:
            status = "current"
        elif active:
            status = "stale only"
        else:
            status = "none listed"
        out.append(
            {
                "area": area["area"],
                "active": active,
                "verified": verified,
                "stale": active - verified,
                "status": status,
            }
        )
    return out


def directory_summary(session: DbSession, today: date) -> dict:
    """The directory as a whole: services, verified share, categories covered."""
    counts = _counts_by_category(session, today)
    active = sum(n for n, _ in counts.values())
    verified = sum(v for _, v in counts.values())
    covered = sum(1 for c in taxonomy.categories() if counts.get(c, (0, 0))[0])
    return {
        "active": active,
        "verified": verified,
        "categories_covered": covered,
        "categories": len(taxonomy.categories()),
    }


def available_services(session: DbSession, organization_id: int | None, today: date) -> list[dict]:
    """Domain 12: the facility's own services first, then the directory's health and
    mental-health services, each with its current AAAQ."""
    codes, _ = taxonomy.expand(["health", "mental_health"])
    services = session.scalars(
        select(Service)
        .join(Service.organization)
        .where(
            Service.category.in_(codes), Service.status == "active", Organization.status == "active"
        )
        .options(selectinload(Service.organization))
        .order_by(Service.category, Service.name)
    ).all()
    services = sorted(services, key=lambda s: s.organization_id != organization_id)
    summaries = aaaq.summaries(session, [s.id for s in services], today)
    return [
        {
            "service": s,
            "own": s.organization_id == organization_id,
            "category": taxonomy.categories()[s.category].label,
            "aaaq": summaries[s.id].as_dict(),
        }
        for s in services
        if s.category is not None  # always: the query asks for these categories
    ]


def for_item(session: DbSession, evidence: str | None, today: date) -> dict[str, Any] | None:
    """The evidence shown beside an item, by the kind the instrument names."""
    if evidence == "external_agencies":
        return {"kind": "external_agencies", "rows": external_agencies(session, today)}
    if evidence == "directory":
        return {"kind": "directory", **directory_summary(session, today)}
    return None
