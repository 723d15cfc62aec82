"""The identifier check against its corpus (recall and false alarms, overall and per kind),
spans on obfuscated input, and case references."""

from __future__ import annotations

from collections import Counter

import pytest

from directory import identifiers
from tests.unit.identifier_corpus import PASS, REFUSE

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
    ("ref", "why"),
    [
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
    "ref",
    ["HT-2026-014", "CM/24/0097", "REF-118", "HT2026-7", "LFN-2025-0042", "SHL_09_113", "CM-3"],
)
def test_case_reference_accepted(ref):
    assert identifiers.case_reference_problem(ref) is None
