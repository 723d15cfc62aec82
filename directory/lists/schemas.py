"""Saved lists' boundaries: a list in (create, change) and out."""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate

from directory.fields import UtcDateTime, record_id
from directory.lists.saved import MAX_NAME, MAX_SERVICES

RAW_MAX = 1000
"""The most ids a request may send before duplicates are dropped (bounds the work)."""


def _deduplicated(data: dict) -> dict:
    """``service_ids`` without repeats (the first kept), at most ``MAX_SERVICES``."""
    ids = data.get("service_ids")
    if ids is not None:
        ids = list(dict.fromkeys(ids))
        if len(ids) > MAX_SERVICES:
            raise ValidationError(f"A list holds at most {MAX_SERVICES} services.", "service_ids")
        data["service_ids"] = ids
    return data


class ServiceIds(fields.List):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            record_id(),
            validate=validate.Length(max=RAW_MAX),
            metadata={
                "description": f"Service ids in the list's order (at most {MAX_SERVICES}; "
                "repeats dropped, the first kept); each an active service"
            },
            **kwargs,
        )


class SavedListInSchema(Schema):
    """A new list."""

    class Meta:
        unknown = EXCLUDE

    name = fields.String(
        required=True,
        validate=validate.Length(min=1, max=MAX_NAME),
        metadata={"description": "No client names or other identifiers (checked)"},
    )
    service_ids = ServiceIds(load_default=list)
    shared = fields.Boolean(
        load_default=False,
        metadata={"description": "true: the facility's other accounts may read it"},
    )

    @post_load
    def _dedupe(self, data: dict, **kwargs: object) -> dict:
        return _deduplicated(data)


class SavedListPatchSchema(Schema):
    """Change a list: any of its fields; ``service_ids`` is the whole list in its new
    order (reorder, add, remove)."""

    class Meta:
        unknown = EXCLUDE

    name = fields.String(validate=validate.Length(min=1, max=MAX_NAME))
    service_ids = ServiceIds()
    shared = fields.Boolean()

    @post_load
    def _dedupe(self, data: dict, **kwargs: object) -> dict:
        return _deduplicated(data)


class SavedListSchema(Schema):
    """A list as its reader sees it: ``service_ids`` in the list's order, only services
    the reader may read; ``owner`` a label (the owner's e-mail name), ``mine`` whether the
    reader owns it (only then may they change it)."""

    id = fields.Integer()
    name = fields.String()
    service_ids = fields.List(fields.Integer())
    shared = fields.Boolean()
    owner = fields.String()
    mine = fields.Boolean()
    created_at = UtcDateTime()
    updated_at = UtcDateTime()
