"""Every imported value through the same validation as a form: the catalog's schemas
(``catalog.schemas``) and the directory's field types (``directory.fields``).

A row whose essential values fail is rejected (``problems``: column → message). A website
is not essential: one that is not an ``http(s)`` address is dropped from the record and
reported (``dropped``), so a 211's listing still comes in without a link that would be
refused in a form; ``www.example.org`` becomes ``https://www.example.org``.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any, cast

from marshmallow import Schema, ValidationError, validates_schema
from sqlalchemy import String

from directory import phones
from directory.catalog.schemas import (
    LocationInSchema,
    OrganizationInSchema,
    PhoneInSchema,
    ServiceInSchema,
)
from directory.fields import phone_region
from directory.source_terms import SourceTaxonomy, SourceTerm

SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")

_ORG = OrganizationInSchema(only=("name", "alternate_name", "description", "email", "website"))
_WEBSITE = OrganizationInSchema(only=("website",))
_SERVICE = ServiceInSchema(
    only=(
        "name",
        "alternate_name",
        "email",
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
_CONTACT = ServiceInSchema(only=("handoff_name", "handoff_role"))
_COST = ServiceInSchema(only=("cost_notes",))
_HOURS_NOTES = ServiceInSchema(only=("hours_notes",))
_PHONE = PhoneInSchema()


class ImportedLocationSchema(LocationInSchema):
    """A location as a package gives it: the form's fields and rules, except that a
    location may come without any address (a withheld one, or a 211's call centre)."""

    @validates_schema
    def _coords(self, data: dict[str, Any], **kwargs: Any) -> None:
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise ValidationError("Give latitude and longitude together.", "latitude")


_LOCATION = ImportedLocationSchema()


@lru_cache(maxsize=256)
def _narrowed(schema: Schema, given: frozenset[str]) -> Schema:
    """``schema`` with only the fields a row gives and its required ones: the same
    problems (a field left out is only checked for being required), without running each
    of the fields a row leaves out (a location's schema has 20, an import's row gives 4:
    three-quarters of a 100,000-service import's location checks). For checks whose loaded
    values are not kept (its defaults are not applied)."""
    keep = [name for name, f in schema.load_fields.items() if name in given or f.required]
    return type(schema)(only=keep)


def _given_problems(schema: Schema, values: dict, columns: dict[str, str]) -> dict[str, str]:
    """Problems (HSDS column → message) of the values given (empty ones are not given),
    checked by the fields of ``schema`` they give and its required ones (``_narrowed``)."""
    given = {k: v for k, v in values.items() if v is not None and v != ""}
    try:
        _narrowed(schema, frozenset(given)).load(given)
    except ValidationError as exc:
        return _errors(exc, columns)
    return {}


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
    return _given_problems(_SERVICE, values, SERVICE_COLUMNS)


def phone(row: dict) -> tuple[dict, dict[str, str]]:
    """(clean phone, problems), by ``directory.phones``' rule: E.164 or a number dialled
    short (211, 988) in the default region; the type read as a kind (textphone → tty); the
    extension digits, given apart or written in the number; words written with the number
    ("press 2 for Spanish") kept in the label beside the source's description."""
    given = (row.get("type") or "").strip()
    if given and phones.kind_of(given) is None:
        return {}, {"type": f"a {given!r} phone has no place in this directory"}
    try:
        parsed = phones.normalise(
            row.get("number"), kind=given, extension=row.get("extension"), region=phone_region()
        )
    except phones.Unreadable as exc:
        return {}, {"number": exc.reason}
    label = "; ".join(x for x in (row.get("description"), parsed.note) if x) or None
    data = {
        "number": parsed.number,
        "kind": parsed.kind,
        "extension": parsed.extension,
        "label": label,
    }
    try:
        return _PHONE.load({k: v for k, v in data.items() if v}), {}
    except ValidationError as exc:
        return {}, _errors(exc, {"kind": "type", "label": "description"})


LOCATION_COLUMNS = {"region": "state_province"}


def location(values: dict) -> dict[str, str]:
    """Problems (HSDS column → message) of a location's values and address."""
    return _given_problems(_LOCATION, values, LOCATION_COLUMNS)


CONTACT_COLUMNS = {"handoff_name": "name", "handoff_role": "title"}


def contact(row: dict) -> dict[str, str]:
    """Problems of a service's contact (its hand-off name and role), as the form says them."""
    try:
        _CONTACT.load({k: row[c] for k, c in CONTACT_COLUMNS.items() if row.get(c)})
    except ValidationError as exc:
        return _errors(exc, CONTACT_COLUMNS)
    return {}


def cost(row: dict) -> dict[str, str]:
    """Problems of a cost option's amount, kept as the service's cost notes."""
    amount = row.get("amount_description")
    try:
        _COST.load({"cost_notes": amount} if amount else {})
    except ValidationError as exc:
        return _errors(exc, {"cost_notes": "amount_description"})
    return {}


def schedule(row: dict) -> dict[str, str]:
    """Problems of a schedule's notes, kept as the service's hours notes."""
    if not row.get("notes"):
        return {}  # nothing to check (most rows: a schema's load of nothing is 3 % of an import)
    try:
        _HOURS_NOTES.load({"hours_notes": row["notes"]})
    except ValidationError as exc:
        return _errors(exc, {"hours_notes": "notes"})
    return {}


# What the directory keeps of a source taxonomy and its terms (``source_terms``), which no
# form edits: a longer value is refused with the words a form's limit uses.
def _lengths(
    model: type[SourceTaxonomy] | type[SourceTerm], columns: tuple[str, ...]
) -> dict[str, int]:
    # cast: these columns are String(n); the stubs type a column's type as any TypeEngine
    types = {c: cast(String, model.__table__.c[c].type) for c in columns}
    return {c: t.length for c, t in types.items() if t.length is not None}


TAXONOMY_LIMITS = _lengths(SourceTaxonomy, ("name", "uri", "version"))
TERM_LIMITS = _lengths(SourceTerm, ("code", "name", "taxonomy", "term_uri"))


def longer_than(row: dict, limits: dict[str, int]) -> dict[str, str]:
    """Problems (column → message) of values longer than ``limits`` allow."""
    return {
        column: f"Longer than maximum length {most}."
        for column, most in limits.items()
        if len(row.get(column) or "") > most
    }


# Free text the directory keeps the start of (a service's wait time, hours written as
# text, the value of a source term a service is filed under): the cut is reported.
KEPT_CHARACTERS = 300


def shortened(value: str | None) -> str | None:
    """The part of ``value`` that is kept (None for nothing)."""
    return (value or "")[:KEPT_CHARACTERS] or None


def shortened_note(value: str | None) -> str | None:
    """What the report says when ``value`` is cut, else None."""
    if value and len(value) > KEPT_CHARACTERS:
        return f"kept its first {KEPT_CHARACTERS} of {len(value)} characters"
    return None


_FIELD_SCHEMAS: dict[str, type[Schema]] = {
    "service": ServiceInSchema,
    "organization": OrganizationInSchema,
    "location": ImportedLocationSchema,
}


@cache
def _field_schema(entity: str, name: str) -> Schema | None:
    schema = _FIELD_SCHEMAS[entity]
    return schema(only=(name,)) if name in schema().fields else None


def field_value(entity: str, name: str, kind: str, raw: str | None) -> tuple[Any, str | None]:
    """(value, problem) of one of this product's own fields carried as an attribute of its
    fields taxonomy (``hsds.schemas``): a yes/no is ``true`` or ``false`` (anything else is
    refused, never read as no; empty is not stated), a date ISO 8601, and every value
    through the same form schema as typed in (lengths, choices), stored as the form would
    store it."""
    raw = (raw or "").strip()
    if not raw:
        return None, None
    if kind == "bool":
        if raw.lower() not in ("true", "false"):
            return None, f"{name}: {raw[:40]!r} is not true or false"
        return raw.lower() == "true", None
    try:
        return _schema_value(entity, name, raw), None
    except ValidationError as exc:  # not cached: its words are in the reader's language
        return None, f"{name}: {_errors(exc, {})[name]}"


# a package repeats its values ("in_person", "English") thousands of times: each distinct
# good one is checked once (a refused one raises, and lru_cache keeps no exception)
@lru_cache(maxsize=4096)
def _schema_value(entity: str, name: str, raw: str) -> Any:
    schema = _field_schema(entity, name)
    return raw if schema is None else schema.load({name: raw}).get(name)
