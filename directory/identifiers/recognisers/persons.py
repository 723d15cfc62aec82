"""A person's name: after a title ("Mrs Lopez") or a cue word ("client Ana", "se llama
ana"), or a known first name followed by a capitalised word."""

from __future__ import annotations

import re
from collections.abc import Iterator

from directory.identifiers.normalise import _trie
from directory.identifiers.recognisers import Found
from directory.identifiers.words import (
    FIRST_NAMES,
    INSTITUTION_WORDS,
    NAME_WORD,
    STOP_WORDS,
)

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
            before = s[max(0, m.start() - 5) : m.start()].lower()  # an article before it
            if (
                span
                and span[1] > m.end("first")
                and not re.search(r"(?:^|\W)(the|la|le|el)\s$", before)
            ):
                yield "name", span[0], span[1]
