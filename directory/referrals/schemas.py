"""Referrals' boundaries: a warm hand-off in, its follow-up, the answer, the figures."""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate

from directory.fields import Blanks, CategoryCode, LanguageList, UtcDateTime, one_of, record_id
from directory.referrals import disclosure
from directory.referrals.loop import REASONS, STATES
from directory.referrals.models import (
    FIRST_CONTACTS,
    HANDOFFS,
    NOT_CONNECTED_REASONS,
    REFERRAL_STATUSES,
    URGENCIES,
)


class EventSchema(Schema):
    state = fields.String()
    at = UtcDateTime()
    reason = fields.String(allow_none=True, metadata={"description": "A reason code"})
    by = fields.String(metadata={"description": "sender | receiver | system"})


class LoopNeedsSchema(Schema):
    language = fields.String(allow_none=True)
    interpreter = fields.Boolean(allow_none=True)
    accessibility = fields.String(allow_none=True)


class LoopSchema(Schema):
    """A sent referral's loop, as its sender sees it (the arrival code only here)."""

    state = fields.String(metadata={"description": " | ".join(STATES)})
    number = fields.String(allow_none=True, metadata={"description": "The random number"})
    arrival_code = fields.String(allow_none=True, metadata={"description": "Give it to the client"})
    arrival_used = fields.Boolean()
    urgency = fields.String(allow_none=True)
    first_contact = fields.String(allow_none=True)
    needs = fields.Nested(LoopNeedsSchema)
    consent_expires_on = fields.Date(allow_none=True)
    consent_revoked = fields.Boolean()
    sent_at = UtcDateTime(allow_none=True)
    respond_by = UtcDateTime(allow_none=True)
    reason_code = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    purged = fields.Boolean()
    events = fields.List(fields.Nested(EventSchema))


class NeedsSchema(Blanks, Schema):
    """What the partner should prepare: language, interpreter, accessibility (no identity;
    the accessibility text goes through the identifier check)."""

    class Meta:
        unknown = EXCLUDE

    language = LanguageList(allow_none=True)
    interpreter = fields.Boolean(allow_none=True)
    accessibility = fields.String(allow_none=True, validate=validate.Length(max=300))

    @post_load
    def _one_language(self, data: dict[str, Any], **kwargs: object) -> dict[str, Any]:
        langs = data.get("language")
        if isinstance(langs, list):
            if len(langs) > 1:
                raise ValidationError("Give one language code.", "language")
            data["language"] = langs[0] if langs else None
        return data


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

    # --- sending it to the partner's inbox (the loop: docs/referrals.md)
    send = fields.Boolean(
        load_default=False,
        metadata={"description": "true: send it to the receiving organization's inbox"},
    )
    consent_expires_on = fields.Date(
        allow_none=True,
        metadata={
            "description": "End of the client's consent to share with this partner "
            "(default: in REFERRAL_CONSENT_DAYS, 90)"
        },
    )
    urgency = fields.String(allow_none=True, validate=one_of(URGENCIES))
    first_contact = fields.String(
        allow_none=True,
        validate=one_of(FIRST_CONTACTS),
        metadata={"description": "client (will call or walk in) | case_manager | none"},
    )
    needs = fields.Nested(NeedsSchema, allow_none=True)

    @post_load
    def _one_language(self, data: dict[str, Any], **kwargs: object) -> dict[str, Any]:
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
    loop_state = fields.String(
        validate=one_of(STATES),
        metadata={"description": "A sent referral: the sender may set only 'cancelled'"},
    )
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
    case_reference = fields.String(allow_none=True, metadata={"description": "null once purged"})
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
    loop = fields.Function(
        lambda r: LoopSchema().dump(disclosure.sender_view(r)) if r.loop_state else None,
        metadata={"description": "A sent referral: state, arrival code, events; else null"},
    )
    unseen_update = fields.Boolean(attribute="sender_unseen")


class ReferralListArgs(Schema):
    class Meta:
        unknown = EXCLUDE

    due = fields.Boolean(load_default=False, metadata={"description": "Pending, follow-up due"})
    status = fields.String(validate=one_of(REFERRAL_STATUSES))


class FiguresArgs(Schema):
    class Meta:
        unknown = EXCLUDE

    months = fields.Integer(load_default=12, validate=validate.Range(1, 60))
    by = fields.String(
        validate=one_of(("partner", "category")),
        metadata={"description": "Add the loop's funnel per partner or per category"},
    )


class FiguresSchema(Schema):
    since = fields.Date()
    by_month = fields.List(fields.Dict())
    totals = fields.Dict()
    unmet = fields.List(fields.Dict())
    by = fields.String()
    funnel = fields.List(
        fields.Dict(),
        metadata={
            "description": "Per partner or category: key, label, sent, accepted, waitlisted, "
            "declined, arrived, completed, could_not_help, cancelled, expired (each a count "
            'or "fewer than 5"), median_hours_to_answer, decline_reasons, expired_share'
        },
    )


class CancelInSchema(Blanks, Schema):
    class Meta:
        unknown = EXCLUDE

    reason = fields.String(allow_none=True, validate=validate.Length(max=500))


class InboxActSchema(Blanks, Schema):
    """The partner's answer: a state, a reason code (declined, could_not_help), an optional
    text (no client identifiers) and, for ``arrived``, the client's arrival code."""

    class Meta:
        unknown = EXCLUDE

    state = fields.String(required=True, validate=one_of(STATES))
    reason_code = fields.String(allow_none=True, validate=one_of(REASONS))
    reason = fields.String(allow_none=True, validate=validate.Length(max=500))
    arrival_code = fields.String(allow_none=True, validate=validate.Length(max=20))


class PartnerReferralSchema(Schema):
    """A referral as the receiving organization sees it: no case reference, no client
    field, no arrival code."""

    id = fields.Integer()
    number = fields.String()
    state = fields.String()
    service = fields.Dict()
    need = fields.String(allow_none=True)
    urgency = fields.String(allow_none=True)
    first_contact = fields.String(allow_none=True)
    needs = fields.Nested(LoopNeedsSchema)
    consent_expires_on = fields.Date(allow_none=True)
    sender = fields.Dict()
    sent_at = UtcDateTime(allow_none=True)
    respond_by = UtcDateTime(allow_none=True)
    events = fields.List(fields.Nested(EventSchema))
    allowed = fields.List(fields.String(), metadata={"description": "States you may set now"})
