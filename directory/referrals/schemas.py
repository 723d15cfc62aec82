"""Referrals' boundaries: a warm hand-off in, its follow-up, the answer, the figures."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate

from directory.fields import Blanks, CategoryCode, LanguageList, one_of, record_id
from directory.models import HANDOFFS, NOT_CONNECTED_REASONS, REFERRAL_STATUSES


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
