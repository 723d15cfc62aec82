"""A service or organization as result rows, pages and the API show it to a user: phones,
hours, open now, AAAQ, feedback and referral summaries, capacity, staleness (what is
shared with a client is ``catalog.share``).

What of a location a user may see is ``directory.visibility``'s rule; this asks it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import phonenumbers
from flask import current_app
from flask_babel import gettext as _

from app import audit, clock
from app.extensions import DbSession
from app.i18n import _l
from directory import aaaq, hours, taxonomy, visibility
from directory.catalog import feedback
from directory.hours import ServiceRow
from directory.models import Organization, Phone, Service
from directory.referrals import figures
from directory.visibility import Viewer


def readable_phone(number: str) -> str:
    """E.164 → the international format people read ('+1 312-555-0123')."""
    try:
        return phonenumbers.format_number(
            phonenumbers.parse(number), phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
    except phonenumbers.NumberParseException:
        return number


def age_text(seconds: float) -> str:
    """'just now', '5 min ago', '2 h ago', '3 days ago'."""
    if seconds < 90:
        return _("just now")
    if seconds < 3600:
        return _("%(n)s min ago", n=round(seconds / 60))
    if seconds < 2 * 86400:
        return _("%(n)s h ago", n=round(seconds / 3600))
    return _("%(n)s days ago", n=round(seconds / 86400))


def capacity(service: ServiceRow, now_utc: datetime) -> dict | None:
    """Reported capacity while fresh; None when never reported or older than
    ``CAPACITY_STALE_HOURS`` (then it is unknown), counted from when the partner (or a
    coordinator reporting it) stated it."""
    if service.capacity_updated_at is None or service.capacity_available is None:
        return None
    updated = service.capacity_updated_at.replace(tzinfo=UTC)
    age = (now_utc - updated).total_seconds()
    if age > current_app.config["CAPACITY_STALE_HOURS"] * 3600:
        return None
    unit = service.capacity_unit or "places"
    return {
        "unit": unit,
        "available": service.capacity_available,
        "maximum": service.capacity_maximum,
        "updated_at": updated,
        "label": capacity_label(service, unit, age),
    }


def capacity_stale(service: ServiceRow, now_utc: datetime) -> bool | None:
    """True when capacity was reported but longer ago than ``CAPACITY_STALE_HOURS`` (shown
    as "unknown — call first"), False while fresh, None when never reported."""
    if service.capacity_updated_at is None or service.capacity_available is None:
        return None
    return capacity(service, now_utc) is None


UNIT_NAMES = {
    "beds": _l("beds"),
    "appointments": _l("appointments"),
    "cases": _l("cases"),
    "places": _l("places"),
}


def capacity_label(service: ServiceRow, unit: str, age: float) -> str:
    """'3 of 10 beds free, updated 2 h ago', in the page's language (English in the API)."""
    values = {
        "available": service.capacity_available,
        "maximum": service.capacity_maximum,
        "unit": str(UNIT_NAMES.get(unit, unit)),
        "age": age_text(age),
    }
    if service.capacity_maximum is None:
        return _("%(available)s %(unit)s free, updated %(age)s", **values)
    return _("%(available)s of %(maximum)s %(unit)s free, updated %(age)s", **values)


def stale_limit(today: date) -> date:
    """Verified before this date, a record is stale (``STALE_AFTER_DAYS``)."""
    return today - timedelta(days=current_app.config["STALE_AFTER_DAYS"])


def is_stale(service: ServiceRow, today: date) -> bool:
    return service.last_verified is None or service.last_verified < stale_limit(today)


def items(session: DbSession, hits: Iterable[Any], user: Viewer, now_utc: datetime) -> list[dict]:
    """Search hits (or plain services) as result rows, AAAQ and feedback summaries fetched
    for the whole page at once. (A hit is a ``search.query.Hit``, which this layer below
    search does not import: anything with ``service``, ``distance_km`` and ``open_now``.)"""
    user = visibility.unproxied(user)
    pairs = [
        (h.service, h.distance_km, h.open_now) if hasattr(h, "service") else (h, None, None)
        for h in hits
    ]
    ids = [s.id for s, _hit, _loc in pairs]
    today = clock.today_at(now_utc)
    summaries = aaaq.summaries(session, ids, today)
    notes = feedback.outcome_counts(session, ids, today) if user.has_role("case_manager") else {}
    outcomes = figures.outcomes(session, ids, today)
    rows = [
        service_item(
            s,
            user,
            distance_km=d,
            open_now=o,
            now_utc=now_utc,
            aaaq=summaries[s.id].as_dict(),
            feedback=notes.get(s.id),
            referrals=outcomes[s.id],
        )
        for s, d, o in pairs
    ]
    audit_withheld_list(session, rows)
    return rows


def audit_withheld_list(session: DbSession, rows: list[dict]) -> None:
    """A list that showed its reader (a coordinator) withheld addresses is audited, with
    the services whose withheld address it showed, and committed (a GET commits nothing
    else): a coordinator listing every shelter's address leaves an entry. A single
    service's page is not a bulk read and is not recorded."""
    shown = [row for row in rows if row["confidential_location"] and row["address"] is not None]
    if len(rows) < 2 or not shown:
        return
    audit.record(
        session,
        "read",
        "locations",
        detail=f"withheld addresses in a list of {len(rows)}: services "
        + ",".join(str(row["id"]) for row in shown),
    )
    session.commit()


def one(session: DbSession, service: Service, user: Viewer, now_utc: datetime) -> dict:
    return items(session, [service], user, now_utc)[0]


def service_item(
    service: ServiceRow,
    user: Viewer,
    *,
    now_utc: datetime,
    distance_km: float | None = None,
    open_now: bool | None = None,
    aaaq: dict | None = None,
    feedback: dict | None = None,
    referrals: figures.Outcomes | None = None,
) -> dict:
    """A service as a result row / API item, with what ``user`` may see."""
    default_tz = current_app.config["DIRECTORY_TIMEZONE"]
    if open_now is None:
        open_now = hours.is_open_now(service, now_utc, default_tz)
    category = taxonomy.categories().get(service.category or "")
    loc = service.location
    org = service.organization
    return {
        "id": service.id,
        "name": service.name,
        "alternate_name": service.alternate_name,
        "discreet_name": service.discreet_name,
        "organization": {"id": org.id, "name": org.name},
        "category": service.category,
        "category_label": category.label if category else (service.category or "Uncategorized"),
        "group": category.group if category else None,
        "description": service.description,
        "status": service.status,
        "languages": service.language_list,
        "language_notes": service.language_note_list,
        "interpreter_available": service.interpreter_available,
        "phones": phone_items(service.phones),
        # a search row carries its place's phones too (``search.results._place_phones``)
        "location_phones": phone_items(loc.phones)
        if loc is not None and hasattr(loc, "phones")
        else None,
        "hours": {**hours.structured(service), "timezone": hours.timezone_of(service, default_tz)},
        "open_now": open_now,
        "distance_km": visibility.shown_distance(loc, distance_km),
        **visibility.service_place(loc, user),
        "map_links": visibility.directions(loc),
        # a search result is the service at one place: 0 its primary place, else the id of
        # its service_at_location there (address, distance and hours above are that place's)
        "place": getattr(service, "place", None),
        "other_locations": other_locations(service, user),
        "eligibility": _eligibility(service),
        **_access(service, user),
        **_specialised(service),
        "website": org.website,
        "website_neutral": getattr(org, "website_neutral", False),
        "url": service.url,
        "email": service.email,
        "application_process": service.application_process,
        "wait_time": service.wait_time,
        "terms": [
            {"id": t.hsds_id, "code": t.code, "name": t.name, "taxonomy": t.taxonomy}
            for t in service.terms
        ]
        if hasattr(service, "terms")
        else None,
        "aaaq": aaaq,
        "last_verified": service.last_verified,
        "handoff": {
            "contact_name": service.handoff_name,
            "role": service.handoff_role,
            "phone": service.handoff_phone,
            "notes": service.handoff_notes,
        },
        "capacity": capacity(service, now_utc),
        "capacity_stale": capacity_stale(service, now_utc),
        "feedback": feedback,
        "referrals": _referral_outcomes(referrals),
        "stale": is_stale(service, clock.today_at(now_utc)),
        "version": service.version,
        "updated_at": service.updated_at,
    }


def other_locations(service: ServiceRow, user: Viewer) -> list[dict] | None:
    """The service's other places (beyond the primary one search measures from), each as
    ``user`` may see it, with the hours it keeps there (a summary: its own there, else the
    service's, ``own_hours`` saying which) and the place's phones. None for a search row
    (``search.results.load_records`` carries no places)."""
    if not hasattr(service, "at_locations"):
        return None
    return [
        {
            **visibility.place(p.location, user),
            "description": visibility.place_note(p.location, p.description, user),
            "hours": hours.week_summary(False, [(h.weekday, h.opens, h.closes) for h in p.hours])
            if p.hours
            else hours.summary(service),
            "own_hours": bool(p.hours),
            "phones": phone_items(p.location.phones),
        }
        for p in service.at_locations
        if p.location_id != service.location_id
    ]


def phone_items(phones: Iterable[Phone | SimpleNamespace]) -> list[dict]:
    return [
        {"number": p.number, "kind": p.kind, "extension": p.extension, "label": p.label}
        for p in phones
    ]


def _eligibility(service: ServiceRow) -> dict:
    """Who may use it; each fact None when not stated."""
    return {
        "min_age": service.min_age,
        "max_age": service.max_age,
        "genders": service.gender_list,
        "immigration_status": service.immigration_status,
        "victim_id_required": service.victim_id_required,
        "nationality_limits": service.nationality_limits,
        "notes": service.eligibility_notes,
    }


def _access(service: ServiceRow, user: Viewer) -> dict:
    """What it costs and how it is reached; each fact None when not stated."""
    return {
        "cost": {"kind": service.cost, "notes": service.cost_notes},
        "walk_in": service.walk_in,
        "appointment_required": service.appointment_required,
        "modalities": service.modality_list,
        "care_type": service.care_type,
        "required_documents": service.required_documents,
        "accessibility": visibility.place_text(service, "accessibility", user),
    }


def _specialised(service: ServiceRow) -> dict:
    """The Section V columns of particular groups: shelters, interpreters, consulates."""
    interpreter = None
    if service.category == "interpreter":
        interpreter = {
            "dialects": service.interpreter_dialects,
            "genders": service.interpreter_genders,
            "trauma_trained": service.interpreter_trauma_trained,
        }
    return {
        "length_of_stay": service.length_of_stay,
        "admits": service.admits,
        "interpreter": interpreter,
        "country_represented": service.country_represented,
    }


def _referral_outcomes(outcomes: figures.Outcomes | None) -> dict | None:
    if not outcomes:
        return None
    return {
        "count": outcomes.referrals,
        "closed": outcomes.closed,
        "connection_rate": outcomes.connection_rate,
    }


def organization_item(org: Organization) -> dict:
    return {
        "id": org.id,
        "name": org.name,
        "alternate_name": org.alternate_name,
        "description": org.description,
        "kind": org.kind,
        "scope": org.scope,
        "website": org.website,
        "email": org.email,
        "referral_process": org.referral_process,
        "mou_status": org.mou_status,
        "mou_date": org.mou_date,
        "status": org.status,
        "language": org.language,
        "discreet_mail": org.discreet_mail,
        "website_neutral": org.website_neutral,
        "phones": phone_items(org.phones),
        "services": [{"id": s.id, "name": s.name} for s in org.services],
        "version": org.version,
        "updated_at": org.updated_at,
    }
