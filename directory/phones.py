"""Phone numbers as sources and people write them → what the directory keeps: a dialable
number, its extension, its kind and the words around it.

One rule for every way a number comes in (forms, the API, HSDS imports): a full number is
kept in E.164 (``+13125550100``); a number the region dials short (N11 like 211 or 988,
SMS short codes like 741741) is kept as its digits, shown as is and dialable (``tel:988``);
an extension is digits (HSDS 3.0 ``phones.extension`` is a number); the kind is read from
the source's type or from the words ("TTY", "text", "fax"); anything else written with the
number ("press 2 for Spanish", a second number, a vanity spelling) is kept as a note, never
dropped. A text with no number in it is refused with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import shortnumberinfo

KINDS = ("voice", "text", "tty", "video", "hotline", "fax")
"""What a phone is for: voice, text (SMS), tty (textphone), video (e.g. a video relay
service), hotline, fax."""

# a source's type (HSDS 3.0's RFC 6350 list and the words 211s use) → a kind
SOURCE_TYPES = {
    "voice": "voice",
    "phone": "voice",
    "cell": "voice",
    "mobile": "voice",
    "main": "voice",
    "office": "voice",
    "landline": "voice",
    "tollfree": "voice",
    "toll-free": "voice",
    "text": "text",
    "sms": "text",
    "textphone": "tty",
    "tty": "tty",
    "tdd": "tty",
    "tty/tdd": "tty",
    "video": "video",
    "videophone": "video",
    "vp": "video",
    "vrs": "video",
    "hotline": "hotline",
    "crisis": "hotline",
    "fax": "fax",
    "facsimile": "fax",
}

# a kind → the HSDS 3.0 type (RFC 6350) an export writes
HSDS_TYPES = {"tty": "textphone"}

_KIND_WORDS = (  # words in a number's text that say its kind, first match wins
    ("tty", re.compile(r"\b(?:tty|tdd|ttd|textphone|tty/tdd)\b", re.I)),
    ("fax", re.compile(r"\b(?:fax|facsimile)\b", re.I)),
    ("video", re.compile(r"\b(?:videophone|video phone|vrs|vp)\b", re.I)),
    ("text", re.compile(r"\b(?:sms|text(?:ing)?)\b", re.I)),
)
_SHORT = re.compile(r"(?<![\d+])(\d{3,6})(?!\d)")
_EXTENSION = re.compile(r"^\s*(?:ext(?:ension)?\.?|x|#)?\s*(\d{1,10})(?:\.0+)?\s*$", re.I)
_LABEL_ONLY = re.compile(
    r"^[\s:;,.\-–—()\[\]/]*(?:tty|tdd|fax|sms|text|phone|tel|call|voice|or)?[\s:;,.\-–—()\[\]/]*$",
    re.I,
)


class Unreadable(ValueError):
    """A phone text with no number this region can dial; ``reason`` says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Phone:
    """A number as the directory keeps it (see the module's docstring)."""

    number: str
    extension: str | None
    kind: str
    note: str | None


def kind_of(source_type: str | None) -> str | None:
    """A source's phone type ('Textphone', 'SMS', 'cell') → a kind; None when it gives none
    or one this directory does not know (the caller reports it)."""
    key = (source_type or "").strip().lower()
    if not key:
        return None
    return SOURCE_TYPES.get(key) or SOURCE_TYPES.get(key.replace(" ", ""))


def hsds_type(kind: str | None) -> str | None:
    """The HSDS 3.0 phone type of a kind ('tty' → 'textphone')."""
    return HSDS_TYPES.get(kind or "", kind)


def extension_number(extension: str | None) -> int | None:
    """A stored extension as HSDS 3.0 answers it: a number (None when there is none)."""
    if extension and extension.isdigit():
        return int(extension)
    return None


def _kind_in_words(text: str) -> str | None:
    for kind, pattern in _KIND_WORDS:
        if pattern.search(text):
            return kind
    return None


def _note(text: str) -> str | None:
    """What is left of a phone's text once its number is taken out: None when only a
    label word and punctuation ('TTY:', '()') remain."""
    text = " ".join(text.split())
    if not text or _LABEL_ONLY.match(text):
        return None
    return text.strip(" ,;:-–—")


# a North American number written in digits and punctuation only ("+1 (312) 555-0100", at
# most one bracketed group): read by ``parse``, a tenth of the matcher's cost; anything else
# (other countries' numbers vary in length: "+49 30 1234567 (2)" is a number and a note, an
# odd bracket) goes to the matcher
_DIGITS_ONLY = re.compile(r"\+?[\d\s.\-]*(?:\(\d+\)[\d\s.\-]*)?")


def _full(text: str, region: str) -> tuple[str, str | None, str] | None:
    """(E.164, extension, the text without the number) of the first full number in text."""
    if len(text) <= 64:  # a feed repeats its hotlines; a long text is not kept in the cache
        return _full_cached(text, region)
    return _read_full(text, region)


# a North American number already in E.164 ("+13125550100", what a feed mostly holds): its
# country code and national number read from the text, not by ``parse`` (half the time of
# checking a feed's phone)
_E164_NANP = re.compile(r"\+1[2-9]\d{9}")


def _read_full(text: str, region: str) -> tuple[str, str | None, str] | None:
    if _E164_NANP.fullmatch(text):
        written = phonenumbers.PhoneNumber(country_code=1, national_number=int(text[2:]))
        # all ten digits of a North American number and no valid one: no part of it is
        # a full number either (as below)
        return (text, None, "") if _valid(written, region) else None
    if 7 <= len(text) <= 24 and _DIGITS_ONLY.fullmatch(text):
        try:
            parsed = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            parsed = None
        if parsed is not None and parsed.country_code == 1:
            if _valid(parsed, region):
                e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
                return e164, None, ""
            if len(str(parsed.national_number)) == 10:
                # all ten digits of a North American number and no valid one: no part of
                # it is a full number either (the matcher's answer, a tenth of its time)
                return None
    for match in phonenumbers.PhoneNumberMatcher(text, region):
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        rest = text[: match.start] + " " + text[match.end :]
        return e164, match.number.extension or None, rest
    try:  # a vanity number ('1-800-RUNAWAY') the matcher does not look for
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.is_valid_number(parsed):
        e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        keep = text if re.search(r"[A-Za-z]{3}", text) else ""  # the spelling people dial
        return e164, parsed.extension or None, keep
    return None


_full_cached = lru_cache(maxsize=8192)(_read_full)  # answers are tuples of strings


def _valid(parsed: phonenumbers.PhoneNumber, region: str) -> bool:
    """``is_valid_number``, asking the dialling region first: valid there is valid (a
    fifth of the time of trying every region sharing the country code, 25 for +1)."""
    return phonenumbers.is_valid_number_for_region(parsed, region) or phonenumbers.is_valid_number(
        parsed
    )


def _short(text: str, region: str) -> tuple[str, str] | None:
    """(digits, the text without them) of the first number the region dials short
    ('988', 'Call 211', '7-1-1')."""
    squeezed = re.sub(r"[\s.\-]", "", text)
    if len(squeezed) == 3 and squeezed.isdigit() and squeezed != text:  # "7-1-1"
        return _short(squeezed, region)
    if len(re.findall(r"\d{3,}", text)) > 1:  # "(223) 346 12361": a broken full number
        return None
    for match in _SHORT.finditer(text):
        digits = match.group(1)
        try:
            parsed = phonenumbers.parse(digits, region)
        except phonenumbers.NumberParseException:
            continue
        if shortnumberinfo.is_valid_short_number_for_region(parsed, region):
            return digits, text[: match.start()] + " " + text[match.end() :]
    return None


def normalise(
    raw: str | None,
    *,
    kind: str | None = None,
    extension: str | int | float | None = None,
    region: str = "US",
) -> Phone:
    """A phone as a source or a person gave it (the number's text, and the source's type
    and extension when it gives them apart) → a ``Phone``; ``Unreadable`` when the text
    holds no number the region can dial.

    ``kind`` is the source's own type (``kind_of`` reads it); without one, words in the
    text decide, else "voice". An extension given apart wins over one written in the
    number; one that is not digits ("press 2") joins the note."""
    text = " ".join(str(raw or "").split())
    if not text:
        raise Unreadable("no number given")
    notes: list[str] = []
    found = _full(text, region)
    if found:
        number, written_ext, rest = found
    elif short := _short(text, region):
        (number, rest), written_ext = short, None
    else:
        raise Unreadable(f"{text!r} is not a phone number: none dialled from {region} in it")
    if (note := _note(rest)) is not None:
        notes.append(note)
    given_ext = None
    if extension is not None and str(extension).strip():
        if m := _EXTENSION.match(str(extension)):
            given_ext = m.group(1)
        else:
            notes.append(str(extension).strip())
    resolved = kind_of(kind) if kind else None
    return Phone(
        number=number,
        extension=given_ext or written_ext,
        kind=resolved or _kind_in_words(text) or "voice",
        note="; ".join(dict.fromkeys(notes)) or None,
    )
