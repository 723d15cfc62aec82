"""Languages: codes (ISO 639-1 or 639-3 in, one canonical code out, 639-1 where it exists),
names as sources write them (English, Spanish and French names, variants, lists, typos:
``read``), and names as readers read them, in their own language (``display_name``).

Names resolve through the CLDR and Wiktionary name tables that ``language_data`` ships
(the data behind ``langcodes``) and ISO 639 (``pycountry``), plus a few aliases for what
211s write that those tables name otherwise ("Creole", "Karen", "ASL")."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import langcodes
import pycountry
from babel import Locale, UnknownLocaleError


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


# names 211s write that the CLDR and ISO 639 names do not resolve, or resolve otherwise:
# in a US 211's listing "Creole" is Haitian Creole, "Karen" S'gaw Karen (the Karen most
# refugees from Burma speak), "Sign Language" American Sign Language; "Mandarin" is the
# directory's "zh" (a 639-1 code where the language has one: ``language=zh`` finds it)
ALIASES = {
    "creole": "ht",
    "creol": "ht",
    "kreyol": "ht",
    "kreyol ayisyen": "ht",
    "french creole": "ht",
    "creole haitiano": "ht",
    "criollo haitiano": "ht",
    "creole haitian": "ht",
    "haitian creole": "ht",
    "haitian kreyol": "ht",
    "farsi": "fa",
    "mandarin": "zh",
    "mandarin chinese": "zh",
    "chinese mandarin": "zh",
    "mandarin chinois": "zh",
    "chinese": "zh",
    "cantonese": "yue",
    "chinese cantonese": "yue",
    "dari": "prs",
    "karen": "ksw",
    "asl": "ase",
    "sign language": "ase",
    "american sign language asl": "ase",
    "lengua de senas americana": "ase",
    "lenguaje de senas": "ase",
    "lengua de senas": "ase",
    "langue des signes": "ase",
    "castellano": "es",
    "myanmar": "my",
    "tigrigna": "ti",
    "kiswahili": "sw",
    "laotian": "lo",
    "cambodian": "km",
    "pashtu": "ps",
    "kiche": "quc",
    "quiche": "quc",
    "k'iche'": "quc",
    "panjabi": "pa",
}
# an individual language's code becomes its macrolanguage's 639-1 code (cmn → zh, swh →
# sw, arb → ar), except Dari, which 211s and clients name apart from Farsi
_REGIONAL = {"fa-AF": "prs"}
# words around a name that add nothing to which language it is ("English only", "the
# Spanish language", "Spanish-speaking staff"); the text is kept as a note when it had any
# beyond "only"/"language"
_FILLER = re.compile(
    r"\b(?:languages?|lang|idioma|langue|only|solamente|seulement|spoken|speaking|speakers?|"
    r"hablado|parle|the|staff|available|bilingual|fluent|some|limited|basic|native|via|"
    r"interpreter|by|appointment)\b"
)
_TRIVIAL = re.compile(r"\b(?:languages?|lang|idioma|langue|only|solamente|seulement|the)\b")
# qualifiers that say the language is not spoken at the service: kept as text, no code
_NOT_SPOKEN = re.compile(
    r"\b(?:web\s*site|website|web|site\s+web|sitio\s+web|online|materials?|materiales|"
    r"mat[ée]riel|written|writing|escrito|[ée]crit|print(?:ed)?|impres[oa]s?|documents?|"
    r"documentos|forms?|formularios|formulaires|brochures?|folletos|literature|"
    r"translations?|translated|traducci[oó]n|traduction|signage|letreros)\b",
    re.I,
)
# three-letter words that are not codes, and the 639-3 codes a three-letter text may be
_WORDS = frozenset({"all", "any", "and", "the", "are", "see", "yes", "one", "two", "per"})
_LISTED = frozenset(ALIASES.values())
_PARENS = re.compile(r"([^(\[]*)((?:[(\[][^)\]]*[)\]]?)?)")
_ABBREVIATION = re.compile(r"(?<!\w)(\w)/(\w)(?!\w)")
# the words that join a list's names outside parentheses
_JOINS = re.compile(r"\s+(?:and|y|e|et|or|o|ou)\s+", re.I)


def _plain(text: str, *, accents: bool = False) -> str:
    """Casefolded, accents off (unless ``accents``), punctuation a space: 'Kreyòl
    (Ayisyen)' → 'kreyol ayisyen'."""
    text = text.casefold()
    if not accents:
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = unicodedata.normalize("NFC", text)
    text = text.replace("’", "'").replace("ʼ", "'")
    return " ".join(re.sub(r"[^\w']+", " ", text).replace("_", " ").split())


def _code(tag: str | None) -> str | None:
    """A language tag from the name data ('cmn', 'fa-AF', 'swh') → the canonical code."""
    if not tag:
        return None
    if tag in _REGIONAL:
        return _REGIONAL[tag]
    lang = tag.split("-")[0]
    if len(lang) == 3:  # an individual language of a macrolanguage: cmn → zh
        lang = langcodes.standardize_tag(lang, macro=True)
    return canonical(lang)


@cache
def _tries() -> list:
    """The name → language tables (language_data, from CLDR and Wiktionary) of English,
    Spanish and French names, and of each language's name for itself."""
    from language_data.names import load_trie
    from language_data.util import data_filename

    return [
        load_trie(data_filename(f"trie/{lang}/name_to_language.marisa"))
        for lang in ("en", "es", "fr", "und")
    ]


def _exact(key: str, accented: str | None = None) -> str | None:
    """The code of a plain name (``accented``: the same with its accents) exactly as an
    alias, a name table or ISO 639 gives it."""
    if alias := ALIASES.get(key):
        return alias
    if len(key) == 2 or (len(key) == 3 and key not in _WORDS):
        found = canonical(key)
        # a three-letter word is a code only where it names a 639-1 language ("spa") or
        # one this directory lists: "all", "any" are words, not Allar or Ayi
        if found and (len(found) == 2 or found in _LISTED):
            return found
    for trie in _tries():
        for variant in dict.fromkeys((key, key.replace("'", ""), accented or key)):
            if variant in trie and (found := _code(trie[variant][0].decode("utf-8"))):
                return found
    for attr in ("name", "common_name", "inverted_name"):
        try:
            lang = pycountry.languages.get(**{attr: key})
        except KeyError:  # a field this pycountry does not index
            continue
        if lang is not None:
            return getattr(lang, "alpha_2", None) or lang.alpha_3
    return None


@cache
def _known_names() -> dict[str, str]:
    """Names a typo may be taken for (plain form → code): the English, Spanish and French
    names of the languages with a 639-1 code, and the aliases."""
    from language_data.names import code_to_names

    names = dict(ALIASES)
    for lang in pycountry.languages:
        code = getattr(lang, "alpha_2", None)
        if not code:
            continue
        names.setdefault(_plain(lang.name), code)
        for locale in ("en", "es", "fr"):
            if local := code_to_names(code).get(locale):
                names.setdefault(_plain(local), code)
    return names


@cache
def by_name(text: str) -> str | None:
    """A language's name as people write it, in English, Spanish or French, a common
    variant or a near typo ('Spanish', 'inglés', 'Kreyòl', 'Spansih', 'Farsi',
    'Chinese (Mandarin)') → its canonical code; a code works too; unknown → None."""
    key = _plain(text or "")
    if len(key) < 2:
        return None
    if found := _exact(key, _plain(text, accents=True)):
        return found
    bare = " ".join(_FILLER.sub(" ", key).split())
    if bare and bare != key and (found := _exact(bare)):
        return found
    words = bare.split()
    if len(words) == 2 and (found := _exact(" ".join(reversed(words)))):
        return found  # "Creole Haitian", "Chinese Mandarin"
    if len(bare) >= 5:  # a typo of a known name, a letter or two off
        close = difflib.get_close_matches(bare, _known_names(), n=1, cutoff=0.84)
        if close:
            return _known_names()[close[0]]
    return None


@dataclass
class Reading:
    """What a source's language text says: the codes of languages spoken at the service;
    notes to keep as text (qualified names as given, names of what is not spoken there,
    such as "Spanish (website)", and unknown names); the unknown names alone, for the
    import's report."""

    codes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)


def split_names(text: str) -> list[str]:
    """A list of names → its items, a parenthesis kept whole: 'English, Spanish (website,
    forms) and French' → ['English', 'Spanish (website, forms)', 'French']; 'inglés y
    español', 'anglais et espagnol', 'English/Spanish' likewise."""
    text = _ABBREVIATION.sub("\\1\u2215\\2", text)  # "n/a" is one item, not two
    chunks: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        depth += (ch in "([") - (ch in ")]")
        depth = max(depth, 0)
        if depth == 0 and ch in ",;/|&+\n":
            chunks.append("".join(current))
            current = []
        else:
            current.append(ch)
    chunks.append("".join(current))
    items: list[str] = []
    for chunk in chunks:
        parts = [""]
        for outside, inside in _PARENS.findall(chunk):  # "and" joins only outside
            more = _JOINS.split(f" {outside} ") if outside else [""]
            parts[-1] += more[0]
            parts += more[1:]
            parts[-1] += inside
        items += [" ".join(p.split()).strip(" .-–—:") for p in parts]
    return [i.replace("\u2215", "/") for i in items if i]


def read(text: str | None) -> Reading:
    """A source's language text, one name or a list ('English, Spanish (limited) and
    Kreyòl'; 'inglés y español'; 'Spanish (website)') → a ``Reading``. A name resolves to
    its code, with the text kept as a note when it says more than the name ("Spanish
    (limited)"); a qualifier saying the language is not spoken at the service (website,
    materials, documents) keeps it as text only; an unknown name is kept as text and
    listed as unresolved."""
    out = Reading()
    text = " ".join((text or "").split())
    if not text:
        return out
    for item in split_names(text):
        code, note = from_source(item)
        if code:
            out.codes.append(code)
        elif note and not _NOT_SPOKEN.search(item):
            out.unresolved.append(note)
        if note:
            out.notes.append(note)
    out.codes = list(dict.fromkeys(out.codes))
    return out


QUALIFIER = re.compile(r"^(?P<base>[^(\[,;:/-]+?)\s*(?:[(\[,;:/-]\s*(?P<note>.*?)[)\]]?)?$")


def from_source(text: str | None) -> tuple[str | None, str | None]:
    """What a source says of one language ('es', 'Spanish', 'Spanish (limited)', 'Spanish
    (website)', 'Klingon') → (canonical code or None, the text to keep as a note or None):
    a plain code or name is just its code; one qualified about speaking it is its code and
    the words as given; one not spoken at the service (a website, materials) has no code
    and is kept as given, as is an unknown one."""
    text = " ".join((text or "").split())
    if not text:
        return None, None
    if _NOT_SPOKEN.search(text):
        return None, text[:200]
    if code := by_name(text):
        bare = " ".join(_TRIVIAL.sub(" ", _plain(text)).split())
        return code, None if _exact(bare) or not bare else text[:200]
    m = QUALIFIER.match(text)
    if m and (code := by_name(m["base"])):
        return code, text[:200]
    return None, text[:200]


def join_notes(*groups: Iterable[str | None] | None) -> str | None:
    """Language notes, each once, as the column keeps them ("; " between)."""
    notes = [n for group in groups for n in (group or []) if n]
    return "; ".join(dict.fromkeys(notes))[:500] or None


@cache
def display_name(code: str, locale: str = "en") -> str:
    """A language's name as a reader of ``locale`` writes it ('en' in 'es' → 'inglés', in
    'fr' → 'anglais'; 'ht' → 'créole haïtien'), from Babel's CLDR data; the English ISO
    name where CLDR has none ('ksw' → "S'gaw Karen"), else the code. The one place a code
    becomes words for a reader: pages, sheets, share texts."""
    if locale and locale != "en":
        try:
            local = Locale.parse(locale).languages.get(code)
        except (ValueError, UnknownLocaleError):
            local = None
        if local:
            return local
    return name(code)


def display_list(codes: Iterable[str], locale: str = "en") -> str:
    """Codes as a reader's list: ['en', 'es'] in 'es' → 'inglés, español'."""
    return ", ".join(display_name(c, locale) for c in codes)


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


def parse_list(codes: str | Iterable[str] | None) -> tuple[list[str], list[str]]:
    """A list (or space/comma separated string) of codes → (canonical codes, unknown ones)."""
    if isinstance(codes, str):
        codes = codes.replace(",", " ").split()
    good: list[str] = []
    bad: list[str] = []
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
