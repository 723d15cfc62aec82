"""Spanish and French throughout (#22): the switch in the header changes the language of
every page, and keeps the reader where they were."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_switching_to_spanish_in_the_header_then_searching_albergue(page, site):
    log_in(page, site, "cm@test.example")
    expect(page.locator("h1")).to_have_text("Find a referral")
    page.get_by_role("navigation", name="Read this site in").get_by_role(
        "link", name="Español"
    ).click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("h1")).to_have_text("Buscar una derivación")
    page.get_by_label("¿Qué necesita el cliente?").fill("albergue")
    with page.expect_navigation():
        page.get_by_role("button", name="Buscar").click()
    expect(page.locator("#results-count")).to_contain_text("servicio")
    cards = page.locator("article.result")
    expect(cards.first).to_be_visible()
    expect(cards.first.locator(".cat")).to_contain_text(re.compile("albergue", re.I))
    expect(cards.first.locator("dt", has_text="Horario")).to_be_visible()
    # the choice holds on the next page, and the switch goes back to English there
    page.get_by_role("link", name="Organizaciones").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_role("navigation", name="Leer este sitio en").get_by_role(
        "link", name="English"
    ).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.endswith("/organizations")


def test_a_french_browser_reads_french_from_the_login_page_on(browser, site):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{site}/login")
        expect(page.locator("h1")).to_have_text("Se connecter")
        page.get_by_label("Courriel").fill("viewer@test.example")
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        expect(page.locator("h1")).to_have_text("Trouver une orientation")
    finally:
        context.close()
