"""Printed outputs open right (#28): the paper size follows the reader's locale (Letter for
en-US and es-US, A4 elsewhere; ``PAPER_SIZE`` overrides; a chosen paper wins), and PDFs are
tagged for screen readers with their document language and title."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from app.extensions import db
from directory import seeding

LETTER = (612, 792)  # 8.5 × 11 in at 72 pt
A4 = (595, 842)  # 210 × 297 mm at 72 pt, rounded


@pytest.fixture
def demo(app):
    seeding.load_demo(db.session)
    db.session.commit()


def _size(pdf: bytes) -> tuple[int, int]:
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("en-US", LETTER),
        ("es-US", LETTER),
        ("en", LETTER),
        ("fr-FR", A4),
        ("en-GB", A4),
        ("es-MX", A4),
    ],
)
def test_sheet_paper_follows_the_readers_locale(client, login, demo, accept, expected):
    login("viewer")
    response = client.get("/sheets/directory.pdf", headers={"Accept-Language": accept})
    assert response.status_code == 200
    assert _size(response.data) == expected


def test_paper_size_setting_overrides_and_a_chosen_paper_wins(app, client, login, demo):
    login("viewer")
    app.config["PAPER_SIZE"] = "letter"
    french = {"Accept-Language": "fr-FR"}
    assert _size(client.get("/sheets/directory.pdf", headers=french).data) == LETTER
    assert _size(client.get("/sheets/directory.pdf?paper=a4", headers=french).data) == A4
    app.config["PAPER_SIZE"] = None
    us = {"Accept-Language": "en-US"}
    assert _size(client.get("/sheets/directory.pdf?paper=a4", headers=us).data) == A4
    builder = client.get("/sheets", headers=us).get_data(as_text=True)
    assert '<option value="letter" selected>' in builder


def test_pdfs_are_tagged_with_language_and_title(client, login, demo):
    login("viewer")
    response = client.get("/sheets/directory.pdf?lang=es", headers={"Accept-Language": "es-ES"})
    reader = PdfReader(io.BytesIO(response.data))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "es"
    assert reader.metadata.title  # the sheet's <title>, not empty
    assert "·" in reader.metadata.title  # "<sheet title> · <network>"
