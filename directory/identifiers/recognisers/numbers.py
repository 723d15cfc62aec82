"""Numbers that identify a person: ID numbers (SSN, A-number, passport, national IDs, and
anything after an ID cue), licence plates, and case numbers holding a name."""

from __future__ import annotations

import re
from collections.abc import Iterator

from directory.identifiers.recognisers import Found

_ID_RES = [
    # SSN, also spaced or dotted
    re.compile(r"(?<![\w.-])\d{3}([- .])\d{2}\1\d{4}(?![\w]|[.-]\d)"),
    # A-number: A + 8 or 9 digits, possibly grouped
    re.compile(r"(?<![\w])[Aa][- ]?\d{2,3}[- ]?\d{3}[- ]?\d{3}(?![\w])"),
    # passport-like and national ID codes: 1-3 letters + 6-9 digits (+ optional letter)
    re.compile(r"(?<![\w])[A-Z]{1,3}-?\d{6,9}[A-Z]?(?![\w])"),
    # Spanish DNI / NIE
    re.compile(r"(?<![\w])(?:[XYZ]-?)?\d{7,8}-?[A-Z](?![\w])"),
    # Mexican CURP
    re.compile(r"(?<![\w])[A-Z]{4}\d{6}[HM][A-Z]{5}[A-Z0-9]\d(?![\w])"),
    # anything after an ID cue word that holds 4+ digits
    re.compile(
        r"(?<![\w])(?i:ssn|social\s+security(?:\s+(?:number|no\.?|#))?|s\.s\.n\.?|itin|"
        r"a-?number|a-?\s?#|alien\s+(?:registration\s+)?(?:number|no\.?|#)|uscis(?:\s+#|\s+number)?|"
        r"passport(?:\s+(?:number|no\.?|#))?|pasaporte|passeport|"
        r"(?:driver'?s?\s+)?licen[cs]e(?:\s+(?:number|no\.?|#))?|licencia|permis|"
        r"id\s*(?:number|no\.?|#)?|i\.d\.|dni|nie|nif|curp|rfc|ine|nss|nir|"
        r"(?:numéro|numero|número|n[º°o])\s+(?:de\s+)?(?:sécurité\s+sociale|securite\s+sociale|"
        r"seguro\s+social|pasaporte|passeport|identidad|identité|identite|documento)|"
        r"seguro\s+social|sécurité\s+sociale|securite\s+sociale|carte\s+de\s+séjour|"
        r"titre\s+de\s+séjour|green\s+card|visa|i-94|ead|matr[íi]cula(?:\s+consular)?|"
        r"cédula|cedula|folio|expediente|medicaid|medicare|mrn|medical\s+record(?:\s+number)?)"
        r"(?:\s*(?:number|no\.?|#|is|es|est|:|=|-|n[º°o]\.?)(?![\w])\s*)*\s*"
        r"(?P<val>[A-Za-z0-9][A-Za-z0-9 ./-]{2,24}[A-Za-z0-9])"
    ),
]


def _id_numbers(s: str) -> Iterator[Found]:
    for pattern in _ID_RES[:-1]:
        for m in pattern.finditer(s):
            yield "id_number", m.start(), m.end()
    for m in _ID_RES[-1].finditer(s):
        val = m.group("val")
        # the code itself: stop at the first space-separated word that holds no digit
        parts: list[re.Match[str]] = []
        end = m.start("val")
        for part in re.finditer(r"\S+", val):
            if not re.search(r"\d", part.group(0)) and parts:
                break
            parts.append(part)
            end = m.start("val") + part.end()
        code = s[m.start("val") : end]
        if len(re.sub(r"\D", "", code)) >= 4:
            yield "id_number", m.start(), end


_PLATE_CUE = (
    r"(?:licen[cs]e\s+plates?|plates?|plate\s+(?:number|no\.?|#)|tags?|reg(?:istration)?|"
    r"placas?|matr[íi]cula|patente|chapa|plaques?|immatricul[ée]+e?s?|immatriculation|"
    r"num[ée]ro\s+de\s+plaque)"
)
_PLATE_CUE_RE = re.compile(
    rf"(?i)(?<![\w]){_PLATE_CUE}(?:\s*(?:is|es|est|number|no\.?|#|:|=|-|n[º°o])\s*)*\s*"
    r"(?P<p>(?=[A-Za-z0-9 -]*\d)[A-Za-z0-9](?:[A-Za-z0-9]|[ -](?=[A-Za-z0-9])){2,9})"
    r"(?![A-Za-z0-9])"  # the plate ends where a word ends ("ABC 1234 seen": not "…1234 s")
)
_PLATE_RES = [
    re.compile(r"(?<![\w-])[A-Z]{2}-\d{3}-[A-Z]{2}(?![\w-])"),  # French SIV: AB-123-CD
    re.compile(r"(?<![\w-])\d[A-Z]{3}\d{3}(?![\w-])"),  # California: 7ABC123
    re.compile(r"(?<![\w-])[A-Z]{3}-?\d{3}-?[A-Z](?![\w-])"),  # Mexico: ABC-123-D
]


def _plates(s: str) -> Iterator[Found]:
    """Licence plates: after a plate word (any shape holding a digit), or in the unmistakable
    shapes of French, Californian and Mexican plates."""
    for m in _PLATE_CUE_RE.finditer(s):
        plate = m.group("p")
        # the sentence's words after the plate are no part of it ("7ABC123 is stolen")
        while (cut := re.search(r" [a-z]{2,}$", plate)) and re.search(r"\d", plate[: cut.start()]):
            plate = plate[: cut.start()]
        if sum(c.isalnum() for c in plate) >= 4 and re.search(r"\d", plate):
            yield "plate", m.start(), m.start("p") + len(plate)
    for pattern in _PLATE_RES:
        for m in pattern.finditer(s):
            yield "plate", m.start(), m.end()


_CODE_RE = re.compile(
    r"(?<![\w@/.-])(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[A-Za-z0-9]+(?:[-_/.][A-Za-z0-9]+)+(?![\w@]|[-/.]\w)"
    r"|(?<![\w@/.-])(?=[A-Za-z]*\d)[A-Z]{4,}\d{2,}(?:[-_/][A-Za-z0-9]+)*(?![\w@])"
)
_CODE_WORDS = {
    "case",
    "file",
    "ref",
    "cm",
    "ht",
    "lfn",
    "shl",
    "id",
    "no",
    "num",
    "cas",
    "caso",
    "exp",
    "dossier",
    "form",
    "room",
    "line",
    "bus",
    "route",
    "ruta",
    "ligne",
    "covid",
    "i-94",
    "snap",
    "wic",
    "tanf",
    "ssi",
    "ssdi",
    "medi-cal",
    "hiv",
    "std",
    "tb",
    "ead",
}


def _case_numbers(s: str) -> Iterator[Found]:
    """Codes joined by - / _ . (or letters glued to digits) holding a run of four letters or
    more that is a name or no code word: ``2023-PEREZ-Ana-044``, ``ZAPATA2024-69``."""
    from directory.identifiers import names  # noqa: PLC0415

    for m in _CODE_RE.finditer(s):
        code = m.group(0)
        if code.startswith("www") or "@" in code:  # (a URL's "://" stops the pattern)
            continue
        letters = re.findall(r"[A-Za-zÀ-ÖØ-öø-ÿ]+", code)
        for part in letters:
            low = part.lower()
            if low in _CODE_WORDS or len(part) < 3:
                continue
            if part.islower() and not names.is_name(part):
                continue  # "15-minute", "3-day": a number and a word
            if names.flags(part) & (names.FIRST | names.LAST) and len(part) >= 3:
                if len(part) >= 4 or not names.flags(part) & names.WORD:
                    yield "case_number", m.start(), m.end()
                    break
            if len(part) >= 5:
                yield "case_number", m.start(), m.end()
                break
