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
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import phonenumbers
from flask import current_app, has_app_context
from flask_babel import gettext

from app.i18n import N_
from directory.identifiers import names
from directory.identifiers.normalise import _TRANSLIT, _Norm
from directory.identifiers.people import people as _people
from directory.identifiers.recognisers.contacts import _emails, _handles, _phones
from directory.identifiers.recognisers.dates import _dates, _plausible_date_digits
from directory.identifiers.recognisers.numbers import _case_numbers, _id_numbers, _plates
from directory.identifiers.recognisers.persons import _names
from directory.identifiers.recognisers.places import _addresses, _street_phrases

if TYPE_CHECKING:  # for annotations only: the check imports no model at run time
    from directory.models import Service

LABELS = {
    "email": N_("an e-mail address"),
    "name": N_("a person's name"),
    "phone": N_("a phone number"),
    "date": N_("a date (possibly a date of birth)"),
    "address": N_("a street address"),
    "id_number": N_("an ID number"),
    "handle": N_("a social-media account or profile link"),
    "plate": N_("a licence plate"),
    "case_number": N_("a case number holding a name"),
    "employer": N_("a person singled out by their job and workplace"),
}
# when two findings start at the same place and are as long, the first kind here wins
PRIORITY = {
    "email": 0,
    "handle": 1,
    "case_number": 2,
    "id_number": 3,
    "plate": 4,
    "date": 5,
    "address": 6,
    "phone": 7,
    "employer": 8,
    "name": 9,
}


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str

    @property
    def label(self) -> str:
        return LABELS[self.kind]


_RECOGNISERS = (
    _emails,
    _handles,
    _case_numbers,
    _id_numbers,
    _plates,
    _dates,
    _addresses,
    _street_phrases,
    _phones,
    _names,
    _people,
)


def _fold(text: str) -> str:
    """Lower case, accents off, runs of non-alphanumerics as one space: how a finding is
    compared with a public record."""
    return " ".join(re.findall(r"[0-9a-z]+", names.key(text)))


@dataclass(frozen=True)
class Allowed:
    """What a note about a service may mention because the directory publishes it: the
    service's and its organization's phones, addresses, websites, opening hours and names.
    A finding that is one of these (or part of one) is not an identifier."""

    phones: frozenset[str] = frozenset()  # the last 7+ digits of each number
    texts: tuple[str, ...] = ()  # folded addresses, websites, hours, names

    @classmethod
    def from_record(cls, record: dict) -> Allowed:
        """From a plain dict: ``phone``/``phones``, ``address``, ``city``, ``website``,
        ``hours``, ``name``, ``organization`` (strings or lists of strings)."""
        values: list[str] = []
        for key in (
            "phone",
            "phones",
            "address",
            "addresses",
            "city",
            "website",
            "websites",
            "hours",
            "name",
            "names",
            "organization",
            "email",
            "emails",
        ):
            v = record.get(key)
            if not v:
                continue
            values.extend([v] if isinstance(v, str) else [x for x in v if x])
        phones = set()
        for v in values:
            digits = re.sub(r"\D", "", v)
            if len(digits) >= 7:
                phones.add(digits[-7:])
        texts = tuple(t for t in (_fold(v) for v in values) if len(t) >= 3)
        return cls(frozenset(phones), texts)

    @classmethod
    def from_services(cls, services: Iterable[Service]) -> Allowed:
        """From service rows: each one's names, its organization's, their phones and
        websites, the public addresses of their locations (a confidential one's address is
        no public record: a note naming it is refused) and the hours given as text."""
        record: dict[str, list[str]] = {"phones": [], "addresses": [], "websites": [], "names": []}
        for service in services:
            org = service.organization
            places = [service.location] + [sal.location for sal in service.at_locations]
            for owner in (service, org):
                record["names"] += [owner.name or "", owner.alternate_name or ""]
                record["websites"] += [getattr(owner, "url", None) or "", owner.email or ""]
                record["websites"].append(getattr(owner, "website", None) or "")
                record["phones"] += [ph.number or "" for ph in owner.phones]
            for loc in places:
                if loc is None:
                    continue
                record["phones"] += [ph.number or "" for ph in loc.phones]
                if not loc.confidential:
                    record["addresses"] += [
                        loc.address_1 or "",
                        loc.address_2 or "",
                        loc.name or "",
                    ]
            record["names"].append(service.hours_notes or "")
        return cls.from_record(record)

    @classmethod
    def from_service(cls, service: Service | None) -> Allowed:
        """What a note about ``service`` may mention (see ``from_services``)."""
        return cls.from_services([service] if service is not None else [])

    def covers(self, kind: str, text: str) -> bool:
        digits = re.sub(r"\D", "", text)
        if len(digits) >= 7 and digits[-7:] in self.phones:
            return True
        if kind in ("phone", "id_number") and len(digits) >= 7:
            return False
        folded = _fold(text)
        if not folded:
            return False
        return any(folded in t or (kind == "address" and t in folded) for t in self.texts)


NO_ALLOWANCE = Allowed()


def find(text: str, allow: Allowed | None = None) -> list[Finding]:
    """Every identifier-like span in ``text``, in order, overlaps merged. Spans are
    offsets into ``text`` as given, though matching runs on a normalised copy. ``allow``:
    the public record the note is about (its own phone, address... are no identifiers)."""
    if not text:
        return []
    allow = allow or NO_ALLOWANCE
    norm = _Norm(text)
    s = norm.s
    raw: list[tuple[int, int, int, str]] = []
    for recogniser in _RECOGNISERS:
        for kind, a, b in recogniser(s):
            if b > a:
                start, end = norm.span(a, b)
                if allow.texts or allow.phones:
                    if allow.covers(kind, text[start:end]):
                        continue
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

DEFAULT_CASE_REFERENCE_PATTERN = r"^[A-Z]{1,4}-(?:\d{4}-)?\d{1,4}$"
CASE_REF_HELP = N_(
    "Use the network's case code (like HT-2026-014); never the client's name, initials, "
    "birth date, phone, e-mail or an ID number."
)


def case_reference_pattern() -> str:
    """The configured ``CASE_REFERENCE_PATTERN`` (docs/operators.md), or the default: 1-4
    capital letters, an optional 4-digit year and a running number of 1-4 digits."""
    if has_app_context():
        return current_app.config.get("CASE_REFERENCE_PATTERN") or DEFAULT_CASE_REFERENCE_PATTERN
    return DEFAULT_CASE_REFERENCE_PATTERN


def case_reference_problem(ref: str, pattern: str | None = None) -> str | None:
    """Why ``ref`` cannot be a case reference, or None. Only the network's own case code is
    accepted (``pattern``, by default the configured one): ``HT-123-45-6789``,
    ``SSN-123-45-6789`` and ``CURP-GOLM850314`` are refused by their shape, whatever they
    hold. A code of the right shape is still refused when it reads as a date
    (``HT-1985-0314``) or the identifier check finds something in it."""
    ref = (ref or "").strip()
    if not re.fullmatch(pattern or case_reference_pattern(), ref):
        return gettext("Not the network's case code.") + " " + gettext(CASE_REF_HELP)
    found = [f for f in find(ref) if f.kind not in ("phone", "id_number", "case_number")]
    if found:
        return (
            gettext("This looks like %(what)s.", what=gettext(found[0].label))
            + " "
            + (gettext(CASE_REF_HELP))
        )
    digit_groups = re.findall(r"\d+", ref)
    for group in digit_groups:
        if len(group) == 8 and _plausible_date_digits(group):
            return gettext("These digits look like a date.") + " " + gettext(CASE_REF_HELP)
    if len(digit_groups) >= 2 and not _year_and_sequence(ref):
        return gettext("These digits look like a date.") + " " + gettext(CASE_REF_HELP)
    return None


_YEAR_SEQUENCE = re.compile(r"^(?:[A-Z]{1,5}[-/._#])?((?:19|20)\d\d)[-/._#](\d{1,6})$")


def _year_and_sequence(ref: str) -> bool:
    """A year and a running number (``2026/0042``, ``HT-2026-0042``): a case code, not a
    phone, unless the number reads as a month and day of a birth-like year
    (``1985/0314``)."""
    if not re.search(r"(?:19|20)\d\d", ref):
        return True  # no year in it: a prefix and running numbers
    m = _YEAR_SEQUENCE.match(ref)
    if not m:
        return False
    year, seq = int(m.group(1)), m.group(2)
    if year > date.today().year - 12:
        return True
    return not (len(seq) == 4 and 1 <= int(seq[:2]) <= 12 and 1 <= int(seq[2:]) <= 31)


# ---------------------------------------------------------------------------------------
# Showing what was found
# ---------------------------------------------------------------------------------------


def message(findings: list[Finding]) -> str:
    """One sentence naming every span found, each with its one-line reason (in the reader's
    language on pages; English in the API)."""
    spans = "; ".join(
        gettext("“%(text)s”: %(reason)s", text=f.text, reason=gettext(f.label)) for f in findings
    )
    return gettext(
        "Remove client identifiers before saving (%(spans)s). "
        "Describe what happened without who it happened to.",
        spans=spans,
    )


def highlight(text: str, findings: list[Finding]) -> list[tuple[str, str | None]]:
    """``text`` cut into (piece, reason): the reason (in the reader's language) for a marked
    span, None for the text between, for showing every span marked with why."""
    pieces: list[tuple[str, str | None]] = []
    pos = 0
    for f in findings:
        if f.start > pos:
            pieces.append((text[pos : f.start], None))
        pieces.append((text[f.start : f.end], gettext(f.label)))
        pos = f.end
    if pos < len(text):
        pieces.append((text[pos:], None))
    return pieces


def marks_for(exc: Exception) -> dict[str, list[tuple[str, str | None]]]:
    """The marked text of each field a refused save found identifiers in: from an
    ``IdentifiersFound`` (one field) or a domain error carrying several (``identifiers``:
    field -> IdentifiersFound), for pages to show what was typed with the spans marked."""
    found = dict(getattr(exc, "identifiers", None) or {})
    if hasattr(exc, "findings") and hasattr(exc, "field"):
        found[exc.field] = exc
    return {field: highlight(e.text, e.findings) for field, e in found.items()}


def check_text(field: str, text: str | None, allow: Allowed | None = None) -> None:
    """Refuse a free text about a client that holds identifier-like spans: raises
    ``errors.IdentifiersFound`` naming ``field``, with the spans for marking them. The one
    check every free text about a client goes through; ``allow``: the public record of the
    service the text is about (``Allowed.from_service``)."""
    if text and (found := find(text, allow=allow)):
        from directory.errors import IdentifiersFound

        raise IdentifiersFound(field, text, found)


def _label_words(text: str) -> tuple[str, list[int]]:
    """A short label with its words apart, and where each character came from: a run of
    punctuation or symbols joining two letters ("maria_lopez", "maria-lopez",
    "maria＿lopez", "maria._lopez") becomes spaces, and a small letter followed by a capital
    ("MariaLopez") gets a space between them. For labels (120 characters at most)."""
    chars = [c if len(c := unicodedata.normalize("NFKC", ch)) == 1 else ch for ch in text]
    joiner = [unicodedata.category(c)[0] in "PS" for c in chars]
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(chars):
        if joiner[i]:
            before = next((chars[j] for j in range(i - 1, -1, -1) if not joiner[j]), "")
            after = next((chars[j] for j in range(i + 1, len(chars)) if not joiner[j]), "")
            if before.isalpha() and after.isalpha():
                ch = " "
        elif ch.isupper() and len(out) >= 3 and "".join(out[-3:]).isalpha() and out[-1].islower():
            # a capital after three letters ("MariaLopez"; not "McKinney", "DeShawn")
            out.append(" ")
            origin.append(i)
        out.append(ch)
        origin.append(i)
    return "".join(out), origin


def check_label(field: str, text: str | None) -> None:
    """``check_text`` for a short label a person chooses (a saved list's name), where
    words run together are read apart too (``_label_words``: "maria_lopez", "MariaLopez"
    and "maria-lopez" are "maria lopez"), the spans marked in what was typed. Only for
    short texts: a note's handles ("snapchat: Sexy_Kitty") are found whole by
    ``check_text``, and cutting them would mark half."""
    check_text(field, text)
    if not text:
        return
    words, origin = _label_words(text)
    if words != text and (found := find(words)):
        from directory.errors import IdentifiersFound

        marks = [Finding(f.kind, origin[f.start], origin[f.end - 1] + 1, "") for f in found]
        marks = [Finding(m.kind, m.start, m.end, text[m.start : m.end]) for m in marks]
        raise IdentifiersFound(field, text, marks)
