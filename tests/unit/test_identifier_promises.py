"""The promises of the client-identifier check, one realistic note at a time (issue #29).

A note a case worker writes about a service may say what happened, never who it happened
to: each test below is a note as it could be typed, and what the check must do with it,
refuse it (the span it marks, as typed) or let it through. Small and fast on purpose: these
are the tests mutation testing runs against every mutant of ``directory/identifiers/``
(``[tool.mutmut]``); the whole corpus stays in ``test_identifier_corpus.py``.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from flask import Flask

from directory import identifiers
from directory.errors import IdentifiersFound, Invalid
from directory.identifiers import Allowed, Finding


def found(text: str, allow: Allowed | None = None) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in identifiers.find(text, allow=allow)]


# ---------------------------------------------------------------------------------------
# Each kind of identifier, in notes a case worker writes
# ---------------------------------------------------------------------------------------

PERSONS = [
    ("Met with Mrs. Lopez about housing.", [("name", "Mrs. Lopez")]),
    ("mrs lopez came in today", [("name", "mrs lopez")]),
    ("M. Dupont came in. She wants a bed.", [("name", "M. Dupont")]),
    ("Client Ana Torres needs a bed tonight.", [("name", "Ana Torres")]),
    ("Her name is maria, she is 19.", [("name", "Her name is maria")]),
    ("se llama ana y tiene dos hijos", [("name", "se llama ana")]),
    ("Maria Gonzalez called the hotline.", [("name", "Maria Gonzalez")]),
    ("NGUYEN Thi Hoa came with her son.", [("name", "NGUYEN Thi Hoa")]),
    ("OKAFOR, Chidi was there.", [("name", "OKAFOR, Chidi")]),
    ("Мaria Lopez came.", [("name", "Мaria Lopez")]),  # a Cyrillic М
    (
        "Dina, who cleans rooms at the motel on Route 12, came in.",
        [("employer", "Dina, who cleans rooms at the motel on Route 12, came in")],
    ),
]
PERSONS_NOT = [
    "The Maria Gonzalez shelter was full.",  # a place named after someone
    "Referred by client Lakeshore Freedom Network.",  # an organisation after a cue word
    "M called back later.",  # a bare letter is no title
    "She is from Santa Ana originally.",  # a town
    "We met at the Jackson Park office.",
    "The client needs a ride to the clinic on Tuesday.",
]

CONTACTS = [
    ("Call her at 312-555-0123 after 5pm.", [("phone", "312-555-0123")]),
    ("Her number is 3125550123.", [("phone", "3125550123")]),
    ("Her number is 13125550123.", [("phone", "13125550123")]),
    ("Reached +33612345678 last week.", [("phone", "+33612345678")]),
    ("Call ３１２-５５５-０１２３ now", [("phone", "３１２-５５５-０１２３")]),
    ("Her phone is 3l2-555-Ol23", [("phone", "3l2-555-Ol23")]),
    (
        "Her phone is three one two five five five zero one two three",
        [("phone", "three one two five five five zero one two three")],
    ),
    ("She wrote ana.lopez@gmail.com on the form.", [("email", "ana.lopez@gmail.com")]),
    (
        "Write to ana dot lopez at gmail dot com",
        [("email", "ana dot lopez at gmail dot com")],
    ),
    ("mail her at analopez at gmail", [("email", "analopez at gmail")]),
    ("Instagram: @sexy_kitty22", [("handle", "Instagram: @sexy_kitty22")]),
    ("Her snap is kitty_22", [("handle", "snap is kitty_22")]),
    ("her tiktok omarifr", [("handle", "tiktok omarifr")]),
    ("see instagram.com/kitty22 for her", [("handle", "instagram.com/kitty22")]),
]
CONTACTS_NOT = [
    "Case ran 1985-2001 at the old site.",  # a range of years
    "message us at the office",
    "on facebook group messages",
    "She took a 15-minute break.",
]

DATES = [
    ("DOB 03/14/1985, needs ID.", [("date", "DOB 03/14/1985")]),
    ("Born March 4, 1985 in Texas.", [("date", "Born March 4, 1985")]),
    (
        "Fecha de nacimiento: 14 de marzo de 1985",
        [("date", "Fecha de nacimiento: 14 de marzo de 1985")],
    ),
    ("Born nineteen eighty-five", [("date", "Born nineteen eighty-five")]),
]
DATES_NOT = [
    "Seen on 5/14/2024 for intake.",  # a visit: recent
    "Seen 2 years ago",
]

PLACES = [
    ("She lives at 1234 N Main Street, Apt 5.", [("address", "1234 N Main Street, Apt 5")]),
    ("vive en calle Hidalgo 12, 3º B", [("address", "vive en calle Hidalgo 12, 3º B")]),
    ("She stays at #12 near the park.", [("address", "#12")]),
    ("Mailing address is P.O. Box 123.", [("address", "P.O. Box 123")]),
    ("lives on Elm street near the school", [("address", "lives on Elm street")]),
]
PLACES_NOT = ["Took bus #12 to the clinic."]

NUMBERS = [
    ("SSN 123-45-6789 on file.", [("id_number", "SSN 123-45-6789")]),
    ("Her A-number is A123456789.", [("id_number", "A-number is A123456789")]),
    ("Passport number X1234567 expired.", [("id_number", "Passport number X1234567")]),
    ("ID number 4451 2290 was lost.", [("id_number", "ID number 4451 2290")]),
    ("Plate 7ABC123, red car.", [("plate", "Plate 7ABC123")]),
    ("File 2023-PEREZ-Ana-044 was closed.", [("case_number", "2023-PEREZ-Ana-044")]),
    ("Case ZAPATA2024-69 reopened.", [("case_number", "ZAPATA2024-69")]),
]


@pytest.mark.parametrize(("note", "spans"), PERSONS + CONTACTS + DATES + PLACES + NUMBERS)
def test_a_note_that_identifies_a_client_is_refused_with_the_span(note, spans):
    assert found(note) == spans
    for f in identifiers.find(note):
        assert note[f.start : f.end] == f.text


@pytest.mark.parametrize("note", PERSONS_NOT + CONTACTS_NOT + DATES_NOT + PLACES_NOT)
def test_a_note_that_identifies_no_one_is_let_through(note):
    assert found(note) == []
    identifiers.check_text("note", note)  # raises nothing


def test_an_empty_note_is_let_through():
    assert identifiers.find("") == []
    identifiers.check_text("note", "")
    identifiers.check_text("note", None)


def test_every_identifier_in_a_note_is_marked_in_order():
    note = "Ana Torres (DOB 03/14/1985) asked us to call 312-555-0123."
    assert found(note) == [
        ("name", "Ana Torres"),
        ("date", "DOB 03/14/1985"),
        ("phone", "312-555-0123"),
    ]


# ---------------------------------------------------------------------------------------
# Refusing, and showing what was found
# ---------------------------------------------------------------------------------------


def test_check_text_refuses_a_note_naming_the_field_and_the_spans():
    note = "Mrs. Lopez called from 312-555-0123."
    with pytest.raises(IdentifiersFound) as exc:
        identifiers.check_text("note", note)
    e = exc.value
    assert e.field == "note"
    assert e.text == note
    assert [(f.kind, f.text) for f in e.findings] == [
        ("name", "Mrs. Lopez"),
        ("phone", "312-555-0123"),
    ]
    assert e.errors == {"note": [e.message]}
    assert "“Mrs. Lopez”: a person's name" in e.message
    assert "“312-555-0123”: a phone number" in e.message


def test_the_message_names_every_span_with_its_reason():
    f = [Finding("name", 0, 10, "Mrs. Lopez"), Finding("email", 20, 27, "a@b.co")]
    assert identifiers.message(f) == (
        "Remove client identifiers before saving (“Mrs. Lopez”: a person's name; "
        "“a@b.co”: an e-mail address). Describe what happened without who it happened to."
    )


def test_highlight_marks_each_span_with_its_reason_and_keeps_the_rest():
    note = "Mrs. Lopez called from 312-555-0123 today."
    pieces = identifiers.highlight(note, identifiers.find(note))
    assert pieces == [
        ("Mrs. Lopez", "a person's name"),
        (" called from ", None),
        ("312-555-0123", "a phone number"),
        (" today.", None),
    ]
    assert "".join(p for p, _ in pieces) == note


def test_highlight_of_a_note_that_is_one_identifier():
    note = "312-555-0123"
    assert identifiers.highlight(note, identifiers.find(note)) == [(note, "a phone number")]
    assert identifiers.highlight("all fine", []) == [("all fine", None)]


def test_marks_for_one_refused_field():
    note = "Call 312-555-0123."
    with pytest.raises(IdentifiersFound) as exc:
        identifiers.check_text("note", note)
    assert identifiers.marks_for(exc.value) == {
        "note": [("Call ", None), ("312-555-0123", "a phone number"), (".", None)]
    }


def test_marks_for_several_refused_fields_of_one_save():
    errors = {}
    for field, text in (("note", "Mrs. Lopez came."), ("reason", "DOB 03/14/1985")):
        try:
            identifiers.check_text(field, text)
        except IdentifiersFound as e:
            errors[field] = e
    exc = Invalid({"note": ["x"]})
    exc.identifiers = errors
    assert identifiers.marks_for(exc) == {
        "note": [("Mrs. Lopez", "a person's name"), (" came.", None)],
        "reason": [("DOB 03/14/1985", "a date (possibly a date of birth)")],
    }
    assert identifiers.marks_for(Invalid({"x": ["y"]})) == {}


def test_a_list_name_with_words_joined_by_underscores_is_read_as_words():
    with pytest.raises(IdentifiersFound) as exc:
        identifiers.check_label("name", "maria_lopez")
    assert exc.value.text == "maria_lopez"
    assert [(f.kind, f.start, f.end) for f in exc.value.findings] == [("name", 0, 11)]
    identifiers.check_label("name", "food_pantries")  # joined ordinary words pass
    identifiers.check_label("name", "Food pantries near the clinic")
    identifiers.check_label("name", None)


@pytest.mark.parametrize(
    ("label", "marked"),
    [
        ("maria-lopez", "maria-lopez"),
        ("maria\u2010lopez", "maria\u2010lopez"),  # a Unicode hyphen
        ("maria+lopez", "maria+lopez"),
        ("maria/lopez", "maria/lopez"),
        ("maria__lopez", "maria__lopez"),
        ("maria._lopez", "maria._lopez"),
        ("maria\uff3flopez", "maria\uff3flopez"),  # a full-width underscore
        ("MariaLopez", "MariaLopez"),
        ("JoseGarcia follow-up", "JoseGarcia"),
    ],
)
def test_a_list_name_with_a_clients_name_run_together_is_refused(label, marked):
    with pytest.raises(IdentifiersFound) as exc:
        identifiers.check_label("name", label)
    assert [f.text for f in exc.value.findings] == [marked]


@pytest.mark.parametrize(
    "label",
    ["Tuesday-clinic", "DV-shelters", "LegalAid", "FoodBank north", "WIC+SNAP", "Tues/Thurs"],
)
def test_ordinary_list_names_run_together_pass(label):
    identifiers.check_label("name", label)


def test_a_list_name_that_identifies_someone_as_typed_is_refused():
    with pytest.raises(IdentifiersFound) as exc:
        identifiers.check_label("name", "Mrs. Lopez")
    assert [(f.kind, f.text) for f in exc.value.findings] == [("name", "Mrs. Lopez")]


# ---------------------------------------------------------------------------------------
# The public record of the service the note is about
# ---------------------------------------------------------------------------------------

CLINIC = {
    "phone": "(312) 555-0100",
    "address": "1234 N Main Street",
    "website": "https://harborclinic.org",
    "name": "Harbor Clinic",
    "hours": "Mon-Fri 9am-5pm",
}


def test_the_service_own_phone_and_address_may_be_mentioned():
    allow = Allowed.from_record(CLINIC)
    assert found("Called them at 312-555-0100, no answer.", allow) == []
    assert found("Went to 1234 N Main Street, closed.", allow) == []
    # another phone, and a client's address, are still refused
    assert found("Client's phone is 312-555-0123.", allow) == [("phone", "312-555-0123")]
    assert found("She lives at 45 Oak Street.", allow) == [("address", "lives at 45 Oak Street.")]


def test_a_client_phone_ending_like_no_public_one_is_refused_whatever_the_record_says():
    allow = Allowed.from_record({"name": "Harbor Clinic", "phones": ["311", ""], "city": "Chicago"})
    assert allow.phones == frozenset()
    assert found("Her cell is 312-555-0199.", allow) == [("phone", "312-555-0199")]


def test_allowed_from_a_record_keeps_the_last_seven_digits_and_folded_texts():
    allow = Allowed.from_record(
        {"phones": ["+1 (312) 555-0100", "555-0111"], "names": ["Casa Ñandú", "", "ab"]}
    )
    assert allow.phones == frozenset({"5550100", "5550111"})
    assert "casa nandu" in allow.texts
    assert "ab" not in allow.texts


def test_allowed_from_services_takes_the_public_record_but_no_confidential_address():
    def phone(n):
        return SimpleNamespace(number=n)

    org = SimpleNamespace(
        name="Harbor House",
        alternate_name=None,
        url="https://harbor.org",
        email=None,
        website=None,
        phones=[phone("312-555-0100")],
    )
    public = SimpleNamespace(
        phones=[phone("312-555-0111")],
        confidential=False,
        address_1="45 Oak Street",
        address_2=None,
        name="Oak Center",
    )
    shelter = SimpleNamespace(
        phones=[],
        confidential=True,
        address_1="9 Hidden Lane",
        address_2=None,
        name=None,
    )
    service = SimpleNamespace(
        name="Night Shelter",
        alternate_name=None,
        url=None,
        email="intake@harbor.org",
        phones=[phone("312-555-0122")],
        organization=org,
        location=public,
        at_locations=[SimpleNamespace(location=shelter), SimpleNamespace(location=None)],
        hours_notes="Mon-Fri 9am-5pm",
    )
    allow = Allowed.from_service(service)
    assert allow.phones == frozenset({"5550100", "5550111", "5550122"})
    assert found("Met them at 45 Oak Street.", allow) == []
    assert found("Wrote to intake@harbor.org.", allow) == []
    assert found("She lives at 9 Hidden Lane.", allow) == [("address", "lives at 9 Hidden Lane.")]
    assert Allowed.from_service(None) == Allowed()


def test_the_allowance_covers_a_part_of_a_public_text_not_more():
    allow = Allowed.from_record(CLINIC)
    assert allow.covers("address", "1234 N Main Street")
    assert allow.covers("address", "Main Street")
    assert not allow.covers("address", "45 Oak Street")
    assert not allow.covers("name", "...")
    # a longer address that holds the public one: the client lives in the same building
    assert allow.covers("address", "1234 N Main Street, Apt 5")
    assert not allow.covers("name", "Harbor Clinic staff Ana")
    # a phone-like number is judged by its digits only
    assert not allow.covers("phone", "Harbor Clinic 312-555-0199")
    assert not allow.covers("id_number", "1234 N Main Street 1234567")


# ---------------------------------------------------------------------------------------
# Case references and phone numbers
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("ref", ["HT-2026-014", "HT-2026-0042", "CM-7", "HT-1990-0042"])
def test_the_network_case_code_is_accepted(ref):
    assert identifiers.case_reference_problem(ref) is None
    assert identifiers.case_reference_problem(f"  {ref} ") is None


@pytest.mark.parametrize(
    ("ref", "why"),
    [
        ("HT-123-45-6789", "Not the network's case code."),
        ("SSN-123-45-6789", "Not the network's case code."),
        ("", "Not the network's case code."),
        (None, "Not the network's case code."),
        ("HT-1985-0314", "These digits look like a date."),
    ],
)
def test_a_case_reference_that_could_identify_a_client_is_refused(ref, why):
    problem = identifiers.case_reference_problem(ref)
    assert problem.startswith(why)
    assert "never the client's name" in problem


def test_a_case_reference_of_another_network_pattern():
    def problem(ref, pattern):
        return identifiers.case_reference_problem(ref, pattern=pattern) or ""

    looks_like_a_date = "These digits look like a date."
    # eight digits that read as a birth date, in any order, after a prefix
    assert problem("HT-19850314", r"[A-Z]+-\d+").startswith(looks_like_a_date)
    assert problem("HT-03141985", r"[A-Z]+-\d+").startswith(looks_like_a_date)
    assert problem("20269999", r"\d+") == ""
    assert problem("19851231", r"\d+").startswith("This looks like a date")
    assert problem("Mrs Lopez 12", r"[\w ]+").startswith("This looks like a person's name.")
    # a year and a running number is a case code unless it reads as a birth date
    assert problem("HT-2026-0314", r"[A-Z]+-[\d-]+") == ""
    assert problem("HT-1999-0314", r"[A-Z]+-[\d-]+").startswith(looks_like_a_date)
    assert problem("HT-1999-1342", r"[A-Z]+-[\d-]+") == ""
    assert problem("HT-1999-0342", r"[A-Z]+-[\d-]+") == ""
    assert problem("1985/0314", r"[\d/]+").startswith(looks_like_a_date)
    assert problem("2026/0042", r"[\d/]+") == ""
    assert problem("1985/0314/77", r"[\d/]+").startswith(looks_like_a_date)
    # running numbers without a year
    assert problem("CM-12-34", r"[A-Z]+-[\d-]+") == ""
    assert problem("HT-12-345", r"[A-Z]+-[\d-]+") == ""


def test_the_configured_case_pattern_is_used():
    app = Flask(__name__)
    with app.app_context():
        app.config["CASE_REFERENCE_PATTERN"] = r"^\d{4}$"
        assert identifiers.case_reference_pattern() == r"^\d{4}$"
        assert identifiers.case_reference_problem("0042") is None
        app.config["CASE_REFERENCE_PATTERN"] = None
        assert identifiers.case_reference_pattern() == identifiers.DEFAULT_CASE_REFERENCE_PATTERN
    assert identifiers.case_reference_pattern() == identifiers.DEFAULT_CASE_REFERENCE_PATTERN


def test_looks_like_phone():
    assert identifiers.looks_like_phone("312-555-0123")
    assert identifiers.looks_like_phone("(312) 555-0123")
    assert not identifiers.looks_like_phone("555")
    assert not identifiers.looks_like_phone("a bed for tonight")


# ---------------------------------------------------------------------------------------
# Asked for by the survivors of the first mutation run (2026-12-07)
# ---------------------------------------------------------------------------------------

PUBLIC_FIELDS = [
    "name",
    "names",
    "organization",
    "city",
    "website",
    "websites",
    "hours",
    "address",
    "addresses",
    "email",
    "emails",
]


@pytest.mark.parametrize("field", PUBLIC_FIELDS)
def test_every_field_of_the_public_record_may_be_mentioned(field):
    # a service named after a person, an e-mail address, a street: public, so no identifier
    value = {
        "name": "Casa Ana Torres",
        "names": ["Casa Ana Torres"],
        "organization": "Casa Ana Torres",
        "city": "Casa Ana Torres",
        "website": "intake@lopezcenter.org",
        "websites": ["intake@lopezcenter.org"],
        "hours": "Tue 9-12 at 45 Oak Street",
        "address": "45 Oak Street",
        "addresses": ["45 Oak Street"],
        "email": "intake@lopezcenter.org",
        "emails": ["intake@lopezcenter.org"],
    }[field]
    note = {
        "intake@lopezcenter.org": "Wrote to intake@lopezcenter.org, no answer.",
        "45 Oak Street": "Went to 45 Oak Street, closed.",
        "Tue 9-12 at 45 Oak Street": "Went to 45 Oak Street, closed.",
    }.get(value if isinstance(value, str) else value[0], "Called Casa Ana Torres.")
    assert found(note) != []
    assert found(note, Allowed.from_record({field: value})) == []
    assert found(note, Allowed.from_record({"phone": "312-555-0100"})) != []


def test_a_public_text_of_three_letters_is_public_too():
    # a service known by its initials; the client who shares them is no less refused
    allow = Allowed.from_record({"name": "Mrs. Ada"})
    assert found("Called Mrs. Ada back.", allow) == []
    assert Allowed.from_record({"name": "Ada"}).texts == ("ada",)
    assert Allowed.from_record({"name": "Al"}).texts == ()


def test_a_public_seven_digit_number_may_be_mentioned():
    allow = Allowed.from_record({"phone": "555-0100"})
    assert found("Called 555-0100, no answer.", allow) == []
    assert found("Called 555-0100, no answer.") == [("phone", "555-0100")]


def test_a_phone_or_id_number_is_public_only_by_its_digits():
    allow = Allowed(texts=("fax 5550199 call 312 555 0199",))
    assert not allow.covers("phone", "5550199")
    assert not allow.covers("id_number", "5550199")
    assert not allow.covers("phone", "312-555-0199")
    assert allow.covers("address", "312 555 0199")  # any other kind: by its text


def test_a_public_address_alone_in_the_record_may_be_mentioned():
    allow = Allowed.from_record({"address": "45 Oak Street"})
    assert allow.phones == frozenset()
    assert found("Met them at 45 Oak Street.", allow) == []


def test_an_address_holding_the_public_one_may_be_mentioned():
    note = "Met them at their office, 1234 N Main Street."
    assert found(note) == [("address", "1234 N Main Street.")]
    assert found(note, Allowed.from_record(CLINIC)) == []


def test_the_public_phone_lets_through_only_itself():
    note = "Called 312-555-0100 and then her cell 312-555-0199."
    assert found(note, Allowed.from_record(CLINIC)) == [("phone", "312-555-0199")]


def test_check_text_lets_the_public_record_through():
    identifiers.check_text("note", "Called 312-555-0100, no answer.", Allowed.from_record(CLINIC))
    with pytest.raises(IdentifiersFound):
        identifiers.check_text("note", "Called 312-555-0100, no answer.")


def test_a_name_in_another_script_is_refused_where_it_stands():
    note = "Client Мария came in."
    spans = identifiers.find(note)
    assert [(f.kind, note[f.start : f.end]) for f in spans] == [("name", "Мария")]
    identifiers.check_text("note", "Client came in.")


@pytest.mark.parametrize(
    ("note", "name"),
    [
        ("Client Иван Петров came in.", "Иван Петров"),  # И is I, not a lower-case L
        ("Spoke with Ирина Иванова today.", "Ирина Иванова"),
    ],
)
def test_a_cyrillic_full_name_is_refused_whole(note, name):
    assert [note[f.start : f.end] for f in identifiers.find(note)] == [name]


def test_allowed_from_services_names_emails_and_places_of_each_owner():
    org = SimpleNamespace(
        name="Mrs. Lopez Day Center",
        alternate_name="Casa Ana Torres",
        url=None,
        website="https://t.me/lopezcenter",
        email="intake@lopezcenter.org",
        phones=[SimpleNamespace(number=None)],
    )
    place = SimpleNamespace(
        phones=[SimpleNamespace(number=None)],
        confidential=False,
        address_1=None,
        address_2="Apt 5",
        name="Mrs. Ada",
    )
    other = SimpleNamespace(
        phones=[], confidential=False, address_1="45 Oak Street", address_2=None, name=None
    )
    service = SimpleNamespace(
        name=None,
        alternate_name=None,
        url="https://harbor.org",
        email=None,
        phones=[],
        organization=org,
        location=None,
        at_locations=[SimpleNamespace(location=place), SimpleNamespace(location=other)],
        hours_notes="Tue 9-12, ask for Mrs. Ruiz",
    )
    allow = Allowed.from_service(service)
    assert allow.phones == frozenset()
    for note in (
        "Called Mrs. Lopez.",
        "Called Casa Ana Torres.",
        "Wrote to intake@lopezcenter.org.",
        "Their channel is t.me/lopezcenter.",
        "Met at 45 Oak Street.",
        "Waited at Apt 5.",
        "Called Mrs. Ada back.",
        "Asked for Mrs. Ruiz at the desk.",
    ):
        assert found(note) != [], note
        assert found(note, allow) == [], note
    assert not any("xxxx" in t for t in allow.texts)


def test_a_domain_error_naming_a_field_but_no_spans_marks_nothing():
    exc = Invalid({"note": ["Too long."]})
    exc.field = "note"
    assert identifiers.marks_for(exc) == {}


@pytest.mark.parametrize("ref", ["CASA-2026-014", "ROSA-2026-014"])
def test_a_case_code_whose_letters_read_as_a_name_is_the_network_code(ref):
    assert identifiers.case_reference_problem(ref) is None


def test_each_refusal_of_a_case_reference_is_one_sentence_and_the_help():
    help_ = identifiers.CASE_REF_HELP
    assert identifiers.case_reference_problem("HT-123-45-6789") == (
        f"Not the network's case code. {help_}"
    )
    assert identifiers.case_reference_problem("HT-1985-0314") == (
        f"These digits look like a date. {help_}"
    )
    assert identifiers.case_reference_problem("HT-19850314", pattern=r"[A-Z]+-\d+") == (
        f"These digits look like a date. {help_}"
    )
    assert identifiers.case_reference_problem("Mrs Lopez 12", pattern=r"[\w ]+") == (
        f"This looks like a person's name. {help_}"
    )


def test_a_year_twelve_years_back_reads_as_a_birth_year():
    # run in 2026: 2014 and before can be a client's birth year
    this_year = date.today().year
    born = this_year - 12
    assert identifiers.case_reference_problem(f"HT-{born}-0314") is not None
    assert identifiers.case_reference_problem(f"HT-{born + 1}-0314") is None


@pytest.mark.parametrize("seq", ["0114", "1214", "0301", "0331"])
def test_a_month_and_day_after_a_birth_year_is_refused(seq):
    assert identifiers.case_reference_problem(f"HT-1999-{seq}") is not None


@pytest.mark.parametrize("seq", ["0014", "1314", "0300", "0332"])
def test_a_running_number_that_is_no_month_and_day_is_accepted(seq):
    assert identifiers.case_reference_problem(f"HT-1999-{seq}") is None


def test_a_list_name_refusal_names_its_field():
    for label in ("Mrs. Lopez", "maria_lopez"):
        with pytest.raises(IdentifiersFound) as exc:
            identifiers.check_label("list name", label)
        assert exc.value.field == "list name"
        assert exc.value.errors.keys() == {"list name"}


# persons: a title, a cue word and what stops a name
TITLES_AND_CUES = [
    ("Mme Dupont asked for a bed.", [("name", "Mme Dupont")]),
    ("Sra. García came with her kids.", [("name", "Sra. García")]),
    ("client Ana and her son came", [("name", "Ana")]),
    ("Client Ana, The shelter was full.", [("name", "Ana")]),
]
NOT_A_NAME = [
    "She took the M Line bus downtown.",  # "M" without a dot is no title
    "Saw M Dupont at intake.",
    "talked to mr and mrs about it",
    "Client Non-English speaker needs help",
    "Referred to client Harbor Shelter.",
]


@pytest.mark.parametrize(("note", "spans"), TITLES_AND_CUES)
def test_a_title_or_cue_word_marks_the_name_after_it(note, spans):
    assert found(note) == spans


@pytest.mark.parametrize("note", NOT_A_NAME)
def test_what_only_looks_like_a_title_or_a_name_is_let_through(note):
    assert found(note) == []


# dates without a birth cue: judged by their year
def _yy(year: int) -> str:
    return f"{year % 100:02d}"


def test_a_date_twelve_years_back_or_more_reads_as_a_birth_date():
    today = date.today().year
    assert found(f"The form says 03/14/{today - 12}.") == [("date", f"03/14/{today - 12}")]
    assert found(f"The form says 03/14/{today - 11}.") == []
    assert found(f"The form says 03/14/{_yy(today - 12)}.") == [
        ("date", f"03/14/{_yy(today - 12)}")
    ]
    assert found(f"The form says 03/14/{_yy(today - 11)}.") == []
    assert found("The form says 03/14/85.") == [("date", "03/14/85")]  # 1985


def test_a_visit_this_year_written_with_two_digits_is_no_birth_date():
    today = date.today().year
    assert found(f"Seen {'5/14/'}{_yy(today)} for intake.") == []
    assert found(f"Seen 5/14/{_yy(today - 1)} for intake.") == []
    # a two-digit year past this one is last century's
    assert found(f"The form says 03/14/{_yy(today + 1)}.") == [("date", f"03/14/{_yy(today + 1)}")]


# eight digits in a row: a date of birth (the reason shown) when they read as one
@pytest.mark.parametrize(
    ("digits", "kind"),
    [
        ("19000101", "date"),  # yyyymmdd, the first day it allows
        ("20991231", "date"),
        ("19850114", "date"),
        ("19850301", "date"),
        ("20991331", "id_number"),  # month 13
        ("20990132", "id_number"),  # day 32
        ("21000101", "id_number"),
        ("99990101", "id_number"),
        ("19851314", "id_number"),
        ("19850132", "id_number"),
        ("14031985", "date"),  # ddmmyyyy
        ("01131985", "date"),  # mmddyyyy
        ("13011985", "date"),
        ("31011985", "date"),
        ("13121985", "date"),
        ("12131985", "date"),
        ("01311985", "date"),
        ("01011900", "date"),
        ("01012099", "date"),
        ("32011985", "id_number"),
        ("13131985", "id_number"),
        ("13141985", "id_number"),
        ("01321985", "id_number"),
        ("32121985", "id_number"),
        ("01011800", "id_number"),
        ("01012100", "id_number"),
        ("14131985", "id_number"),
    ],
)
def test_eight_digits_are_refused_as_a_date_when_they_read_as_one(digits, kind):
    assert found(f"The number she gave was {digits}.") == [(kind, digits)]


# phones
def test_a_seven_digit_local_number_is_a_phone():
    assert found("Call 555-0123 please") == [("phone", "555-0123")]
    assert found("Call 555 0123 please") == [("phone", "555 0123")]


def test_an_age_range_or_a_date_is_no_phone_and_the_phone_after_it_still_is():
    assert found("Serves youth aged 12 - 17 only.") == []
    assert found("Seen on 2024-05-14 for intake.") == []
    for note in (
        "Worked there 1985-2001, call 312-555-0123",
        "Seen 2024-05-14, call 312-555-0123",
        "Ages 12 - 17, call 312-555-0123",
    ):
        assert found(note) == [("phone", "312-555-0123")], note
    assert found("Card 98765432, cell 312-555-0123") == [
        ("id_number", "98765432"),
        ("phone", "312-555-0123"),
    ]


# ID numbers and plates
def test_id_numbers_in_their_own_shape_without_a_cue():
    assert found("Her card says A123456789.") == [("id_number", "A123456789")]
    assert found("Her code GOLM850314HDFPRR09 is on file") == [("id_number", "GOLM850314HDFPRR09")]


def test_four_digits_after_an_id_cue_and_four_signs_after_a_plate_word():
    assert found("Her ID # is 4521.") == [("id_number", "ID # is 4521")]
    assert found("Plate 4KZ9, blue van.") == [("plate", "Plate 4KZ9")]


# e-mails, handles and case numbers: the spellings a case worker copies from a client
CONTACT_SPELLINGS = [
    ("Write to ana.lopez @ gmail . com", [("email", "ana.lopez @ gmail . com")]),
    ("Write to ana @ gmail dot com", [("email", "ana @ gmail dot com")]),
    (
        "Write to us at harbor.org or to ana dot lopez at gmail dot com",
        [("email", "ana dot lopez at gmail dot com")],
    ),
    ("She goes by @kittyrose online.", [("handle", "@kittyrose")]),
    ("Her snap is 12345", [("handle", "snap is 12345")]),
    ("her tiktok mimi", [("handle", "tiktok mimi")]),
    ("her snap kitty_22", [("handle", "snap kitty_22")]),
    ("Facebook messages came, her snap is kitty_22", [("handle", "snap is kitty_22")]),
    ("Her fb is kittyrose", [("handle", "fb is kittyrose")]),
    ("Su fb es kittyrose", [("handle", "fb es kittyrose")]),
    ("Son fb est kittyrose", [("handle", "fb est kittyrose")]),
    ("fb: kittyrose", [("handle", "fb: kittyrose")]),
    ("fb=kittyrose", [("handle", "fb=kittyrose")]),
    ("Case file 2024-Eva-17", [("case_number", "2024-Eva-17")]),
    ("File 2024-Wyszomirski-12 closed.", [("case_number", "2024-Wyszomirski-12")]),
    (
        "Files 2024-Wyszomirski-12 and 2023-Kowalczykowa-3",
        [("case_number", "2024-Wyszomirski-12"), ("case_number", "2023-Kowalczykowa-3")],
    ),
    (
        "Took a 3-day course, file 2024-Wyszomirski-12",
        [("case_number", "2024-Wyszomirski-12")],
    ),
]
NO_CONTACT = [
    "She said to write her at hotmail.",  # "her" is no mailbox
    "Her snap is 1234",  # a short number after a platform is no account
    "fb kittyrose",  # an ordinary word after an ambiguous platform
]


@pytest.mark.parametrize(("note", "spans"), CONTACT_SPELLINGS)
def test_a_contact_or_case_number_as_a_client_gave_it_is_refused(note, spans):
    assert found(note) == spans


@pytest.mark.parametrize("note", NO_CONTACT)
def test_what_only_looks_like_a_contact_is_let_through(note):
    assert found(note) == []
