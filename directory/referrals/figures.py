"""What referrals and searches tell the network: outcomes per service (connection rate),
review flags from failed referrals, unmet searches, and the network figures."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from flask_babel import gettext as _
from sqlalchemy import String, bindparam, cast, func, select
from sqlalchemy.orm import InstrumentedAttribute

from app import csvsafe
from app.extensions import DbSession
from directory import taxonomy
from directory.models import Organization, Service, UnmetSearch
from directory.referrals.handoff import CLOSED
from directory.referrals.models import Referral, ReferralEvent


@dataclass
class Outcomes:
    referrals: int = 0
    closed: int = 0
    connected: int = 0

    @property
    def connection_rate(self) -> float | None:
        """Connected among referrals with a known outcome (pending ones excluded)."""
        return self.connected / self.closed if self.closed else None


_OUTCOMES = (
    select(Referral.service_id, Referral.status, func.count())
    .where(
        Referral.service_id.in_(bindparam("ids", expanding=True)),
        Referral.referred_on >= bindparam("since"),
    )
    .group_by(Referral.service_id, Referral.status)
)
"""Built once: search pages ask for it on every request."""


def outcomes(session: DbSession, service_ids: list[int], today: date) -> dict[int, Outcomes]:
    """Referrals of the last 12 months per service: how many, how many closed, connected."""
    out = {sid: Outcomes() for sid in service_ids}
    if not service_ids:
        return out
    params = {"ids": service_ids, "since": today - timedelta(days=365)}
    rows = session.connection().execute(_OUTCOMES, params)
    for sid, status, n in rows:
        o = out[sid]
        o.referrals += n
        if status in CLOSED:
            o.closed += n
        if status == "connected":
            o.connected += n
    return out


class AskedSearch(Protocol):
    """What a search asked: a ``search.filters.Filters`` (this layer may not import search)."""

    @property
    def categories(self) -> list[str]: ...

    @property
    def open_at(self) -> tuple[int, int] | None: ...


class SearchAnswer(Protocol):
    """A search's page of results: a ``search.query.Page``."""

    @property
    def total(self) -> int: ...

    @property
    def page(self) -> int: ...


def review_flags(session: DbSession) -> list[tuple[int, str]]:
    """Services whose referrals failed for 'not eligible' or 'no capacity' since the record
    was last verified: the directory may be wrong about them."""
    rows = session.execute(
        select(Referral.service_id, Referral.not_connected_reason, func.max(Referral.closed_on))
        .join(Service, Service.id == Referral.service_id)
        .where(
            Referral.status == "not_connected",
            Referral.not_connected_reason.in_(("not_eligible", "no_capacity")),
            (Service.last_verified.is_(None)) | (Referral.closed_on > Service.last_verified),
        )
        .group_by(Referral.service_id, Referral.not_connected_reason)
    )
    label = {
        "not_eligible": _("referral outcome: not eligible (%(date)s)"),
        "no_capacity": _("referral outcome: no capacity (%(date)s)"),
    }
    return [
        (sid, label[reason] % {"date": last.isoformat()})
        for sid, reason, last in rows
        if reason is not None and last is not None  # the query asks for both
    ]


def note_search(
    session: DbSession, filters: AskedSearch, result: SearchAnswer, today: date
) -> bool:
    """Count a search whose first page found nothing as an unmet need (not committed);
    True when it was one."""
    if result.total or result.page != 1:
        return False
    record_unmet_search(session, filters, today)
    return True


def record_unmet_search(session: DbSession, filters: AskedSearch, today: date) -> None:
    """Count a search that found nothing: categories and filter names/values only."""
    parts: list[str] = []
    for name in ("languages", "modalities"):
        if values := getattr(filters, name):
            parts.append(f"{name}={','.join(values)}")
    for name in ("age", "gender", "radius_km", "aaaq_min"):
        if (value := getattr(filters, name)) is not None:
            parts.append(f"{name}={value}")
    for name in (
        "open_now",
        "free",
        "undocumented_ok",
        "no_id_required",
        "walk_in",
        "has_capacity",
    ):
        if getattr(filters, name):
            parts.append(name)
    if filters.open_at:
        parts.append("open_at")
    session.add(
        UnmetSearch(
            searched_on=today,
            categories=" ".join(filters.categories),
            filters=" ".join(parts)[:500],
        )
    )


def figures(session: DbSession, since: date) -> dict:
    """Referrals per category (group) per month, connection rate, unmet needs."""
    month = func.substr(cast(Referral.referred_on, String), 1, 7)
    rows = session.execute(
        select(month.label("month"), Service.category, Referral.status, func.count())
        .join(Service, Service.id == Referral.service_id)
        .where(Referral.referred_on >= since)
        .group_by("month", Service.category, Referral.status)
    ).all()
    by_month: dict[tuple[str, str], dict] = {}
    for m, category, status, n in rows:
        group = taxonomy.categories()[category].group if category in taxonomy.categories() else "?"
        cell = by_month.setdefault((m, group), {"referrals": 0, "closed": 0, "connected": 0})
        cell["referrals"] += n
        cell["closed"] += n if status in CLOSED else 0
        cell["connected"] += n if status == "connected" else 0
    table = [
        {
            "month": m,
            "group": g,
            **c,
            "connection_rate": round(c["connected"] / c["closed"], 3) if c["closed"] else None,
        }
        for (m, g), c in sorted(by_month.items())
    ]
    unmet = session.execute(
        select(UnmetSearch.categories, UnmetSearch.filters, func.count())
        .where(UnmetSearch.searched_on >= since)
        .group_by(UnmetSearch.categories, UnmetSearch.filters)
        .order_by(func.count().desc())
        .limit(50)
    ).all()
    totals = {
        "referrals": sum(r["referrals"] for r in table),
        "closed": sum(r["closed"] for r in table),
        "connected": sum(r["connected"] for r in table),
    }
    totals["connection_rate"] = (
        round(totals["connected"] / totals["closed"], 3) if totals["closed"] else None
    )
    return {
        "since": since,
        "by_month": table,
        "totals": totals,
        "unmet": [
            {"categories": c or "(any)", "filters": f or "(none)", "searches": n}
            for c, f, n in unmet
        ],
    }


def figures_csv(figures: dict) -> str:
    """``figures`` as CSV: month, group, referrals, closed, connected, rate; then the unmet
    needs."""
    out = io.StringIO()
    writer = csvsafe.Writer(out)
    writer.header(["month", "group", "referrals", "closed", "connected", "connection_rate"])
    for row in figures["by_month"]:
        writer.row(
            [
                row["month"],
                row["group"],
                row["referrals"],
                row["closed"],
                row["connected"],
                row["connection_rate"],
            ]
        )
    writer.blank()
    writer.header(["unmet need: categories", "filters", "searches"])
    for row in figures["unmet"]:
        writer.row([row["categories"], row["filters"], row["searches"]])
    return out.getvalue()


# --- the loop's funnel (sent referrals): what the network learns, de-identified -----------

SMALL = 5
FEWER_THAN_5 = "fewer than 5"
FUNNEL = (
    "sent",
    "accepted",
    "waitlisted",
    "declined",
    "arrived",
    "completed",
    "could_not_help",
    "cancelled",
    "expired",
)


def suppress(n: int) -> int | str:
    """A count as shown: 1 to 4 become "fewer than 5" (a small count can point at one
    client); 0 stays 0 (it points at nobody)."""
    return FEWER_THAN_5 if 0 < n < SMALL else n


def loop_funnel(
    session: DbSession, by: str, since: datetime, org_id: int | None = None
) -> list[dict]:
    """Per partner (``by="partner"``) or category: sent → accepted → arrived → completed
    (and the other states), median hours to the partner's first answer, decline reasons,
    the expired share. Read from the de-identified events only (they outlive the purge),
    so no row names a referral. Counts under 5 suppressed; a median or share is given
    only when the count it rests on is 5 or more."""
    key = ReferralEvent.organization_id if by == "partner" else ReferralEvent.category
    groups = _funnel_counts(session, key, since, org_id)
    waits = _answer_waits(session, key, since, org_id)
    names = _partner_names(session, groups) if by == "partner" else {}
    out = []
    for group, g in groups.items():
        counts, sent = g["counts"], g["counts"]["sent"]
        waited = waits.get(group, [])
        if by == "partner":
            label = names.get(group, "?")
        else:
            category = taxonomy.categories().get(group or "")
            label = category.label if category else (group or "?")
        out.append(
            {
                "key": group,
                "label": label,
                **{state: suppress(n) for state, n in counts.items()},
                "median_hours_to_answer": round(_median(waited) / 3600, 1)
                if len(waited) >= SMALL
                else None,
                "decline_reasons": {r: suppress(n) for r, n in sorted(g["reasons"].items())},
                "expired_share": round(counts["expired"] / sent, 3) if sent >= SMALL else None,
            }
        )
    return sorted(out, key=lambda row: str(row["label"]))


def _funnel_counts(
    session: DbSession, key: InstrumentedAttribute, since: datetime, org_id: int | None
) -> dict:
    """Per group (``key``'s value): how many events reached each state of the funnel, and
    the decline reasons with their counts."""
    stmt = select(key, ReferralEvent.state, ReferralEvent.reason_code, func.count()).where(
        ReferralEvent.at >= since
    )
    if org_id is not None:
        stmt = stmt.where(ReferralEvent.organization_id == org_id)
    rows = session.execute(stmt.group_by(key, ReferralEvent.state, ReferralEvent.reason_code)).all()
    groups: dict = {}
    for group, state, reason, n in rows:
        g = groups.setdefault(group, {"counts": dict.fromkeys(FUNNEL, 0), "reasons": {}})
        if state in g["counts"]:
            g["counts"][state] += n
        if state == "declined" and reason:
            g["reasons"][reason] = g["reasons"].get(reason, 0) + n
    return groups


def _answer_waits(
    session: DbSession, key: InstrumentedAttribute, since: datetime, org_id: int | None
) -> dict:
    """Per group: the seconds each first answer took."""
    answers = session.execute(
        select(key, ReferralEvent.answer_seconds).where(
            ReferralEvent.at >= since,
            ReferralEvent.answer_seconds.is_not(None),
            *([ReferralEvent.organization_id == org_id] if org_id is not None else []),
        )
    ).all()
    waits: dict = {}
    for group, seconds in answers:
        waits.setdefault(group, []).append(seconds)
    return waits


def _partner_names(session: DbSession, groups: dict) -> dict:
    """The names of the partners (organization ids) among ``groups``."""
    ids = [g for g in groups if g is not None]
    names = (
        dict(
            session.execute(
                select(Organization.id, Organization.name).where(Organization.id.in_(ids))
            ).all()
        )
        if ids
        else {}
    )
    return names


def _median(values: list[int]) -> float:
    ordered, mid = sorted(values), len(values) // 2
    return float(ordered[mid]) if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
