"""marshmallow schemas: the one definition of what the API, the forms and imports accept,
and of what the API answers."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
import pycountry
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

from app.extensions import MAX_ID
from directory import hours, languages, taxonomy
from directory.models import (
    CAPACITY_UNITS,
    CARE_TYPES,
    CHANNELS,
    COSTS,
    GENDERS,
    HANDOFFS,
    IMMIGRATION,
    MODALITIES,
    MOU_STATUSES,
    NOT_CONNECTED_REASONS,
    ORG_KINDS,
    OUTCOMES,
    PHONE_KINDS,
    RATING_BASES,
    REFERRAL_STATUSES,
    SCOPES,
    STATUSES,
    WEEKDAYS,
)


class UtcDateTime(fields.DateTime):
    """A moment as RFC 3339 with its offset: the database keeps naive UTC."""

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)


def record_id(**kwargs) -> fields.Integer:
    """An id or version given by a caller: a positive integer the database can hold."""
    return fields.Integer(validate=validate.Range(min=1, max=MAX_ID), **kwargs)


def one_of(choices):
    return validate.OneOf(choices, error="Must be one of: {choices}.")


class PhoneNumber(fields.String):
    """A phone number in any common format → E.164 (US numbers may omit +1)."""

    def _deserialize(self, value, attr, data, **kwargs):
        raw = super()._deserialize(value, attr, data, **kwargs).strip()
        try:
            parsed = phonenumbers.parse(raw, "US")
        except phonenumbers.NumberParseException as exc:
            raise ValidationError(f"{raw!r} is not a phone number.") from exc
        if not phonenumbers.is_valid_number(parsed):
            raise ValidationError(
                f"{raw!r} is not a valid phone number; give it with its country code, "
                "e.g. +1 312 555 0123."
            )
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


class LanguageList(fields.List):
    """ISO 639-1 or 639-3 codes (a list, or one string separated by spaces or commas)."""

    def __init__(self, **kwargs):
        super().__init__(fields.String(), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = [value]
        codes = super()._deserialize(value, attr, data, **kwargs)
        codes = [c for item in codes for c in item.replace(",", " ").split()]
        good, bad = languages.parse_list(codes)
        if bad:
            raise ValidationError(
                f"Unknown language code(s): {', '.join(bad)}. Use ISO 639-1 or 639-3 codes, "
                "e.g. en, es, fr, ti, quc."
            )
        return good


class CategoryCode(fields.String):
    """A Section V category code (or, where ``groups`` is True, a group code too)."""

    def __init__(self, *, groups: bool = False, **kwargs):
        self.groups = groups
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        code = super()._deserialize(value, attr, data, **kwargs).strip()
        if code in taxonomy.categories() or (self.groups and taxonomy.group(code)):
            return code
        accepted = list(taxonomy.categories())
        if self.groups:
            accepted = [g.code for g in taxonomy.groups()] + accepted
        raise ValidationError(f"Unknown category {code!r}. Accepted: {', '.join(accepted)}.")


class CountryCode(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        code = super()._deserialize(value, attr, data, **kwargs).strip().upper()
        if not pycountry.countries.get(alpha_2=code):
            raise ValidationError(f"{code!r} is not an ISO 3166 two-letter country code.")
        return code


class Tokens(fields.List):
    """A set of choices stored as space-separated tokens."""

    def __init__(self, choices, **kwargs):
        super().__init__(fields.String(validate=one_of(choices)), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = value.replace(",", " ").split()
        return " ".join(dict.fromkeys(super()._deserialize(value, attr, data, **kwargs)))

    def _serialize(self, value, attr, obj, **kwargs):
        return value.split() if isinstance(value, str) else value


# --- search -------------------------------------------------------------------------------


class SearchArgs(Schema):
    """Query parameters of ``GET /api/v1/services`` and the search page."""

    class Meta:
        unknown = EXCLUDE

    q = fields.String(validate=validate.Length(max=200), metadata={"description": "Keywords"})
    category = fields.List(CategoryCode(groups=True), metadata={"description": "Code or group"})
    language = LanguageList(metadata={"description": "ISO 639-1 or 639-3 codes"})
    near = fields.String(
        validate=validate.Length(min=1, max=200),
        metadata={"description": "Place name or postal code"},
    )
    lat = fields.Float(validate=validate.Range(-90, 90))
    lon = fields.Float(validate=validate.Range(-180, 180))
    radius_km = fields.Float(validate=validate.Range(min=0.1, max=20000))
    open_now = fields.Boolean()
    open_at = fields.String(
        metadata={"description": "ISO 8601 local date-time, e.g. 2026-11-24T18:30"}
    )
    age = fields.Integer(validate=validate.Range(0, 130))
    gender = fields.String(validate=one_of(GENDERS))
    free = fields.Boolean()
    undocumented_ok = fields.Boolean()
    no_id_required = fields.Boolean()
    walk_in = fields.Boolean()
    modality = fields.List(fields.String(validate=one_of(MODALITIES)))
    has_capacity = fields.Boolean(metadata={"description": "Only services reporting free capacity"})
    aaaq_min = fields.Float(
        validate=validate.Range(1, 3), metadata={"description": "Minimum overall AAAQ (1–3)"}
    )
    sort = fields.String(
        validate=one_of(("relevance", "distance", "name", "aaaq")),
        metadata={"description": "Default: distance when a place is given, else name"},
    )
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))

    @validates("open_at")
    def _open_at(self, value, **kwargs):
        parse_open_at(value)

    @validates_schema
    def _together(self, data, **kwargs):
        errors = {}
        if ("lat" in data) != ("lon" in data):
            errors["lat" if "lat" not in data else "lon"] = ["Give lat and lon together."]
        if "near" in data and "lat" in data:
            errors["near"] = ["Give either near or lat and lon, not both."]
        if "radius_km" in data and "near" not in data and "lat" not in data:
            errors["radius_km"] = ["A radius needs a place: near, or lat and lon."]
        if data.get("open_now") and "open_at" in data:
            errors["open_at"] = ["Give either open_now or open_at, not both."]
        if errors:
            raise ValidationError(errors)


def parse_open_at(value: str) -> tuple[int, int]:
    """'2026-11-24T18:30' → (weekday, minute of day), wall-clock time in each place."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError(
            "Not an ISO 8601 local date-time; use e.g. 2026-11-24T18:30."
        ) from exc
    return moment.weekday(), moment.hour * 60 + moment.minute


# --- output -------------------------------------------------------------------------------


class CategorySchema(Schema):
    code = fields.String()
    label = fields.String()
    group = fields.String()


class OrgRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class PhoneSchema(Schema):
    number = fields.String(metadata={"description": "E.164"})
    kind = fields.String()
    extension = fields.String(allow_none=True)
    label = fields.String(allow_none=True)


class AddressSchema(Schema):
    address_1 = fields.String(allow_none=True)
    address_2 = fields.String(allow_none=True)
    city = fields.String(allow_none=True)
    region = fields.String(allow_none=True)
    postal_code = fields.String(allow_none=True)
    country = fields.String(allow_none=True)
    latitude = fields.Float(allow_none=True)
    longitude = fields.Float(allow_none=True)


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
    genders = fields.List(fields.String(), metadata={"description": "Empty: everyone"})
    immigration_status = fields.String()
    victim_id_required = fields.Boolean()
    nationality_limits = fields.String(allow_none=True)
    notes = fields.String(allow_none=True)


class CostSchema(Schema):
    kind = fields.String()
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


class ServiceItemSchema(Schema):
    """A service as search results and the service endpoints show it."""

    id = fields.Integer()
    name = fields.String()
    organization = fields.Nested(OrgRefSchema)
    category = fields.String()
    category_label = fields.String()
    group = fields.String()
    description = fields.String(allow_none=True)
    status = fields.String()
    languages = fields.List(fields.String())
    interpreter_available = fields.Boolean()
    phones = fields.List(fields.Nested(PhoneSchema))
    hours = fields.Nested(HoursSchema)
    open_now = fields.Boolean(allow_none=True)
    distance_km = fields.Float(allow_none=True)
    distance_approximate = fields.Boolean()
    confidential_location = fields.Boolean()
    address = fields.Nested(AddressSchema, allow_none=True)
    area = fields.Nested(AreaSchema, allow_none=True)
    location_id = fields.Integer(allow_none=True)
    eligibility = fields.Nested(EligibilitySchema)
    cost = fields.Nested(CostSchema)
    walk_in = fields.Boolean()
    appointment_required = fields.Boolean()
    modalities = fields.List(fields.String())
    care_type = fields.String()
    required_documents = fields.String(allow_none=True)
    accessibility = fields.String(allow_none=True)
    length_of_stay = fields.String(allow_none=True)
    admits = fields.String(allow_none=True)
    interpreter = fields.Dict(allow_none=True)
    country_represented = fields.String(allow_none=True)
    website = fields.String(allow_none=True)
    aaaq = fields.Nested(AaaqSchema)
    last_verified = fields.Date(allow_none=True)
    handoff = fields.Nested(HandoffSchema)
    capacity = fields.Nested(CapacitySchema, allow_none=True)
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


class SearchAnswerSchema(Schema):
    items = fields.List(fields.Nested(ServiceItemSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    place = fields.String(allow_none=True)


# --- input --------------------------------------------------------------------------------


def _opt_str(max_len: int, **kw):
    return fields.String(allow_none=True, validate=validate.Length(max=max_len), **kw)


class Blanks:
    """Treat empty strings from forms as missing values."""

    @pre_load
    def _drop_blanks(self, data, **kwargs):
        if hasattr(data, "items"):
            return {k: v for k, v in dict(data).items() if v != "" and v != []}
        return data


class PhoneInSchema(Blanks, Schema):
    number = PhoneNumber(required=True)
    kind = fields.String(load_default="voice", validate=one_of(PHONE_KINDS))
    extension = _opt_str(10)
    label = _opt_str(100)


class SpanInSchema(Schema):
    weekday = fields.String(required=True)
    opens = fields.String(required=True)
    closes = fields.String(required=True)

    @post_load
    def _parse(self, data, **kwargs):
        errors = {}
        day = data["weekday"].strip()[:3].title()
        if day.isdigit() and int(day) in range(7):
            weekday = int(day)
        elif day in WEEKDAYS:
            weekday = WEEKDAYS.index(day)
        else:
            errors["weekday"] = [f"Must be one of: {', '.join(WEEKDAYS)}."]
        parsed = {}
        for key in ("opens", "closes"):
            try:
                parsed[key] = hours.parse_time(data[key])
            except hours.BadTime as exc:
                errors[key] = [str(exc)]
        if errors:
            raise ValidationError(errors)
        if parsed["opens"] == 1440:
            raise ValidationError({"opens": ["A span cannot open at 24:00; use 00:00."]})
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
    latitude = fields.Float(allow_none=True, validate=validate.Range(-90, 90))
    longitude = fields.Float(allow_none=True, validate=validate.Range(-180, 180))
    timezone = _opt_str(64)
    confidential = fields.Boolean(load_default=False)

    @validates("timezone")
    def _tz(self, value, **kwargs):
        if value:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise ValidationError(f"{value!r} is not an IANA time zone name.") from exc

    @validates_schema
    def _coords(self, data, **kwargs):
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise ValidationError("Give latitude and longitude together.", "latitude")
        if not any(data.get(k) for k in ("address_1", "city", "postal_code", "latitude")):
            raise ValidationError("Give at least a city, a postal code or coordinates.", "city")


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
    email = fields.Email(allow_none=True)
    referral_process = _opt_str(5000)
    mou_status = fields.String(load_default="none", validate=one_of(MOU_STATUSES))
    mou_date = fields.Date(allow_none=True)
    status = fields.String(load_default="active", validate=one_of(STATUSES))
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
    category = CategoryCode(required=True)
    description = _opt_str(5000)
    status = fields.String(validate=one_of(STATUSES))
    languages = LanguageList()
    interpreter_available = fields.Boolean()
    min_age = fields.Integer(allow_none=True, validate=validate.Range(0, 130))
    max_age = fields.Integer(allow_none=True, validate=validate.Range(0, 130))
    genders = Tokens(GENDERS)
    immigration_status = fields.String(validate=one_of(IMMIGRATION))
    victim_id_required = fields.Boolean()
    nationality_limits = _opt_str(300)
    eligibility_notes = _opt_str(2000)
    cost = fields.String(validate=one_of(COSTS))
    cost_notes = _opt_str(300)
    walk_in = fields.Boolean()
    appointment_required = fields.Boolean()
    modalities = Tokens(MODALITIES)
    care_type = fields.String(validate=one_of(CARE_TYPES))
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
    def _ages(self, data, **kwargs):
        lo, hi = data.get("min_age"), data.get("max_age")
        if lo is not None and hi is not None and lo > hi:
            raise ValidationError("Minimum age is above maximum age.", "max_age")
        if "location" in data and data.get("location_id") is not None:
            raise ValidationError("Give location or location_id, not both.", "location")


class PatchWithVersion:
    """PATCH body: any subset of the fields, with the ``version`` read (required)."""

    version = record_id(
        required=True,
        load_only=True,
        error_messages={"required": "Give the version you read; it guards against lost edits."},
    )

    def __init__(self, **kwargs):
        others = tuple(name for name in self._declared_fields if name != "version")
        super().__init__(partial=others, **kwargs)


class ServicePatchSchema(PatchWithVersion, ServiceInSchema):
    pass


class OrganizationPatchSchema(PatchWithVersion, OrganizationInSchema):
    pass


# --- ratings, feedback, capacity ---------------------------------------------------------


AAAQ_VALUE = {
    "allow_none": True,
    "validate": validate.OneOf([1, 2, 3], error="Must be 1, 2, 3 or null (N/A)."),
}


class RatingInSchema(Schema):
    """An AAAQ rating: every dimension must be present, 1–3 or null for N/A."""

    availability = fields.Integer(required=True, **AAAQ_VALUE)
    accessibility = fields.Integer(required=True, **AAAQ_VALUE)
    acceptability = fields.Integer(required=True, **AAAQ_VALUE)
    quality = fields.Integer(required=True, **AAAQ_VALUE)
    basis = fields.String(load_default="staff_experience", validate=one_of(RATING_BASES))
    note = fields.String(allow_none=True, validate=validate.Length(max=2000))
    rated_on = fields.Date()


class RatingSchema(Schema):
    id = fields.Integer()
    service_id = fields.Integer()
    rated_on = fields.Date()
    availability = fields.Integer(allow_none=True)
    accessibility = fields.Integer(allow_none=True)
    acceptability = fields.Integer(allow_none=True)
    quality = fields.Integer(allow_none=True)
    basis = fields.String()
    note = fields.String(allow_none=True)
    rater = fields.Function(lambda r: r.rater.email if r.rater else None)


class RatingsAnswerSchema(Schema):
    aaaq = fields.Nested(AaaqSchema)
    ratings = fields.List(fields.Nested(RatingSchema))


class FeedbackInSchema(Schema):
    """A de-identified feedback note."""

    text = fields.String(required=True, validate=validate.Length(min=3, max=2000))
    outcome = fields.String(required=True, validate=one_of(OUTCOMES))
    channel = fields.String(load_default="client_told_staff", validate=one_of(CHANNELS))
    noted_on = fields.Date()


class FeedbackSchema(Schema):
    id = fields.Integer()
    service_id = fields.Integer()
    text = fields.String()
    outcome = fields.String()
    channel = fields.String()
    noted_on = fields.Date()
    hidden = fields.Boolean()


class FeedbackAnswerSchema(Schema):
    summary = fields.Nested(FeedbackSummarySchema)
    notes = fields.List(fields.Nested(FeedbackSchema))


class HideInSchema(Schema):
    reason = fields.String(allow_none=True, validate=validate.Length(max=300))


class CapacityInSchema(Schema):
    """Capacity now: a unit, how many are free, and optionally the maximum."""

    unit = fields.String(required=True, validate=one_of(CAPACITY_UNITS))
    available = fields.Integer(required=True, validate=validate.Range(0, 100000))
    maximum = fields.Integer(allow_none=True, validate=validate.Range(0, 100000))
    version = record_id(load_only=True)

    @validates_schema
    def _not_over(self, data, **kwargs):
        if data.get("maximum") is not None and data["available"] > data["maximum"]:
            raise ValidationError("More available than the maximum.", "available")


class ChangeSchema(Schema):
    at = UtcDateTime()
    actor = fields.String()
    action = fields.String()
    object_type = fields.String()
    object_id = fields.String(allow_none=True)
    changes = fields.Dict(allow_none=True)


class ReviewItemSchema(Schema):
    service = fields.Nested(OrgRefSchema)
    organization = fields.Nested(OrgRefSchema)
    last_verified = fields.Date(allow_none=True)
    reasons = fields.List(fields.String())


# --- referrals ----------------------------------------------------------------------------


class ReferralOutcomeSchema(Schema):
    count = fields.Integer()
    closed = fields.Integer()
    connection_rate = fields.Float(allow_none=True)


class ReferralInSchema(Blanks, Schema):
    """A warm hand-off: no client identity, the client's consent required."""

    class Meta:
        unknown = EXCLUDE

    service_id = record_id(required=True)
    case_reference = fields.String(
        required=True,
        validate=validate.Length(min=3, max=40),
        metadata={"description": "The facility's own case code, never a name/phone/e-mail/date"},
    )
    handoff = fields.String(required=True, validate=one_of(HANDOFFS))
    consent = fields.Boolean(required=True)
    consent_shared = fields.String(
        allow_none=True,
        validate=validate.Length(max=300),
        metadata={"description": "What the client agreed to share with the partner"},
    )
    need = CategoryCode(allow_none=True, metadata={"description": "Default: the service's"})
    interpreter_language = LanguageList(allow_none=True)
    follow_up_on = fields.Date(metadata={"description": "Default: in 7 days"})
    outcome_note = fields.String(allow_none=True, validate=validate.Length(max=2000))

    @post_load
    def _one_language(self, data, **kwargs):
        langs = data.get("interpreter_language")
        if isinstance(langs, list):
            if len(langs) > 1:
                raise ValidationError("Give one language code.", "interpreter_language")
            data["interpreter_language"] = langs[0] if langs else None
        return data


class ReferralPatchSchema(Blanks, Schema):
    """Follow-up: the outcome, a reason when not connected, a note, a new follow-up date."""

    status = fields.String(validate=one_of(REFERRAL_STATUSES))
    not_connected_reason = fields.String(allow_none=True, validate=one_of(NOT_CONNECTED_REASONS))
    outcome_note = fields.String(allow_none=True, validate=validate.Length(max=2000))
    follow_up_on = fields.Date()
    version = record_id(required=True)


class ReferralSchema(Schema):
    id = fields.Integer()
    service_id = fields.Integer()
    service = fields.Function(
        lambda r: {
            "id": r.service.id,
            "name": r.service.name,
            "organization": r.service.organization.name,
        }
    )
    case_reference = fields.String()
    handoff = fields.String()
    consent = fields.Boolean()
    consent_shared = fields.String(allow_none=True)
    need = fields.String()
    interpreter_language = fields.String(allow_none=True)
    follow_up_on = fields.Date()
    status = fields.String()
    not_connected_reason = fields.String(allow_none=True)
    outcome_note = fields.String(allow_none=True)
    referred_on = fields.Date()
    closed_on = fields.Date(allow_none=True)
    case_manager = fields.Function(lambda r: r.case_manager.email)
    version = fields.Integer()


class ReferralListArgs(Schema):
    class Meta:
        unknown = EXCLUDE

    due = fields.Boolean(load_default=False, metadata={"description": "Pending, follow-up due"})
    status = fields.String(validate=one_of(REFERRAL_STATUSES))


class FiguresArgs(Schema):
    class Meta:
        unknown = EXCLUDE

    months = fields.Integer(load_default=12, validate=validate.Range(1, 60))


class FiguresSchema(Schema):
    since = fields.Date()
    by_month = fields.List(fields.Dict())
    totals = fields.Dict()
    unmet = fields.List(fields.Dict())
