"""Language codes: ISO 639-1 or 639-3 in, one canonical code out (639-1 where it exists)."""

from __future__ import annotations

import re
from functools import cache

import pycountry


@cache
def canonical(code: str) -> str | None:
    """'es', 'spa' → 'es'; 'quc' → 'quc'; unknown → None."""
    code = (code or "").strip().lower()
    if len(code) == 2:
        lang = pycountry.languages.get(alpha_2=code)
    elif len(code) == 3:
        lang = pycountry.languages.get(alpha_3=code)
    else:
        return None
    if lang is None:
        return None
    return getattr(lang, "alpha_2", None) or lang.alpha_3


QUALIFIER = re.compile(r"^(?P<base>[^(\[,;:/-]+?)\s*(?:[(\[,;:/-]\s*(?P<note>.*?)[)\]]?)?$")


@cache
def by_name(text: str) -> str | None:
    """A language's English name ('Spanish', 'spanish', 'Haitian Creole') → its canonical
    code; a code works too; unknown → None."""
    text = (text or "").strip()
    if alias := ALIASES.get(text.lower()):
        return alias
    if found := canonical(text):
        return found
    for key in ("name", "common_name", "inverted_name"):
        try:
            lang = pycountry.languages.get(**{key: text})
        except KeyError:  # a field this pycountry does not index
            continue
        if lang is not None:
            return getattr(lang, "alpha_2", None) or lang.alpha_3
    return None


# names 211s use that ISO 639's English names do not ("Farsi" is ISO's "Persian")
ALIASES = {
    "farsi": "fa",
    "mandarin": "zh",
    "chinese": "zh",
    "cantonese": "yue",
    "haitian creole": "ht",
    "creole (haitian)": "ht",
    "asl": "ase",
    "punjabi": "pa",
    "filipino": "fil",
    "somali": "so",
    "burmese": "my",
    "pashto": "ps",
    "dari": "prs",
    "k'iche'": "quc",
    "kiche": "quc",
}


def from_source(text: str | None) -> tuple[str | None, str | None]:
    """What a source says of a language ('es', 'Spanish', 'Spanish (limited)', 'Klingon')
    → (canonical code or None, the text to keep as a note or None): a plain code or
    known name is just its code; a qualified one is its code and the words as given; an
    unknown one has no code and is kept as given."""
    text = " ".join((text or "").split())
    if not text:
        return None, None
    if code := by_name(text):
        return code, None
    m = QUALIFIER.match(text)
    if m and (code := by_name(m["base"])):
        return code, text
    return None, text[:200]


def join_notes(*groups) -> str | None:
    """Language notes, each once, as the column keeps them ("; " between)."""
    notes = [n for group in groups for n in (group or []) if n]
    return "; ".join(dict.fromkeys(notes))[:500] or None


@cache
def name(code: str) -> str:
    """English name of a canonical code ('ti' → 'Tigrinya'); the code itself if unknown."""
    lang = pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
    lang = lang or pycountry.languages.get(alpha_3=code)
    return lang.name if lang else code


def name_in(code: str, lang: str) -> str:
    """A language's name written in ``lang`` as it reads inside a sentence or a list
    ('en' in Spanish → 'inglés', in French → 'anglais'; Babel's CLDR names); the English
    name where ``lang`` is English or CLDR has none."""
    if lang and lang != "en":
        from babel import Locale

        local = Locale.parse(lang).languages.get(code)
        if local:
            return local
    return name(code)


def parse_list(codes) -> tuple[list[str], list[str]]:
    """A list (or space/comma separated string) of codes → (canonical codes, unknown ones)."""
    if isinstance(codes, str):
        codes = codes.replace(",", " ").split()
    good, bad = [], []
    for raw in codes or []:
        c = canonical(raw)
        (good if c else bad).append(c or raw)
    return list(dict.fromkeys(good)), bad


COMMON = (
    "en",
    "es",
    "fr",
    "ar",
    "zh",
    "pt",
    "ru",
    "ht",
    "vi",
    "tl",
    "ko",
    "pl",
    "uk",
    "ti",
    "am",
    "so",
    "sw",
    "hi",
    "ur",
    "bn",
    "fa",
    "ps",
    "ne",
    "my",
    "th",
    "ro",
    "hu",
    "quc",
    "mam",
)
"""Languages offered first in pickers (others can be typed as codes)."""
