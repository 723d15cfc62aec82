"""What every directory page's template may use: the taxonomy, language names, the choices
of each coded field, and the ``pair`` and ``phone`` filters."""

from __future__ import annotations

from directory import languages, taxonomy
from directory.catalog.present import readable_phone
from directory.models import (
    AAAQ_DIMENSIONS,
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
    WEEKDAYS,
)

CHOICES = {
    "genders": GENDERS,
    "immigration": IMMIGRATION,
    "costs": COSTS,
    "modalities": MODALITIES,
    "care_types": CARE_TYPES,
    "phone_kinds": PHONE_KINDS,
    "org_kinds": ORG_KINDS,
    "scopes": SCOPES,
    "mou_statuses": MOU_STATUSES,
    "weekdays": WEEKDAYS,
    "aaaq_dimensions": AAAQ_DIMENSIONS,
    "rating_bases": RATING_BASES,
    "outcomes": OUTCOMES,
    "channels": CHANNELS,
    "capacity_units": CAPACITY_UNITS,
    "handoffs": HANDOFFS,
    "referral_statuses": REFERRAL_STATUSES,
    "not_connected_reasons": NOT_CONNECTED_REASONS,
}


def _pair(value: str) -> tuple[str, str]:
    """'sliding_scale' → ('sliding_scale', 'Sliding scale') for select options."""
    return value, value.replace("_", " ").capitalize()


def _globals() -> dict:
    return {
        "taxonomy_groups": taxonomy.groups(),
        "categories": taxonomy.categories(),
        "language_name": languages.name,
        "common_languages": languages.COMMON,
        "choices": CHOICES,
    }


def register(app) -> None:
    app.add_template_filter(_pair, "pair")
    app.add_template_filter(readable_phone, "phone")
    app.context_processor(_globals)
