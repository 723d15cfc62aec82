"""The boundaries of keeping a listing: AAAQ ratings, feedback notes, capacity reports,
change history and the review queue."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app import clock
from app.i18n import _l
from directory.aaaq_records import CHANNELS, OBSERVATION_CODES, OUTCOMES, RATING_BASES
from directory.catalog.answer_schemas import AaaqSchema, FeedbackSummarySchema
from directory.fields import OrgRefSchema, UtcDateTime, one_of, record_id
from directory.models import CAPACITY_UNITS


def aaaq_value() -> fields.Integer:
    """An AAAQ dimension given in a rating: required, 1-3 or null (N/A)."""
    return fields.Integer(
        required=True,
        allow_none=True,
        validate=validate.OneOf([1, 2, 3], error=_l("Must be 1, 2, 3 or null (N/A).")),
    )


class RatingInSchema(Schema):
    """An AAAQ rating: every dimension must be present, 1–3 or null for N/A."""

    availability = aaaq_value()
    accessibility = aaaq_value()
    acceptability = aaaq_value()
    quality = aaaq_value()
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
    """A de-identified feedback note: common observations chosen (``OBSERVATIONS``, per AAAQ
    dimension), free text, or both; at least one of the two."""

    text = fields.String(allow_none=True, validate=validate.Length(min=3, max=2000))
    observations = fields.List(
        fields.String(validate=one_of(OBSERVATION_CODES)),
        load_default=list,
        validate=validate.Length(max=len(OBSERVATION_CODES)),
    )
    outcome = fields.String(required=True, validate=one_of(OUTCOMES))
    channel = fields.String(load_default="client_told_staff", validate=one_of(CHANNELS))
    noted_on = fields.Date()

    @validates_schema
    def _not_in_the_future(self, data: dict, **_kwargs: Any) -> None:
        if data.get("noted_on") and data["noted_on"] > clock.today():
            raise ValidationError(_("A note cannot be dated in the future."), "noted_on")

    @validates_schema
    def _something_said(self, data: dict, **_kwargs: Any) -> None:
        if not (data.get("text") or "").strip() and not data.get("observations"):
            raise ValidationError(
                _("Choose what the client observed, or write what they said."), "observations"
            )


class FeedbackSchema(Schema):
    id = fields.Integer()
    service_id = fields.Integer()
    text = fields.String(allow_none=True)
    observations = fields.List(fields.String(), attribute="observation_list")
    outcome = fields.String()
    channel = fields.String()
    noted_on = fields.Date()
    hidden = fields.Boolean()


class FeedbackAnswerSchema(Schema):
    summary = fields.Nested(FeedbackSummarySchema)
    observations = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "Visible notes of the last 12 months per observation chosen"},
    )
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
    def _not_over(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("maximum") is not None and data["available"] > data["maximum"]:
            raise ValidationError(_("More available than the maximum."), "available")


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
