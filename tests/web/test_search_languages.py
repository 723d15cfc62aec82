"""Keyword search across languages (#22): a service is found by its category's and common
words' names in English, Spanish and French; partners' own text is indexed as written."""

from __future__ import annotations

import pytest

from app.extensions import db
from directory import seeding
from directory.search.index import document_text
from directory.search.words import fold, words


@pytest.fixture
def demo_api(client, token):
    seeding.load_demo(db.session)
    db.session.commit()
    headers = token("viewer")

    def get(q: str) -> list[dict]:
        response = client.get(
            "/api/v1/services", query_string={"q": q, "per_page": 100}, headers=headers
        )
        assert response.status_code == 200, response.get_json()
        return response.get_json()["items"]

    return get


def groups(items) -> set[str]:
    return {(item["category"] or "").split(".")[0] for item in items}


WORDS = (
    ("albergue", "shelter"),
    ("refugio", "shelter"),
    ("refuge", "shelter"),
    ("hébergement", "shelter"),
    ("abogado", "legal"),
    ("avocat", "legal"),
    ("asistencia legal", "legal"),
    ("aide juridique", "legal"),
    ("intérprete", "interpreter"),
    ("interprète", "interpreter"),
    ("interprete", "interpreter"),
    ("clínica", "health"),
    ("clinica", "health"),
    ("clinique", "health"),
)


def test_words_in_spanish_and_french_find_their_services(demo_api):
    for q, group in WORDS:
        items = demo_api(q)
        assert items, q
        assert group in groups(items), (q, groups(items))


def test_albergue_finds_shelters_and_abogado_legal_aid(demo_api):
    shelters = demo_api("albergue")
    assert shelters
    assert all(i["category"].startswith("shelter.") for i in shelters)
    lawyers = demo_api("abogado")
    assert lawyers
    assert all(i["category"].startswith("legal.") for i in lawyers)


def test_food_words_in_three_languages(demo_api):
    found = [demo_api(q) for q in ("food", "comida", "nourriture")]
    assert found[0], "the demo directory lists food services"
    ids = [{i["id"] for i in items} for items in found]
    assert ids[0] <= ids[1]
    assert ids[0] <= ids[2]


def test_documents_and_queries_are_accent_folded_alike():
    assert fold("Clínica Niño Hébergement") == "clinica nino hebergement"
    assert words("Clínica INTERPRÈTE") == ["clinica", "interprete"]
    document = document_text(
        name="Casa Esperanza",
        organization="Red",
        alternate_name="",
        description="Atención médica",
        category="shelter.adults_hte",
        language_codes=["es"],
        place=("Chicago",),
    )
    assert "albergue" in document
    assert "hebergement" in document
    assert "atencion medica" in document  # partners' text as written, only folded
    assert "á" not in document
