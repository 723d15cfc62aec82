"""Dates that may be a date of birth: numeric and written-out dates judged by their year,
and anything after a birth cue ("DOB", "fecha de nacimiento", "née le")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from directory.identifiers.normalise import _NUMBER_WORDS, _trie
from directory.identifiers.recognisers import Found
from directory.identifiers.words import (
    MONTHS,
)

_DATE_SHAPE = re.compile(
    r"(?:19|20)\d\d([-/.])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])"
    r"|(?:0?[1-9]|[12]\d|3[01])([-/.])(?:0?[1-9]|[12]\d|3[01])\2(?:19|20)?\d\d"
)


def _plausible_date_digits(d: str) -> bool:
    """``d`` (8 digits) reads as yyyymmdd, ddmmyyyy or mmddyyyy."""
    y1, m1, d1 = int(d[:4]), int(d[4:6]), int(d[6:])
    if 1900 <= y1 <= 2099 and 1 <= m1 <= 12 and 1 <= d1 <= 31:
        return True
    a, b, y2 = int(d[:2]), int(d[2:4]), int(d[4:])
    return 1900 <= y2 <= 2099 and (
        (1 <= a <= 31 and 1 <= b <= 12) or (1 <= a <= 12 and 1 <= b <= 31)
    )


def _spelled_days() -> str:
    ords = (
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
        "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth "
        "twentieth thirtieth"
    ).split()
    words = set(ords)
    for o in ords[:9]:
        words |= {f"twenty-{o}", f"twenty {o}"}
    words |= {"thirty-first", "thirty first", "primero", "premier", "1er", "1ero"}
    words |= {w for w, v in _NUMBER_WORDS.items() if 1 <= v <= 31}  # ("oh" is 0)
    return _trie(words)


_DAY = rf"(?:\d{{1,2}}(?:st|nd|rd|th|º|°|er|e|ème|o|a)?|{_spelled_days()})(?![A-Za-z])"
_YEAR_ANY = r"(?:(?:19|20)\d\d|'\d\d|’\d\d)"
_DATE_RES = [
    # numeric: d/m/y, m/d/y, y-m-d, with / . - or spaced separators
    re.compile(
        r"(?<![\w/.-])(?:0?[1-9]|[12]\d|3[01])\s?([/.-])\s?(?:0?[1-9]|[12]\d|3[01])\s?\1\s?"
        r"(?:\d{4}|\d{2})(?![\w/]|[.-]\d)"
    ),
    re.compile(
        r"(?<![\w/.-])(?:19|20)\d\d\s?([/.-])\s?(?:0?[1-9]|1[0-2])\s?\1\s?"
        r"(?:0?[1-9]|[12]\d|3[01])(?![\w/]|[.-]\d)"
    ),
    re.compile(r"(?<![\w/.-])(?:0?[1-9]|[12]\d|3[01]) (?:0?[1-9]|1[0-2]) (?:19|20)\d\d(?!\w)"),
    # month name: March 4(th), 1985 / March the 4th 1985 / marzo 4 de 1985
    re.compile(
        rf"(?<![\w])(?i:{MONTHS})\s*(?i:the\s+)?{_DAY}(?i:,?\s*(?:de\s+|of\s+|del\s+)?)"
        rf"{_YEAR_ANY}(?!\w)",
        re.I,
    ),
    # 4 March 1985 / 4th of March, 1985 / 4 de marzo de 1985 / le 3 mars 2001
    re.compile(
        rf"(?<![\w])(?:the\s+)?{_DAY}\s*(?:of\s+|de\s+|-|/)?{MONTHS}(?:,?\s*(?:de\s+|del\s+|-|/)?)"
        rf"{_YEAR_ANY}(?!\w)",
        re.I,
    ),
]
_BIRTH_CUE = (
    r"(?:d\.?\s?o\.?\s?b\.?|dob|date\s+of\s+birth|birth\s?date|birthday|b-?day|born(?:\s+on)?|"
    r"fecha\s+de\s+nacimiento|f\.?\s?nac\.?|fdn|nacid[oa](?:\s+el)?|naci[óo](?:\s+el)?|"
    r"cumpleaños|cumple|date\s+de\s+naissance|ddn|(?:née|né|nee)(?:\s+le)?|anniversaire)"
)
_BIRTH_RE = re.compile(
    rf"(?<![\w])(?i:{_BIRTH_CUE})(?![\w])"
    r"(?:\s*(?:is|was|es|est|:|=|-|on|el|le|in|en)(?![\w])\s*)*\s*"
    rf"(?P<what>(?:[\d'’][\d/.\- ]*\d*|(?i:{MONTHS})|(?i:{_DAY}))"
    r"(?:[\s,./-]+(?:de\s+|of\s+|del\s+)?"
    rf"(?:\d+|(?i:{MONTHS})|(?i:{_DAY})|'\d\d)){{0,3}})"
)


_YEAR_IN = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)|['’/.\- ](\d\d)$")


def _birth_like(text: str) -> bool:
    """A date is judged by its words (a birth cue is caught by ``_BIRTH_RE``) and, without
    them, by its year: a visit is recent ("seen on 5/14/2024", "cita del 14/05/2025"), a
    year twelve or more years back reads as a birth date; no year, no date of birth."""
    m = _YEAR_IN.search(text.strip())
    if not m:
        return False
    if m.group(1):
        year = int(m.group(1))
    else:
        yy = int(m.group(2))
        year = 2000 + yy if yy <= date.today().year % 100 else 1900 + yy
    return year <= date.today().year - 12


def _dates(s: str) -> Iterator[Found]:
    for pattern in _DATE_RES:
        for m in pattern.finditer(s):
            if _birth_like(m.group(0)):
                yield "date", m.start(), m.end()
    for m in _BIRTH_RE.finditer(s):
        what = m.group("what").strip(" ,./-")
        if what:
            yield "date", m.start(), m.start("what") + len(m.group("what").rstrip(" ,./-"))
