"""The coordinator's quick edit: the fields that change most between two calls to a partner
(phones, hours, the hand-off contact, capacity, eligibility facts, languages) on one short
page, and "save, mark verified, open the next record in the review queue".

The rules are the service's own (``ServiceInSchema`` restricted to these fields, the capacity
schema): a field not on the quick page is never touched, so nothing the full form holds is
lost by a quick save.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from app.extensions import DbSession
from app.forms import flat_errors, form_to_data
from app.models import User
from directory import hours
from directory.catalog import records, review
from directory.catalog.schemas import ServiceInSchema
from directory.catalog.upkeep_schemas import CapacityInSchema
from directory.errors import Invalid
from directory.models import WEEKDAYS, Service, ServiceHours

QUICK_FIELDS = (
    "phones",
    "hours",
    "open_24_7",
    "hours_notes",
    "handoff_name",
    "handoff_role",
    "handoff_phone",
    "handoff_notes",
    "min_age",
    "max_age",
    "genders",
    "immigration_status",
    "victim_id_required",
    "cost",
    "walk_in",
    "appointment_required",
    "languages",
    "language_notes",
    "interpreter_available",
    "version",
)
EXTRA_SPANS = 2  # blank rows with a day to choose, for a second span on a day
EXTRA_PHONES = 1


def schema() -> ServiceInSchema:
    """The service's own schema, limited to the quick fields."""
    return ServiceInSchema(only=QUICK_FIELDS)


def quick_form(service: Service) -> dict:
    """The quick page's field values: one hours row per day (its spans, or one blank row),
    then ``EXTRA_SPANS`` blank rows; the phones and one blank row."""
    s = service
    form: dict = {
        key: _value(getattr(s, key))
        for key in QUICK_FIELDS
        if key not in ("phones", "hours", "languages")
    }
    form["languages"] = s.language_list
    form["genders"] = s.genders or ""
    i = 0
    for day in range(7):
        spans: list[ServiceHours | None] = [span for span in s.hours if span.weekday == day] or [
            None
        ]
        for span in spans:
            form[f"hours.{i}.weekday"] = WEEKDAYS[day]
            form[f"hours.{i}.day_row"] = "1"
            if span is not None:
                form[f"hours.{i}.opens"] = hours.format_time(span.opens) or ""
                form[f"hours.{i}.closes"] = hours.format_time(span.closes) or ""
                if span.opens is None and span.closes is None:
                    form[f"hours.{i}.untimed"] = "1"
            i += 1
    for p_i, p in enumerate(list(s.phones) + [None] * EXTRA_PHONES):
        for key in ("number", "kind", "extension", "label"):
            value = getattr(p, key, None) if p is not None else None
            form[f"phones.{p_i}.{key}"] = value or ""
    if s.capacity_unit is not None:
        form["capacity.unit"] = s.capacity_unit
        form["capacity.available"] = _value(s.capacity_available)
        form["capacity.maximum"] = _value(s.capacity_maximum)
    return form


def hour_rows(form: Mapping[str, Any]) -> list[dict]:
    """The hours rows a quick page shows, from a record's values or a refused post: each
    ``{index, weekday, opens, closes, day_row, untimed}``, day rows first, then blank
    extra rows up to ``EXTRA_SPANS``."""
    indices = sorted({int(k.split(".")[1]) for k in form if _is_row_key(k, "hours")})
    rows = [
        {
            "index": i,
            "weekday": form.get(f"hours.{i}.weekday", ""),
            "opens": form.get(f"hours.{i}.opens", ""),
            "closes": form.get(f"hours.{i}.closes", ""),
            "day_row": form.get(f"hours.{i}.day_row") == "1",
            "untimed": form.get(f"hours.{i}.untimed") == "1",
        }
        for i in indices
    ]
    extra = sum(1 for r in rows if not r["day_row"])
    start = (indices[-1] + 1) if indices else 0
    for n in range(max(0, EXTRA_SPANS - extra)):
        rows.append(
            {
                "index": start + n,
                "weekday": "",
                "opens": "",
                "closes": "",
                "day_row": False,
                "untimed": False,
            }
        )
    return rows


def phone_rows(form: Mapping[str, Any]) -> list[int]:
    """The phone rows' indices (a refused post keeps the rows it had)."""
    indices = sorted({int(k.split(".")[1]) for k in form if _is_row_key(k, "phones")})
    return indices or list(range(EXTRA_PHONES))


def save(session: DbSession, service: Service, form: MultiDict, now_utc: datetime) -> None:
    """Apply a posted quick page to ``service``; raise ``Invalid`` with the errors keyed by
    the page's field names. Capacity changes only when its values differ from the record's
    (its "updated at" says when a partner last reported it)."""
    quick = schema()
    data, origin = form_to_data(_span_rows(form), quick)
    data.setdefault("hours", [])  # every day row left blank: closed every day
    errors: dict = {}
    try:
        loaded = quick.load(data)
    except ValidationError as exc:
        errors.update(flat_errors(exc.messages, origin))
    capacity = None
    posted = {k: form.get(f"capacity.{k}", "") for k in ("unit", "available", "maximum")}
    if posted["available"] != "" or posted["maximum"] != "":
        try:
            capacity = CapacityInSchema().load(
                {k: v for k, v in posted.items() if v != ""}
                | {"maximum": posted["maximum"] or None}
            )
        except ValidationError as exc:
            errors.update(flat_errors(exc.messages, prefix="capacity"))
    if errors:
        raise Invalid(errors)
    records.update_service(session, service, loaded)
    if capacity is not None and (
        capacity["unit"],
        capacity["available"],
        capacity.get("maximum"),
    ) != (service.capacity_unit, service.capacity_available, service.capacity_maximum):
        records.update_capacity(session, service, capacity, now_utc)


def next_in_queue(session: DbSession, today: date, after: Service) -> Service | None:
    """The review queue's next record after ``after`` (its first other record when
    ``after`` has left the queue)."""
    queue = [item.service for item in review.review_queue(session, today)]
    ids = [s.id for s in queue]
    if after.id in ids:
        rest = queue[ids.index(after.id) + 1 :]
        return rest[0] if rest else None
    return queue[0] if queue else None


def verify(session: DbSession, service: Service, user: User, today: date) -> None:
    """Mark the record verified today (the coordinator checked it with the partner)."""
    records.verify_service(session, service, user, today)


def _span_rows(form: MultiDict[str, str]) -> MultiDict[str, str]:
    """The posted form without the quick page's own markers: a day row with both times
    blank is a closed day (dropped), unless it stands for a span kept without times
    ("open, times not given"); an extra row with times but no day is refused by the
    schema (its day is required)."""
    out: MultiDict[str, str] = MultiDict()
    blank_rows: set[str] = set()
    for key in form:
        if _is_row_key(key, "hours"):
            i = key.split(".")[1]
            opens = form.get(f"hours.{i}.opens", "").strip()
            closes = form.get(f"hours.{i}.closes", "").strip()
            untimed = form.get(f"hours.{i}.untimed") == "1"
            if not opens and not closes and not untimed:
                blank_rows.add(i)
    for key, value in form.items(multi=True):
        if _is_row_key(key, "hours"):
            _, i, part = key.split(".", 2)
            if i in blank_rows or part in ("day_row", "untimed"):
                continue
        if key.startswith("capacity."):
            continue
        out.add(key, value)
    return out


def _is_row_key(key: str, name: str) -> bool:
    parts = key.split(".")
    return len(parts) == 3 and parts[0] == name and parts[1].isascii() and parts[1].isdigit()


def _value(v: object) -> object:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return v
