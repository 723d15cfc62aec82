"""The recognisers, one per kind of identifier: each yields (kind, start, end) on the
normalised copy."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from directory.identifiers.normalise import _NUMBER_WORDS, _trie
from directory.identifiers.words import (
    FIRST_NAMES,
    INSTITUTION_WORDS,
    MONTHS,
    NAME_WORD,
    STOP_WORDS,
    STREET_WORDS,
    UNIT_WORDS,
)

# ---------------------------------------------------------------------------------------
# Recognisers: each yields (kind, start, end) on the normalised copy
# ---------------------------------------------------------------------------------------

Found = tuple[str, int, int]  # (kind, start, end) of one identifier found

_TITLES = (
    r"mr|mrs|ms|miss|mx|mister|missus|dr|sr|sra|srta|sres|don|doña|dona|mme|mlle|mmes|m|"
    r"señor|senor|señora|senora|señorita|senorita|madame|monsieur|mademoiselle|madam|"
    r"lic|licenciada|licenciado|profe|prof"
)
_TITLE_RE = re.compile(
    rf"(?<![\w'])(?i:{_TITLES})(?:\.|(?=\s))\s*(?P<name>{NAME_WORD}(?:\s+{NAME_WORD})?)"
)
# short written titles followed by a lower-case surname ("mrs lopez")
_TITLE_LOWER_RE = re.compile(
    r"(?<![\w'])(?i:mr|mrs|ms|sra|srta|mme|mlle)\.?\s+(?P<name>[a-zà-öø-ÿ][a-zà-öø-ÿ'\-]+)"
)
# cue words after which a capitalised word is taken for a name (a space stands for any)
_CUE_WORDS = _trie(
    w.replace("_", " ")
    for w in """
    client clients client's patient patient's customer survivor victim resident participant
    youth minor guest called named goes_by known_as aka a.k.a a.k.a. alias nicknamed mother
    mom mum daughter son husband wife brother sister father dad boyfriend girlfriend fiancé
    fiancée partner child baby cousin aunt uncle niece nephew grandmother grandfather
    stepdaughter stepson roommate employer trafficker pimp friend cliente clienta paciente
    usuaria usuario sobreviviente víctima victima llamada llamado se_llama se_llamaba
    me_llamo conocida_como conocido_como apodo apodada madre mamá mama hija hijo esposo
    esposa marido hermana hermano padre papá papa novio novia prima primo tía tia tío tio
    abuela abuelo sobrina sobrino cliente patiente bénéficiaire beneficiaire usagère usager
    s'appelle s'appelait appelée appelé appelee appele nommée nommé nommee nomme surnommée
    surnommé dite mère mere fille fils mari femme frère frere sœur soeur père pere copain
    copine cousine cousin tante oncle name names full_name first_name last_name surname
    family_name maiden_name nombre nombres apellido apellidos nombre_completo nom prénom
    prenom nom_de_famille
    """.split()
)
_CUE_JOIN = r"(?:\s*[:=\-–,]\s*|\s+(?:is|was|es|era|est|était|etait|:)\s+|\s+)"
_CUE_RE = re.compile(
    rf"(?<![\w'])(?i:{_CUE_WORDS})(?:'s)?{_CUE_JOIN}(?P<name>{NAME_WORD}(?:\s+{NAME_WORD})?)"
)
# cues strong enough that a lower-case word after them is a name ("se llama ana")
_STRONG_CUE_RE = re.compile(
    r"(?<![\w'])(?i:(?:(?:her|his|their|my|client'?s?|patient'?s?|the)\s+)?"
    r"(?:first\s+|last\s+|full\s+)?name\s*(?:is|was|:)|named|goes\s+by|known\s+as|"
    r"se\s+llama|se\s+llamaba|me\s+llamo|su\s+nombre\s+es|nombre\s*:|llamada|llamado|"
    r"s'appelle|s'appelait|je\s+m'appelle|son\s+nom\s+est|nom\s*:|prénom\s*:|appelée|"
    r"nommée|prenom\s*:)\s*(?P<name>[a-zà-öø-ÿ][a-zà-öø-ÿ'\-]+(?:\s+[a-zà-öø-ÿ][a-zà-öø-ÿ'\-]+)?)"
)
_FIRST_LAST_RE = re.compile(rf"(?<![\w'])(?P<first>{NAME_WORD})\s+(?P<last>{NAME_WORD})")
_INITIALS_RE = re.compile(r"(?<![\w.])(?:[A-Z]\.\s?){2,3}(?=\s|$|,)")


def _trim_name(s: str, start: int, end: int) -> tuple[int, int] | None:
    """The part of a candidate name that is a name: stop at a stop word or an institution
    word (``called Lakeshore Freedom Network`` is a place)."""
    words = list(re.finditer(r"\S+", s[start:end]))
    keep: list[re.Match] = []
    for w in words:
        low = w.group(0).lower().rstrip(".,'")
        if low in STOP_WORDS or low.split("-")[0] in STOP_WORDS:
            break
        keep.append(w)
    if not keep:
        return None
    # an institution word right after, or inside, makes it a place
    after = re.match(r"\s+([\w'-]+)", s[start + keep[-1].end() :])
    if after and after.group(1).lower() in INSTITUTION_WORDS:
        return None
    if any(w.group(0).lower().rstrip(".,") in INSTITUTION_WORDS for w in keep):
        return None
    return start + keep[0].start(), start + keep[-1].end()


def _names(s: str) -> Iterator[Found]:
    for m in _TITLE_RE.finditer(s):
        span = _trim_name(s, m.start("name"), m.end("name"))
        title = m.group(0).split(None, 1)[0].rstrip(".").lower()
        if span and not (title == "m" and not m.group(0).startswith("M.")):
            yield "name", m.start(), span[1]
    for m in _TITLE_LOWER_RE.finditer(s):
        if m.group("name").lower() not in STOP_WORDS:
            yield "name", m.start(), m.end()
    for m in _CUE_RE.finditer(s):
        span = _trim_name(s, m.start("name"), m.end("name"))
        if span:
            yield "name", span[0], span[1]
    for m in _STRONG_CUE_RE.finditer(s):
        first = m.group("name").split()[0]
        if first.lower() not in STOP_WORDS:
            yield "name", m.start(), m.end("name")
    for m in _FIRST_LAST_RE.finditer(s):
        first = m.group("first").lower().rstrip(".")
        if first in FIRST_NAMES and m.group("last").lower() not in STOP_WORDS:
            span = _trim_name(s, m.start(), m.end())
            before = s[max(0, m.start() - 4) : m.start()].lower()
            if span and span[1] > m.end("first") and not re.search(r"\b(the|la|le|el)\s$", before):
                yield "name", span[0], span[1]


_EMAIL_RE = re.compile(r"(?<![\w.+'-])[\w.+'-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,6}")
_AT = r"(?:\s*[\[\(\{<]\s*(?:at|arroba|arobase)\s*[\]\)\}>]\s*|\s+(?:at|arroba|arobase)\s+|\s*@\s*)"
_DOT = r"(?:\s*[\[\(\{<]\s*(?:dot|punto|point)\s*[\]\)\}>]\s*|\s+(?:dot|punto|point)\s+|\.)"
_OBFUSCATED_EMAIL_RE = re.compile(
    rf"(?<![\w.+'-])(?P<local>[\w+'-]{{1,64}}(?:(?:{_DOT})[\w+'-]{{1,64}}){{0,4}}){_AT}"
    rf"(?P<domain>[A-Za-z][\w-]{{0,62}}(?:{_DOT}[\w-]{{1,63}}){{0,4}}{_DOT}"
    rf"(?P<tld>[A-Za-z]{{2,6}}))(?![\w])",
    re.I,
)
_SPACED_EMAIL_RE = re.compile(
    r"(?<![\w.+'-])[\w+'-]{1,64}(?:\s?\.\s?[\w+'-]{1,64}){0,4}\s?@\s?[A-Za-z][\w-]{0,62}"
    r"(?:\s?\.\s?[\w-]{1,63}){1,4}"
)
_EMAIL_PROVIDERS = re.compile(
    r"(?<![\w.+'-])(?P<local>[\w.+'-]{1,64})\s*(?:\bat\b|arroba|arobase)\s*(?P<prov>gmail|hotmail|yahoo|"
    r"outlook|icloud|live|aol|protonmail|proton|msn|ymail|gmx|orange|free|laposte|wanadoo)"
    r"(?![\w])",
    re.I,
)
_LOCAL_STOP = {"us", "them", "her", "him", "me", "it", "home", "work", "we", "you", "they"}


def _emails(s: str) -> Iterator[Found]:
    for m in _EMAIL_RE.finditer(s):
        yield "email", m.start(), m.end()
    if "@" in s:
        for m in _SPACED_EMAIL_RE.finditer(s):
            yield "email", m.start(), m.end()
    if "@" in s or re.search(r"(?i)\b(?:at|arroba|arobase)\b", s):
        for m in _OBFUSCATED_EMAIL_RE.finditer(s):
            local = m.group("local").lower()
            if local in _LOCAL_STOP and "." not in m.group("domain"):
                continue
            if local in _LOCAL_STOP or m.group("tld").lower() in {"m", "pm", "am"}:
                continue
            yield "email", m.start(), m.end()
        for m in _EMAIL_PROVIDERS.finditer(s):
            if m.group("local").lower() not in _LOCAL_STOP:
                yield "email", m.start(), m.end()


# phones: 7 to 15 digits in groups of 1-4 (after normalisation), whatever their validity
_PHONE_SEP = r"(?:[ \t]?[-.][ \t]?|[ \t]{1,2}|[ \t]?/[ \t]?(?=\d{3,}))"
_PHONE_RE = re.compile(
    r"(?<![\w+./-])(?:(?:\+|00)\s?\d{1,3}[ \t.-]?)?(?:\(\s?\d{1,4}\s?\)[ \t.-]?)?"
    rf"\d{{1,15}}(?:{_PHONE_SEP}\(?\d{{1,5}}\)?){{0,14}}(?![\w/]|[.,-]\d)"
)
_YEAR = r"(?:19|20)\d\d"


def _phones(s: str) -> Iterator[Found]:
    for m in _PHONE_RE.finditer(s):
        raw = m.group(0)
        digits = re.sub(r"\D", "", raw)
        n = len(digits)
        if n < 7:
            continue
        groups = re.findall(r"\d+", raw)
        if len(groups) == 1:  # one unbroken run: its length tells what it is
            if n == 10 or (n == 11 and digits[0] == "1") or raw.startswith("+"):
                yield "phone", m.start(), m.end()
            elif n == 8 and _plausible_date_digits(digits):
                yield "date", m.start(), m.end()
            else:
                yield "id_number", m.start(), m.end()
            continue
        if len(groups) == 2 and all(re.fullmatch(_YEAR, g) for g in groups):
            continue  # a range of years
        if len(groups) == 3 and _DATE_SHAPE.fullmatch(raw):
            continue  # a date (``_dates`` judges it by its words and its year)
        yield "phone", m.start(), m.end()


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
    words |= {w for w, v in _NUMBER_WORDS.items() if 1 <= v <= 31 and w not in {"oh"}}
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


_HOUSE_NO = r"\d{1,6}(?:[-/]?\d{1,4})?(?:\s?[A-Za-z](?![\w'])|\s?bis|\s?ter)?"
_ADDRESS_RES = [
    # 1234 N Main Street / 221B Baker Street / 12, rue de la Paix / 12 bis rue Victor Hugo
    re.compile(
        rf"(?<![\w])(?:{_HOUSE_NO}|\d{{1,6}}[A-Za-z])\s*,?\s+(?:[NSEW]\.?\s+|(?i:north|south|"
        rf"east|west)\s+)?(?:(?:[A-ZÀ-Þ0-9][\w'.-]*\s+){{1,3}}|[a-zà-ÿ][\w'-]*\s+)"
        rf"(?i:{STREET_WORDS})(?![\w])\.?",
    ),
    re.compile(
        rf"(?<![\w])\d{{1,6}}(?:[A-Za-z]|\s?bis|\s?ter)?\s*,?\s+(?i:{STREET_WORDS})\.?\s+"
        rf"(?:(?:de|del|de\s+la|des|du|la|le|les|d'|l')\s*)?[A-ZÀ-Þ0-9][\w'-]*"
        rf"(?:\s+[A-ZÀ-Þ][\w'-]+){{0,3}}",
    ),
    # calle Mayor 12, 3º B / Av. Reforma 222 / rue de la Paix 12
    re.compile(
        rf"(?<![\w])(?i:{STREET_WORDS})\.?\s+(?:(?:de|del|de\s+la|des|du|la|le|les|d')\s*)?"
        rf"(?:(?:[A-ZÀ-Þ0-9][\w'-]*|de|del|la|las|los|des|du|y)\s+){{0,4}}[A-ZÀ-Þ][\w'-]*,?\s+"
        rf"(?:(?i:n[ºo°]\.?|#)\s*)?"
        rf"\d{{1,5}}[A-Za-z]?(?:\s*,?\s*\d{{1,2}}\s?[º°ª]\s?[A-Za-z0-9]?)?(?![\w])",
    ),
    # 1234 N Sheridan, apt 5 (a number, a capitalised street name, then a unit)
    re.compile(
        rf"(?<![\w])\d{{1,6}}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:[A-Z][\w'-]+\s*){{1,3}},?\s*"
        rf"(?i:{UNIT_WORDS})\.?\s*#?\s*\d{{1,5}}[A-Za-z]?(?![\w])",
    ),
    # Apt 4B / unit 12 / suite 300 / depto 5
    re.compile(rf"(?<![\w])(?i:{UNIT_WORDS})\.?\s*(?:#|n[ºo°]\.?)?\s*\d{{1,5}}[A-Za-z]?(?![\w])"),
    # 3º B, 2ºA (Spanish floor and door)
    re.compile(r"(?<![\w])\d{1,2}\s?[º°ª]\s?-?\s?[A-Za-z](?![\w])"),
    # P.O. Box 123 / apartado postal 45 / boîte postale 12
    re.compile(
        r"(?<![\w])(?i:p\.?\s?o\.?\s+box|po\s+box|apartado(?:\s+postal)?|boîte\s+postale|"
        r"boite\s+postale|bp|casilla)\s*#?\s*\d{1,6}(?![\w])"
    ),
    # lives at 45 Oak / vive en Juárez 45 / habite au 3 Victor Hugo
    re.compile(
        r"(?<![\w])(?i:lives?\s+at|living\s+at|staying\s+at|stays\s+at|moved\s+to|"
        r"address(?:\s+is|:)|home\s+is\s+at|vive\s+en|viviendo\s+en|se\s+queda\s+en|"
        r"dirección(?:\s+es|:)|direccion(?:\s+es|:)|domicilio(?:\s+es|:|\s+en)?|habite(?:\s+au|"
        r"\s+à|\s+a)?|adresse(?:\s+est|\s*:)|demeure\s+au)\s+(?:(?:the|la|le|el|au)\s+)?"
        r"(?:\d{1,6}[A-Za-z]?,?\s+[A-ZÀ-Þ][\w'-]+|[A-ZÀ-Þ][\w'-]+(?:\s+[A-ZÀ-Þ][\w'-]+)?"
        r",?\s+\d{1,6}[A-Za-z]?)(?![\w])"
    ),
]


# #5 (a unit or house number on its own) unless it numbers something ordinary
_HASH_NO_RE = re.compile(r"(?<![\w#])#\s?\d{1,5}[A-Za-z]?(?![\w])")
_HASH_ORDINARY = set(
    """
    room bus line form ward bed gate exit item step page rule stop ruta sala cama camión
    linea línea salle ligne étape table floor door case note ticket team group grupo groupe
    desk window booth van car site lane track level tier class clase classe number question
    seat dock bay phase route train platform tram metro no num
    """.split()
)


def _addresses(s: str) -> Iterator[Found]:
    for pattern in _ADDRESS_RES:
        for m in pattern.finditer(s):
            yield "address", m.start(), m.end()
    for m in _HASH_NO_RE.finditer(s):
        before = re.search(r"([\w']+)\W*$", s[max(0, m.start() - 30) : m.start()])
        after = re.match(r"\W*([\w']+)", s[m.end() : m.end() + 30])
        ordinary = (before and before.group(1).lower() in _HASH_ORDINARY) or (
            after and after.group(1).lower() in _HASH_ORDINARY
        )
        if not ordinary:
            yield "address", m.start(), m.end()


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


# ---------------------------------------------------------------------------------------
# Accounts, vehicles, case numbers with a name, addresses told in words
# ---------------------------------------------------------------------------------------

_PLATFORMS = (
    r"instagram|insta|ig|tiktok|tik\s?tok|snapchat|snap|telegram|whatsapp|"
    r"facebook|fb|messenger|twitter|kik|discord|onlyfans|twitch|"
    r"youtube|reddit|tinder|grindr|hinge|bumble|badoo|wechat|viber|skype|linkedin|"
    r"cash\s?app|venmo|zelle|paypal"
)
_PROFILE_URL_RE = re.compile(
    r"(?i)(?<![\w.])(?:https?://)?(?:www\.|m\.|mobile\.)?(?:instagram\.com|instagr\.am|"
    r"tiktok\.com|vm\.tiktok\.com|snapchat\.com/add|facebook\.com|fb\.com|fb\.me|m\.me|"
    r"t\.me|telegram\.me|wa\.me|api\.whatsapp\.com/send|chat\.whatsapp\.com|twitter\.com|"
    r"x\.com|threads\.net|youtube\.com|linkedin\.com/in|onlyfans\.com|reddit\.com/u(?:ser)?|"
    r"cash\.app|venmo\.com|paypal\.me|kik\.me|discord\.gg)/[\w@.%+\-/?=&]+"
)
_AT_HANDLE_RE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{1,29})(?<![.])")
_PLATFORM_RE = re.compile(
    rf"(?i)(?<![\w])(?:{_PLATFORMS})(?:\s+(?:id|handle|user(?:name)?|account|name|profile|"
    r"cuenta|usuario|compte|pseudo))?(?:\s*(?:is|es|est|:|=|-|@)\s*|\s+)"
    r"(?P<h>@?[A-Za-z0-9_][A-Za-z0-9_.\-]{1,29}[A-Za-z0-9_])"
)
_HANDLE_STOP = {
    "is",
    "es",
    "est",
    "the",
    "her",
    "his",
    "she",
    "he",
    "account",
    "cuenta",
    "compte",
    "and",
    "y",
    "et",
    "but",
    "with",
    "con",
    "avec",
    "to",
    "a",
    "à",
    "en",
    "on",
    "in",
    "de",
    "messages",
    "message",
    "mensajes",
    "dm",
    "dms",
    "chat",
    "video",
    "videos",
    "post",
    "posts",
    "story",
    "stories",
    "group",
    "grupo",
    "groupe",
    "app",
    "only",
    "too",
    "also",
}


_UNAMBIGUOUS = {
    "instagram",
    "insta",
    "tiktok",
    "snapchat",
    "telegram",
    "kik",
    "discord",
    "onlyfans",
    "whatsapp",
    "facebook",
    "twitter",
    "wechat",
    "viber",
    "tinder",
    "grindr",
}


def _handles(s: str) -> Iterator[Found]:
    """Social handles and profile links: @names, platform + id, profile URLs (t.me/…,
    wa.me/…, instagram.com/…)."""
    for m in _PROFILE_URL_RE.finditer(s):
        yield "handle", m.start(), m.end()
    if "@" in s:
        for m in _AT_HANDLE_RE.finditer(s):
            yield "handle", m.start(), m.end()
    for m in _PLATFORM_RE.finditer(s):
        h = m.group("h")
        bare = h.lstrip("@").lower()
        if bare in _HANDLE_STOP or bare.isdigit() and len(bare) < 5:
            continue
        # an ordinary word after a platform is not an id unless it looks like one (or the
        # platform's name is no ordinary word: "TikTok omarifr")
        platform = m.group(0).split()[0].lower().rstrip(":")
        looks_like_id = h.startswith("@") or re.search(r"[\d_.]", h) or platform in _UNAMBIGUOUS
        looks_like_id = looks_like_id or (
            m.group(0)[: m.start("h") - m.start()].rstrip().endswith((":", "=", "es", "is", "est"))
        )
        if looks_like_id:
            yield "handle", m.start(), m.end()


_PLATE_CUE = (
    r"(?:licen[cs]e\s+plates?|plates?|plate\s+(?:number|no\.?|#)|tags?|reg(?:istration)?|"
    r"placas?|matr[íi]cula|patente|chapa|plaques?|immatricul[ée]+e?s?|immatriculation|"
    r"num[ée]ro\s+de\s+plaque)"
)
_PLATE_CUE_RE = re.compile(
    rf"(?i)(?<![\w]){_PLATE_CUE}(?:\s*(?:is|es|est|number|no\.?|#|:|=|-|n[º°o])\s*)*\s*"
    r"(?P<p>(?=[A-Za-z0-9 -]*\d)[A-Za-z0-9](?:[A-Za-z0-9]|[ -](?=[A-Za-z0-9])){2,9})"
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
        if sum(c.isalnum() for c in plate) >= 4:
            yield "plate", m.start(), m.end("p")
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
        if code.startswith(("http", "www")) or "@" in code:
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


_RESIDE = (
    r"(?:lives?|living|lived|stays?|staying|stayed|sleeps?|sleeping|moved|moving|"
    r"(?:her|his|their|the\s+client'?s?)\s+(?:place|house|home|apartment|room|trailer)(?:\s+is)?|"
    r"vive|viven|vivía|viviendo|se\s+queda|se\s+quedaba|duerme|su\s+casa\s+(?:está|esta|queda)|"
    r"se\s+mudó|se\s+mudo|renta|habite|habitent|habitait|vit|vivent|loge|logée|logé|dort|"
    r"a\s+déménagé|demeure|réside|reside|resides)"
)
_STREET_NAME = (
    r"(?:(?:de\s+la|de\s+los|de\s+las|del|de|des|du|de\s+l'|d'|la|le|les|los|las|el)\s*)?"
    r"[A-ZÀ-Þ][\w'’-]*(?:\s+(?:de\s+la|del|de|des|du|y|et)?\s*[A-ZÀ-Þ][\w'’-]*){0,3}"
)
_PREP = r"(?:on|at|in|off|en|sur|au|à|a|dans|near|por)"
_STREET_PHRASE_RES = [
    # lives on/at a named street: vive en calle Hidalgo, habite au 12 rue X, stays at 4 Elm Ave
    re.compile(
        rf"(?i:(?<![\w]){_RESIDE})\s+(?i:{_PREP}\s+)?(?i:(?:the|a|la|el|le|une?)\s+)?"
        rf"(?:(?i:[\w'-]+\s+){{0,3}}(?i:house|casa|maison)\s+(?i:on|en|de\s+la|sur)\s+)?"
        rf"(?:\d{{1,5}}\s*,?\s+(?i:(?:de\s+la\s+)?)|(?i:(?:the\s+)?\d{{1,4}}\s+de\s+la\s+))?"
        rf"(?i:(?:{STREET_WORDS})\.?)\s+{_STREET_NAME}"
    ),
    # lives on Elm (an English "on" + a capitalised name is a street, "in Boston" is a town),
    # living at the yellow house on Elm Street
    re.compile(
        rf"(?i:(?<![\w]){_RESIDE})\s+(?:[\w'-]+\s+){{0,5}}?(?i:on|off)\s+(?i:the\s+)?"
        rf"{_STREET_NAME}"
        rf"(?:\s+(?i:(?:{STREET_WORDS})\.?)(?![\w]))?"
    ),
    # street word + name anywhere: rue de la Paix, calle Hidalgo, avenue Pasteur
    re.compile(
        rf"(?<![\w])(?i:rue|calle|avenida|avenue|boulevard|impasse|allée|chemin|callejón|"
        rf"carrera|calzada|privada|cerrada|pasaje|quai|passage)\.?\s+{_STREET_NAME}"
    ),
]


def _street_phrases(s: str) -> Iterator[Found]:
    """Where someone lives told in words: "lives on Elm street", "habite rue de la Paix",
    "vive en calle Hidalgo", "stays at 12 Maple Ave"."""
    for pattern in _STREET_PHRASE_RES:
        for m in pattern.finditer(s):
            yield "address", m.start(), m.end()
