"""Every imported value through the same validation as a form: the catalog's schemas
(``catalog.schemas``) and the directory's field types (``directory.fields``).

A row whose essential values fail is rejected (``problems``: column → message). A website
is not essential: one that is not an ``http(s)`` address is dropped from the record and
reported (``dropped``), so a 211's listing still comes in without a link that would be
refused in a form; ``www.example.org`` becomes ``https://www.example.org``.
"""

from __future__ import annotations

import re

import phonenumbers
from marshmallow import ValidationError, validates_schema

from directory.catalog.schemas import (
    LocationInSchema,
    OrganizationInSchema,
    PhoneInSchema,
    ServiceInSchema,
)
from directory.fields import phone_region

SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")

# HSDS phone types → this directory's kinds (RFC 6350 types not listed are refused)
PHONE_KINDS = {
    "voice": "voice",
    "cell": "voice",
    "text": "text",
    "textphone": "text",
    "fax": "fax",
    "hotline": "hotline",
}

_ORG = OrganizationInSchema(only=("name", "alternate_name", "description", "email", "website"))
_WEBSITE = OrganizationInSchema(only=("website",))
_SERVICE = ServiceInSchema(
    only=(
        "name",
        "description",
        "status",
        "min_age",
        "max_age",
        "eligibility_notes",
        "cost_notes",
        "required_documents",
        "handoff_name",
        "handoff_phone",
    ),
)
_PHONE = PhoneInSchema()


class ImportedLocationSchema(LocationInSchema):
    """A location as a package gives it: the form's fields and rules, except that a
    location may come without any address (a withheld one, or a 211's call centre)."""

    @validates_schema
    def _coords(self, data, **kwargs):
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise ValidationError("Give latitude and longitude together.", "latitude")


_LOCATION = ImportedLocationSchema()


def _errors(exc: ValidationError, columns: dict[str, str]) -> dict[str, str]:
    out = {}
    for name, messages in exc.normalized_messages().items():
        if isinstance(messages, dict):
            messages = [m for ms in messages.values() for m in ms]
        text = " ".join(str(m) for m in messages) if isinstance(messages, list) else str(messages)
        out[columns.get(name, name)] = text
    return out


def website(value: str | None) -> tuple[str | None, str | None]:
    """(normalised website or None, why it was dropped or None)."""
    if not value:
        return None, None
    value = value.strip()
    if not SCHEME_RE.match(value) or value.lower().startswith("www."):
        value = f"https://{value}" if "." in value and " " not in value else value
    try:
        return _WEBSITE.load({"website": value})["website"], None
    except ValidationError:
        return None, f"dropped {value[:60]!r}: not an http(s) web address"


def organization(row: dict) -> tuple[dict, dict[str, str], dict[str, str]]:
    """(clean values, problems, dropped) of an HSDS organizations row."""
    url, why = website(row.get("website"))
    data = {k: row.get(k) for k in ("name", "alternate_name", "description", "email")}
    try:
        clean = _ORG.load({**{k: v for k, v in data.items() if v}, "website": url})
    except ValidationError as exc:
        return {}, _errors(exc, {}), {}
    return clean, {}, ({"website": why} if why else {})


SERVICE_COLUMNS = {
    "eligibility_notes": "eligibility_description",
    "cost_notes": "fees_description",
    "min_age": "minimum_age",
    "max_age": "maximum_age",
    "required_documents": "document",
    "handoff_phone": "number",
}


def service(values: dict) -> dict[str, str]:
    """Problems (HSDS column → message) of a service's values, as the form would say them."""
    try:
        _SERVICE.load({k: v for k, v in values.items() if v is not None and v != ""})
    except ValidationError as exc:
        return _errors(exc, SERVICE_COLUMNS)
    return {}


def phone(row: dict) -> tuple[dict, dict[str, str]]:
    """(clean phone, problems): E.164 in the default region, the extension kept (given
    apart, or written in the number as "ext. 12")."""
    kind = (row.get("type") or "voice").lower()
    if kind not in PHONE_KINDS:
        return {}, {"type": f"a {kind!r} phone has no place in this directory (voice, text, fax)"}
    extension = row.get("extension")
    if not extension and row.get("number"):
        try:
            extension = phonenumbers.parse(row["number"], phone_region()).extension
        except phonenumbers.NumberParseException:
            extension = None
    data = {
        "number": row.get("number"),
        "kind": PHONE_KINDS[kind],
        "extension": extension,
        "label": row.get("description"),
    }
    try:
        return _PHONE.load({k: v for k, v in data.items() if v}), {}
    except ValidationError as exc:
        return {}, _errors(exc, {"kind": "type", "label": "description"})


LOCATION_COLUMNS = {"region": "state_province"}


def location(values: dict) -> dict[str, str]:
    """Problems (HSDS column → message) of a location's values and address."""
    try:
        _LOCATION.load({k: v for k, v in values.items() if v is not None and v != ""})
    except ValidationError as exc:
        return _errors(exc, LOCATION_COLUMNS)
    return {}
