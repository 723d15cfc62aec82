"""What the words of a search mean: accent folding, stemming in English, Spanish and
French, the need-word synonym table (``seeds/search-synonyms.yaml``), and the vocabulary a
misspelt word is corrected towards. Plain functions over text, no database: the index adds
``stemmed`` forms to every document, the query turns what was typed into ``Concept``s and
renders them for SQLite's FTS5 or PostgreSQL's ``tsquery``.

Why stems are computed here and stored, on both databases, rather than by PostgreSQL's
``english``/``spanish``/``french`` configurations: a partner's text has no language tag, so
a document would need all three (three GIN indexes, three matches per query), and SQLite has
no stemmer at all. The stems are the same Snowball algorithms PostgreSQL uses, so one rule
gives the same results on both databases.
"""

from __future__ import annotations

import difflib
import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import Stemmer
import yaml

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
MAX_WORDS = 12
MIN_STEM = 4
"""A stem shorter than this is too ambiguous to match on ("comida" → "com" in Spanish
would find "como"): the word then matches by its own letters only."""

_STEMMERS = tuple(Stemmer.Stemmer(lang) for lang in ("english", "spanish", "french"))


def fold(value: str) -> str:
    """Lower case without accents (``Clínica`` → ``clinica``, ``niño`` → ``nino``): search
    documents and query words alike, whatever the database's full-text configuration."""
    if value.isascii():  # nothing to decompose
        return value.lower()
    return unicodedata.normalize("NFKD", value.lower()).translate(_combining_marks())


@cache
def _combining_marks() -> dict[int, None]:
    """Every combining mark (``unicodedata.combining``) → removed, for ``str.translate``:
    built once, a tenth of the time of testing each character of a document."""
    return {c: None for c in range(sys.maxunicode + 1) if unicodedata.combining(chr(c))}


def words(q: str | None) -> list[str]:
    """The folded words of what was typed, at most ``MAX_WORDS``."""
    return [fold(w) for w in WORD_RE.findall(q or "")][:MAX_WORDS]


@cache
def stems(word: str) -> tuple[str, ...]:
    """The word's English, Spanish and French stems that differ from it and are long enough
    to mean something (``MIN_STEM``): "pantries" → ("pantri", "pantr")."""
    out = []
    for stemmer in _STEMMERS:
        stem = stemmer.stemWord(word)
        if stem != word and len(stem) >= MIN_STEM and stem not in out:
            out.append(stem)
    return tuple(out)


def stemmed(text: str) -> str:
    """The stems of a (folded) text's words, each once: what a document adds so that
    "clinics" finds "clinic" and "pantries" finds "pantry"."""
    return _unique_stems(WORD_RE.findall(text))


def _unique_stems(found: Iterable[str]) -> str:
    """The stems of the words ``found``, each once, in the order first met."""
    return " ".join(dict.fromkeys(stem for word in found for stem in stems(word)))


def document(parts: Iterable[tuple[str, bool]]) -> str:
    """A search document's text from its parts ``(text, shared)``: each folded, then the
    stems of all its words, each once (``stemmed`` of the folded whole: the same text).
    A ``shared`` part repeats across documents (a category's words in three languages, a
    language's name, a town) and is folded and split once (its folding was half of a
    bulk re-index's documents)."""
    texts: list[str] = []
    found: list[str] = []
    for text, shared in parts:
        if not text:
            continue
        folded, words = _shared_part(text) if shared else _part(text)
        texts.append(folded)
        found.extend(words)
    return f"{' '.join(texts)} {_unique_stems(found)}".strip()


def _part(text: str) -> tuple[str, tuple[str, ...]]:
    folded = fold(text)
    return folded, tuple(WORD_RE.findall(folded))


_shared_part = lru_cache(maxsize=4096)(_part)


def keys(word: str) -> set[str]:
    """What a word is compared by: itself and its stems."""
    return {word, *stems(word)}


@dataclass(frozen=True)
class Concept:
    """One thing asked for: any of ``alternatives`` (each a tuple of folded words, all
    needed). A plain word is one alternative of one word; a need word of the synonym table
    is every word and phrase of its set."""

    typed: tuple[str, ...]
    alternatives: tuple[tuple[str, ...], ...]


@cache
def synonym_sets() -> tuple[tuple[tuple[str, ...], ...], ...]:
    """The synonym table as folded phrases (tuples of words), set by set."""
    raw = yaml.safe_load((SEEDS / "search-synonyms.yaml").read_text(encoding="utf-8")) or []
    out = []
    for entry in raw:
        phrases = tuple(dict.fromkeys(tuple(words(str(p))) for p in entry if words(str(p))))
        out.append(phrases)
    return tuple(out)


def _phrase_at(query: list[str], start: int, phrase: tuple[str, ...]) -> bool:
    if start + len(phrase) > len(query):
        return False
    return all(keys(p) & keys(q) for p, q in zip(phrase, query[start:], strict=False))


def concepts(q: str | None) -> list[Concept]:
    """What was typed as concepts, all needed: at each word the longest phrase of the
    synonym table starting there (matched by word or stem) stands for every phrase of the
    sets holding it; any other word stands for itself."""
    query = words(q)
    out: list[Concept] = []
    i = 0
    while i < len(query):
        size, found = 0, []
        for phrases in synonym_sets():
            longest = max((len(p) for p in phrases if _phrase_at(query, i, p)), default=0)
            if longest > size:
                size, found = longest, list(phrases)
            elif longest and longest == size:
                found += phrases
        if not size:
            out.append(Concept((query[i],), ((query[i],),)))
            i += 1
            continue
        typed = tuple(query[i : i + size])
        out.append(Concept(typed, tuple(dict.fromkeys((typed, *found)))))
        i += size
    return out


def _render(found: list[Concept], prefix: str, exact: str, ops: tuple[str, str]) -> str:
    """The concepts as a boolean query: all concepts, any alternative of each, all words
    of an alternative; a word by any of its stems or itself, and by its prefix when it is
    what was typed (as-you-type), never when it is a synonym ("refuge" must not find
    "refugee")."""
    and_, or_ = ops

    def word(w: str, typed: bool) -> str:
        return (
            "("
            + or_.join(
                [prefix.format(w) if typed else exact.format(w), *map(exact.format, stems(w))]
            )
            + ")"
        )

    def alternative(phrase: tuple[str, ...], typed: bool) -> str:
        return "(" + and_.join(word(w, typed) for w in phrase) + ")"

    return and_.join(
        "(" + or_.join(alternative(a, a == c.typed) for a in c.alternatives) + ")" for c in found
    )


def fts5_query(found: list[Concept]) -> str:
    """The concepts as an FTS5 query."""
    return _render(found, '"{}"*', '"{}"', (" AND ", " OR "))


def tsquery(found: list[Concept]) -> str:
    """The concepts as a PostgreSQL ``tsquery`` (for the ``simple`` configuration)."""
    return _render(found, "{}:*", "{}", (" & ", " | "))


@cache
def vocabulary() -> tuple[str, ...]:
    """The words a typo is corrected towards: need words (the synonym table, the common
    words of ``seeds/search-terms.yaml``), the category and group labels in English,
    Spanish and French. Folded, four letters or more."""
    from directory import taxonomy  # the ground floor, read once

    texts: list[str] = [p for phrases in synonym_sets() for ph in phrases for p in ph]
    terms = yaml.safe_load((SEEDS / "search-terms.yaml").read_text(encoding="utf-8")) or {}
    for table in terms.values():
        for by_lang in (table or {}).values():
            for lang_words in (by_lang or {}).values():
                texts.extend(str(w) for w in lang_words)
    labels = yaml.safe_load((SEEDS / "sheet-labels.yaml").read_text(encoding="utf-8")) or {}
    for block in labels.values():
        for key in ("categories", "groups"):
            table = block.get(key) if isinstance(block, dict) else None
            texts.extend(str(v) for v in (table or {}).values())
    texts += [c.label for c in taxonomy.categories().values()]
    texts += [g.label for g in taxonomy.groups()]
    found = {w for t in texts for w in words(t) if len(w) >= MIN_STEM}
    return tuple(sorted(found))


def correction(word: str) -> str | None:
    """The closest vocabulary word to a word that matched nothing ("shleter" → "shelter"),
    or None when nothing is close enough."""
    if len(word) < MIN_STEM or word in vocabulary():
        return None
    close = difflib.get_close_matches(word, vocabulary(), n=1, cutoff=0.75)
    return close[0] if close else None
