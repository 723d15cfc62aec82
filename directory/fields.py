"""Shared marshmallow fields and helpers: the directory's value types at every boundary
(ids, phone numbers, language and category codes, countries, token sets, moments), used
by each concept's ``schemas`` and by ``assessment``.

Messages are worded through gettext when they are raised: a page reads them in its
language, the JSON API in English (``app.i18n.ui_locale``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import pycountry
from flask import current_app, has_app_context
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, pre_load, validate

from app.extensions import MAX_ID
from app.i18n import _l
from directory import languages, phones, taxonomy


class UtcDateTime(fields.DateTime):
    """A moment as RFC 3339 with its offset: the database keeps naive UTC."""

    def _serialize(
        self, value: Any, attr: str | None, obj: Any, **kwargs: Any
    ) -> str | float | None:
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)


def record_id(**kwargs: Any) -> fields.Integer:
    """An id or version given by a caller: a positive integer the database can hold."""
    return fields.Integer(validate=validate.Range(min=1, max=MAX_ID), **kwargs)


def one_of(choices: Iterable[Any]) -> validate.OneOf:
    return validate.OneOf(choices, error=_l("Must be one of: {choices}."))


def phone_region() -> str:
    """The region a number without its country code is read in (``DEFAULT_PHONE_REGION``)."""
    if has_app_context():
        return current_app.config.get("DEFAULT_PHONE_REGION") or "US"
    return "US"


class PhoneNumber(fields.String):
    """A phone number in any common format → E.164, or the digits of a number dialled
    short (211, 988, 741741), by ``directory.phones``' rule (numbers of the default region,
    ``DEFAULT_PHONE_REGION``, may omit their country code). Alone (a hand-off phone) it
    holds a number only: an extension or words with it are refused, not dropped; a phone
    row (``PhoneInSchema``) splits them into its own fields first."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> str:
        raw = super()._deserialize(value, attr, data, **kwargs).strip()
        try:
            parsed = phones.normalise(raw, region=phone_region())
        except phones.Unreadable as exc:
            raise ValidationError(_("%(value)s is not a phone number.", value=repr(raw))) from exc
        if parsed.extension or parsed.note:
            raise ValidationError(
                _(
                    "%(value)s holds more than a number: give the extension and any words "
                    "(“press 2 for Spanish”) in their own fields.",
                    value=repr(raw),
                )
            )
        return parsed.number


def split_phone(row: dict) -> dict:
    """A phone row as given (its number possibly holding an extension, a kind word or a
    menu: "TTY 312 555 0100 ext 12, press 2") → the same row with the number alone and the
    rest in ``extension``, ``kind`` and ``label`` where those were not given apart, so
    nothing written with a number is lost. A number it cannot read is left for the
    field's own error."""
    number = row.get("number")
    if not isinstance(number, str) or not number.strip():
        return row
    try:
        parsed = phones.normalise(number, region=phone_region())
    except phones.Unreadable:
        return row
    out = dict(row, number=parsed.number)
    if parsed.extension and not row.get("extension"):
        out["extension"] = parsed.extension
    if not row.get("kind") and parsed.kind != "voice":
        out["kind"] = parsed.kind
    if parsed.note:
        label = row.get("label")
        out["label"] = f"{label}; {parsed.note}" if label else parsed.note
    return out


class LanguageList(fields.List):
    """ISO 639-1 or 639-3 codes (a list, or one string separated by spaces or commas)."""

    def __init__(self, **kwargs: Any):
        super().__init__(fields.String(), **kwargs)

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> list[str | None]:
        if isinstance(value, str):
            value = [value]
        given = super()._deserialize(value, attr, data, **kwargs)
        codes = [c for item in given if item for c in item.replace(",", " ").split()]
        good, bad = languages.parse_list(codes)
        if bad:
            raise ValidationError(
                _(
                    "Unknown language code(s): %(codes)s. Use ISO 639-1 or 639-3 codes, "
                    "e.g. en, es, fr, ti, quc.",
                    codes=", ".join(bad),
                )
            )
        found: list[str | None] = list(good)  # marshmallow: a List's items may be None
        return found


class CategoryCode(fields.String):
    """A Section V category code (or, where ``groups`` is True, a group code too)."""

    def __init__(self, *, groups: bool = False, **kwargs: Any):
        self.groups = groups
        super().__init__(**kwargs)

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> str:
        code = super()._deserialize(value, attr, data, **kwargs).strip()
        if code in taxonomy.categories() or (self.groups and taxonomy.group(code)):
            return code
        accepted = list(taxonomy.categories())
        if self.groups:
            accepted = [g.code for g in taxonomy.groups()] + accepted
        raise ValidationError(
            _(
                "Unknown category %(value)s. Accepted: %(codes)s.",
                value=repr(code),
                codes=", ".join(accepted),
            )
        )


class CountryCode(fields.String):
    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> str:
        code = super()._deserialize(value, attr, data, **kwargs).strip().upper()
        if not pycountry.countries.get(alpha_2=code):
            raise ValidationError(
                _("%(value)s is not an ISO 3166 two-letter country code.", value=repr(code))
            )
        return code


class Tokens(fields.List):
    """A set of choices stored as space-separated tokens."""

    def __init__(self, choices: Iterable[str], **kwargs: Any):
        super().__init__(fields.String(validate=one_of(choices)), **kwargs)

    # ignore[override]: a list in, stored joined (a string); marshmallow types what a List
    # field loads as a list
    def _deserialize(  # type: ignore[override]
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> str | None:
        if isinstance(value, str):
            value = value.replace(",", " ").split()
        given = super()._deserialize(value, attr, data, **kwargs)  # the inner field: no None
        joined = " ".join(dict.fromkeys(t for t in given if t is not None))
        return None if not joined and self.allow_none else joined

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> list[str] | None:
        return value.split() if isinstance(value, str) else value


def _opt_str(max_len: int, **kw: Any) -> fields.String:
    return fields.String(allow_none=True, validate=validate.Length(max=max_len), **kw)


class Blanks:
    """Treat empty strings from forms as missing values."""

    @pre_load
    def _drop_blanks(self, data: Any, **kwargs: Any) -> Any:
        if hasattr(data, "items"):
            return {k: v for k, v in dict(data).items() if v != "" and v != []}
        return data


class OrgRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class PhoneSchema(Schema):
    number = fields.String(metadata={"description": "E.164"})
    kind = fields.String()
    extension = fields.String(allow_none=True, metadata={"description": "digits"})
    label = fields.String(
        allow_none=True, metadata={"description": "Words given with the number: a menu"}
    )
