"""This product's fields that HSDS 3.0 has no column for, and how they travel: as
attributes of a second taxonomy, one term per field, the value in the attribute. Each map
is field name → (kind, default); a default is never exported and fills a field an
imported package does not give."""

from __future__ import annotations

# Service fields with no HSDS column, carried as attributes: name → (kind, default). The
# eligibility, cost and access facts, interpreter availability and care type default to
# None: a package that does not state them imports them as not stated, never as a claim
# ("unknown is not yes"), and a stated "no" is exported like any value.
SERVICE_FIELDS = {
    "walk_in": ("bool", None),
    "appointment_required": ("bool", None),
    "interpreter_available": ("bool", None),
    "victim_id_required": ("bool", None),
    "interpreter_trauma_trained": ("bool", False),
    "open_24_7": ("bool", False),
    "modalities": ("str", None),
    "genders": ("str", None),
    "immigration_status": ("str", None),
    "care_type": ("str", None),
    "cost": ("str", None),
    "nationality_limits": ("str", None),
    "interpreter_dialects": ("str", None),
    "interpreter_genders": ("str", None),
    "country_represented": ("str", None),
    "length_of_stay": ("str", None),
    "admits": ("str", None),
    "hours_notes": ("str", None),
    "handoff_notes": ("str", None),
    "handoff_role": ("str", None),
    "accessibility": ("str", None),
}

ORG_FIELDS = {
    "kind": ("str", "ngo"),
    "scope": ("str", "local"),
    "mou_status": ("str", "none"),
    "mou_date": ("date", None),
    "referral_process": ("str", None),
    "status": ("str", "active"),
    "is_demo": ("bool", False),
}

LOCATION_FIELDS = {"confidential": ("bool", False), "timezone": ("str", None)}
