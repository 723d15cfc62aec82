"""``search.words.document``: a search document's text from its parts, folded and followed
by its words' stems, each once. Expected texts worked out by hand (Snowball's English,
Spanish and French stems of each word, ``MIN_STEM`` letters at least)."""

from __future__ import annotations

import pytest

from directory.search.words import document


def test_a_document_is_its_parts_folded_then_their_stems_once():
    text = document([("Clínicas Unidas", False), ("clinics", True), ("", True)])
    # "clinicas": en "clinica" (a plural -s), es "clinic"; "unidas": en "unida", es "unid";
    # "clinics": en "clinic", said once
    assert text == "clinicas unidas clinics clinica clinic unida unid"


def test_a_shared_part_reads_the_same_each_time_and_as_an_own_part():
    parts = [("Refugio", False), ("Hébergement d'urgence", True)]
    first = document(parts)
    assert first == document(parts)
    assert first == document([(t, False) for t, _ in parts])
    assert first.startswith("refugio hebergement d'urgence ")


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        # a combining accent typed apart is dropped with its letter's accent
        ([("Cafe\u0301", False)], "cafe"),
        # a capital sigma ending a word is lower-cased as final, part by part as whole
        ([("ΟΔΟΣ", False), ("ΟΔΟΣ", True)], "οδος οδος"),
        ([], ""),
    ],
)
def test_letters_fold_alike_in_any_part(parts, expected):
    assert document(parts) == expected
