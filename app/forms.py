"""HTML forms without a second set of rules: a posted form becomes the nested data a
marshmallow schema loads, and the schema's errors come back keyed by the form's field
names (``location.city``, ``hours.3.opens``) so each message sits beside its field, in
the page's language."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext
from marshmallow import Schema, fields
from werkzeug.datastructures import MultiDict

from app.i18n import _l

MARSHMALLOW_MESSAGES = (
    # marshmallow's own wording (its fields and validators speak English): listed so the
    # catalogues carry them; ``page_message`` finds their translations
    _l("Missing data for required field."),
    _l("Field may not be null."),
    _l("Invalid value."),
    _l("Invalid input."),
    _l("Invalid type."),
    _l("Invalid input type."),
    _l("Unknown field."),
    _l("Not a valid string."),
    _l("Not a valid integer."),
    _l("Not a valid number."),
    _l("Number too large."),
    _l("Special numeric values (nan or infinity) are not permitted."),
    _l("Not a valid boolean."),
    _l("Not a valid date."),
    _l("Not a valid datetime."),
    _l("Not a valid time."),
    _l("Not a valid email address."),
    _l("Not a valid URL."),
    _l("Not a valid list."),
    _l("Not a valid mapping type."),
    _l("String does not match expected pattern."),
)

_NUMBER = r"(-?[\d.]+)"
MARSHMALLOW_PATTERNS = (
    # marshmallow's messages that carry values (``validate.Length``, ``Range``, ``OneOf``)
    (
        re.compile(rf"Shorter than minimum length {_NUMBER}\."),
        _l("Shorter than minimum length %(a)s."),
    ),
    (
        re.compile(rf"Longer than maximum length {_NUMBER}\."),
        _l("Longer than maximum length %(a)s."),
    ),
    (
        re.compile(rf"Length must be between {_NUMBER} and {_NUMBER}\."),
        _l("Length must be between %(a)s and %(b)s."),
    ),
    (re.compile(rf"Length must be {_NUMBER}\."), _l("Length must be %(a)s.")),
    (
        re.compile(
            rf"Must be greater than or equal to {_NUMBER} and less than or equal to {_NUMBER}\."
        ),
        _l("Must be greater than or equal to %(a)s and less than or equal to %(b)s."),
    ),
    (
        re.compile(rf"Must be greater than or equal to {_NUMBER}\."),
        _l("Must be greater than or equal to %(a)s."),
    ),
    (
        re.compile(rf"Must be less than or equal to {_NUMBER}\."),
        _l("Must be less than or equal to %(a)s."),
    ),
    (re.compile(r"Must be one of: (.*)\."), _l("Must be one of: %(a)s.")),
)


DOMAIN_MESSAGES = (
    # messages services raise in English (the API's language) and pages show in the
    # reader's: the case-reference rule (``directory.identifiers``) and the referral's
    # checks (``directory.referrals.handoff``), listed so the catalogues carry them;
    # ``page_message`` translates them sentence by sentence
    _l("Not a case code."),
    _l(
        "Use the facility's own case code: an upper-case prefix of 2–5 letters and digits, "
        "joined by - / . or _ (e.g. HT-2026-014, CM/24/0097, REF-118); never the client's "
        "name, initials with a birth date, phone, e-mail, date or an ID number."
    ),
    _l("A case code needs at least one digit (a word alone may be a name)."),
    _l("This looks like a phone or ID number."),
    _l("Letters in mixed or lower case look like a name."),
    _l("A run of more than 5 letters may be a name."),
    _l("A 9-digit run looks like an SSN or A-number."),
    _l("These digits look like a date."),
    _l("This looks like a passport or A-number."),
    _l("Initials with a date look like a client's."),
    _l("Say how the hand-off happened."),
    _l("The client's consent is required before referring."),
    _l("No such active service."),
    _l("The follow-up date cannot be in the past."),
    _l("Say why the client did not connect."),
)
# a sentence ends at ". " or "; " before a capital, not after "e.g."
_SENTENCE = re.compile(r"(?<!e\.g\.)(?<=[.;])\s+(?=[A-Z])")
_LOOKS_LIKE = re.compile(r"This looks like ([^.]+)\.")


def page_message(message: str) -> str:
    """A validation message as a page's reader reads it. The directory's own messages are
    worded through gettext where they are raised (a page gets its language, the API
    English); marshmallow's own English wording and the English messages of
    ``DOMAIN_MESSAGES`` are looked up here (sentence by sentence), their values kept."""
    translated = gettext(message)
    if translated != message:
        return translated
    for pattern, template in MARSHMALLOW_PATTERNS:
        if found := pattern.fullmatch(message):
            values = dict(zip("ab", found.groups(), strict=False))
            return str(template) % values
    if found := _LOOKS_LIKE.fullmatch(message):
        return gettext("This looks like %(what)s.", what=gettext(found.group(1)))
    sentences = _SENTENCE.split(message)
    if len(sentences) > 1:
        return " ".join(page_message(s) for s in sentences)
    return message


def form_to_data(form: MultiDict, schema: Schema) -> tuple[dict, dict[str, list[int]]]:
    """Dotted form names → nested data for ``schema``. Rows of a list whose inputs are all
    blank are dropped; the second value maps each list to the form row each item came from."""
    data: dict = {}
    rows: dict[str, dict[int, dict]] = {}
    for key in form:
        parts = key.split(".")
        field = schema.fields.get(parts[0])
        if field is None:
            continue
        if isinstance(field, fields.List) and len(parts) == 1:
            data[key] = [v for v in form.getlist(key) if v != ""]
        elif len(parts) == 1:
            data[key] = form.get(key)
        elif len(parts) == 2:
            data.setdefault(parts[0], {})[parts[1]] = form.get(key)
        elif len(parts) == 3 and parts[1].isascii() and parts[1].isdigit() and len(parts[1]) <= 4:
            # a form has at most a few hundred rows: a longer index is no row (and a
            # thousands-digit one is more than int() reads)
            rows.setdefault(parts[0], {}).setdefault(int(parts[1]), {})[parts[2]] = form.get(key)
    origin: dict[str, list[int]] = {}
    for name, by_index in rows.items():
        kept = [(i, row) for i, row in sorted(by_index.items()) if any(v for v in row.values())]
        data[name] = [row for _, row in kept]
        origin[name] = [i for i, _ in kept]
    for name, field in schema.fields.items():
        if field.dump_only:
            continue
        if field.allow_none and name in data and data[name] in ("", []):
            data[name] = None  # a field emptied is cleared; a fact left blank is not stated
        elif name not in data and isinstance(field, fields.Boolean | fields.List):
            # unticked boxes are not posted: a yes/no box is no; a tri-state fact (a
            # select, or a group of boxes none ticked) is not stated
            if field.allow_none:
                data[name] = None
            elif isinstance(field, fields.Boolean):
                data[name] = False
    for name, value in list(data.items()):
        nested = schema.fields.get(name)
        if isinstance(nested, fields.Nested) and isinstance(value, dict):
            for sub_name, sub in nested.schema.fields.items():
                if isinstance(sub, fields.Boolean) and sub_name not in value:
                    value[sub_name] = False
    for name, value in list(data.items()):
        if isinstance(value, dict) and not any(v not in ("", False, None) for v in value.values()):
            data[name] = None
    return data, origin


def flat_errors(
    errors: dict[str, Any] | list[Any] | tuple[Any, ...],
    origin: dict[str, list[int]] | None = None,
    prefix: str = "",
) -> dict:
    """marshmallow's nested errors → ``{"hours.3.opens": [...], "name": [...]}``, each
    message in the page's language (``page_message``; English under ``/api/``)."""
    origin = origin or {}
    out: dict[str, list[str]] = {}
    if isinstance(errors, list | tuple):
        out[prefix or "_schema"] = [page_message(str(e)) for e in errors]
        return out
    for key, value in errors.items():
        name = str(key)
        if prefix:
            list_name = prefix
            if isinstance(key, int) and list_name in origin and key < len(origin[list_name]):
                name = str(origin[list_name][key])
            name = f"{prefix}.{name}"
        if isinstance(value, dict):
            out.update(flat_errors(value, origin, name))
        else:
            values = value if isinstance(value, list) else [value]
            out[name] = [page_message(str(v)) for v in values]
    return out
