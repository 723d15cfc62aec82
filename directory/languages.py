"""Language codes: ISO 639-1 or 639-3 in, one canonical code out (639-1 where it exists)."""

from __future__ import annotations

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


@cache
def name(code: str) -> str:
    """English name of a canonical code ('ti' → 'Tigrinya'); the code itself if unknown."""
    lang = pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
    lang = lang or pycountry.languages.get(alpha_3=code)
    return lang.name if lang else code


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
