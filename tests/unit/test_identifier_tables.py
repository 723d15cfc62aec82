"""The tables the identifier check builds once, at import: the number words, the word tries,
the spelled days of a date, the names table and the character map (issue #29).

Each is built once when ``directory.identifiers`` is imported (or on the first note, for
the names) and kept, so a test of a note alone never sees a change in the builder; these
call each builder afresh and check what it builds against values worked out by hand.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from directory.identifiers import names, normalise
from directory.identifiers.recognisers import dates

# ---------------------------------------------------------------------------------------
# Number words (``normalise._number_words``)
# ---------------------------------------------------------------------------------------

NUMBER_WORDS = {
    # units in the three languages, and the extra spellings of 0 and 1
    "zero": 0,
    "one": 1,
    "nine": 9,
    "cero": 0,
    "uno": 1,
    "cinco": 5,
    "nueve": 9,
    "zéro": 0,
    "un": 1,
    "quatre": 4,
    "neuf": 9,
    "oh": 0,
    "una": 1,
    "une": 1,
    # teens
    "ten": 10,
    "eleven": 11,
    "nineteen": 19,
    "diez": 10,
    "once": 11,
    "dieciséis": 16,
    "dieciseis": 16,
    "diecinueve": 19,
    "dix": 10,
    "onze": 11,
    "seize": 16,
    "dix-sept": 17,
    "dix-neuf": 19,
    # English tens, with a hyphen or a space
    "twenty": 20,
    "twenty-one": 21,
    "twenty one": 21,
    "thirty-four": 34,
    "ninety": 90,
    "ninety-nine": 99,
    "ninety nine": 99,
    # Spanish tens: veinti- in one word (with and without accents), the others with y
    "veinte": 20,
    "veintiuno": 21,
    "veintidos": 22,
    "veintidós": 22,
    "veintitres": 23,
    "veintitrés": 23,
    "veinticuatro": 24,
    "veintiseis": 26,
    "veintiséis": 26,
    "veintinueve": 29,
    "treinta": 30,
    "treinta y uno": 31,
    "cuarenta y dos": 42,
    "noventa": 90,
    "noventa y nueve": 99,
    # French tens to 69, then 70-79 and 80-99 built on soixante and quatre-vingt
    "vingt": 20,
    "vingt et un": 21,
    "vingt-et-un": 21,
    "vingt-deux": 22,
    "vingt deux": 22,
    "trente-neuf": 39,
    "quarante": 40,
    "quarante-deux": 42,
    "cinquante et un": 51,
    "soixante": 60,
    "soixante et un": 61,
    "soixante-neuf": 69,
    "soixante-dix": 70,
    "soixante dix": 70,
    "soixante et onze": 71,
    "soixante-et-onze": 71,
    "soixante-douze": 72,
    "soixante-dix-neuf": 79,
    "quatre-vingts": 80,
    "quatre-vingt": 80,
    "quatre-vingt-un": 81,
    "quatre-vingt-neuf": 89,
    "quatre-vingt-dix": 90,
    "quatre-vingts dix": 90,
    "quatre-vingt-onze": 91,
    "quatre-vingt-dix-neuf": 99,
}
NOT_NUMBER_WORDS = [
    "tonight",
    "twenty-zero",  # no tens + zero
    "ten-one",
    "veinte y uno",  # 21 is one word in Spanish
    "veinticero",
    "veinticinco y",
    "diez y seis",
    "treintiuno",
    "vingt-un",  # French 21, 31... take "et"
    "vingt et deux",
    "soixante-et-deux",
    "septante",  # Belgian and Swiss 70, 80, 90 are not in the table
    "huitante",
    "nonante",
    "cent",
    "hundred",
    "quatre-vingt-zéro",
    "soixante-dix-dix",
    "one hundred",
]


def test_the_number_words_table_reads_every_spelling_as_its_value():
    table = normalise._number_words()
    assert {word: table.get(word) for word in NUMBER_WORDS} == NUMBER_WORDS


def test_the_number_words_table_holds_no_other_spelling():
    table = normalise._number_words()
    assert [word for word in NOT_NUMBER_WORDS if word in table] == []
    # units: 10 in each language ("six" is English and French) and oh, una, une; teens: 10
    # in each and dieciseis; English 20-99: 8 tens, and 9 units after each with a hyphen or
    # a space; Spanish: 8 tens, veintiuno to veintinueve and 3 accented, 31-99 with y;
    # French: 5 tens to soixante, 9 units after each (et un and the others with a hyphen or
    # a space), 70-79 and 90-99 (two spellings each), soixante et onze (two), quatre-vingt
    # and quatre-vingts, 81-89
    units = 10 * 3 - 1 + 3
    teens = 10 * 3 + 1
    english = 8 + 8 * 9 * 2
    spanish = 8 + 9 + 3 + 7 * 9
    french = 5 + 5 * 9 * 2 + 20 * 2 + 2 + 2 + 9
    assert len(table) == units + teens + english + spanish + french


def test_every_value_of_the_number_words_table_is_a_number_from_0_to_99():
    values = set(normalise._number_words().values())
    assert values == set(range(100))


# ---------------------------------------------------------------------------------------
# Word tries (``normalise._trie``)
# ---------------------------------------------------------------------------------------


def test_a_trie_shares_the_prefixes_of_its_words():
    assert normalise._trie(["ca", "cat", "car"]) == "(?:ca(?:(?:r|t))?)"


def test_a_trie_matches_exactly_its_words():
    pattern = re.compile(normalise._trie(["ca", "cat", "car", "dog"]))
    assert [w for w in ["ca", "cat", "car", "dog"] if pattern.fullmatch(w)] == [
        "ca",
        "cat",
        "car",
        "dog",
    ]
    assert [
        w for w in ["c", "cab", "cats", "do", "dogs", "cardog", ""] if pattern.fullmatch(w)
    ] == []


def test_a_space_in_a_trie_word_is_any_run_of_spaces_and_a_hyphen_a_hyphen_or_a_space():
    pattern = re.compile(normalise._trie(["se llama", "dix-sept"]))
    assert pattern.fullmatch("se  llama")
    assert pattern.fullmatch("se\tllama")
    assert not pattern.fullmatch("se-llama")
    assert pattern.fullmatch("dix-sept")
    assert pattern.fullmatch("dix sept")
    assert not pattern.fullmatch("dix  sept")
    assert not pattern.fullmatch("dixsept")


def test_a_trie_word_is_matched_literally():
    pattern = re.compile(normalise._trie(["a.k.a", "c/o"]))
    assert pattern.fullmatch("a.k.a")
    assert pattern.fullmatch("c/o")
    assert not pattern.fullmatch("axkxa")


def test_the_trie_of_no_words_matches_only_nothing():
    assert re.fullmatch(normalise._trie([]), "")
    assert not re.match(normalise._trie([]) + "$", "a")


# ---------------------------------------------------------------------------------------
# The day of a written date (``dates._spelled_days``)
# ---------------------------------------------------------------------------------------

SPELLED_DAYS = [
    "first",
    "ninth",
    "tenth",
    "twelfth",
    "nineteenth",
    "twentieth",
    "twenty-first",
    "twenty first",
    "twenty-ninth",
    "twenty ninth",
    "twenty  ninth",
    "thirtieth",
    "thirty-first",
    "thirty  first",  # two spaces, as typed
    "primero",
    "premier",
    "1er",
    "1ero",
    "one",
    "thirty-one",
    "treinta y uno",
    "veintinueve",
    "trente et un",
    "douze",
]
NOT_SPELLED_DAYS = [
    "zero",
    "oh",
    "cero",
    "thirty-two",
    "treinta y dos",
    "forty",
    "twenty-tenth",
    "twenty tenth",
    "thirty-second",
    "tonight",
]


def test_the_spelled_days_are_the_ordinals_and_the_numbers_from_1_to_31():
    pattern = re.compile(dates._spelled_days())
    assert [w for w in SPELLED_DAYS if not pattern.fullmatch(w)] == []
    assert [w for w in NOT_SPELLED_DAYS if pattern.fullmatch(w)] == []


# ---------------------------------------------------------------------------------------
# The names table (``names._load``)
# ---------------------------------------------------------------------------------------


def _names_file(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "names.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("".join(line + "\n" for line in lines))
    return path


def test_the_names_table_reads_each_name_with_its_flags(tmp_path, monkeypatch):
    path = _names_file(
        tmp_path,
        [
            "# names-dataset, top 2000 per country; flags f l w p",
            "wanida\tf",
            "boonmee\tl",
            "rose\tflw",
            "santa ana\tp",
            "paris\tflwp",
            "nothing\t",
        ],
    )
    monkeypatch.setattr(names, "DATA", path)
    monkeypatch.setattr(names, "_table", None)
    assert names._load() == {
        "wanida": names.FIRST,
        "boonmee": names.LAST,
        "rose": names.FIRST | names.LAST | names.WORD,
        "santa ana": names.PLACE,
        "paris": names.FIRST | names.LAST | names.WORD | names.PLACE,
        "nothing": 0,
    }
    assert names._table == names._load()


def test_the_names_table_is_read_once(tmp_path, monkeypatch):
    monkeypatch.setattr(names, "DATA", _names_file(tmp_path, ["wanida\tf"]))
    monkeypatch.setattr(names, "_table", None)
    first = names._load()
    (tmp_path / "other").mkdir()
    monkeypatch.setattr(names, "DATA", _names_file(tmp_path / "other", ["boonmee\tl"]))
    assert names._load() is first
    assert names.size() == 1
    assert names.flags("Wanida") == names.FIRST


def test_the_shipped_names_table_knows_names_words_and_places():
    assert names.flags("García") == names.FIRST | names.LAST | names.PLACE
    assert names.flags("rose") == names.FIRST | names.LAST | names.WORD
    assert names.is_place("Santa Ana")
    assert names.size() > 150_000


# ---------------------------------------------------------------------------------------
# One character of a note in the normalised copy (``normalise._char``, uncached)
# ---------------------------------------------------------------------------------------

CHARS = [
    ("\u2013", "-"),  # en dash
    ("\u2212", "-"),  # minus sign
    ("\u2019", "'"),  # right quote
    ("\u201c", '"'),
    ("º", "º"),  # kept: NFKC would make it o ("3º B" is a floor)
    ("\u00a0", " "),  # no-break space
    ("\u3000", " "),
    ("\u1680", " "),  # a space NFKC keeps
    ("\x85", " "),  # a control character
    ("А", "A"),  # Cyrillic A
    ("ο", "o"),  # Greek omicron
    ("\u200b", ""),  # zero-width space
    ("\u2060", ""),  # word joiner
    ("\ufe00", ""),  # variation selectors, the first and the last
    ("\ufe0f", ""),
    ("٣", "3"),  # Arabic-Indic three
    ("३", "3"),  # Devanagari three
    ("Ｈ", "H"),  # full-width
    ("ﬁ", "fi"),  # a ligature
    ("\ufe32", "-"),  # a vertical en dash: NFKC gives an en dash, then a hyphen
    ("\U0001d6b3", "M"),  # mathematical bold capital Mu: NFKC gives Greek Mu, then M
    ("é", "é"),
    ("ñ", "ñ"),
]


@pytest.mark.parametrize(("ch", "becomes"), CHARS)
def test_each_non_ascii_character_becomes_what_a_reader_sees(ch, becomes):
    assert normalise._char.__wrapped__(ch) == becomes
