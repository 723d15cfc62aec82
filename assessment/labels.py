"""Words for the assessments' coded values (answers, ratings, horizons, statuses, roles) in
the reader's language. The instruments' own text (titles, items, Section III guidance) is
quoted from the English source documents and shown as written."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

ANSWERS = {
    "yes": _l("YES"),
    "no": _l("NO"),
    "na": _l("N/A"),
    0: _l("Never"),
    1: _l("Occasionally"),
    2: _l("Often"),
    3: _l("Always"),
}
RATINGS = {
    1: _l("Very weak"),
    2: _l("Somewhat weak"),
    3: _l("Moderate"),
    4: _l("Somewhat strong"),
    5: _l("Very strong"),
    "": _l("N/A (don't know)"),
}
HORIZONS = {
    "10_days": _l("10 days"),
    "1_month": _l("1 month"),
    "3_months": _l("3 months"),
    "6_months": _l("6 months"),
    "1_year": _l("1 year"),
}
GOAL_STATUSES = {
    "not_started": _l("not started"),
    "in_progress": _l("in progress"),
    "done": _l("done"),
    "dropped": _l("dropped"),
    "dismissed": _l("dismissed"),
}
EVIDENCE_STATUSES = {
    "current": _l("current"),
    "stale only": _l("stale only"),
    "none listed": _l("none listed"),
}
ROUND_STATUSES = {"open": _l("open"), "closed": _l("closed")}
ROLES = {
    "clinician": _l("Clinician"),
    "nurse": _l("Nurse"),
    "mental_health": _l("Mental health"),
    "leadership": _l("Leadership"),
    "front_office": _l("Front office"),
    "security": _l("Security"),
    "shelter_staff": _l("Shelter staff"),
    "case_manager": _l("Case manager"),
    "law_enforcement": _l("Law enforcement"),
    "lived_experience": _l("Lived experience"),
    "other": _l("Other"),
}


def _word(table: dict[Any, Any], value: object) -> str:
    found = table.get(value)
    return str(found) if found is not None else str(value).replace("_", " ")


def answer(value: str | int) -> str:
    return _word(ANSWERS, value)


def rating(value: int | str | None) -> str:
    return _word(RATINGS, value)


def horizon(value: str) -> str:
    return _word(HORIZONS, value)


def goal_status(value: str) -> str:
    return _word(GOAL_STATUSES, value)


def round_status(value: str) -> str:
    return _word(ROUND_STATUSES, value)


def evidence_status(value: str) -> str:
    return _word(EVIDENCE_STATUSES, value)


def role(value: str) -> str:
    return _word(ROLES, value)


FILTERS = {
    "answer_label": answer,
    "rating_label": rating,
    "horizon_label": horizon,
    "goal_status_label": goal_status,
    "round_status_label": round_status,
    "respondent_role_label": role,
    "evidence_status_label": evidence_status,
}
