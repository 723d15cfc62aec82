"""The identifier check against its corpora: the held-out half of the generated corpus
(tests/unit/identifier_notes.json: the figures of docs/security.md, asserted with a margin),
the older hand-written corpus (recall and false alarms per kind), spans on obfuscated input,
whole-span marking, the allow-list of a service's public record, dates by their words, and
case references."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from directory import identifiers
from directory.identifiers import names
from tests.unit.identifier_corpus import PASS, REFUSE

NOTES = json.loads(Path(__file__).with_name("identifier_notes.json").read_text("utf-8"))
# measured on the test half by benchmarks/identifiers.py (docs/security.md); asserted with a
# margin of 3 points so a change that loses ground fails here
MEASURED_RECALL = 0.971
MEASURED_FALSE_ALARMS = 0.0


def _held_out(split: str = "test"):
    services = NOTES["services"]
    out = []
    for note in NOTES["notes"]:
        if note["split"] != split:
            continue
        allow = None
        if note["service"] is not None:
            allow = identifiers.Allowed.from_record(services[note["service"]])
        out.append((note, identifiers.find(note["text"], allow=allow)))
    return out


def test_corpus_is_big_honest_and_split_once():
    notes = NOTES["notes"]
    assert len(notes) >= 600
    assert {n["lang"] for n in notes} == {"en", "es", "fr"}
    assert {n["split"] for n in notes} == {"dev", "test"}
    assert len({n["text"] for n in notes}) == len(notes), "a note is listed twice"
    test = [n for n in notes if n["split"] == "test"]
    assert 0.4 <= len(test) / len(notes) <= 0.6
    # every kind of identifier and of ordinary note is in the test half, in each language
    for lang in ("en", "es", "fr"):
        kinds = {n["kind"] for n in test if n["lang"] == lang}
        assert {"name", "handle", "plate", "case_number", "employer", "own_phone"} <= kinds


def test_held_out_recall_and_false_alarms_as_measured():
    results = _held_out()
    ident = [bool(found) for note, found in results if note["identifying"]]
    ordinary = [(note["text"], found) for note, found in results if not note["identifying"]]
    recall = sum(ident) / len(ident)
    alarms = [(t, [(f.kind, f.text) for f in found]) for t, found in ordinary if found]
    assert recall >= MEASURED_RECALL - 0.03, recall
    assert len(alarms) / len(ordinary) <= MEASURED_FALSE_ALARMS + 0.03, alarms
    for lang in ("en", "es", "fr"):
        got = [bool(f) for n, f in results if n["identifying"] and n["lang"] == lang]
        assert sum(got) / len(got) >= 0.90, lang


KINDS = ("name", "phone", "email", "date", "address", "id_number")


def test_corpus_is_big_enough_and_labelled():
    assert len(REFUSE) >= 300
    assert len(PASS) >= 150
    assert {kind for _, kind in REFUSE} == set(KINDS)
    assert len({text for text, _ in REFUSE}) == len(REFUSE), "a note is listed twice"


def test_recall_overall_and_per_kind():
    total, caught, refused, missed = Counter(), Counter(), 0, []
    for text, kind in REFUSE:
        found = identifiers.find(text)
        total[kind] += 1
        refused += bool(found)
        if kind in {f.kind for f in found}:
            caught[kind] += 1
        else:
            missed.append((kind, text, [(f.kind, f.text) for f in found]))
    assert refused / len(REFUSE) >= 0.97, missed
    for kind in KINDS:
        assert caught[kind] / total[kind] >= 0.90, (kind, [m for m in missed if m[0] == kind])


def test_false_alarms():
    alarms = [(t, [(f.kind, f.text) for f in identifiers.find(t)]) for t in PASS]
    alarms = [a for a in alarms if a[1]]
    assert len(alarms) / len(PASS) <= 0.05, alarms


def test_spans_are_offsets_into_the_original():
    for text in [t for t, _ in REFUSE] + PASS:
        for f in identifiers.find(text):
            assert 0 <= f.start < f.end <= len(text)
            assert text[f.start : f.end] == f.text


def test_zero_width_space_span_covers_the_date():
    text = "dob 1985\u200b-03-14, seen today"
    [f] = identifiers.find(text)
    assert f.kind == "date"
    assert text[f.start : f.end] == f.text
    assert f.start <= text.index("1985")
    assert f.end >= text.index("-14") + 3


@pytest.mark.parametrize(
    ("text", "covered"),
    [
        ("call 3l2-555-Ol23 now", "3l2-555-Ol23"),
        ("write to maria＠gmail.com today", "maria＠gmail.com"),
        ("Мрs. Lopez came back", "Мрs. Lopez"),
        ("call three one two five five five zero one two three", "three one two five five"),
        ("Ｍｒｓ． Ｌｏｐｅｚ was late", "Ｍｒｓ． Ｌｏｐｅｚ"),
        ("e\u0301lle s'appelle Marie Dubois", "Marie Dubois"),  # a combining accent before
    ],
)
def test_obfuscated_spans_mark_what_was_typed(text, covered):
    found = identifiers.find(text)
    assert found, text
    marked = "".join(piece for piece, on in identifiers.highlight(text, found) if on)
    assert covered in marked


@pytest.mark.parametrize(
    ("text", "marked", "left"),
    [
        ("ana maria torres came in", "ana maria torres", ""),
        ("NGUYEN Thi Hoa asked for a bed", "NGUYEN Thi Hoa", ""),
        ("OKAFOR, Chidi was referred", "OKAFOR, Chidi", ""),
        ('Luis "Lucho" Paredes came back', 'Luis "Lucho" Paredes', ""),
        ("A.M. Torres came", "A.M. Torres", ""),
        ("see 2023-PEREZ-Ana-044 for the court date", "2023-PEREZ-Ana-044", ""),
        ("call 312-5S5-O1B2 after six", "312-5S5-O1B2", ""),
        ("her insta is @maria_1999", "@maria_1999", ""),
        ("write on t.me/luchop or wa.me/13125550123", "t.me/luchop", "wa.me"),
        ("the car with plates ABC-1234 drops her", "ABC-1234", ""),
        ("she lives on Elm street", "Elm street", ""),
        ("elle habite rue de la Paix", "rue de la Paix", ""),
        ("vive en calle Hidalgo con su tía", "calle Hidalgo", ""),
        ("Dina, who cleans rooms at the motel on Route 12, came", "motel on Route 12", ""),
    ],
)
def test_whole_spans_are_marked(text, marked, left):
    """Removing what is marked leaves no surname, initial, nickname or part of the code."""
    found = identifiers.find(text)
    pieces = identifiers.highlight(text, found)
    on = "".join(p for p, reason in pieces if reason)
    off = "".join(p for p, reason in pieces if not reason)
    assert marked in on
    for word in re.findall(r"[\w@]+", marked):
        assert word not in off.split(), (word, off)
    if left:
        assert left in on
    assert all(reason for p, reason in pieces if p in on and reason)


@pytest.mark.parametrize(
    "text",
    [
        "seen on 5/14/2024, paid $10",
        "cita del 14/05/2024, pagó 10 dólares",
        "rendez-vous du 14/05/2024 à 10h",
        "take the #22 bus to the last stop",
        "the clinic in Santa Ana is closer",
        "the shelter near Lake Charles was full",
        "l'accueil de Saint-Denis était complet",
        "the nurse was kind, the interpreter arrived late",
        "copay was $25, sliding scale",
        "the Jackson Park office has evening hours",
    ],
)
def test_visits_buses_prices_roles_and_places_do_not_alarm(text):
    assert identifiers.find(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "born 3/4/1985",
        "DOB: March 4",
        "née le 3 mars 1985",
        "fecha de nacimiento 3 de abril",
        "she wrote 03/04/1985 on the form",  # no words, but a year of birth
    ],
)
def test_dates_of_birth_are_judged_by_their_words(text):
    assert [f.kind for f in identifiers.find(text)] == ["date"]


RECORD = {
    "phone": "(312) 555-0182",
    "address": "4410 N Kedzie Ave",
    "website": "https://northside-health.example.org",
    "hours": "Mon-Fri 9:00-17:00",
    "organization": "Saint Vincent Table",
}


@pytest.mark.parametrize(
    "text",
    [
        "called their intake line 312-555-0182, they answered",
        "the office at 4410 N Kedzie Ave has a ramp now",
        "booked online through northside-health.example.org",
        "Saint Vincent Table gave her a bag of groceries",
    ],
)
def test_a_services_own_public_record_is_no_identifier(text):
    allow = identifiers.Allowed.from_record(RECORD)
    assert identifiers.find(text, allow=allow) == []
    # another number or street in the same note is still found
    assert identifiers.find(text + "; her cell is 773-555-0199", allow=allow)


def test_own_phone_is_found_without_the_record():
    assert identifiers.find("called 312-555-0182, they answered")


def test_names_database_covers_many_countries_and_marks_words():
    assert names.size() > 150_000
    for name in ("chidi", "okafor", "nguyen", "widline", "popal", "tzul"):
        assert names.flags(name) & (names.FIRST | names.LAST), name
    assert names.flags("rose") & names.WORD  # a flower too: a name only with more evidence
    assert names.is_place("santa ana")
    assert names.is_place("lake charles")


@pytest.mark.parametrize(
    ("ref", "why"),
    [
        ("HT-123-45-6789", "SSN inside the network's prefix"),
        ("SSN-123-45-6789", "SSN"),
        ("CURP-GOLM850314", "CURP"),
        ("CM/24/0097", "another shape"),
        ("HT2026-7", "no separator after the prefix"),
        ("SHL_09_113", "another shape"),
        ("HT-1985-0314", "a birth date in the code's shape"),
        ("Maria Lopez", "a name"),
        ("123-45-6789", "SSN"),
        ("A123456789", "A-number"),
        ("X1234567", "passport"),
        ("ML-19850314", "initials and birth date"),
        ("ML-140385", "initials and short birth date"),
        ("MariaLopez-1", "name"),
        ("Rosa-2026-1", "name"),
        ("LOPEZMARIA-1", "long letter run"),
        ("312-555-0123", "phone"),
        ("3125550123", "phone"),
        ("ana@mail.example", "e-mail"),
        ("1985-03-14", "date"),
        ("14/03/1985", "date"),
        ("HT-14-03-1985", "date in a code"),
        ("HT-123456789", "9-digit run"),
        ("ab", "too short"),
        ("HT-ABC", "no digit"),
        ("", "empty"),
    ],
)
def test_case_reference_refused(ref, why):
    problem = identifiers.case_reference_problem(ref)
    assert problem, why
    assert "HT-2026-014" in problem  # says what a good one looks like


@pytest.mark.parametrize(
    "ref", ["HT-2026-014", "HT-7", "REF-118", "LFN-2025-0042", "CM-3", "CASE-101", "HT-2026-0314"]
)
def test_case_reference_accepted(ref):
    assert identifiers.case_reference_problem(ref) is None


def test_case_reference_pattern_is_configurable(app):
    app.config["CASE_REFERENCE_PATTERN"] = r"^CM/\d{2}/\d{4}$"
    assert identifiers.case_reference_problem("CM/24/0097") is None
    assert identifiers.case_reference_problem("HT-2026-014")  # the default shape no longer
    assert identifiers.case_reference_problem("CM/85/0314") is None  # a shape is a shape
    assert identifiers.case_reference_problem("CM/24/0097", pattern=r"^HT-\d+$")


@pytest.mark.parametrize("joiner", ["\u200b", "\u00ad", "\u2060", "\u200d"])
def test_an_invisible_character_between_a_first_name_and_a_surname_hides_nothing(joiner):
    """Hostile read of the list names: "Maria\u200bLopez" reads "MariaLopez" on screen;
    dropping the invisible character joined the two words into one no list knows. Between
    letters it now parts them; between digits it is still dropped (a date stays a date)."""
    text = f"Maria{joiner}Lopez follow-up"
    [found] = identifiers.find(text)
    assert found.kind == "name"
    assert found.text == f"Maria{joiner}Lopez"
    assert identifiers.find(f"interpre{joiner}ter needed") == []  # a word split is no name
