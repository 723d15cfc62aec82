"""The coordinator's edit forms: a record as form field values, and the helpers the form
templates use. The rules live in ``catalog.schemas``; this only fills the inputs."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from werkzeug.datastructures import MultiDict

from directory import hours
from directory.catalog import present
from directory.catalog.schemas import LocationInSchema
from directory.models import WEEKDAYS, Organization, Phone, Service


def organization_form(org: Organization) -> dict:
    form = {
        k: ("" if v is None else v)
        for k, v in present.organization_item(org).items()
        if not isinstance(v, list)
    }
    form.update(_phone_fields(org.phones))
    return form


def _phone_fields(phones: Iterable[Phone]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for i, p in enumerate(phones):
        fields.update(
            {
                f"phones.{i}.number": p.number,
                f"phones.{i}.kind": p.kind,
                f"phones.{i}.extension": p.extension or "",
                f"phones.{i}.label": p.label or "",
            }
        )
    return fields


def form_list(
    form: MultiDict[str, str] | Mapping[str, Any],  # posted, or the stored values
) -> Callable[[str], list[str]]:
    """Template helper: the values of a multi-valued field (checkbox groups)."""

    def values(name: str) -> list[str]:
        if isinstance(form, MultiDict):  # the posted form
            return form.getlist(name)
        value: str | Iterable[str] = form.get(name, [])
        return value.split() if isinstance(value, str) else list(value)

    return values


def _value(v: object) -> object:
    """A stored value as a form input holds it: None blank ("not stated"), booleans as the
    select options' values."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return v


def service_form(s: Service) -> dict:
    """A service as the edit form's field values."""
    form: dict[str, object] = {c.key: _value(getattr(s, c.key)) for c in Service.__table__.columns}
    form["languages"] = s.language_list
    for i, span in enumerate(s.hours):
        form.update(
            {
                f"hours.{i}.weekday": WEEKDAYS[span.weekday],
                f"hours.{i}.opens": hours.format_time(span.opens) or "",
                f"hours.{i}.closes": hours.format_time(span.closes) or "",
            }
        )
    form.update(_phone_fields(s.phones))
    if s.location:
        for c in LocationInSchema().fields:
            value = getattr(s.location, c)
            form[f"location.{c}"] = "" if value is None else value
    return form
