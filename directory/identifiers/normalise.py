"""The normalised copy a note is matched on, with a map back to the text as typed: see
the package's docstring for what each step does."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

# ---------------------------------------------------------------------------------------
# Normalisation, with a map back to the original text
# ---------------------------------------------------------------------------------------

# Cyrillic and Greek letters that look like Latin ones (Unicode's confusables, the subset
# that matters for names, titles and codes)
_CONFUSABLE = dict(
    zip(
        "АВЕКМНОРСТХУІЈЅԁаеорсхуіјѕһԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧοιυνκρℓ",
        "ABEKMHOPCTXYIJSdaeopcxyijshqwABEZHIKMNOPTYXoiuvkpl",
        strict=True,
    )
)
# the same letters read by sound, for a second pass (Cyrillic "Мрs" is "Mrs" to a reader)
# Cyrillic and Greek letters read as the Latin ones a name is spelt with (one for one, so
# spans stay the text's own): "Иван Петров" is Ivan Petrov, "Мария" Maria
_TRANSLIT = dict(zip("рРсСуУнНвВиИлдгтмкпПяЯρνη", "rRsSuUnNvViIldgtmkpPaArnn", strict=True))
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u2043"
_CHAR_MAP = {d: "-" for d in _DASHES}
_CHAR_MAP.update({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'})
_CHAR_MAP.update({"º": "º", "ª": "ª"})  # NFKC would make them o, a
_CHAR_MAP.update({"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u3000": " "})


def _char(ch: str) -> str:
    """What one non-ASCII character becomes in the normalised copy ('' drops it)."""
    if ch in _CHAR_MAP:
        return _CHAR_MAP[ch]
    if ch in _CONFUSABLE:
        return _CONFUSABLE[ch]
    cat = unicodedata.category(ch)
    if cat == "Cf" or "\ufe00" <= ch <= "\ufe0f":  # zero-width, bidi marks, selectors
        return ""
    if cat == "Nd":
        return str(unicodedata.decimal(ch))
    out = unicodedata.normalize("NFKC", ch)
    out = "".join(_CHAR_MAP.get(c) or _CONFUSABLE.get(c) or c for c in out)
    if cat == "Zs" or cat == "Cc":  # (only non-ASCII comes here: no tab, no new line)
        return " "
    return out


_char = lru_cache(maxsize=4096)(_char)


class _Norm:
    """A normalised copy of ``text``; ``starts[i]``/``ends[i]`` are the original span of
    normalised character ``i``."""

    def __init__(self, text: str, transliterate: bool = False):
        table = _TRANSLIT if transliterate else {}
        if text.isascii():
            self.s = text
            self.starts = list(range(len(text)))
            self.ends = list(range(1, len(text) + 1))
        else:
            out: list[str] = []
            starts: list[int] = []
            ends: list[int] = []
            for i, ch in enumerate(text):
                if ord(ch) < 128:
                    out.append(ch)
                    starts.append(i)
                    ends.append(i + 1)
                    continue
                if unicodedata.category(ch) == "Mn" and out:  # a combining accent
                    composed = unicodedata.normalize("NFC", out[-1] + ch)
                    if len(composed) == 1:
                        out[-1] = composed
                    ends[-1] = i + 1
                    continue
                if (
                    unicodedata.category(ch) == "Cf"
                    and out
                    and out[-1].isalpha()
                    and i + 1 < len(text)
                    and text[i + 1].isalpha()
                ):
                    # an invisible character between letters parts two words a reader
                    # sees as one ("Maria\u200bLopez" reads "MariaLopez": a name, two)
                    out.append(" ")
                    starts.append(i)
                    ends.append(i + 1)
                    continue
                for c in table.get(ch) or _char(ch):
                    out.append(c)
                    starts.append(i)
                    ends.append(i + 1)
            self.s = "".join(out)
            self.starts, self.ends = starts, ends
        self._lookalikes()
        self._spelled_numbers()

    def rewrite(self, edits: list[tuple[int, int, str]]) -> None:
        """Replace normalised spans ``[a, b)`` (sorted, disjoint) by new text; each new
        character maps to the whole original span of what it replaced."""
        if not edits:
            return
        s, starts, ends = self.s, self.starts, self.ends
        out, new_starts, new_ends, pos = [], [], [], 0
        for a, b, rep in edits:
            out.append(s[pos:a])
            new_starts.extend(starts[pos:a])
            new_ends.extend(ends[pos:a])
            out.append(rep)
            new_starts.extend([starts[a]] * len(rep))
            new_ends.extend([ends[b - 1]] * len(rep))
            pos = b
        out.append(s[pos:])
        new_starts.extend(starts[pos:])
        new_ends.extend(ends[pos:])
        self.s, self.starts, self.ends = "".join(out), new_starts, new_ends

    def span(self, a: int, b: int) -> tuple[int, int]:
        return self.starts[a], self.ends[b - 1]

    def _lookalikes(self) -> None:
        """O, o, I, l, | inside a run of digits are digits (``3l2-555-Ol23``); so are S, B
        and Z where digits are at least half the run (``312-5S5-O1B2``)."""
        edits = []
        for m in _ALNUM_RUN.finditer(self.s):
            tok = m.group(0)
            if not any(c.isdigit() for c in tok):
                continue
            if _LOOKALIKE_TOKEN.fullmatch(tok):
                edits.append((m.start(), m.end(), tok.translate(_LOOKALIKE_TABLE)))
            elif _LOOKALIKE_WIDE.fullmatch(tok) and 2 * sum(c.isdigit() for c in tok) >= len(tok):
                edits.append((m.start(), m.end(), tok.translate(_LOOKALIKE_TABLE)))
        self.rewrite([e for e in edits if e[2] != self.s[e[0] : e[1]]])

    def _spelled_numbers(self) -> None:
        """Runs of three or more numbers at least one of which is spelled out, giving five
        digits or more, become digits; so do spelled years."""
        if not _HAS_NUMBER_WORD.search(self.s):
            return
        edits: list[tuple[int, int, str]] = []
        for m in _NUMBER_RUN.finditer(self.s):
            tokens = list(_NUMBER_TOKEN.finditer(m.group(0)))
            words = [t for t in tokens if not t.group(0).isdigit()]
            values = [_number_value(t.group(0)) for t in tokens]
            if not words:
                continue
            digits = "".join(values)
            year = _spelled_year(tokens, values)
            if year is None and (len(tokens) < 3 or len(digits) < 5):
                continue
            base = m.start()
            if year is not None and len(tokens) == 2:
                edits.append((base + tokens[0].start(), base + tokens[1].end(), year))
                continue
            for k, t in enumerate(tokens):
                edits.append((base + t.start(), base + t.end(), values[k]))
                if k + 1 < len(tokens):
                    nxt = tokens[k + 1]
                    both_words = not t.group(0).isdigit() and not nxt.group(0).isdigit()
                    if both_words and nxt.start() > t.end():
                        sep = m.group(0)[t.end() : nxt.start()]
                        edits.append(
                            (
                                base + t.end(),
                                base + nxt.start(),
                                "-" if re.search("[,.;]", sep) else "",
                            )
                        )
        self.rewrite(sorted(edits))


_ALNUM_RUN = re.compile(r"[A-Za-z0-9|З]+")
_LOOKALIKE_TOKEN = re.compile(r"[0-9OoIl|З]+")
_LOOKALIKE_WIDE = re.compile(r"[0-9OoIl|ЗSsBZz]+")
_LOOKALIKE_TABLE = str.maketrans("OoIl|ЗSsBZz", "00111355822")

_UNITS = {
    "en": ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"],
    "es": ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"],
    "fr": ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"],
}


def _number_words() -> dict[str, int]:
    words: dict[str, int] = {}
    for lang in _UNITS.values():
        for v, w in enumerate(lang):
            words[w] = v
    words.update({"oh": 0, "zero": 0, "zéro": 0, "una": 1, "une": 1})
    en_teens = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen"
    es_teens = "diez once doce trece catorce quince dieciséis diecisiete dieciocho diecinueve"
    fr_teens = "dix onze douze treize quatorze quinze seize dix-sept dix-huit dix-neuf"
    for teens in (en_teens, es_teens, fr_teens):
        for v, w in enumerate(teens.split(), start=10):
            words[w] = v
    words["dieciseis"] = 16
    en_tens = "twenty thirty forty fifty sixty seventy eighty ninety".split()
    for t, w in enumerate(en_tens, start=2):
        words[w] = t * 10
        for u in range(1, 10):
            words[f"{w}-{_UNITS['en'][u]}"] = t * 10 + u
            words[f"{w} {_UNITS['en'][u]}"] = t * 10 + u
    es_tens = "veinte treinta cuarenta cincuenta sesenta setenta ochenta noventa".split()
    for t, w in enumerate(es_tens, start=2):
        words[w] = t * 10
        for u in range(1, 10):
            if t == 2:
                unit = {"dos": "dós", "tres": "trés", "seis": "séis"}.get(_UNITS["es"][u])
                words["veinti" + _UNITS["es"][u]] = 20 + u
                if unit:
                    words["veinti" + unit] = 20 + u
            else:
                words[f"{w} y {_UNITS['es'][u]}"] = t * 10 + u
    fr_tens = ["vingt", "trente", "quarante", "cinquante", "soixante"]
    for t, w in enumerate(fr_tens, start=2):
        words[w] = t * 10
        for u in range(1, 10):
            unit = _UNITS["fr"][u]
            if u == 1:
                words[f"{w} et un"] = words[f"{w}-et-un"] = t * 10 + 1
            else:
                words[f"{w}-{unit}"] = words[f"{w} {unit}"] = t * 10 + u
    fr_teen_words = fr_teens.split()
    for u, teen in enumerate(fr_teen_words):  # 70-79 and 90-99
        words[f"soixante-{teen}"] = words[f"soixante {teen}"] = 70 + u
        words[f"quatre-vingt-{teen}"] = words[f"quatre-vingts {teen}"] = 90 + u
    words["soixante et onze"] = words["soixante-et-onze"] = 71
    words["quatre-vingts"] = words["quatre-vingt"] = 80
    for u in range(1, 10):
        words[f"quatre-vingt-{_UNITS['fr'][u]}"] = 80 + u
    return words


_NUMBER_WORDS = _number_words()


def _trie(words: Iterable[str]) -> str:
    """One regex alternation for ``words``, as a trie (Python's re tries alternatives one by
    one; a trie makes a long word list cost about one word). A space in a word matches any
    run of spaces, a hyphen a hyphen or a space."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def tok(ch: str) -> str:
        return {" ": r"\s+", "-": r"[\s-]"}.get(ch) or re.escape(ch)

    def build(node: dict) -> str:
        alts = [tok(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return "(?:" + build(root) + ")"


# years: a prefix word group followed by a number 0-99 (or nothing: "dos mil")
_YEAR_PREFIXES = {
    "nineteen": "19",
    "mil novecientos": "19",
    "mil neuf cent": "19",
    "mille neuf cent": "19",
    "mil neuf cents": "19",
    "mille neuf cents": "19",
    "dix-neuf cent": "19",
    "two thousand and": "20",
    "two thousand": "20",
    "dos mil": "20",
    "deux mille": "20",
}
_NUMBER_WORDS_ALT = _trie(set(_NUMBER_WORDS) | set(_YEAR_PREFIXES))
_NUMBER_TOKEN = re.compile(rf"(?<![\w])(?:{_NUMBER_WORDS_ALT}|\d+)(?![\w])", re.I)
_HAS_NUMBER_WORD = re.compile(rf"(?<![\w])(?:{_NUMBER_WORDS_ALT})(?![\w])", re.I)
_NUMBER_SEP = r"(?:[ \t]*[-.,/][ \t]*|[ \t]+)"
_NUMBER_RUN = re.compile(
    rf"(?<![\w])(?:{_NUMBER_WORDS_ALT}|\d+)(?:{_NUMBER_SEP}(?:{_NUMBER_WORDS_ALT}|\d+)(?![\w]))+",
    re.I,
)


def _canon(word: str) -> str:
    return re.sub(r"[\s-]+", lambda m: "-" if "-" in m.group(0) else " ", word.lower())


def _number_value(tok: str) -> str:
    if tok.isdigit():
        return tok
    w = _canon(tok)
    if w in _YEAR_PREFIXES:
        return _YEAR_PREFIXES[w]
    # a space typed may stand for a hyphen of the table ("dix sept"); a hyphen typed only
    # matches a hyphen there (``_trie``), and stays one in ``_canon``
    for key in (w, w.replace(" ", "-")):
        if key in _NUMBER_WORDS:
            v = _NUMBER_WORDS[key]
            return str(v)
    return ""


def _spelled_year(tokens: list[re.Match], values: list[str]) -> str | None:
    """``nineteen eighty-five`` / ``dos mil uno`` as 1985 / 2001 when that is all there is."""
    if len(tokens) != 2:
        return None
    first = _canon(tokens[0].group(0))
    second = tokens[1].group(0)
    if (first in _YEAR_PREFIXES or first == "twenty") and not second.isdigit():
        v = int(values[1] or 0)
        prefix = _YEAR_PREFIXES.get(first, "20")
        if 0 <= v <= 99:
            return prefix + f"{v:02d}"
    return None
