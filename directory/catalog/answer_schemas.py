"""The catalog's answers: a service as search results and the service endpoints show it
(``ServiceItemSchema`` and its parts: address, hours, eligibility, cost, AAAQ, capacity...)
and an organization as the API shows it. What comes in is ``catalog.schemas``."""

from __future__ import annotations

from marshmallow import Schema, fields

from directory.fields import OrgRefSchema, PhoneSchema, UtcDateTime

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


class OrganizationListSchema(Schema):
    items = fields.List(fields.Nested(OrganizationSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
