"""Finding client identifiers in free text, so notes and referrals stay de-identified.

A feedback note or a referral note may say what happened, never who it happened to. Before
saving, the text is scanned for names, phone numbers, e-mail addresses, dates (of birth),
street addresses and ID numbers; each finding is a span of the text as the user typed it,
shown to them to remove. The patterns err on the side of caution: a false alarm costs a
rewrite, a miss can endanger a client.

How: the text is first normalised into a copy that keeps, for every character, the span
of the original it came from:

- Unicode NFKC (full-width ``＠`` and digits, ligatures), format characters dropped
  (zero-width spaces and joiners, soft hyphens, direction marks), dashes and spaces unified,
  digits of other scripts made ASCII, combining accents composed;
- confusable letters of other scripts (Cyrillic ``М``, ``р``, Greek ``Ο``) made Latin;
- look-alike letters inside digit runs (``3l2-555-Ol23``) made digits;
- numbers spelled out in English, Spanish and French (``three one two``, ``cinco-cinco``,
  ``zéro six douze trente-quatre``) made digits when three or more run together, and
  spelled years (``nineteen eighty-five``, ``mil novecientos ochenta y cinco``) made years.

Then hand-written recognisers run on the copy: names after a title or a cue word (client,
patient, name, called, se llama, s'appelle, mother, hija...; en/es/fr) or a common first
name followed by a surname; phone-shaped digit runs whatever their validity (7-15 digits in
groups); e-mails including ``at``/``dot``/``arroba``/``[at]`` spellings; dates in numbers
and words, and anything after a birth cue (dob, fecha de nacimiento, née le...); street
addresses (number + street word, street word + name + number, unit numbers, ``221B``);
SSNs, A-numbers, passport-like codes, long digit runs and numbers after an ID cue word.

What it cannot do: a name with no title, no cue word and not in the first-name list,
written in lower case, cannot be told from ordinary words; a place or date described in
prose ("the house by the church", "the day after Easter") is not an identifier it knows.

Measured on ``tests/unit/identifier_corpus.py`` by ``benchmarks/identifiers.py``; the
figures, and those of Presidio's pattern recognisers on the same corpus, are in
``docs/security.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from flask_babel import gettext

from app.i18n import N_
from directory.identifiers.normalise import _TRANSLIT, _Norm
from directory.identifiers.recognisers import (
    _addresses,
    _dates,
    _emails,
    _id_numbers,
    _names,
    _phones,
    _plausible_date_digits,
)

LABELS = {
    "email": N_("an e-mail address"),
    "name": N_("a person's name"),
    "phone": N_("a phone number"),
    "date": N_("a date (possibly a date of birth)"),
    "address": N_("a street address"),
    "id_number": N_("an ID number"),
}
# when two findings start at the same place and are as long, the first kind here wins
PRIORITY = {"email": 0, "id_number": 1, "date": 2, "address": 3, "phone": 4, "name": 5}


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str

    @property
    def label(self) -> str:
        return LABELS[self.kind]


_RECOGNISERS = (_emails, _id_numbers, _dates, _addresses, _phones, _names)


def find(text: str) -> list[Finding]:
    """Every identifier-like span in ``text``, in order, overlaps merged. Spans are
    offsets into ``text`` as given, though matching runs on a normalised copy."""
    if not text:
        return []
    norm = _Norm(text)
    s = norm.s
    raw: list[tuple[int, int, int, str]] = []
    for recogniser in _RECOGNISERS:
        for kind, a, b in recogniser(s):
            if b > a:
                start, end = norm.span(a, b)
                raw.append((start, -end, PRIORITY[kind], kind))
    if not text.isascii() and any(ch in _TRANSLIT for ch in text):
        alt = _Norm(text, transliterate=True)
        for kind, a, b in _names(alt.s):
            start, end = alt.span(a, b)
            raw.append((start, -end, PRIORITY[kind], kind))
    raw.sort()
    merged: list[list] = []
    for start, neg_end, _, kind in raw:
        end = -neg_end
        if merged and start < merged[-1][2]:
            merged[-1][2] = max(merged[-1][2], end)
            continue
        merged.append([kind, start, end])
    return [Finding(kind, a, b, text[a:b]) for kind, a, b in merged]


def looks_like_phone(text: str) -> bool:
    """The whole text is a valid phone number (any common format, US default)."""
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(text, "US"))
    except phonenumbers.NumberParseException:
        return False


# ---------------------------------------------------------------------------------------
# Case references
# ---------------------------------------------------------------------------------------

CASE_REF_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-_/.#]{2,39}$")
CASE_REF_HELP = (
    "Use the facility's own case code: an upper-case prefix of 2–5 letters and digits, "
    "joined by - / . or _ (e.g. HT-2026-014, CM/24/0097, REF-118); never the client's "
    "name, initials with a birth date, phone, e-mail, date or an ID number."
)


def case_reference_problem(ref: str) -> str | None:
    """Why ``ref`` cannot be a case reference, or None. A case reference is the facility's
    own code: upper-case letter groups of at most 5 and digit groups, joined by separators
    (``HT-2026-014``, ``CM/24/0097``, ``REF-118``). Refused: anything the identifier check
    finds, and codes shaped like an SSN, A-number, passport, initials + birth date, a name,
    a phone, an e-mail or a date."""
    ref = (ref or "").strip()
    if not CASE_REF_RE.match(ref):
        return "Not a case code. " + CASE_REF_HELP
    if not any(ch.isdigit() for ch in ref):
        return "A case code needs at least one digit (a word alone may be a name). " + (
            CASE_REF_HELP
        )
    found = [f for f in find(ref) if not (f.kind == "phone" and _year_and_sequence(ref))]
    if found:
        return f"This looks like {found[0].label}. " + CASE_REF_HELP
    if looks_like_phone(ref) or len(re.sub(r"\D", "", ref)) >= 10:
        return "This looks like a phone or ID number. " + CASE_REF_HELP
    parts = re.findall(r"[A-Za-z]+|\d+", ref)
    for part in parts:
        if part.isalpha():
            if not part.isupper():
                return "Letters in mixed or lower case look like a name. " + CASE_REF_HELP
            if len(part) > 5:
                return "A run of more than 5 letters may be a name. " + CASE_REF_HELP
        elif len(part) == 9:
            return "A 9-digit run looks like an SSN or A-number. " + CASE_REF_HELP
        elif len(part) == 8 and _plausible_date_digits(part):
            return "These digits look like a date. " + CASE_REF_HELP
        elif len(part) == 6 and _plausible_short_date(part):
            return "These digits look like a date. " + CASE_REF_HELP
    if re.fullmatch(r"[A-Z]{1,2}\d{6,9}", ref) or re.fullmatch(r"A\d{8,9}", ref):
        return "This looks like a passport or A-number. " + CASE_REF_HELP
    digit_groups = [p for p in parts if p.isdigit()]
    if (
        len(digit_groups) >= 3
        and _date_groups(digit_groups[-3:])
        or len(digit_groups) == 3
        and _date_groups(digit_groups)
    ):
        return "These digits look like a date. " + CASE_REF_HELP
    letters = [p for p in parts if p.isalpha()]
    if letters and len(letters[0]) <= 3 and digit_groups and len(digit_groups[0]) in (6, 8):
        return "Initials with a date look like a client's. " + CASE_REF_HELP
    return None


_YEAR_SEQUENCE = re.compile(r"^(?:[A-Z]{1,5}[-/._#])?(?:19|20)\d\d[-/._#](\d{1,6})$")


def _year_and_sequence(ref: str) -> bool:
    """A year and a running number (``2026/0042``, ``HT-2026-0042``): a case code, not a
    phone, unless the number reads as a month and day (``1985/0314``)."""
    m = _YEAR_SEQUENCE.match(ref)
    if not m:
        return False
    seq = m.group(1)
    return not (len(seq) == 4 and 1 <= int(seq[:2]) <= 12 and 1 <= int(seq[2:]) <= 31)


def _plausible_short_date(d: str) -> bool:
    """``d`` (6 digits) reads as ddmmyy, mmddyy or yymmdd with a birth-like year."""
    a, b, c = int(d[:2]), int(d[2:4]), int(d[4:])
    return (1 <= a <= 31 and 1 <= b <= 12 and c <= 99 and (c >= 30 or c <= 10)) and (1 <= b <= 12)


def _date_groups(groups: list[str]) -> bool:
    """Three digit groups reading as d m y, m d y or y m d with a 4-digit year."""
    a, b, c = groups
    if len(a) == 4 and 1900 <= int(a) <= 2099:
        return 1 <= int(b) <= 12 and 1 <= int(c) <= 31 and len(b) <= 2 and len(c) <= 2
    if len(c) == 4 and 1900 <= int(c) <= 2099 and len(a) <= 2 and len(b) <= 2:
        x, y = int(a), int(b)
        return (1 <= x <= 31 and 1 <= y <= 12) or (1 <= x <= 12 and 1 <= y <= 31)
    return False


# ---------------------------------------------------------------------------------------
# Showing what was found
# ---------------------------------------------------------------------------------------


def message(findings: list[Finding]) -> str:
    """One sentence naming what was found, for the error payload (in a page's language;
    English in the API)."""
    kinds = list(dict.fromkeys(gettext(f.label) for f in findings))
    quoted = ", ".join(f"“{f.text}”" for f in findings[:5])
    return gettext(
        "Remove client identifiers before saving: this looks like %(kinds)s (%(quoted)s). "
        "Describe what happened without who it happened to.",
        kinds=", ".join(kinds),
        quoted=quoted,
    )


def highlight(text: str, findings: list[Finding]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is_identifier) for showing the spans marked."""
    pieces, pos = [], 0
    for f in findings:
        if f.start > pos:
            pieces.append((text[pos : f.start], False))
        pieces.append((text[f.start : f.end], True))
        pos = f.end
    if pos < len(text):
        pieces.append((text[pos:], False))
    return pieces


def check_text(field: str, text: str | None) -> None:
    """Refuse a free text about a client that holds identifier-like spans: raises
    ``errors.IdentifiersFound`` naming ``field``, with the spans for marking them."""
    if text and (found := find(text)):
        from directory.errors import IdentifiersFound

        raise IdentifiersFound(field, text, found)
