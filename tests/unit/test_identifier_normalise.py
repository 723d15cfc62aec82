"""The normalised copy a note is matched on, and its map back to the note as typed
(``identifiers.normalise._Norm``), and the names table's look-ups (``identifiers.names``)
(issue #29): each expected copy and map worked out by hand from the rules in the
package's docstring.
"""

from __future__ import annotations

import gzip

import pytest

from directory.identifiers import names
from directory.identifiers.normalise import _Norm


def copy(text: str, transliterate: bool = False) -> tuple[str, list[int], list[int]]:
    norm = _Norm(text, transliterate=transliterate)
    return norm.s, norm.starts, norm.ends


# ---------------------------------------------------------------------------------------
# Characters
# ---------------------------------------------------------------------------------------


def test_an_ascii_note_is_its_own_copy_each_character_mapped_to_itself():
    assert copy("Unit 12") == ("Unit 12", [0, 1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6, 7])


def test_a_combining_accent_is_composed_with_its_letter_and_maps_to_both():
    # "café" typed as e + a combining acute: five characters, four in the copy
    assert copy("cafe\u0301 Ana") == (
        "café Ana",
        [0, 1, 2, 3, 5, 6, 7, 8],
        [1, 2, 3, 5, 6, 7, 8, 9],
    )


def test_an_accent_that_composes_with_nothing_is_dropped_into_its_letter():
    # no precomposed q with a dot above: the q stands for both characters
    assert copy("q\u0307x") == ("qx", [0, 2], [2, 3])


def test_an_accent_at_the_start_of_a_note_is_kept():
    assert copy("\u0301a") == ("\u0301a", [0, 1], [1, 2])


def test_an_invisible_character_between_two_letters_parts_two_words():
    assert copy("Maria\u200bLopez") == ("Maria Lopez", list(range(11)), list(range(1, 12)))


def test_an_invisible_character_before_the_last_letter_parts_it_too():
    assert copy("Ana\u200bB")[0] == "Ana B"


def test_an_invisible_character_elsewhere_is_dropped():
    assert copy("a\u200b b") == ("a b", [0, 2, 3], [1, 3, 4])
    assert copy("Ana\u200b") == ("Ana", [0, 1, 2], [1, 2, 3])
    assert copy("\u200bAna") == ("Ana", [1, 2, 3], [2, 3, 4])


def test_the_first_character_past_ascii_is_normalised_too():
    # U+0080, a control character: a space (and U+007F, the last of ASCII, as typed)
    assert copy("x\x80y") == ("x y", [0, 1, 2], [1, 2, 3])
    assert copy("x\x7fy\u00e9") == ("x\x7fyé", [0, 1, 2, 3], [1, 2, 3, 4])


def test_cyrillic_letters_are_read_by_their_look_and_by_their_sound_only_when_asked():
    assert _Norm("Мария").s == "Mapия"
    assert copy("Мария")[0] == "Mapия"
    assert copy("Мария", transliterate=True)[0] == "Maria"
    assert copy("Мария", transliterate=True)[1:] == ([0, 1, 2, 3, 4], [1, 2, 3, 4, 5])


def test_span_maps_a_stretch_of_the_copy_back_to_the_note():
    norm = _Norm("cafe\u0301 Ana")
    assert norm.span(0, 4) == (0, 5)
    assert norm.span(5, 8) == (6, 9)


# ---------------------------------------------------------------------------------------
# Look-alike letters in numbers
# ---------------------------------------------------------------------------------------


def test_look_alike_letters_in_a_run_of_digits_are_digits_mapped_to_the_whole_run():
    assert copy("3l2-555-Ol23") == (
        "312-555-0123",
        [0, 0, 0, 3, 4, 5, 6, 7, 8, 8, 8, 8],
        [3, 3, 3, 4, 5, 6, 7, 8, 12, 12, 12, 12],
    )


def test_s_b_and_z_are_digits_where_digits_are_half_the_run_or_more():
    assert copy("312-5S5-O1B2") == (
        "312-555-0182",
        [0, 1, 2, 3, 4, 4, 4, 7, 8, 8, 8, 8],
        [1, 2, 3, 4, 7, 7, 7, 8, 12, 12, 12, 12],
    )
    # one digit in three: a unit, not a number
    assert copy("Unit S5B")[0] == "Unit S5B"
    assert copy("Unit 5B")[0] == "Unit 58"


def test_a_run_of_digits_alone_is_left_as_typed():
    assert copy("Bus 12 at 5")[1] == list(range(11))


# ---------------------------------------------------------------------------------------
# Numbers spelled out
# ---------------------------------------------------------------------------------------

SPELLED = [
    ("three one two five five five zero one two three", "3125550123"),
    # a comma between two spelled numbers is a hyphen; between words and digits, kept
    ("three one two, five five five, zero one two three", "312-555-0123"),
    ("five-five-five zero one two three", "5550123"),
    ("five 5 five 5 5", "5 5 5 5 5"),
    ("vingt-et-un douze trente", "211230"),
    ("dix sept dix sept dix sept", "171717"),
    ("Tres Uno Dos. Cinco Cinco", "312-55"),
    # years: a prefix and a number, or a prefix alone
    ("nineteen eighty-five", "1985"),
    ("Nineteen  Eighty  Five", "1985"),
    ("nineteen oh five", "nineteen oh five"),
    ("twenty twenty", "2020"),
    ("twenty five", "twenty five"),
    ("mil novecientos ochenta y cinco", "1985"),
    ("dos mil uno", "2001"),
    ("two thousand and five", "2005"),
    ("Two  thousand five", "2005"),
    ("deux mille dix-neuf", "2019"),
    ("mille neuf cent quatre-vingt-dix-neuf", "1999"),
    ("dix-neuf cent quatre-vingt-cinq", "1985"),
    # too few numbers, or too few digits, to be a phone or an ID: as typed
    ("one two", "one two"),
    ("one two three four", "one two three four"),
    ("twelve thirty four", "twelve thirty four"),
    ("nineteen 85", "nineteen 85"),
    ("twenty-one twenty one", "twenty-one twenty one"),
    ("Bus 12 at 5", "Bus 12 at 5"),
    # each run on its own: one left as typed does not stop the ones after it
    (
        "Room 12 14, call three one two five five five zero one two three",
        "Room 12 14, call 3125550123",
    ),
    ("one two, then five five five zero one two three", "one two, then 5550123"),
    (
        "Born nineteen eighty-five; phone five five five zero one two three",
        "Born 1985; phone 5550123",
    ),
]


@pytest.mark.parametrize(("text", "becomes"), SPELLED)
def test_numbers_spelled_out_become_digits_when_they_make_a_number(text, becomes):
    assert copy(text)[0] == becomes


def test_a_spelled_year_maps_each_digit_to_the_whole_year():
    assert copy("Born nineteen eighty-five")[1:] == (
        [0, 1, 2, 3, 4, 5, 5, 5, 5],
        [1, 2, 3, 4, 5, 25, 25, 25, 25],
    )


def test_each_spelled_number_maps_to_its_word_and_a_comma_to_the_gap():
    assert copy("three one two, five five five, zero one two three")[1:] == (
        [0, 6, 10, 13, 15, 20, 25, 29, 31, 36, 40, 44],
        [5, 9, 13, 15, 19, 24, 29, 31, 35, 39, 43, 49],
    )


# ---------------------------------------------------------------------------------------
# The names table's look-ups
# ---------------------------------------------------------------------------------------


def test_a_hyphenated_first_name_is_a_first_name_when_every_part_is_one():
    assert names.flags("Kenia-Yurany") == names.FIRST
    assert names.is_first_name("Kenia-Yurany")
    # a surname part makes the whole a surname; ordinary words in every part, a word too
    assert names.flags("Kenia-Petrov") == names.LAST
    assert names.flags("Ana-Rosa") == names.FIRST | names.WORD
    assert names.flags("Rosa-Kenia") == names.FIRST


def test_a_hyphenated_word_with_a_part_that_is_no_name_is_no_name():
    assert names.flags("Kenia-Kravchuk") == 0
    assert names.flags("well-known") == 0
    assert names.flags("-") == 0


def test_a_name_in_the_table_is_read_as_it_stands_even_with_a_hyphen():
    assert names.flags("Kenia") == names.FIRST
    assert names.flags("Jean-Pierre") == names.FIRST  # in the table as "jean-pierre"


def test_is_name_is_a_name_that_is_no_ordinary_word():
    assert names.is_name("Okafor")
    assert names.is_name("Petrov")
    assert not names.is_name("Rosa")
    assert not names.is_name("Kravchuk")


def test_is_first_name_is_a_first_name_that_is_no_ordinary_word():
    assert names.is_first_name("Kenia")
    assert not names.is_first_name("Petrov")  # a surname only
    assert not names.is_first_name("Rosa")  # also a word
    assert not names.is_first_name("Kravchuk")


def test_the_names_table_is_read_on_the_first_look_up(tmp_path, monkeypatch):
    path = tmp_path / "names.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("wanida\tf\nsanta ana\tp\n")
    monkeypatch.setattr(names, "DATA", path)
    monkeypatch.setattr(names, "_table", None)
    assert names.flags("Wanida") == names.FIRST
    monkeypatch.setattr(names, "_table", None)
    assert names.is_place("Santa Ana")
    assert names.size() == 2


def test_is_place_reads_a_town_of_several_words_in_any_case():
    assert names.is_place("Santa Ana")
    assert names.is_place("SANTA   ana")
    assert names.is_place("Chicago")
    assert not names.is_place("Kenia")
    assert not names.is_place("Kravchuk")


@pytest.mark.parametrize("note", ["born nineteen oh", "born nineteen zero"])
def test_a_year_spelled_with_nought_after_its_century_is_that_year(note):
    assert _Norm(note).s == "born 1900"
