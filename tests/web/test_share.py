"""Issue #18: what a case manager shares with a client is discreet by default. For every demo
service, in every language offered, the share text, the QR code's contact card and the
one-page handout hold no tell-tale word (URLs included); the plain version is one deliberate
choice away."""

from __future__ import annotations

import io
import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from directory import seeding
from directory.catalog import present, share
from directory.models import Service
from tests.factories import LocationFactory, OrganizationFactory, PhoneFactory, ServiceFactory

CORE = [
    "traffick", "exploit", "victim", "abuse", "shelter", "survivor", "safe house", "refuge",
    "trata", "victima", "abuso", "explotacion", "albergue", "refugio", "sobreviviente",
    "casa de acogida", "traite", "victime", "foyer", "hebergement", "survivant", "abri",
]  # fmt: skip
"""Checked on their own (not through ``share.telltale_in``), as a second pair of eyes."""


def domain_of(url: str | None) -> str | None:
    """The host of a website without ``www.``: what would spell the organization."""
    if not url:
        return None
    return urlsplit(url).hostname.removeprefix("www.")


def no_domain(text: str, service) -> None:
    """Neither the organization's website's domain nor its first label is in ``text``
    (Issue #30: a domain spells the organization)."""
    if domain := domain_of(service.organization.website):
        assert domain not in text, (domain, text)
        assert domain.split(".")[0] not in text.lower(), (domain, text)


def clean(text: str) -> None:
    """No tell-tale word: the module's check, and the core words by plain search (whole
    words for the short ones, anywhere, spaces removed, for the rest)."""
    assert share.telltale_in(text) == [], text
    folded = f" {share.fold(text)} "
    for word in CORE:
        if len(word) <= 5:
            assert f" {word} " not in folded, (word, text)
        else:
            assert word.replace(" ", "") not in folded.replace(" ", ""), (word, text)


@pytest.fixture
def demo(app):
    seeding.load_demo(db.session)
    db.session.commit()


@pytest.fixture
def get(client, token):
    headers = token("viewer")

    def call(url, **params):
        return client.get(url, query_string=params, headers=headers)

    return call


def test_every_demo_service_shares_discreetly_in_every_language(demo, get, users):
    services = db.session.scalars(select(Service).where(Service.status == "active")).all()
    assert len(services) > 60
    for service in services:
        item = present.one(db.session, service, users["viewer"], present.clock.now())
        for lang in share.LANGS:
            answer = get(f"/api/v1/services/{service.id}/share", lang=lang)
            assert answer.status_code == 200, answer.get_json()
            body = answer.get_json()
            assert body["discreet"] is True
            clean(body["text"])
            assert service.organization.name not in body["text"]
            no_domain(body["text"], service)
            if payload := share.qr_payload(service, item, lang=lang):
                clean(payload)
                no_domain(payload, service)
                assert payload.startswith("MECARD:N:")


@pytest.mark.parametrize("lang", share.LANGS)
def test_every_demo_handout_is_one_discreet_page(demo, login, client, lang):
    login("viewer")
    services = db.session.scalars(select(Service).where(Service.status == "active")).all()
    for service in services:
        response = client.get(f"/services/{service.id}/handout.pdf?lang={lang}")
        assert response.status_code == 200
        assert response.mimetype == "application/pdf"
        reader = PdfReader(io.BytesIO(response.data))
        assert len(reader.pages) == 1, service.name
        text = reader.pages[0].extract_text()
        clean(text)
        assert service.organization.name not in text
        no_domain(text, service)


def test_the_plain_version_is_one_deliberate_choice_away(get, login, client):
    org = OrganizationFactory(name="Harbor Survivor Network", website="https://safehouse.example")
    loc = LocationFactory(organization=org, address_1="9 Quiet Mews", confidential=True)
    service = ServiceFactory(
        name="Emergency shelter", category="shelter.adults_hte", organization=org, location=loc
    )
    PhoneFactory(service=service, number="+13125550100")
    discreet = get(f"/api/v1/services/{service.id}/share").get_json()
    assert discreet["discreet"] is True
    assert discreet["text"].splitlines()[0] == "Housing service"
    assert "+13125550100" in discreet["text"]
    assert "safehouse" not in discreet["text"]
    spanish = get(f"/api/v1/services/{service.id}/share", lang="es").get_json()["text"]
    assert spanish.splitlines()[0] == "Servicio de vivienda"
    assert "Teléfono: +13125550100" in spanish
    plain = get(f"/api/v1/services/{service.id}/share", discreet="false").get_json()
    assert plain["discreet"] is False
    assert plain["text"].splitlines()[:2] == ["Emergency shelter", "Harbor Survivor Network"]
    assert "https://safehouse.example" in plain["text"]
    assert "9 Quiet Mews" not in plain["text"]  # never a withheld address, even plain
    assert get(f"/api/v1/services/{service.id}/share", lang="de").status_code == 422

    login("viewer")
    page = client.get(f"/services/{service.id}").get_data(as_text=True)
    box = page.split('id="share-text"', 1)[1].split("</textarea>", 1)[0]
    assert "Housing service" in box
    assert "Emergency shelter" not in box
    assert "Show plain version" in page
    page = client.get(f"/services/{service.id}?share=plain").get_data(as_text=True)
    box = page.split('id="share-text"', 1)[1].split("</textarea>", 1)[0]
    assert "Emergency shelter" in box
    pdf = client.get(f"/services/{service.id}/handout.pdf?discreet=false")
    assert "Emergency shelter" in PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()


def test_a_discreet_name_is_used_and_must_not_tell(client, token):
    headers = token("coordinator")
    service = ServiceFactory(name="Refugio Esperanza", category="shelter.adults_hte")
    PhoneFactory(service=service)
    url = f"/api/v1/services/{service.id}"
    version = client.get(url, headers=headers).get_json()["version"]
    for telling in ("Safe House Line", "Casa de Acogida Sol", "Réfuge du lac", "SURVIVANTE"):
        refused = client.patch(
            url, json={"discreet_name": telling, "version": version}, headers=headers
        )
        assert refused.status_code == 422, telling
        assert "discreet_name" in refused.get_json()["errors"]
    saved = client.patch(
        url, json={"discreet_name": "Blue Door", "version": version}, headers=headers
    )
    assert saved.status_code == 200, saved.get_json()
    assert saved.get_json()["discreet_name"] == "Blue Door"
    text = client.get(f"{url}/share", headers=headers).get_json()["text"]
    assert text.splitlines()[0] == "Blue Door"
    assert "Refugio" not in text


def test_tell_tale_words_are_found_in_urls_and_any_case_or_accent():
    assert share.telltale_in("https://www.SafeHouse-Chicago.org/help")
    assert share.telltale_in("https://example.org/refugio/")
    assert share.telltale_in("VÍCTIMAS")
    assert share.telltale_in("Maison d'Hébergement")
    assert share.telltale_in("un abri") == ["abri"]
    assert share.telltale_in("1 Cabrini Street, Abilene") == []
    assert share.telltale_in("Community Support Line") == []


def test_the_demo_has_websites_that_would_have_told(demo):
    """The domain checks above have something to find: demo organizations' websites."""
    services = db.session.scalars(select(Service).where(Service.status == "active")).all()
    assert sum(1 for s in services if s.organization.website) >= 19


def test_a_website_goes_into_a_discreet_share_only_when_marked_neutral(client, token):
    org = OrganizationFactory(name="Northside Help", website="https://northside-help.example.org")
    service = ServiceFactory(organization=org, category="food")
    PhoneFactory(service=service, number="+13125550100")
    headers = token("viewer")
    url = f"/api/v1/services/{service.id}/share"
    assert "northside-help" not in client.get(url, headers=headers).get_json()["text"]
    plain = client.get(url, query_string={"discreet": "false"}, headers=headers).get_json()
    assert "https://northside-help.example.org" in plain["text"]
    org.website_neutral = True
    db.session.commit()
    text = client.get(url, headers=headers).get_json()["text"]
    assert "https://northside-help.example.org" in text


@pytest.mark.parametrize("lang", share.LANGS)
def test_copy_contact_on_every_result_copies_the_discreet_line(demo, login, client, lang):
    login("viewer")
    page = client.get("/", query_string={"category": "shelters", "lang": lang})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    copies = re.findall(r'data-copy="([^"]*)"', html)
    assert len(copies) >= 5
    services = db.session.scalars(select(Service)).all()
    for copied in copies:
        clean(unescape(copied))
        for service in services:
            assert service.organization.name not in unescape(copied)
            assert service.name not in unescape(copied)
