"""Language names are shown to readers in their own language (#25), through one function
(``languages.display_name``): the service page, the share text and the printed sheet."""

from __future__ import annotations

import pytest

from app.extensions import db
from tests.factories import ServiceFactory


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "English, Spanish"), ("es", "inglés, español"), ("fr", "anglais, espagnol")],
)
def test_the_share_text_names_languages_in_its_language(client, token, lang, words):
    s = ServiceFactory(languages="en es")
    db.session.commit()
    response = client.get(
        f"/api/v1/services/{s.id}/share",
        query_string={"lang": lang, "discreet": "false"},
        headers=token("case_manager"),
    )
    assert response.status_code == 200, response.get_json()
    assert words in response.get_json()["text"]


def test_the_page_and_the_sheet_in_french(client, login):
    login("viewer")
    s = ServiceFactory(name="Casa", category="interpreter", languages="en ht")
    db.session.commit()
    page = client.get(f"/services/{s.id}", headers={"Accept-Language": "fr"})
    assert "Anglais, Créole haïtien" in page.get_data(as_text=True)
    sheet = client.get("/sheets/directory", query_string={"lang": "fr"})
    assert "anglais, créole haïtien" in sheet.get_data(as_text=True)
