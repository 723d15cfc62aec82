"""Printed sheets read back from the PDF: groups in order, columns, the filtered set and
nothing else, no confidential address, labels in the chosen language, page numbers; the
wallet card's words; the CSV's formula-injection guard."""

from __future__ import annotations

import csv
import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from directory import seeding
from directory.errors import Invalid
from directory.models import Service
from directory.sheets import card, export, sheet
from tests.factories import LocationFactory, OrganizationFactory, PhoneFactory, ServiceFactory


def pdf_text(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


@pytest.fixture
def demo(app):
    seeding.load_demo(db.session)
    db.session.commit()


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_directory_pdf_groups_in_template_order_with_columns(client, login, demo):
    login("viewer")
    text, pages = pdf_text(client.get("/sheets/directory.pdf"))
    text = flat(text)
    headings = [
        "Professional interpreters",
        "Anti-trafficking service organizations",
        "Hotlines",
        "Shelters/housing",
        "Food organizations",
        "Health services",
        "Mental health services",
        "Related service organizations",
        "Legal and immigration services",
        "Embassy and consular offices",
        "International organizations",
    ]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "Most common languages encountered" in text  # interpreters' columns
    assert "Length of stay permitted" in text  # shelters' columns
    assert "Website" in text
    assert "https://www.unicef.org/" in text
    assert f"Page 1 of {pages}" in text
    assert f"Page {pages} of {pages}" in text
    assert "Verified" in text


def test_filtered_sheet_holds_the_selection_and_nothing_else(client, login, demo):
    login("viewer")
    text, _ = pdf_text(
        client.get("/sheets/directory.pdf?language=es&near=60601&radius_km=20&category=shelters")
    )
    text = flat(text)
    assert "Shelters/housing" in text
    assert "Survivor housing (Milwaukee)" not in text  # too far
    assert "Emergency shelter (Joliet)" not in text  # too far
    assert "Safe house for adult survivors" in text
    assert "Hotlines" not in text
    assert "Food organizations" not in text


def test_confidential_addresses_never_print_even_for_coordinators(client, login):
    org = OrganizationFactory(name="Quiet Org")
    loc = LocationFactory(organization=org, address_1="4242 Hidden Lane", confidential=True)
    s = ServiceFactory(
        name="Safe house",
        organization=org,
        location=loc,
        category="shelter.adults_hte",
        length_of_stay="90 days",
    )
    PhoneFactory(service=s, number="+13125550177")
    login("coordinator")
    text, _ = pdf_text(client.get("/sheets/directory.pdf"))
    assert "Hidden Lane" not in text
    assert "+1 312-555-0177" in text
    assert "Confidential location" in flat(text)
    html = client.get("/sheets/directory").get_data(as_text=True)
    assert "Hidden Lane" not in html
    csv_text = client.get("/sheets/directory.csv").get_data(as_text=True)
    assert "Hidden Lane" not in csv_text
    assert str(loc.latitude) not in csv_text


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("es", ["Directorio comunitario de recursos", "Albergues/vivienda", "Página 1 de"]),
        ("fr", ["Répertoire communautaire des ressources", "Hébergement", "Page 1 sur"]),
    ],
)
def test_labels_in_the_chosen_language(client, login, lang, words):
    ServiceFactory(name="Casa Segura", category="shelter.children")
    login("viewer")
    text, _ = pdf_text(client.get(f"/sheets/directory.pdf?lang={lang}"))
    for word in words:
        assert word in flat(text)
    assert "Casa Segura" in text  # data as entered


def test_letter_and_a4_paper(client, login):
    ServiceFactory()
    login("viewer")
    for paper, width in (("a4", 595), ("letter", 612)):
        response = client.get(f"/sheets/directory.pdf?paper={paper}")
        page = PdfReader(io.BytesIO(response.data)).pages[0]
        assert round(float(page.mediabox.width)) == width


def test_wallet_card_has_no_revealing_words(client, login, demo):
    login("coordinator")
    shelter = db.session.scalar(
        select(Service).where(Service.name == "Safe house for adult survivors")
    )
    refused = client.post(
        "/sheets/card",
        data={"service_id": shelter.id, "label": "Shelter for survivors"},
        follow_redirects=True,
    )
    assert "must not say what it is for" in refused.get_data(as_text=True)
    client.post("/sheets/card", data={"service_id": shelter.id, "label": "Rosa's place"})
    for lang in ("en", "es", "fr"):
        text, _ = pdf_text(client.get(f"/sheets/card.pdf?lang={lang}"))
        low = text.lower()
        for word in (
            "trafficking",
            "exploitation",
            "victim",
            "abuse",
            "shelter",
            "trata",
            "víctima",
            "traite",
            "refuge",
        ):
            assert word not in low, (lang, word)
        assert "Rosa's place" in text
        assert "+1 800-555-01" in text  # a hotline number
    text, _ = pdf_text(client.get("/sheets/card.pdf?paper=a4"))
    assert text.count("Useful numbers") == 10  # ten cards to an A4 page
    text, _ = pdf_text(client.get("/sheets/card.pdf"))  # en (read as en-US): Letter
    assert text.count("Useful numbers") == 8  # eight cards to a Letter page


def test_card_override_allows_a_label_the_coordinator_vouches_for(app):
    s = ServiceFactory(name="Clinic")
    with pytest.raises(Invalid):
        card.set_card_entry(db.session, s, "Abuse clinic", 1, False)
    entry = card.set_card_entry(db.session, s, "Abuse clinic", 1, True)
    assert entry.allow_sensitive is True


def test_csv_neutralises_formulas(client, login):
    ServiceFactory(
        name='=HYPERLINK("http://evil.example","x")',
        organization=OrganizationFactory(name="+cmd|' /C calc'!A0"),
    )
    login("viewer")
    text = client.get("/sheets/directory.csv").get_data(as_text=True)
    assert text.startswith("\ufeff")  # UTF-8 byte-order mark
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    header, row = rows[0], rows[1]
    assert header[:3] == ["service_id", "organization_id", "location_id"]
    assert row[header.index("name")].startswith("'=HYPERLINK")
    assert row[header.index("organization")].startswith("'+cmd")
    assert export.safe_cell("-2+3") == "'-2+3"
    assert export.safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert export.safe_cell("Plain") == "Plain"
    assert export.safe_cell("+1 312-555-0101") == "+1 312-555-0101"  # a phone, no apostrophe


def test_builder_counts_entries_and_pages(client, login, demo):
    login("viewer")
    page = client.get("/sheets?category=hotlines&lang=es&paper=a4").get_data(as_text=True)
    assert "<strong>5</strong> entries" in page
    assert "1 page on A4" in page  # counted by laying the PDF out, not estimated (#22)
    assert "Líneas de ayuda" in page


def test_card_labels_language_and_paper_are_chosen_separately(client, login, demo):
    login("coordinator")
    page = client.get("/sheets/card").get_data(as_text=True)
    assert 'name="paper"' in page
    assert 'name="lang"' in page
    assert 'name="labels"' in page
    assert "Choose a service" in page  # a picker, not a number to know
    text, _ = pdf_text(client.get("/sheets/card.pdf?lang=es&paper=letter&labels=names"))
    assert "Números útiles" in text
    assert "Ana" in text
    for crisis in ("Help line", "Talk line", "Línea de ayuda", "need to talk", "necesite hablar"):
        assert crisis not in text


def test_builder_page_count_is_the_pdfs(client, login, demo):
    login("viewer")
    page = client.get("/sheets?paper=a4").get_data(as_text=True)
    _, pages = pdf_text(client.get("/sheets/directory.pdf?paper=a4"))
    assert pages > 1
    assert f"{pages} pages on A4" in page


def test_no_silent_cap_the_sheet_says_how_many_it_left_out(client, login, demo, monkeypatch):
    """Five hotlines (the builder counts them above), a limit of 3 rows on a sheet: the
    builder says 2 were left out; under the limit, nothing. (A large CSV is a job writing
    every row: tests/web/test_jobs.py.)"""
    login("viewer")
    monkeypatch.setattr(sheet, "MAX_ROWS", 3)
    page = client.get("/sheets?category=hotlines").get_data(as_text=True)
    assert "<strong>3</strong> entries" in page
    assert "2 more services match but are left out: a sheet holds at most 3." in page
    exported = client.get("/sheets/directory.csv?category=hotlines")
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True).removeprefix("\ufeff"))))
    assert len(rows) == 1 + 5  # the CSV is not the sheet's limit
    monkeypatch.setattr(sheet, "MAX_ROWS", 100)
    assert "left out" not in client.get("/sheets?category=hotlines").get_data(as_text=True)


def test_a_service_under_a_code_the_taxonomy_does_not_know_is_printed_not_dropped(client, login):
    """Hostile read: such a service vanished from the sheet and its CSV, silently; it is
    printed with the uncategorized, last."""
    ServiceFactory(name="Known pantry", category="food")
    ServiceFactory(name="Odd code service", category="not-a-real-category")
    db.session.commit()
    login("viewer")
    exported = client.get("/sheets/directory.csv").get_data(as_text=True)
    assert "Odd code service" in exported
    assert "Odd code service" in client.get("/sheets/directory").get_data(as_text=True)
