"""The catalog's boundaries, what comes in: organizations and services (forms, API, seeds,
imports), with their phones, hours and location, PATCH bodies carrying the version read,
and the organization list's query arguments. What goes out (API answers, search results) is
``catalog.answer_schemas``; ratings, feedback notes, capacity and history are
``catalog.upkeep_schemas``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import gettext as _
from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_load,
    validate,
    validates,
    validates_schema,
)

from app.i18n import _l
from directory import hours
from directory.fields import (
    Blanks,
    CategoryCode,
    CountryCode,
    LanguageList,
    PhoneNumber,
    Tokens,
    _opt_str,
    one_of,
    record_id,
    split_phone,
)
from directory.models import (
    CARE_TYPES,
    COSTS,
    GENDERS,
    IMMIGRATION,
    MAIL_LANGUAGES,
    MODALITIES,
    MOU_STATUSES,
    ORG_KINDS,
    PHONE_KINDS,
    SCOPES,
    STATUSES,
    WEEKDAYS,
)


class PhoneInSchema(Blanks, Schema):
    """A phone: its number (E.164 or dialled short, ``directory.phones``), kind, extension
    (digits) and label (words given with it: "press 2 for Spanish")."""

    number = PhoneNumber(required=True)
    kind = fields.String(load_default="voice", validate=one_of(PHONE_KINDS))
    extension = fields.String(
        allow_none=True,
        validate=validate.Regexp(r"^\d{1,10}$", error=_l("An extension is digits only.")),
    )
    label = _opt_str(300)

    @pre_load
    def _split_number(self, data: Any, **kwargs: Any) -> Any:
        return split_phone(data) if hasattr(data, "get") else data


class SpanInSchema(Schema):
    """A weekday's opening span; both times left out: open that day, times not given."""

    weekday = fields.String(required=True)
    opens = fields.String()
    closes = fields.String()

    @post_load
    def _parse(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        day = data["weekday"].strip()[:3].title()
        if day.isdigit() and int(day) in range(7):
            weekday = int(day)
        elif day in WEEKDAYS:
            weekday = WEEKDAYS.index(day)
        else:
            errors["weekday"] = [_("Must be one of: %(choices)s.", choices=", ".join(WEEKDAYS))]
        untimed = not data.get("opens") and not data.get("closes")
        parsed: dict[str, int | None] = {"opens": None, "closes": None}
        for key in () if untimed else ("opens", "closes"):
            try:
                parsed[key] = hours.parse_time(data.get(key, ""))
            except hours.BadTime as exc:
                errors[key] = [str(exc)]
        if errors:
            raise ValidationError(errors)
        if parsed["opens"] == 1440:
            raise ValidationError({"opens": [_("A span cannot open at 24:00; use 00:00.")]})
        return {"weekday": weekday, **parsed}


class LocationInSchema(Blanks, Schema):
    class Meta:
        unknown = EXCLUDE

    name = _opt_str(200)
    address_1 = _opt_str(200)
    address_2 = _opt_str(200)
    city = _opt_str(100)
    region = _opt_str(100)
    postal_code = _opt_str(20)
    country = CountryCode(load_default="US")
    alternate_name = _opt_str(200)
    description = _opt_str(2000)
    transportation = _opt_str(2000)
    postal_address_1 = _opt_str(200)
    postal_address_2 = _opt_str(200)
    postal_city = _opt_str(100)
    postal_region = _opt_str(100)
    postal_postal_code = _opt_str(20)
    postal_country = CountryCode(allow_none=True)
    latitude = fields.Float(allow_none=True, validate=validate.Range(-90, 90))
    longitude = fields.Float(allow_none=True, validate=validate.Range(-180, 180))
    timezone = _opt_str(64)
    confidential = fields.Boolean(load_default=False)

    @validates("timezone")
    def _tz(self, value: str | None, **kwargs: Any) -> None:
        if value:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise ValidationError(
                    _("%(value)s is not an IANA time zone name.", value=repr(value))
                ) from exc

    @validates_schema
    def _coords(
        self,
        data: dict[str, Any],
        partial: bool | tuple[str, ...] | None = None,
        **kwargs: Any,
    ) -> None:
        given = ("latitude" in data, "longitude" in data)
        if (data.get("latitude") is None) != (data.get("longitude") is None) and (
            not partial or any(given)
        ):
            raise ValidationError(_("Give latitude and longitude together."), "latitude")
        # a partial update is judged after it is merged with what is stored (``records``)
        if partial:
            return
        if not any(data.get(k) for k in ("address_1", "city", "postal_code", "latitude")):
            raise ValidationError(_("Give at least a city, a postal code or coordinates."), "city")


class OrganizationInSchema(Blanks, Schema):
    """Create or edit an organization."""

    class Meta:
        unknown = EXCLUDE

    name = fields.String(required=True, validate=validate.Length(min=2, max=200))
    alternate_name = _opt_str(200)
    description = _opt_str(5000)
    kind = fields.String(load_default="ngo", validate=one_of(ORG_KINDS))
    scope = fields.String(load_default="local", validate=one_of(SCOPES))
    website = fields.Url(
        allow_none=True, schemes={"http", "https"}, validate=validate.Length(max=300)
    )
    email = fields.Email(allow_none=True, validate=validate.Length(max=254))
    referral_process = _opt_str(5000)
    mou_status = fields.String(load_default="none", validate=one_of(MOU_STATUSES))
    mou_date = fields.Date(allow_none=True)
    status = fields.String(load_default="active", validate=one_of(STATUSES))
    language = fields.String(load_default="en", validate=one_of(MAIL_LANGUAGES))
    discreet_mail = fields.Boolean(load_default=False)
    website_neutral = fields.Boolean(load_default=False)
    phones = fields.List(fields.Nested(PhoneInSchema), load_default=list)
    version = record_id(load_only=True)


class OrganizationListArgs(Schema):
    class Meta:
        unknown = EXCLUDE

    q = fields.String(validate=validate.Length(max=200))
    status = fields.String(validate=one_of(STATUSES))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class ServiceInSchema(Blanks, Schema):
    """Create or edit a service (PATCH takes any subset plus the ``version`` it read)."""

    class Meta:
        unknown = EXCLUDE

    organization_id = record_id(required=True)
    name = fields.String(required=True, validate=validate.Length(min=2, max=200))
    discreet_name = _opt_str(120)  # checked for tell-tale words by ``records``
    alternate_name = _opt_str(200)
    category = CategoryCode(required=True)
    description = _opt_str(5000)
    url = fields.Url(allow_none=True, schemes={"http", "https"}, validate=validate.Length(max=300))
    email = fields.Email(allow_none=True, validate=validate.Length(max=254))
    application_process = _opt_str(5000)
    wait_time = _opt_str(300)
    language_notes = _opt_str(500)
    status = fields.String(validate=one_of(STATUSES))
    languages = LanguageList()
    interpreter_available = fields.Boolean(allow_none=True)
    min_age = fields.Integer(allow_none=True, validate=validate.Range(0, 130))
    max_age = fields.Integer(allow_none=True, validate=validate.Range(0, 130))
    # facts a source may not state: null (or absent) is "not stated", never a default
    genders = Tokens(GENDERS, allow_none=True)
    immigration_status = fields.String(allow_none=True, validate=one_of(IMMIGRATION))
    victim_id_required = fields.Boolean(allow_none=True)
    nationality_limits = _opt_str(300)
    eligibility_notes = _opt_str(2000)
    cost = fields.String(allow_none=True, validate=one_of(COSTS))
    cost_notes = _opt_str(300)
    walk_in = fields.Boolean(allow_none=True)
    appointment_required = fields.Boolean(allow_none=True)
    modalities = Tokens(MODALITIES, allow_none=True)
    care_type = fields.String(allow_none=True, validate=one_of(CARE_TYPES))
    required_documents = _opt_str(2000)
    accessibility = _opt_str(2000)
    length_of_stay = _opt_str(200)
    admits = _opt_str(300)
    interpreter_dialects = _opt_str(300)
    interpreter_genders = _opt_str(100)
    interpreter_trauma_trained = fields.Boolean()
    country_represented = CountryCode(allow_none=True)
    handoff_name = _opt_str(200)
    handoff_role = _opt_str(200)
    handoff_phone = PhoneNumber(allow_none=True)
    handoff_notes = _opt_str(2000)
    open_24_7 = fields.Boolean()
    hours_notes = _opt_str(300)
    hours = fields.List(fields.Nested(SpanInSchema))
    phones = fields.List(fields.Nested(PhoneInSchema))
    location_id = record_id(allow_none=True)
    location = fields.Nested(LocationInSchema, allow_none=True)
    version = record_id(load_only=True)

    @validates_schema
    def _ages(self, data: dict[str, Any], **kwargs: Any) -> None:
        lo, hi = data.get("min_age"), data.get("max_age")
        if lo is not None and hi is not None and lo > hi:
            raise ValidationError(_("Minimum age is above maximum age."), "max_age")
        if "location" in data and data.get("location_id") is not None:
            raise ValidationError(_("Give location or location_id, not both."), "location")


# The mixin below reads a Schema's fields and passes on to its __init__: mypy is shown it
# as a Schema, at run time it is a plain mixin (marshmallow registers every Schema class)
if TYPE_CHECKING:
    _SchemaMixin = Schema
else:
    _SchemaMixin = object


class PatchWithVersion(_SchemaMixin):
    """PATCH body: any subset of the fields, with the ``version`` read (required)."""

    version = record_id(
        required=True,
        load_only=True,
        error_messages={"required": "Give the version you read; it guards against lost edits."},
    )

    def __init__(self, **kwargs: Any) -> None:
        # every field, and every field of a nested record (a location): a key left out
        # keeps the stored value at every level, never a load_default (``confidential``!)
        others: list[str] = []
        for name, field in self._declared_fields.items():
            if name == "version":
                continue
            others.append(name)
            if isinstance(field, fields.Nested) and not field.many:
                others += [f"{name}.{sub}" for sub in field.schema.fields]
        super().__init__(partial=tuple(others), **kwargs)


class ServicePatchSchema(PatchWithVersion, ServiceInSchema):
    pass


class OrganizationPatchSchema(PatchWithVersion, OrganizationInSchema):
    pass
