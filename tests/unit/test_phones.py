"""Phones as 211s write them (#25): N11 and short codes kept as dialled, TTY/SMS/fax kinds
kept, extensions as digits, menus kept as words. Expected values worked out by hand."""

from __future__ import annotations

import phonenumbers
import pytest

from directory import phones
from directory.phones import Phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # N11 and the 988 crisis line: the digits, nothing invented
        ("211", Phone("211", None, "voice", None)),
        ("311", Phone("311", None, "voice", None)),
        ("511", Phone("511", None, "voice", None)),
        ("7-1-1", Phone("711", None, "voice", None)),
        ("811", Phone("811", None, "voice", None)),
        ("911", Phone("911", None, "voice", None)),
        ("988", Phone("988", None, "voice", None)),
        ("Call 211", Phone("211", None, "voice", None)),
        ("911 (emergencies)", Phone("911", None, "voice", "(emergencies)")),
        # an SMS short code with its keyword
        ("Text HOME to 741741", Phone("741741", None, "text", "Text HOME to")),
        # full numbers in E.164, the extension apart
        ("(312) 555-0100", Phone("+13125550100", None, "voice", None)),
        ("312.555.0100 x12", Phone("+13125550100", "12", "voice", None)),
        ("(312) 555-0100 ext. 12", Phone("+13125550100", "12", "voice", None)),
        ("+44 20 7946 0958", Phone("+442079460958", None, "voice", None)),
        # kinds from the words
        ("TTY: 1-800-787-3224", Phone("+18007873224", None, "tty", None)),
        ("Fax (312) 555-0199", Phone("+13125550199", None, "fax", None)),
        ("SMS 312-555-0100", Phone("+13125550100", None, "text", None)),
        # menus and second numbers kept as words
        (
            "312-555-0100, press 2 for Spanish",
            Phone("+13125550100", None, "voice", "press 2 for Spanish"),
        ),
        ("312-555-0100 or 312-555-0101", Phone("+13125550100", None, "voice", "or 312-555-0101")),
        # a vanity number: the number dialled, the spelling people know kept
        ("1-800-RUNAWAY", Phone("+18007862929", None, "voice", "1-800-RUNAWAY")),
    ],
)
def test_numbers_as_written(raw, expected):
    assert phones.normalise(raw) == expected


def test_the_sources_type_and_extension_win():
    got = phones.normalise("312 555 0100 ext 5", kind="Textphone", extension="12.0")
    assert got == Phone("+13125550100", "12", "tty", None)  # a CSV float "12.0" is 12
    assert phones.normalise("312 555 0100", extension=7).extension == "7"
    assert phones.normalise("312 555 0100", kind="SMS").kind == "text"


def test_an_extension_that_is_a_menu_is_kept_as_words():
    got = phones.normalise("312 555 0100", extension="press 2")
    assert (got.extension, got.note) == (None, "press 2")


@pytest.mark.parametrize("raw", ["", "   ", "none", "call us", "12", "555-01"])
def test_no_number_is_a_reason_not_a_guess(raw):
    with pytest.raises(phones.Unreadable) as caught:
        phones.normalise(raw)
    assert caught.value.reason


@pytest.mark.parametrize(
    ("given", "kind"),
    [
        ("voice", "voice"),
        ("Cell", "voice"),
        ("text", "text"),
        ("SMS", "text"),
        ("textphone", "tty"),
        ("TTY/TDD", "tty"),
        ("video", "video"),
        ("fax", "fax"),
        ("pager", None),
        ("", None),
    ],
)
def test_source_types(given, kind):
    assert phones.kind_of(given) == kind


def test_hsds_answers():
    assert phones.hsds_type("tty") == "textphone"
    assert phones.hsds_type("text") == "text"
    assert phones.extension_number("12") == 12
    assert phones.extension_number(None) is None


@pytest.mark.parametrize(
    ("text", "number"),
    [
        # digits and punctuation only: read without the matcher, the same number it finds
        ("(312) 555-0100", "+13125550100"),
        ("312.555.0100", "+13125550100"),
        ("+1 312 555 0100", "+13125550100"),
        ("1-312-555-0100", "+13125550100"),
        ("(800) 799-7233", "+18007997233"),
    ],
)
def test_a_number_written_alone_reads_as_the_matcher_reads_it(text, number):
    assert phones.normalise(text) == Phone(number=number, extension=None, kind="voice", note=None)


@pytest.mark.parametrize(
    "text",
    [
        "0 312 555 0100",  # no number the region dials, in digits only
        "312 555 0100 312 555 0101",  # two numbers run together: not one, not read as one
    ],
)
def test_digits_that_are_no_single_number_stay_unreadable(text):
    with pytest.raises(phones.Unreadable):
        phones.normalise(text)


def test_a_repeated_number_reads_the_same_each_time_with_its_own_extension_and_kind():
    first = phones.normalise("(312) 555-0100", kind="TTY")
    again = phones.normalise("(312) 555-0100", extension="12")  # cached reading, own extras
    assert first == Phone(number="+13125550100", extension=None, kind="tty", note=None)
    assert again == Phone(number="+13125550100", extension="12", kind="voice", note=None)


@pytest.mark.parametrize(
    ("text", "region", "number", "note"),
    [
        # another country's number, its length not fixed: the bracket is a note, as the
        # matcher reads it (not folded into the number)
        ("+49 30 1234567 (2)", "US", "+49301234567", "(2)"),
        ("+43 1 234567 (89)", "US", "+431234567", "(89)"),
        ("030 12345678 (9)", "DE", "+493012345678", "(9)"),
    ],
)
def test_a_bracket_after_another_countrys_number_stays_a_note(text, region, number, note):
    read = phones.normalise(text, region=region)
    assert (read.number, read.note) == (number, note)


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        # numbers of other regions sharing +1, read from the US: valid, as they are dialled
        ("+1 416 392 2489", "+14163922489"),  # Toronto
        ("(787) 722-2977", "+17877222977"),  # Puerto Rico
        ("+1 (312) 744-5000", "+13127445000"),
    ],
)
def test_every_region_of_the_north_american_plan_is_read_from_the_us(raw, number):
    assert phones.normalise(raw).number == number


def test_ten_digits_of_no_valid_number_are_not_read_as_a_shorter_one():
    # area code 546 does not exist: the phone matcher used to keep "+13102396", a number
    # nobody can dial, with "+1 (546)" as its note; a broken number is reported instead
    with pytest.raises(phones.Unreadable):
        phones.normalise("+1 (546) 310-2396")


def test_a_north_american_number_in_e164_is_kept_exactly_when_the_library_says_it_is_valid():
    # every area code, and exchanges of each kind: read from the text itself (fast path),
    # the same answer as phonenumbers' own parse and validity
    kept = refused = 0
    for area in range(200, 1000):
        for exchange in ("555", "212", "911", "100"):
            text = f"+1{area}{exchange}0142"
            valid = phonenumbers.is_valid_number(phonenumbers.parse(text, "US"))
            if valid:
                assert phones.normalise(text) == Phone(text, None, "voice", None)
                kept += 1
            else:
                with pytest.raises(phones.Unreadable):
                    phones.normalise(text)
                refused += 1
    assert kept > 1000  # both answers were tried
    assert refused > 500


@pytest.mark.parametrize("text", ["+10123456789", "+11123456789", "+1312555010", "+131255501000"])
def test_what_is_not_ten_digits_after_plus_one_is_not_a_number(text):
    # a leading 0 or 1, or a digit too few or too many: no North American number
    with pytest.raises(phones.Unreadable):
        phones.normalise(text)
