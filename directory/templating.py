"""What every directory page's template may use: the taxonomy, language names, the choices
of each coded field, and the ``pair`` and ``phone`` filters."""

from __future__ import annotations

import re

from flask import Flask

from app import i18n
from app.i18n import _l
from directory import labels as label_catalogue
from directory import languages, taxonomy
from directory.aaaq_records import AAAQ_DIMENSIONS, CHANNELS, OBSERVATIONS, OUTCOMES, RATING_BASES
from directory.catalog import share
from directory.catalog.present import readable_phone
from directory.models import (
    CAPACITY_UNITS,
    CARE_TYPES,
    COSTS,
    GENDERS,
    IMMIGRATION,
    MODALITIES,
    MOU_STATUSES,
    ORG_KINDS,
    PHONE_KINDS,
    SCOPES,
    STATUSES,
    WEEKDAYS,
)
from directory.referrals.models import (
    FIRST_CONTACTS,
    HANDOFFS,
    LOOP_REASONS,
    NOT_CONNECTED_REASONS,
    REFERRAL_STATUSES,
    URGENCIES,
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
    "statuses": STATUSES,
    "aaaq_dimensions": AAAQ_DIMENSIONS,
    "rating_bases": RATING_BASES,
    "outcomes": OUTCOMES,
    "channels": CHANNELS,
    "capacity_units": CAPACITY_UNITS,
    "handoffs": HANDOFFS,
    "referral_statuses": REFERRAL_STATUSES,
    "not_connected_reasons": NOT_CONNECTED_REASONS,
    "urgency": URGENCIES,
    "first_contact": FIRST_CONTACTS,
    "loop_reasons": LOOP_REASONS,
}


CHOICE_NAMES = {
    # genders, modalities, costs, phone kinds, organization kinds, scopes, statuses
    "female": _l("female"),
    "male": _l("male"),
    "transgender": _l("transgender"),
    "nonbinary": _l("nonbinary"),
    "in_person": _l("in person"),
    "phone": _l("phone"),
    "video": _l("video"),
    "text": _l("text"),
    "outreach": _l("outreach"),
    "free": _l("free"),
    "sliding_scale": _l("sliding scale"),
    "fee": _l("fee"),
    "insurance": _l("insurance"),
    "voice": _l("voice"),
    "hotline": _l("hotline"),
    "fax": _l("fax"),
    "emergency": _l("emergency"),
    "ongoing": _l("ongoing"),
    "both": _l("both"),
    "government": _l("government"),
    "ngo": _l("NGO"),
    "private": _l("private"),
    "international": _l("international"),
    "local": _l("local"),
    "regional": _l("regional"),
    "national": _l("national"),
    "active": _l("active"),
    "inactive": _l("inactive"),
    "in_progress": _l("in progress"),
    "signed": _l("signed"),
    "expired": _l("expired"),
    # referrals and feedback
    "pending": _l("pending"),
    "connected": _l("connected"),
    "not_connected": _l("not connected"),
    "declined": _l("declined"),
    "unreachable": _l("unreachable"),
    "warm_call": _l("warm call"),
    "client_called_from_facility": _l("client called from the facility"),
    "accompanied": _l("accompanied"),
    "information_only": _l("information only"),
    "no_capacity": _l("no capacity"),
    "not_eligible": _l("not eligible"),
    "could_not_reach": _l("could not reach them"),
    "client_declined": _l("client declined"),
    "other": _l("other"),
    "helpful": _l("helpful"),
    "mixed": _l("mixed"),
    "not_helpful": _l("not helpful"),
    "client_told_staff": _l("client told staff"),
    "survey": _l("survey"),
    "focus_group": _l("focus group"),
    "advisory_board": _l("advisory board"),
    # the referral loop's states, urgency, first contact, reasons
    "sent": _l("sent"),
    "accepted": _l("accepted"),
    "waitlisted": _l("waitlisted"),
    "arrived": _l("arrived"),
    "completed": _l("completed"),
    "could_not_help": _l("could not help"),
    "cancelled": _l("cancelled"),
    "out_of_area": _l("out of area"),
    "consent_revoked": _l("consent withdrawn"),
    "consent_expired": _l("consent ended"),
    "no_answer": _l("no answer in time"),
    # capacity, AAAQ ratings
    "beds": _l("beds"),
    "appointments": _l("appointments"),
    "cases": _l("cases"),
    "places": _l("places"),
    "availability": _l("availability"),
    "accessibility": _l("accessibility"),
    "acceptability": _l("acceptability"),
    "quality": _l("quality"),
    "site_visit": _l("site visit"),
    "staff_experience": _l("staff experience"),
    "client_feedback": _l("client feedback"),
    "phone_check": _l("phone check"),
    # feedback observations (OBSERVATIONS, per AAAQ dimension)
    "seen_quickly": _l("seen quickly"),
    "waited_long": _l("waited a long time"),
    "turned_away_full": _l("turned away: no space"),
    "hard_to_reach": _l("hard to reach by phone"),
    "interpreter_offered": _l("interpreter offered"),
    "no_interpreter": _l("no interpreter when needed"),
    "asked_for_documents": _l("asked for documents"),
    "hard_to_get_there": _l("hard to get there"),
    "cost_a_barrier": _l("cost was a barrier"),
    "respectful": _l("treated with respect"),
    "felt_judged": _l("felt judged or not believed"),
    "privacy_respected": _l("privacy respected"),
    "felt_unsafe": _l("did not feel safe"),
    "needs_met": _l("got what they came for"),
    "turned_away_not_eligible": _l("turned away: not eligible"),
    "sent_elsewhere": _l("sent elsewhere"),
    "followed_up": _l("staff followed up"),
}

FIELD_NAMES = {
    # where a code's words depend on its field ("both" alone says nothing)
    "care_types": {
        "emergency": _l("emergency care"),
        "ongoing": _l("ongoing care"),
        "both": _l("emergency and ongoing care"),
    },
    "immigration": {
        "any": _l("any status, including undocumented"),
        "documented_only": _l("documented only"),
    },
    "mou_statuses": {"none": _l("no MOU")},
    "urgency": {
        "routine": _l("routine"),
        "today": _l("today"),
        "now": _l("now (emergency)"),
    },
    "first_contact": {
        "client": _l("the client will call or walk in"),
        "case_manager": _l("the case manager will call"),
        "none": _l("do not contact anyone"),
    },
    "weekdays": {
        "Mon": _l("Monday"),
        "Tue": _l("Tuesday"),
        "Wed": _l("Wednesday"),
        "Thu": _l("Thursday"),
        "Fri": _l("Friday"),
        "Sat": _l("Saturday"),
        "Sun": _l("Sunday"),
    },
    "request_statuses": {
        "sent": _l("sent, waiting for the partner"),
        "answered": _l("answered"),
        "overdue": _l("overdue"),
        "revoked": _l("replaced by a newer request"),
    },
    "request_answers": {"confirmed": _l("all confirmed"), "suggested": _l("changes suggested")},
    "decisions": {"accepted": _l("accepted"), "rejected": _l("rejected")},
    "audit_actions": {"create": _l("created"), "update": _l("changed"), "delete": _l("removed")},
    "audit_objects": {  # the parts of a record its change history names
        "services": _l("service"),
        "organizations": _l("organization"),
        "locations": _l("location"),
        "phones": _l("phone"),
        "service_hours": _l("opening hours"),
        "service_at_location": _l("other place of the service"),
        "service_at_location_hours": _l("opening hours at another place"),
        "aaaq_ratings": _l("AAAQ rating"),
        "feedback_notes": _l("feedback note"),
    },
}


def choice_name(value: str | None, field: str | None = None) -> str:
    """A coded value as words in the interface language ('sliding_scale' → 'sliding scale',
    'escala móvil'; with ``field`` 'care_types', 'both' → 'emergency and ongoing care'):
    the one place coded values get their human labels, for pages and forms alike. Unknown
    codes with their underscores as spaces."""
    if value is None:
        return ""
    named = FIELD_NAMES.get(field or "", {}).get(value) or CHOICE_NAMES.get(value)
    return str(named) if named is not None else value.replace("_", " ")


def capital(text: str) -> str:
    """First letter up, the rest as written ('NGO' stays 'NGO', unlike ``capitalize``)."""
    return text[:1].upper() + text[1:]


def options(field: str) -> list[tuple[str, str]]:
    """A coded field's choices (``CHOICES[field]``) as (code, label) pairs for a select."""
    return [(code, capital(choice_name(code, field))) for code in CHOICES[field]]


def _pair(value: str) -> tuple[str, str]:
    """'sliding_scale' → ('sliding_scale', 'Sliding scale') for select options, in the
    interface language."""
    return value, capital(choice_name(value))


_DAY = re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b")


def hours_summary(hours: dict | None) -> str:
    """A week's summary line (``hours.week_summary``, English in the API) in the interface
    language: day names and fixed phrases from the printed sheets' labels."""
    summary = (hours or {}).get("summary") or ""
    lang = i18n.ui_language()
    if lang == "en" or not summary:
        return summary
    labels = label_catalogue.labels(lang)
    fixed = {
        "Open 24/7": labels["open_24_7"],
        "Hours not listed": labels["hours_not_listed"],
        "times not given (see notes)": str(_l("times not given (see notes)")),
    }
    for english, local in fixed.items():
        summary = summary.replace(english, local)
    days = dict(zip(WEEKDAYS, labels["days"], strict=True))
    return _DAY.sub(lambda m: days[m.group(1)], summary)


def language_name(code: str) -> str:
    """A language's name in the interface language ('ti' → 'Tigrinya', 'Tigriña', 'tigrigna'
    capitalised); the English name where Babel has none."""
    local = languages.display_name(code, i18n.ui_language())
    return local[:1].upper() + local[1:]


def category_name(code: str | None, label: str | None = None) -> str:
    """A category's or group's label in the interface language (the printed sheets'
    translations of the Section V template); English (``label``) otherwise."""
    lang = i18n.ui_language()
    if lang != "en" and code:
        block = label_catalogue.catalogue().get(lang) or {}
        found = (block.get("categories") or {}).get(code) or (block.get("groups") or {}).get(code)
        if found:
            return found
    if label:
        return label
    found = taxonomy.categories().get(code or "") or taxonomy.group(code or "")
    return found.label if found else (code or "")


def discreet_contact(item: dict) -> str:
    """What "Copy contact" copies from a result: the discreet line (``share``)."""
    return share.discreet_contact(item, hours_summary(item["hours"]))


def _globals() -> dict:
    return {
        "taxonomy_groups": taxonomy.groups(),
        "categories": taxonomy.categories(),
        "language_name": language_name,
        "category_name": category_name,
        "choice_name": choice_name,
        "options": options,
        "hours_summary": hours_summary,
        "discreet_contact": discreet_contact,
        "uses_miles": i18n.uses_miles,
        "common_languages": languages.COMMON,
        "choices": CHOICES,
        "observations": OBSERVATIONS,
    }


def register(app: Flask) -> None:
    app.add_template_filter(_pair, "pair")
    app.add_template_filter(readable_phone, "phone")
    app.add_template_filter(capital, "capital")
    app.context_processor(_globals)
