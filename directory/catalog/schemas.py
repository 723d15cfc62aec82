"""The catalog's boundaries: organizations and services in (forms, API, seeds, imports)
and out (API answers, search results), AAAQ ratings, feedback notes, capacity, history."""

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
    OrgRefSchema,
    PhoneNumber,
    PhoneSchema,
    Tokens,
    UtcDateTime,
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

NOT_STATED = "null: not stated by the source (ask); never a default"


class CategorySchema(Schema):
    code = fields.String()
    label = fields.String()
    group = fields.String()


class PostalAddressSchema(Schema):
    address_1 = fields.String(allow_none=True)
    address_2 = fields.String(allow_none=True)
    city = fields.String(allow_none=True)
    region = fields.String(allow_none=True)
    postal_code = fields.String(allow_none=True)
    country = fields.String(allow_none=True)


class AddressSchema(PostalAddressSchema):
    latitude = fields.Float(allow_none=True)
    longitude = fields.Float(allow_none=True)


class LocationDetailsSchema(Schema):
    """What else is known of a service's location; description, directions and postal
    address are null when the location is confidential and the caller not a coordinator."""

    alternate_name = fields.String(allow_none=True)
    description = fields.String(allow_none=True)
    transportation = fields.String(allow_none=True)
    postal_address = fields.Nested(PostalAddressSchema, allow_none=True)


class SourceTermSchema(Schema):
    """A term of an imported package's own taxonomy the service is filed under."""

    id = fields.String(metadata={"description": "The source's term id"})
    code = fields.String(allow_none=True)
    name = fields.String()
    taxonomy = fields.String(allow_none=True)


class OtherLocationSchema(Schema):
    """Another place where the service is given; ``line`` is the address, or only the town
    when the place is confidential and the caller not a coordinator."""

    name = fields.String(allow_none=True)
    line = fields.String()
    confidential = fields.Boolean()
    description = fields.String(allow_none=True)
    hours = fields.String(metadata={"description": "The hours kept at this place"})
    own_hours = fields.Boolean(
        metadata={"description": "false: the service's own hours (none given for this place)"}
    )
    phones = fields.List(fields.Nested(PhoneSchema))


class AreaSchema(Schema):
    city = fields.String(allow_none=True)
    region = fields.String(allow_none=True)
    country = fields.String(allow_none=True)


class SpanSchema(Schema):
    weekday = fields.String()
    opens = fields.String()
    closes = fields.String()


class HoursSchema(Schema):
    open_24_7 = fields.Boolean()
    spans = fields.List(fields.Nested(SpanSchema))
    summary = fields.String()
    notes = fields.String(allow_none=True)
    timezone = fields.String()


class EligibilitySchema(Schema):
    min_age = fields.Integer(allow_none=True)
    max_age = fields.Integer(allow_none=True)
    genders = fields.List(
        fields.String(), allow_none=True, metadata={"description": "Served; null: not stated"}
    )
    immigration_status = fields.String(
        allow_none=True, metadata={"description": "any, documented_only; null: not stated"}
    )
    victim_id_required = fields.Boolean(allow_none=True, metadata={"description": NOT_STATED})
    nationality_limits = fields.String(allow_none=True)
    notes = fields.String(allow_none=True)


class CostSchema(Schema):
    kind = fields.String(allow_none=True, metadata={"description": NOT_STATED})
    notes = fields.String(allow_none=True)


class AaaqSchema(Schema):
    """Current AAAQ: means over the last 12 months (N/A excluded), 1–3 or null."""

    availability = fields.Float(allow_none=True)
    accessibility = fields.Float(allow_none=True)
    acceptability = fields.Float(allow_none=True)
    quality = fields.Float(allow_none=True)
    overall = fields.Float(allow_none=True)
    ratings_count = fields.Integer()
    last_rated = fields.Date(allow_none=True)
    trend = fields.String(allow_none=True, metadata={"description": "up, down or steady"})
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())


class HandoffSchema(Schema):
    contact_name = fields.String(allow_none=True)
    role = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    notes = fields.String(allow_none=True)


class CapacitySchema(Schema):
    unit = fields.String()
    available = fields.Integer()
    maximum = fields.Integer(allow_none=True)
    updated_at = UtcDateTime()
    label = fields.String()


class FeedbackSummarySchema(Schema):
    helpful = fields.Integer()
    mixed = fields.Integer()
    not_helpful = fields.Integer()


class ReferralOutcomeSchema(Schema):
    count = fields.Integer()
    closed = fields.Integer()
    connection_rate = fields.Float(allow_none=True)


class MapLinksSchema(Schema):
    """Directions to a place that is not confidential."""

    geo = fields.String(metadata={"description": "A geo: URI (RFC 5870) for a map app"})
    map = fields.String(metadata={"description": "OpenStreetMap directions to the place"})


class ServiceItemSchema(Schema):
    """A service as search results and the service endpoints show it."""

    id = fields.Integer()
    name = fields.String()
    alternate_name = fields.String(allow_none=True)
    discreet_name = fields.String(allow_none=True)
    organization = fields.Nested(OrgRefSchema)
    category = fields.String()
    category_label = fields.String()
    group = fields.String()
    description = fields.String(allow_none=True)
    status = fields.String()
    languages = fields.List(fields.String())
    language_notes = fields.List(
        fields.String(),
        metadata={"description": "Languages as a source named them beyond a code"},
    )
    interpreter_available = fields.Boolean(allow_none=True, metadata={"description": NOT_STATED})
    phones = fields.List(fields.Nested(PhoneSchema))
    location_phones = fields.List(
        fields.Nested(PhoneSchema),
        allow_none=True,
        metadata={
            "description": "Phones of the place the service is shown at (in search: "
            "that result's place)"
        },
    )
    hours = fields.Nested(HoursSchema)
    open_now = fields.Boolean(allow_none=True)
    distance_km = fields.Float(allow_none=True)
    distance_approximate = fields.Boolean()
    confidential_location = fields.Boolean()
    address = fields.Nested(AddressSchema, allow_none=True)
    map_links = fields.Nested(
        MapLinksSchema,
        allow_none=True,
        metadata={"description": "Directions to the place; null for a confidential place"},
    )
    location = fields.Nested(LocationDetailsSchema, allow_none=True)
    other_locations = fields.List(
        fields.Nested(OtherLocationSchema),
        allow_none=True,
        metadata={"description": "The service's other places; null in search results"},
    )
    area = fields.Nested(AreaSchema, allow_none=True)
    location_id = fields.Integer(allow_none=True)
    place = fields.Integer(
        allow_none=True,
        metadata={
            "description": "A search result is the service at one of its places: 0 its "
            "primary place, otherwise the id of its service at that location; its address, "
            "location, distance_km and hours are that place's. null outside search results"
        },
    )
    eligibility = fields.Nested(EligibilitySchema)
    cost = fields.Nested(CostSchema)
    walk_in = fields.Boolean(allow_none=True, metadata={"description": NOT_STATED})
    appointment_required = fields.Boolean(allow_none=True, metadata={"description": NOT_STATED})
    modalities = fields.List(fields.String(), allow_none=True, metadata={"description": NOT_STATED})
    care_type = fields.String(
        allow_none=True,
        metadata={"description": "emergency, ongoing or both; null: not stated"},
    )
    required_documents = fields.String(allow_none=True)
    accessibility = fields.String(allow_none=True)
    length_of_stay = fields.String(allow_none=True)
    admits = fields.String(allow_none=True)
    interpreter = fields.Dict(allow_none=True)
    country_represented = fields.String(allow_none=True)
    website = fields.String(allow_none=True)
    website_neutral = fields.Boolean()
    url = fields.String(allow_none=True, metadata={"description": "The service's own website"})
    email = fields.String(allow_none=True)
    application_process = fields.String(allow_none=True)
    wait_time = fields.String(allow_none=True)
    terms = fields.List(
        fields.Nested(SourceTermSchema),
        allow_none=True,
        metadata={"description": "The source taxonomy's terms; null in search results"},
    )
    aaaq = fields.Nested(AaaqSchema)
    last_verified = fields.Date(allow_none=True)
    handoff = fields.Nested(HandoffSchema)
    capacity = fields.Nested(CapacitySchema, allow_none=True)
    capacity_stale = fields.Boolean(
        allow_none=True,
        metadata={
            "description": "true: capacity was reported longer ago than CAPACITY_STALE_HOURS "
            "(unknown — call first; capacity is then null); null: never reported"
        },
    )
    referrals = fields.Nested(
        "ReferralOutcomeSchema", allow_none=True, metadata={"description": "Last 12 months"}
    )
    feedback = fields.Nested(
        FeedbackSummarySchema,
        allow_none=True,
        metadata={"description": "Outcome counts, last 12 months (case managers and up)"},
    )
    stale = fields.Boolean(metadata={"description": "Not verified within the review period"})
    version = fields.Integer()
    updated_at = UtcDateTime()


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


class OrganizationSchema(Schema):
    """An organization as the API shows it."""

    id = fields.Integer()
    name = fields.String()
    alternate_name = fields.String(allow_none=True)
    description = fields.String(allow_none=True)
    kind = fields.String()
    scope = fields.String()
    website = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    referral_process = fields.String(allow_none=True)
    mou_status = fields.String()
    mou_date = fields.Date(allow_none=True)
    status = fields.String()
    language = fields.String(metadata={"description": "Language of e-mail to the partner"})
    discreet_mail = fields.Boolean(metadata={"description": "Neutral subject in e-mail"})
    website_neutral = fields.Boolean(
        metadata={"description": "The website may go into a discreet share (else left out)"}
    )
    phones = fields.List(fields.Nested(PhoneSchema))
    services = fields.List(fields.Nested(OrgRefSchema))
    version = fields.Integer()
    updated_at = UtcDateTime()


class OrganizationListArgs(Schema):
    class Meta:
        unknown = EXCLUDE

    q = fields.String(validate=validate.Length(max=200))
    status = fields.String(validate=one_of(STATUSES))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class OrganizationListSchema(Schema):
    items = fields.List(fields.Nested(OrganizationSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


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
