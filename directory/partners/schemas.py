"""The partner feature's API boundaries: requests listed and created, decisions in."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from directory.fields import OrgRefSchema, UtcDateTime, one_of, record_id
from directory.partners.requests import STATUSES


class RequestCreatedSchema(Schema):
    id = fields.Integer()
    sent_to = fields.String()
    expires_at = UtcDateTime()
    delivered_via = fields.Function(
        lambda r: r.link.delivered_via if r.link else None,
        metadata={
            "description": "smtp: the mail server took it; outbox: no MAIL_SERVER is set, "
            "the message was kept in /admin/outbox and nothing was e-mailed"
        },
    )


class CapacityLinkSchema(Schema):
    id = fields.Integer()
    sent_to = fields.String()
    revoked = fields.Boolean()


class InboxLinkSchema(Schema):
    id = fields.Integer()
    url = fields.String(
        allow_none=True, metadata={"description": "Shown once: only its hash is kept"}
    )
    sent_to = fields.String(allow_none=True)
    revoked = fields.Boolean()


class RequestListArgs(Schema):
    class Meta:
        unknown = EXCLUDE

    status = fields.String(validate=one_of(STATUSES))


class SuggestionSchema(Schema):
    id = fields.Integer()
    service = fields.Nested(OrgRefSchema)
    service_version = fields.Integer(metadata={"description": "Give it back in versions"})
    field = fields.String()
    label = fields.String()
    seen = fields.String(metadata={"description": "What the partner was shown"})
    now = fields.String(metadata={"description": "On file now"})
    proposed = fields.String()
    decision = fields.String(allow_none=True, metadata={"description": "accepted | rejected"})


class RequestSchema(Schema):
    id = fields.Integer()
    organization = fields.Nested(OrgRefSchema)
    sent_to = fields.String()
    sent_at = UtcDateTime()
    expires_at = UtcDateTime()
    reminded_at = UtcDateTime(allow_none=True)
    answered_at = UtcDateTime(allow_none=True)
    answer = fields.String(allow_none=True, metadata={"description": "confirmed | suggested"})
    status = fields.String(metadata={"description": "sent | answered | overdue | revoked"})
    pending = fields.Integer(metadata={"description": "Suggestions not decided yet"})
    note = fields.String(allow_none=True)
    suggestions = fields.List(fields.Nested(SuggestionSchema))


class RequestListSchema(Schema):
    items = fields.List(fields.Nested(RequestSchema))
    total = fields.Integer()


class DecisionsInSchema(Schema):
    """Suggestion ids accepted and rejected; ``versions``: service id → the version the
    coordinator decided from (required for each service with an accepted change)."""

    class Meta:
        unknown = EXCLUDE

    accepted = fields.List(record_id(), load_default=list, validate=validate.Length(max=500))
    rejected = fields.List(record_id(), load_default=list, validate=validate.Length(max=500))
    versions = fields.Dict(
        keys=fields.String(validate=validate.Regexp(r"^[0-9]{1,10}$")),
        values=record_id(),
        load_default=dict,
    )
