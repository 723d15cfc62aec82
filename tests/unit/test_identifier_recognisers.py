"""The recognisers of the client-identifier check, each on notes that only it decides
(issue #29).

Most notes go through ``identifiers.find``, which merges what every recogniser marks;
where two recognisers mark the same span, the recogniser's own output is checked too, so
that each one's promise is held by a test of its own. Expected spans worked out by hand.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from directory import identifiers
from directory.errors import IdentifiersFound
from directory.identifiers import Allowed
from directory.identifiers.recognisers.contacts import _emails, _handles
from directory.identifiers.recognisers.numbers import _case_numbers, _id_numbers
from directory.identifiers.recognisers.persons import _names


def found(text: str, allow: Allowed | None = None) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in identifiers.find(text, allow=allow)]


def spans(recogniser, text: str) -> list[tuple[str, str]]:
    return [(kind, text[a:b]) for kind, a, b in recogniser(text)]


# ---------------------------------------------------------------------------------------
# Titles, cue words and known first names (recognisers/persons.py)
# ---------------------------------------------------------------------------------------


def test_a_lower_case_m_after_a_time_is_no_title():
    # "p.m." ends in "m.": the name after it is marked, not "m." with it
    assert found("Seen at 5 p.m. Dupont came back.") == [("name", "Dupont")]
    assert spans(_names, "Seen at 5 p.m. Dupont came back.") == []


def test_a_capital_m_alone_is_no_title_even_before_two_capitalised_words():
    assert found("She took the M Line Express downtown.") == []
    assert spans(_names, "She waited for the M Night Owl bus.") == []


def test_a_capital_m_with_a_dot_is_a_title():
    assert spans(_names, "M. Dupont came in.") == [("name", "M. Dupont")]
    assert spans(_names, "Saw M. Dupont.") == [("name", "M. Dupont.")]


def test_an_ordinary_word_after_a_strong_cue_is_no_name():
    assert found("Her name is unknown to us.") == []
    assert found("Su nombre es desconocido.") == []
    assert spans(_names, "her name is not known") == []


def test_a_known_first_name_then_a_capitalised_word_is_a_name_across_a_full_stop():
    # both words identify her, whatever the full stop between them
    assert found("I spoke with Maria. Lopez came later.") == [("name", "Maria. Lopez")]
    assert spans(_names, "I spoke with Maria. Lopez came later.") == [("name", "Maria. Lopez")]


def test_a_name_after_a_cue_word_stops_at_a_weekday_or_a_place_word_with_a_full_stop():
    assert found("Intake for client Ana Monday.") == [("name", "Ana")]
    assert found("Referred to client Harbor House.") == []


def test_a_known_first_name_in_a_place_name_is_no_name():
    assert found("Called Maria Gonzalez Shelter today.") == []
    # after an article: a place or a business ("la Rosa Blanca", a restaurant)
    assert spans(_names, "Comimos en la Rosa Blanca ayer.") == []
    assert spans(_names, "la Rosa Blanca") == []
    assert spans(_names, "We ate at the Rosa Blanca last night.") == []


def test_a_known_first_name_then_a_capitalised_word_at_the_start_is_a_name():
    assert spans(_names, "Rosa Blanca came in.") == [("name", "Rosa Blanca")]


# ---------------------------------------------------------------------------------------
# ID numbers and case numbers (recognisers/numbers.py)
# ---------------------------------------------------------------------------------------


def test_the_code_after_an_id_cue_runs_over_every_group_of_digits():
    assert spans(_id_numbers, "ID number 4451 2290 was lost.") == [
        ("id_number", "ID number 4451 2290")
    ]
    assert spans(_id_numbers, "Passport no. X12 3456 on file.") == [
        ("id_number", "Passport no. X12 3456")
    ]


def test_a_code_word_in_capitals_is_no_name():
    assert found("She had COVID-19 last month.") == []
    assert found("She is in Unit-4B now.") == []


def test_a_case_number_holding_a_name_after_a_code_word_or_an_ordinary_word():
    assert found("Opened HT-Okafor-2024 today.") == [("case_number", "HT-Okafor-2024")]
    assert found("File 2024-intake-Okafor-3") == [("case_number", "2024-intake-Okafor-3")]


def test_a_case_number_holding_a_four_letter_name_that_is_also_a_word():
    assert found("File 2024-Rosa-17 closed.") == [("case_number", "2024-Rosa-17")]


def test_a_case_number_holding_a_five_letter_first_name():
    assert found("File 2024-Wolde-12 closed.") == [("case_number", "2024-Wolde-12")]


def test_a_case_number_holding_five_letters_the_names_table_lacks():
    assert found("File 2024-Mbeki-12 closed.") == [("case_number", "2024-Mbeki-12")]


def test_every_case_number_holding_a_name_is_marked():
    assert found("Files 2024-Rosa-17 and 2023-Okafor-3") == [
        ("case_number", "2024-Rosa-17"),
        ("case_number", "2023-Okafor-3"),
    ]


def test_a_web_address_is_no_case_number_and_does_not_stop_the_next():
    assert spans(_case_numbers, "Forms at www2.harborhouse.org") == []
    assert spans(_case_numbers, "Forms at www2.harborhouse.org, file 2024-Wyszomirski-12") == [
        ("case_number", "2024-Wyszomirski-12")
    ]


# ---------------------------------------------------------------------------------------
# Contacts and places (recognisers/contacts.py, places.py)
# ---------------------------------------------------------------------------------------


def test_a_handle_after_an_ambiguous_platform_word_is_marked_with_it():
    assert found("Her fb - @kittyrose") == [("handle", "fb - @kittyrose")]


def test_a_short_number_after_a_platform_is_no_account_but_an_at_name_is():
    assert spans(_handles, "Her snap is @1234") == [("handle", "@1234")]


def test_an_obfuscated_mailbox_of_ours_is_no_client_email():
    assert spans(_emails, "email us at harbor dot org") == []
    assert spans(_emails, "email us at home dot com") == []


def test_a_time_after_at_is_no_email_however_typed():
    assert spans(_emails, "See Rosa at noon.PM today") == []
    assert spans(_emails, "Call Kenia at six.am") == []


@pytest.mark.parametrize(
    "note",
    [
        "Bus #5 was late today.",  # an ordinary word before the number, first in the note
        "Take #12 bus to the clinic.",  # or after it
        "Took #3 line downtown.",
    ],
)
def test_a_number_that_numbers_something_ordinary_is_no_address(note):
    assert found(note) == []


def test_a_date_in_a_year_to_come_is_no_date_of_birth():
    assert found("The form says 03/14/2185.") == []


# ---------------------------------------------------------------------------------------
# find: merging, and the public record
# ---------------------------------------------------------------------------------------


def test_the_public_record_of_a_service_and_its_organization_both_count():
    org = SimpleNamespace(
        name="Harbor Network",
        alternate_name=None,
        website=None,
        email=None,
        phones=[],
    )
    service = SimpleNamespace(
        name="Chez Kenia",
        alternate_name=None,
        url="https://instagram.com/okaforhouse",
        email=None,
        phones=[],
        organization=org,
        location=None,
        at_locations=[],
        hours_notes=None,
    )
    allow = Allowed.from_service(service)
    assert not any("xxxx" in t for t in allow.texts)  # no hours given: none taken
    for note in ("Called Chez Kenia.", "Their page is instagram.com/okaforhouse."):
        assert found(note) != [], note
        assert found(note, allow) == [], note


def test_an_address_holding_the_public_one_is_public_but_not_the_unit_after_it():
    allow = Allowed.from_record({"address": "1234 N Main Street"})
    assert found("She lives at 1234 N Main Street, Apt 5", allow) == [("address", "Apt 5")]


# ---------------------------------------------------------------------------------------
# List names (check_label)
# ---------------------------------------------------------------------------------------


def refused(label: str) -> list[tuple[str, str]]:
    with pytest.raises(IdentifiersFound) as exc:
        identifiers.check_label("list name", label)
    return [(f.kind, f.text) for f in exc.value.findings]


@pytest.mark.parametrize(
    ("label", "marked"),
    [
        ("#MariaLopez", "MariaLopez"),  # a sign first, nothing before it
        ("MariaLopez_", "MariaLopez"),  # a sign last, nothing after it
        ("AnaLopez", "AnaLopez"),  # three letters, then a capital
        ("Follow up AnaLopez", "AnaLopez"),
        ("ⓂⓐⓡⓘⓐⓁⓞⓟⓔⓩ", "ⓂⓐⓡⓘⓐⓁⓞⓟⓔⓩ"),  # circled letters are letters
    ],
)
def test_a_list_name_run_together_is_read_apart(label, marked):
    assert refused(label) == [("name", marked)]


def test_a_list_name_with_a_ligature_is_read_as_typed():
    identifiers.check_label("list name", "Oﬃce list")  # "ffi" in one character: no error


# ---------------------------------------------------------------------------------------
# Misses and false alarms of docs/testing.md, fixed (2026-12-08)
# ---------------------------------------------------------------------------------------


def test_an_area_code_glued_to_a_name_is_marked_with_the_number():
    # "Okafor(" : the bracket follows a letter with no space, the area code is the number's
    assert found("Kenia Okafor(312) 555-0123") == [
        ("name", "Kenia Okafor"),
        ("phone", "(312) 555-0123"),
    ]
    assert found("call(312) 555-0123 after 5") == [("phone", "(312) 555-0123")]


def test_a_website_after_at_is_no_email():
    assert found("Forms at www2.harborhouse.org") == []
    assert found("Forms at www.harborhouse.org") == []
    assert spans(_emails, "Forms at WWW.harborhouse.org") == []
    # the e-mail after a website is found all the same
    assert spans(_emails, "Forms at www.harborhouse.org; write kenia at okafor dot net") == [
        ("email", "kenia at okafor dot net")
    ]
    # a mailbox whose domain merely starts with "www" letters is still one
    assert found("write to ana at wwwlabs.org") == [("email", "ana at wwwlabs.org")]


def test_a_plate_ends_where_its_last_word_ends():
    assert found("License plate ABC 1234 seen") == [("plate", "License plate ABC 1234")]
    assert found("plate 7ABC123 is stolen") == [("plate", "plate 7ABC123")]
    assert found("plate is abc 123 near the park") == [("plate", "plate is abc 123")]
    # a plate of capitals keeps its last group of letters
    assert found("plate ABC 123 D was seen") == [("plate", "plate ABC 123 D")]


def test_the_words_after_a_plate_word_holding_no_digit_are_no_plate():
    assert found("License plate renewal due 2026.") == []


@pytest.mark.parametrize(
    ("label", "words", "origin"),
    [
        ("x_y", "x y", [0, 1, 2]),  # a sign between two letters is a space
        ("ana__lopez", "ana  lopez", list(range(10))),  # a run of signs: each a space
        ("_ab", "_ab", [0, 1, 2]),  # a sign with no letter before it stays
        ("ab_", "ab_", [0, 1, 2]),  # ... or none after it
        ("ab_1", "ab_1", [0, 1, 2, 3]),
        ("a_b1", "a b1", [0, 1, 2, 3]),
        ("a1__b", "a1__b", [0, 1, 2, 3, 4]),  # the character before the run is a digit
        # a capital after three letters, the last small, starts a word; the space comes
        # from the capital
        ("MariaLopez", "Maria Lopez", [0, 1, 2, 3, 4, 5, 5, 6, 7, 8, 9]),
        ("abCdE", "abCd E", [0, 1, 2, 3, 4, 4]),
    ],
)
def test_a_label_is_read_apart_where_signs_join_letters(label, words, origin):
    assert identifiers._label_words(label) == (words, origin)


def test_a_listed_first_name_before_a_stop_word_alone_is_no_full_name():
    # "Monday." is cut as a stop word: "Maria" alone is a word as much as a name
    assert spans(_names, "we saw Maria Monday.") == []
    assert found("we saw Maria Monday.") == []


def test_a_title_in_capitals_ending_in_x_is_a_title():
    assert spans(_names, "MX. DUPONT came in.") == [("name", "MX. DUPONT")]


def test_a_word_ending_in_the_is_no_article_before_a_name():
    assert found("I had to soothe Maria Lopez.") == [("name", "Maria Lopez.")]
    assert found("Saw the Maria Lopez bakery.") == []  # an article: a business


def test_a_handle_starting_with_a_capital_x_is_a_handle():
    assert found("insta X1234") == [("handle", "insta X1234")]


def test_a_code_starting_with_http_holding_a_name_is_a_case_number():
    assert found("see http-2024-PEREZ") == [("case_number", "http-2024-PEREZ")]


def test_the_word_before_or_after_a_hash_number_is_read_within_thirty_characters():
    # "seat" says what the number numbers when all of it is within 30 characters
    assert found("seat" + " " * 26 + "#5") == []
    assert found("seat" + " " * 27 + "#5") == [("address", "#5")]
    assert found("#5" + " " * 26 + "seat") == []
    assert found("#5" + " " * 27 + "seat") == [("address", "#5")]
