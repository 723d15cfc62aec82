"""The fields a partner may suggest changes to, as the partner's form shows them, and how a
suggestion becomes the same data a coordinator's edit would send.

Every field is text on the partner's form (a select for the three-valued facts, whose
first choice is "not stated"). A field is a change when its text differs from what the
partner was shown *and* the directory's own schema (``catalog.schemas.ServiceInSchema``,
``CapacityInSchema``) reads it as a different value, so re-typing a phone number in another
format is no change. The same schema validates the suggestion when it is made and again when
a coordinator accepts it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from flask_babel import LazyString
from marshmallow import ValidationError

from app import i18n
from app.forms import flat_errors
from app.i18n import _l
from directory import visibility, written_hours
from directory.catalog.schemas import ServiceInSchema
from directory.catalog.upkeep_schemas import CapacityInSchema
from directory.models import CAPACITY_UNITS, COSTS, PHONE_KINDS, Service

YES_NO = (("true", _l("Yes")), ("false", _l("No")))


def _cost_name(code: str) -> str:
    from directory.templating import capital, choice_name  # the one list of coded words

    return capital(choice_name(code, "costs"))


# field → (label, kind, choices); kind: text, textarea, number, select. Labels and choices
# are lazy: the partner reads them in the page's language, the API in English
FIELDS = {
    "description": (_l("Description"), "textarea", None),
    "hours": (_l("Opening hours"), "text", None),
    "phones": (_l("Phone numbers (one a line)"), "textarea", None),
    "languages": (_l("Languages spoken (codes: en, es, fr …)"), "text", None),
    "min_age": (_l("Youngest age served"), "number", None),
    "max_age": (_l("Oldest age served"), "number", None),
    "immigration_status": (
        _l("Immigration status"),
        "select",
        (
            ("any", _l("Any status, undocumented included")),
            ("documented_only", _l("Documented only")),
        ),
    ),
    "victim_id_required": (_l("Official victim identification required"), "select", YES_NO),
    "eligibility_notes": (_l("Other eligibility rules"), "textarea", None),
    "cost": (_l("Cost"), "select", tuple((c, LazyString(_cost_name, c)) for c in COSTS)),
    "cost_notes": (_l("Cost details"), "text", None),
    "walk_in": (_l("Walk-ins welcome"), "select", YES_NO),
    "appointment_required": (_l("Appointment required"), "select", YES_NO),
    "handoff_name": (_l("Hand-off contact (name)"), "text", None),
    "handoff_phone": (_l("Hand-off contact (phone)"), "text", None),
}
ADDRESS_PARTS = ("address_1", "address_2", "city", "region", "postal_code")
HOURS_HELP = _l(
    "As Mon-Fri 09:00-17:00; Sat 10:00-14:00, or as you write them (“Monday to Friday 8am to "
    "8pm”); 24/7; empty: no set hours."
)
_KIND = re.compile(r"^(.*?)\s*\((" + "|".join(PHONE_KINDS) + r")\)$")


def week_text(service: Service) -> str:
    """Hours as the partner edits them, in the page's language: '24/7' or
    'Lun-Vie 09:00-17:00; Sáb 10:00-14:00' (``written_hours`` reads any of the three)."""
    spans = [(h.weekday, h.opens, h.closes) for h in service.hours]
    return written_hours.week_text(service.open_24_7, spans, i18n.ui_language())


def current(service: Service, field: str) -> str:
    """What the partner is shown for ``field`` (``""``: not stated / none)."""
    if field == "hours":
        return week_text(service)
    if field == "phones":
        return "\n".join(
            p.number if p.kind == "voice" else f"{p.number} ({p.kind})" for p in service.phones
        )
    if field == "languages":
        return ", ".join(service.language_list)
    value = getattr(service, field)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def capacity_now(service: Service) -> dict:
    return {
        "unit": service.capacity_unit or "",
        "available": "" if service.capacity_available is None else str(service.capacity_available),
        "maximum": "" if service.capacity_maximum is None else str(service.capacity_maximum),
    }


def to_input(field: str, text: str, service: Service) -> dict:
    """The partner's text for ``field`` as ``ServiceInSchema`` input."""
    text = (text or "").strip()
    if field == "hours":
        if text.replace(" ", "").lower() in ("24/7", "24x7"):
            return {"open_24_7": True, "hours": []}
        if not text:
            return {"open_24_7": False, "hours": []}
        try:
            spans = written_hours.parse(text)
        except written_hours.UnreadableHours as exc:
            raise ValidationError({"hours": [f"{exc.message} {HOURS_HELP}"]}) from exc
        return {"open_24_7": False, "hours": spans}
    if field == "phones":
        phones = []
        for line in filter(None, (x.strip() for x in text.splitlines())):
            m = _KIND.match(line)
            phones.append({"number": m.group(1), "kind": m.group(2)} if m else {"number": line})
        return {"phones": phones}
    return {field: text or None}


def location_input(service: Service, parts: Mapping[str, str]) -> dict:
    """A new address for the service's place: country kept, coordinates cleared (the old
    point would be wrong), and whether the place is withheld carried over unchanged."""
    loc = service.location
    data = {k: (parts.get(k) or "").strip() or None for k in ADDRESS_PARTS}
    data.update(country=loc.country if loc else "US", latitude=None, longitude=None)
    return {"location": visibility.carry_withholding(loc, data)}


def load(inputs: dict) -> dict:
    """``ServiceInSchema`` over just these keys; an emptied list stays an empty list."""
    keys = tuple(k for k in inputs if k != "version")
    data = ServiceInSchema(only=(*keys, "version"), partial=True).load(inputs)
    for key, value in inputs.items():
        if value == [] and key not in data:
            data[key] = []
    return data


def _owner(key: str) -> str:
    first = key.split(".")[0]
    return {"open_24_7": "hours", "location": "address"}.get(first, first)


def errors_of(exc: ValidationError) -> dict[str, list[str]]:
    """Schema errors keyed by the partner form's field names."""
    out: dict[str, list[str]] = {}
    for key, messages in flat_errors(exc.messages).items():
        out.setdefault(_owner(key), []).extend(messages)
    return out


def read(service: Service, form: Mapping[str, str]) -> tuple[list[dict], dict]:
    """The partner's changes to one service from its part of the form (keys without the
    ``s<id>.`` prefix): ``[{field, seen, proposed}]`` and errors by field."""
    changes: list[dict[str, object]] = []
    errors: dict = {}
    for field in FIELDS:
        if field not in form:
            continue
        seen, typed = current(service, field), form[field].strip()
        if " ".join(typed.split()) == " ".join(seen.split()):
            continue
        try:
            new = load(to_input(field, typed, service))
            if new != load(to_input(field, seen, service)):
                changes.append({"field": field, "seen": seen, "proposed": typed})
        except ValidationError as exc:
            errors.update(errors_of(exc))
    if form.get("address_ok") == "no":
        parts = {k: form.get(k, "") for k in ADDRESS_PARTS}
        try:
            load(location_input(service, parts))
            shown = visibility.address(service.location, None)
            seen_address = {k: shown[k] for k in ADDRESS_PARTS} if shown else None
            changes.append({"field": "address", "seen": seen_address, "proposed": parts})
        except ValidationError as exc:
            errors.update(errors_of(exc))
    capacity = {k: form.get(f"capacity_{k}", "").strip() for k in ("unit", "available", "maximum")}
    if capacity["available"] and capacity != capacity_now(service):
        try:
            capacity_data(capacity)
            changes.append(
                {"field": "capacity", "seen": capacity_now(service), "proposed": capacity}
            )
        except ValidationError as exc:
            errors.update({f"capacity_{k}": v for k, v in flat_errors(exc.messages).items()})
    return changes, errors


def capacity_data(values: Mapping[str, str]) -> dict:
    """Capacity as ``CapacityInSchema`` reads it (the unit defaults to places)."""
    raw = {
        "unit": values.get("unit") or "places",
        "available": values.get("available"),
        "maximum": values.get("maximum") or None,
    }
    return CapacityInSchema().load(raw)


def unit_choices() -> tuple:
    from directory.templating import choice_name

    return tuple((u, choice_name(u, "capacity_units")) for u in CAPACITY_UNITS)


def error_links(
    errors: Mapping[str, list[str]], services: Iterable[Service]
) -> list[tuple[str, str]]:
    """The partner form's errors as (field id, "service · field: message") for the error
    summary, in the order of the form."""
    names = {s.id: s.name for s in services}
    out = []
    for key, messages in errors.items():
        if key.startswith("_"):
            continue
        sid, _dot, field = key.partition(".")
        service_id = int(sid[1:]) if sid[1:].isdigit() else None
        if service_id is None:
            out.append((f"f-{key}", " ".join(messages)))
            continue
        anchor = {"address": "address_1", "capacity_available": "cap", "capacity_maximum": "max"}
        label = FIELDS[field][0] if field in FIELDS else ""
        name = names.get(service_id, "")
        text = f"{name} · {label}: " if label else f"{name}: "
        out.append((f"f-{sid}-{anchor.get(field, field)}", text + " ".join(messages)))
    return out
