"""Warm hand-off referrals: record, follow up, close; and what their outcomes say.

The toolkit's warm hand-off: the professional contacts the partner directly, or helps the
client call from the facility, with the client's permission; then the facility finds out
whether the client got there. A referral holds no client identity: a case reference chosen
by the facility (checked so it cannot be a name, phone, e-mail or date), and notes checked
like feedback notes. Case managers see their own referrals; coordinators see all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Integer, String, bindparam, cast, func, select
from sqlalchemy.orm import Session, selectinload

from app import audit
from app.models import User
from directory import identifiers, taxonomy
from directory.feedback import IdentifiersFound, check_text
from directory.models import Referral, Service, UnmetSearch
from directory.records import StaleVersion

CLOSED = ("connected", "not_connected", "declined", "unreachable")
CASE_REF_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-_/.#]{2,39}$")
DEFAULT_FOLLOW_UP_DAYS = 7


class InvalidReferral(ValueError):
    """A referral breaks a rule; ``errors`` names the fields."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


class NotYours(LookupError):
    """The referral does not exist for this user (answered as 404, never 403)."""


def case_reference_problem(ref: str) -> str | None:
    """Why ``ref`` cannot be a case reference, or None. A case reference is the facility's
    own code (e.g. ``HT-2026-014``): 3–40 letters, digits and - _ / . #, with a digit."""
    ref = (ref or "").strip()
    if not CASE_REF_RE.match(ref):
        return (
            "Use the facility's own code (3–40 letters, digits and - _ / . #, e.g. "
            "HT-2026-014), never the client's name, phone, e-mail or date of birth."
        )
    if not any(ch.isdigit() for ch in ref):
        return "A case reference needs at least one digit (a word alone may be a name)."
    if len(re.sub(r"\D", "", ref)) >= 10 or identifiers.looks_like_phone(ref):
        return "This looks like a phone or ID number; use the facility's case code."
    kinds = {f.kind for f in identifiers.find(ref)} - {"id_number", "phone"}
    if kinds:
        return "This looks like a date or e-mail address; use the facility's case code."
    return None


def create(session: Session, data: dict, user: User, today: date) -> Referral:
    """Record a referral (validated by ``schemas.ReferralInSchema``); not committed."""
    errors: dict[str, list[str]] = {}
    if problem := case_reference_problem(data["case_reference"]):
        errors["case_reference"] = [problem]
    if not data.get("consent"):
        errors["consent"] = ["The client's consent is required before referring."]
    service = session.get(Service, data["service_id"])
    if service is None or service.status != "active":
        errors["service_id"] = ["No such active service."]
    follow_up = data.get("follow_up_on") or today + timedelta(days=DEFAULT_FOLLOW_UP_DAYS)
    if follow_up < today:
        errors["follow_up_on"] = ["The follow-up date cannot be in the past."]
    for field in ("consent_shared", "outcome_note"):
        try:
            check_text(field, data.get(field))
        except IdentifiersFound as exc:
            errors.update(exc.errors)
    if errors:
        raise InvalidReferral(errors)
    referral = Referral(
        service_id=service.id,
        case_manager_id=user.id,
        case_reference=data["case_reference"].strip(),
        handoff=data["handoff"],
        consent=True,
        consent_shared=data.get("consent_shared"),
        need=data.get("need") or service.category,
        interpreter_language=data.get("interpreter_language"),
        follow_up_on=follow_up,
        status="pending",
        referred_on=today,
        outcome_note=data.get("outcome_note"),
    )
    session.add(referral)
    session.flush()
    return referral


def visible(user: User):
    """The referrals ``user`` may see, as a query."""
    stmt = select(Referral)
    if not user.has_role("coordinator"):
        stmt = stmt.where(Referral.case_manager_id == user.id)
    return stmt


def get(session: Session, referral_id: int, user: User) -> Referral:
    """One referral the user may see (audited read); ``NotYours`` otherwise."""
    referral = session.scalar(visible(user).where(Referral.id == referral_id))
    if referral is None:
        audit.record(session, "read", "referrals", referral_id, outcome="refused")
        session.commit()
        raise NotYours(f"No referral with id {referral_id}.")
    audit.record(session, "read", "referrals", referral_id, parent=f"referrals:{referral_id}")
    return referral


def listing(
    session: Session,
    user: User,
    *,
    due: bool,
    today: date,
    status: str | None = None,
    limit: int = 200,
) -> list[Referral]:
    """The user's referrals: with ``due``, pending ones whose follow-up date has come,
    oldest first; else open ones first, then the rest, newest first. Audited."""
    stmt = visible(user).options(selectinload(Referral.service).selectinload(Service.organization))
    if due:
        stmt = stmt.where(Referral.status == "pending", Referral.follow_up_on <= today)
        stmt = stmt.order_by(Referral.follow_up_on, Referral.id)
    else:
        if status:
            stmt = stmt.where(Referral.status == status)
        stmt = stmt.order_by(
            (Referral.status != "pending").cast(Integer), Referral.follow_up_on, Referral.id.desc()
        )
    rows = list(session.scalars(stmt.limit(limit)))
    audit.record(session, "read", "referrals", detail=f"list of {len(rows)}")
    return rows


def update(session: Session, referral: Referral, data: dict, today: date) -> Referral:
    """Follow up: change status, reason, note, follow-up date. Closed stays closed."""
    data = dict(data)
    version = data.pop("version", None)
    if version is not None and version != referral.version:
        raise StaleVersion(referral.version)
    errors: dict[str, list[str]] = {}
    status = data.get("status", referral.status)
    if referral.status in CLOSED and status == "pending":
        errors["status"] = [f"A closed referral ({referral.status}) cannot become pending again."]
    reason = data.get("not_connected_reason", referral.not_connected_reason)
    if status == "not_connected" and not reason:
        errors["not_connected_reason"] = ["Say why the client did not connect."]
    if "follow_up_on" in data and data["follow_up_on"] < today and status == "pending":
        errors["follow_up_on"] = ["The follow-up date cannot be in the past."]
    try:
        check_text("outcome_note", data.get("outcome_note"))
    except IdentifiersFound as exc:
        errors.update(exc.errors)
    if errors:
        raise InvalidReferral(errors)
    for key in ("status", "outcome_note", "follow_up_on"):
        if key in data:
            setattr(referral, key, data[key])
    referral.not_connected_reason = reason if status == "not_connected" else None
    if status in CLOSED and referral.closed_on is None:
        referral.closed_on = today
    session.flush()
    return referral


# --- what outcomes tell the directory ----------------------------------------------------


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


def outcomes(session: Session, service_ids: list[int], today: date) -> dict[int, Outcomes]:
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


def review_flags(session: Session) -> list[tuple[int, str]]:
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
    label = {"not_eligible": "not eligible", "no_capacity": "no capacity"}
    return [
        (sid, f"referral outcome: {label[reason]} ({last.isoformat()})")
        for sid, reason, last in rows
    ]


# --- network figures ----------------------------------------------------------------------


def record_unmet_search(session: Session, filters, today: date) -> None:
    """Count a search that found nothing: categories and filter names/values only."""
    parts = []
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


def figures(session: Session, since: date) -> dict:
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
