"""Finding client identifiers in free text, so notes and referrals stay de-identified.

A feedback note or a referral note may say what happened, never who it happened to. Before
saving, the text is scanned for names with titles, phone numbers, e-mail addresses, dates
(of birth), street addresses and ID numbers; each finding is a span the user is shown and
asked to remove. The patterns err on the side of caution: a false alarm costs a rewrite,
a miss can endanger a client.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|"
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|"
    r"janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|"
    r"d[ée]cembre)"
)
STREET_WORDS = (
    r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|court|ct|way|place|pl|"
    r"terrace|parkway|pkwy|highway|hwy|calle|avenida)"
)
PATTERNS: list[tuple[str, re.Pattern]] = [
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.I)),
    (
        "name",
        re.compile(
            r"\b(?i:mr|mrs|ms|miss|mx|dr|sr|sra|srta|mme|mlle|señor|señora|madame|monsieur)\.?\s+"
            r"[A-ZÀ-Ý][\w'-]+",
            re.UNICODE,
        ),
    ),
    ("name", re.compile(r"\b(?:my|her|his|their|client'?s?|patient'?s?)\s+name\s+is\s+\S+", re.I)),
    ("date", re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")),
    ("date", re.compile(r"\b(?:19|20)\d{2}-\d{1,2}-\d{1,2}\b")),
    (
        "date",
        re.compile(rf"\b{MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}}\b", re.I),
    ),
    (
        "date",
        re.compile(
            rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:de\s+)?{MONTHS}\.?,?\s+(?:de\s+)?"
            rf"(?:19|20)\d{{2}}\b",
            re.I,
        ),
    ),
    ("date", re.compile(r"\b(?:dob|d\.o\.b\.?|date of birth|born(?: on)?)\b[:\s]*\S+", re.I)),
    (
        "address",
        re.compile(
            rf"\b\d{{1,6}}\s+(?:[NSEW]\.?\s+)?(?:[A-Za-z0-9'.-]+\s+){{1,4}}"
            rf"{STREET_WORDS}\b\.?",
            re.I,
        ),
    ),
    ("phone", re.compile(r"(?<![\d-])\d{3}[-.\s]\d{4}\b")),  # local number without area code
    ("id_number", re.compile(r"\b\d{3}-\d{2}-\d{4}\b")),  # US social security number
    ("id_number", re.compile(r"\bA[- ]?\d{8,9}\b")),  # US alien registration number
    ("id_number", re.compile(r"\b[A-Z]{1,2}\d{6,9}\b")),  # passport-like
    ("id_number", re.compile(r"\b\d{6,}\b")),  # any long number
]
LABELS = {
    "email": "an e-mail address",
    "name": "a person's name",
    "phone": "a phone number",
    "date": "a date (possibly a date of birth)",
    "address": "a street address",
    "id_number": "an ID number",
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


def find(text: str) -> list[Finding]:
    """Every identifier-like span in ``text``, in order, overlaps merged."""
    found: list[Finding] = []
    for match in phonenumbers.PhoneNumberMatcher(
        text or "", "US", leniency=phonenumbers.Leniency.VALID
    ):
        found.append(Finding("phone", match.start, match.end, match.raw_string))
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text or ""):
            found.append(Finding(kind, m.start(), m.end(), m.group(0)))
    found.sort(key=lambda f: (f.start, -f.end))
    merged: list[Finding] = []
    for f in found:
        if merged and f.start < merged[-1].end:
            last = merged[-1]
            if f.end > last.end:
                merged[-1] = Finding(last.kind, last.start, f.end, text[last.start : f.end])
            continue
        merged.append(f)
    return merged


def looks_like_phone(text: str) -> bool:
    """The whole text is a valid phone number (any common format, US default)."""
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(text, "US"))
    except phonenumbers.NumberParseException:
        return False


def message(findings: list[Finding]) -> str:
    """One sentence naming what was found, for the error payload."""
    kinds = list(dict.fromkeys(f.label for f in findings))
    quoted = ", ".join(f"“{f.text}”" for f in findings[:5])
    return (
        f"Remove client identifiers before saving: this looks like {', '.join(kinds)} "
        f"({quoted}). Describe what happened without who it happened to."
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
