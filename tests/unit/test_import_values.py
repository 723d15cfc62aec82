"""The import's facts on their own (``hsds/importing/values.py``): an imported value goes
through the same rules as a form's, unknown stays unknown (never a "no"), a bad value is
refused naming the source's own column, what is dropped or cut is said. Plain functions,
no database: fast enough to run against every mutant (``scripts/mutation.py``). Expected
values worked out by hand from the catalog's schemas."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from directory.hsds.importing import values
from directory.source_terms import SourceTerm


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_a_field_the_source_leaves_empty_is_not_stated(raw):
    assert values.field_value("service", "walk_in", "bool", raw) == (None, None)
    assert values.field_value("service", "care_type", "str", raw) == (None, None)


@pytest.mark.parametrize(
    ("raw", "stated"), [("true", True), ("TRUE", True), (" false ", False), ("False", False)]
)
def test_yes_and_no_are_read_only_from_true_and_false(raw, stated):
    assert values.field_value("service", "walk_in", "bool", raw) == (stated, None)


@pytest.mark.parametrize("raw", ["yes", "no", "0", "1", "n/a", "unknown"])
def test_any_other_yes_no_is_refused_never_read_as_no(raw):
    value, problem = values.field_value("service", "victim_id_required", "bool", raw)
    assert value is None
    assert problem == f"victim_id_required: {raw!r} is not true or false"


def test_a_choice_the_form_does_not_offer_is_refused_with_the_forms_words():
    assert values.field_value("service", "care_type", "str", "forever") == (
        None,
        "care_type: Must be one of: emergency, ongoing, both.",
    )
    assert values.field_value("service", "care_type", "str", " ongoing ") == ("ongoing", None)


def test_a_date_is_stored_as_a_date_and_a_false_one_refused():
    assert values.field_value("organization", "mou_date", "date", "2026-02-01") == (
        date(2026, 2, 1),
        None,
    )
    assert values.field_value("organization", "mou_date", "date", "2026-13-01") == (
        None,
        "mou_date: Not a valid date.",
    )


def test_a_place_field_follows_the_places_rules():
    assert values.field_value("location", "timezone", "str", "America/Chicago") == (
        "America/Chicago",
        None,
    )
    assert values.field_value("location", "timezone", "str", "Mars/Olympus") == (
        None,
        "timezone: 'Mars/Olympus' is not an IANA time zone name.",
    )


def test_a_refused_value_is_refused_every_time_it_comes():
    first = values.field_value("service", "modalities", "str", "carrier_pigeon")
    again = values.field_value("service", "modalities", "str", "carrier_pigeon")
    assert (
        first
        == again
        == (
            None,
            "modalities: Must be one of: in_person, phone, video, text, outreach.",
        )
    )


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("www.example.org", "https://www.example.org"),
        ("example.org/food", "https://example.org/food"),
        ("http://example.org", "http://example.org"),
        ("  https://example.org  ", "https://example.org"),
    ],
)
def test_a_website_is_kept_as_an_address_a_browser_opens(given, kept):
    assert values.website(given) == (kept, None)


@pytest.mark.parametrize("given", ["ftp://example.org", "not a url", "call us"])
def test_a_website_that_is_no_web_address_is_dropped_and_said(given):
    assert values.website(given) == (None, f"dropped {given!r}: not an http(s) web address")


def test_no_website_is_nothing_to_say():
    assert values.website(None) == (None, None)
    assert values.website("") == (None, None)


def test_an_organization_keeps_coming_without_a_website_it_cannot_hold():
    clean, problems, dropped = values.organization(
        {"name": "Harbor House", "website": "call us", "email": "info@harbor.org"}
    )
    assert problems == {}
    assert clean["name"] == "Harbor House"
    assert clean["email"] == "info@harbor.org"
    assert clean.get("website") is None
    assert dropped == {"website": "dropped 'call us': not an http(s) web address"}


def test_an_organization_without_a_name_is_refused():
    assert values.organization({"name": "", "website": "https://a.org"}) == (
        {},
        {"name": "Missing data for required field."},
        {},
    )


def test_a_services_problems_name_the_hsds_columns():
    problems = values.service({"name": "Clinic", "min_age": -1, "max_age": 500})
    assert problems == {
        "minimum_age": "Must be greater than or equal to 0 and less than or equal to 130.",
        "maximum_age": "Must be greater than or equal to 0 and less than or equal to 130.",
    }
    assert values.service({"name": "Clinic", "min_age": 0, "max_age": 130, "email": ""}) == {}


def test_a_required_value_is_asked_for_whichever_fields_a_row_gives():
    # the checks read only the fields a row gives, and always the required ones
    assert values.service({"description": "Meals", "email": "nope"}) == {
        "name": "Missing data for required field.",
        "email": "Not a valid email address.",
    }
    # a field's error stops the rules across fields, as in the form (no age order here)
    assert values.service({"description": "Meals", "min_age": 30, "max_age": 12}) == {
        "name": "Missing data for required field."
    }
    assert values.service({"name": "Clinic", "min_age": 30, "max_age": 12}) == {
        "maximum_age": "Minimum age is above maximum age."
    }
    assert values.location({"latitude": 95, "longitude": 10, "name": "x" * 201}) == {
        "latitude": "Must be greater than or equal to -90 and less than or equal to 90.",
        "name": "Longer than maximum length 200.",
    }


def test_a_phone_keeps_its_kind_its_words_and_the_sources_description():
    clean, problems = values.phone(
        {
            "number": "+1 312 744 5000 press 2 for Spanish",
            "type": "textphone",
            "description": "Front desk",
        }
    )
    assert problems == {}
    assert clean == {
        "number": "+13127445000",
        "kind": "tty",
        "label": "Front desk; press 2 for Spanish",
    }


def test_a_phone_of_a_kind_the_directory_has_no_place_for_is_refused_by_its_type():
    assert values.phone({"number": "211", "type": "pager"}) == (
        {},
        {"type": "a 'pager' phone has no place in this directory"},
    )


def test_a_phone_without_a_number_is_refused_by_its_number():
    assert values.phone({"number": "abc"}) == (
        {},
        {"number": "'abc' is not a phone number: none dialled from US in it"},
    )


def test_a_short_number_is_kept_as_dialled_with_its_extension():
    clean, problems = values.phone({"number": "211", "extension": "4"})
    assert problems == {}
    assert clean == {"number": "211", "kind": "voice", "extension": "4"}


def test_a_place_may_come_without_an_address_but_not_with_half_a_point():
    assert values.location({"name": "Call centre"}) == {}
    assert values.location({"latitude": 41.88}) == {
        "latitude": "Give latitude and longitude together."
    }
    assert values.location({"latitude": 41.88, "longitude": -87.63}) == {}


def test_a_places_problems_name_the_hsds_columns():
    assert values.location({"name": "Main", "region": "x" * 101}) == {
        "state_province": "Longer than maximum length 100."
    }


def test_a_contact_cost_and_schedule_say_their_own_columns():
    assert values.contact({"name": "x" * 201}) == {"name": "Longer than maximum length 200."}
    assert values.contact({"name": "Ana Case", "title": "Intake"}) == {}
    assert values.cost({"amount_description": "x" * 301}) == {
        "amount_description": "Longer than maximum length 300."
    }
    assert values.cost({"amount_description": "Sliding scale"}) == {}
    assert values.schedule({"notes": "x" * 301}) == {"notes": "Longer than maximum length 300."}
    assert values.schedule({"notes": "Closed on holidays"}) == {}


def test_a_source_terms_values_are_held_to_the_columns_lengths():
    assert values.TAXONOMY_LIMITS == {"name": 300, "uri": 300, "version": 100}
    assert values.longer_than(
        {"name": "x" * 300, "version": "x" * 101}, values.TAXONOMY_LIMITS
    ) == {"version": "Longer than maximum length 100."}
    assert values.longer_than({}, values.TAXONOMY_LIMITS) == {}


def test_free_text_keeps_its_first_300_characters_and_says_so():
    assert values.shortened("x" * 300) == "x" * 300
    assert values.shortened("x" * 301) == "x" * 300
    assert values.shortened("") is None
    assert values.shortened(None) is None
    assert values.shortened_note("x" * 300) is None
    assert values.shortened_note("x" * 301) == "kept its first 300 of 301 characters"
    assert values.shortened_note(None) is None


def test_an_address_with_a_port_is_still_a_web_address():
    # "www.example.org:" reads like a scheme; a www. address is one all the same
    assert values.website("www.example.org:8080/path") == (
        "https://www.example.org:8080/path",
        None,
    )


@pytest.mark.parametrize("given", ["intranet", "visit us at example.org"])
def test_words_are_not_made_into_an_address(given):
    assert values.website(given) == (None, f"dropped {given!r}: not an http(s) web address")


def test_a_long_bad_value_is_quoted_by_its_start():
    assert values.website("x" * 70 + " y") == (
        None,
        f"dropped {'x' * 60!r}: not an http(s) web address",
    )
    assert values.field_value("service", "walk_in", "bool", "x" * 50) == (
        None,
        f"walk_in: {'x' * 40!r} is not true or false",
    )


def test_an_organization_keeps_every_value_it_gives():
    given = {
        "name": "Harbor House",
        "alternate_name": "HH",
        "description": "Shelter and legal help",
        "email": "info@harbor.org",
        "website": "https://harbor.org",
    }
    assert values.organization(given) == (given, {}, {})


def test_an_empty_cell_is_not_a_value_to_check():
    # a 211's empty cells ("" in a CSV) are not stated, never a number that fails
    assert values.service({"name": "Clinic", "min_age": "", "max_age": ""}) == {}
    assert values.location({"name": "Main", "latitude": "", "longitude": ""}) == {}
    assert values.cost({}) == {}
    assert values.schedule({}) == {}


def test_a_phones_description_too_long_to_keep_is_refused_by_that_column():
    assert values.phone({"number": "211", "description": "x" * 400}) == (
        {},
        {"description": "Longer than maximum length 300."},
    )


def test_a_phone_is_read_in_the_directorys_own_region():
    app = Flask(__name__)
    app.config["DEFAULT_PHONE_REGION"] = "GB"
    with app.app_context():
        clean, problems = values.phone({"number": "020 7946 0018"})
    assert problems == {}
    assert clean["number"] == "+442079460018"


def test_a_source_terms_limits_are_its_columns_lengths():
    assert values._lengths(SourceTerm, ("code", "name", "taxonomy", "term_uri")) == {
        "code": 250,
        "name": 300,
        "taxonomy": 300,
        "term_uri": 300,
    }
