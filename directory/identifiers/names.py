"""The names database: first names and surnames of 105 countries, for telling a person's
name from an ordinary word without a cue word or a title.

The data (``data/names.tsv.gz``, ~196,000 names) is derived from the ``names-dataset``
package by ``scripts/build_name_lists.py``: the names ranked among the 2,000 most common
first names or surnames of at least one country, each marked ``w`` when it is also an
ordinary lower-case word of English, Spanish or French ("rose", "will", "paz", "santa").
Loaded lazily, once per process, on the first note checked (measured by
benchmarks/identifiers.py: see docs/security.md for the time and memory).
"""

from __future__ import annotations

import gzip
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("data") / "names.tsv.gz"

FIRST = 1  # a first name somewhere
LAST = 2  # a surname somewhere
WORD = 4  # also an ordinary word in en/es/fr
PLACE = 8  # a town, a US state or a country

_lock = threading.Lock()
_table: dict[str, int] | None = None


def _load() -> dict[str, int]:
    global _table
    with _lock:
        if _table is None:
            table: dict[str, int] = {}
            with gzip.open(DATA, "rt", encoding="utf-8") as fh:
                for line in fh:
                    if line.startswith("#"):
                        continue
                    name, _, flags = line.rstrip("\n").partition("\t")
                    table[name] = (
                        (FIRST if "f" in flags else 0)
                        | (LAST if "l" in flags else 0)
                        | (WORD if "w" in flags else 0)
                        | (PLACE if "p" in flags else 0)
                    )
            _table = table
    return _table


@lru_cache(maxsize=65536)
def key(word: str) -> str:
    """How a word is looked up: lower case, accents removed, outer quotes and dots off."""
    decomposed = unicodedata.normalize("NFD", word.strip("'\".,;:()").lower())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def flags(word: str) -> int:
    """The word's flags (0: not a name in the database)."""
    table = _table if _table is not None else _load()
    k = key(word)
    got = table.get(k, 0)
    if not got and "-" in k:  # Marie-Ange, Pierre-Louis: every part a name
        parts = [table.get(p, 0) for p in k.split("-") if p]
        if parts and all(p & (FIRST | LAST) for p in parts):
            got = FIRST if all(p & FIRST for p in parts) else LAST
            if all(p & WORD for p in parts):
                got |= WORD
    return got


def is_name(word: str) -> bool:
    """A first name or surname that is not also an ordinary word."""
    f = flags(word)
    return bool(f & (FIRST | LAST)) and not f & WORD


def is_first_name(word: str) -> bool:
    f = flags(word)
    return bool(f & FIRST) and not f & WORD


def is_place(text: str) -> bool:
    """``text`` (one or more words) is the name of a town, a US state or a country."""
    table = _table if _table is not None else _load()
    return bool(table.get(" ".join(key(w) for w in text.split()), 0) & PLACE)


def size() -> int:
    return len(_load())
