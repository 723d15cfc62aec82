"""An empty search on a phone in French (#31): the page says what each filter costs, and
one tap on the filter that blocks everything brings results back; the services that do not
state the filtered fact are shown apart ("did not say — ask them"), never as matches."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def test_an_empty_result_on_a_phone_in_french_is_fixed_in_one_tap(browser, site):
    context = browser.new_context(viewport=PHONE, locale="fr-FR", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, site, "viewer@test.example")
        # shelters, in French, no formal victim ID needed: the demo has none that says so
        page.locator("#category").select_option("shelters")
        page.locator("#language").select_option("fr")
        page.locator("#no_id_required").check()
        page.locator("form.filters button[type=submit]").click()
        page.wait_for_url(re.compile(r".*no_id_required=true.*"))
        results = page.locator("#results")
        assert "Aucun service ne correspond à tous ces filtres" in results.inner_text()
        assert page.locator("main article.result").count() == 1  # the band's one, apart
        band = page.locator(".not-stated-band")
        assert "ne le précise pas" in band.locator("#not-stated-title").inner_text()
        # what each filter costs, in French; the blocking one is a link
        fix = page.get_by_role("link", name=re.compile("sans « sans identification formelle"))
        assert fix.inner_text().endswith(": 1")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        fix.tap()
        page.wait_for_url(lambda url: "no_id_required" not in url)
        count = page.locator("#results-count").inner_text()
        assert re.match(r"^1 service\b", count), count
        assert page.locator("#results > article.result").count() == 1
        assert page.locator(".relaxations").count() == 1  # still thin: still explained
    finally:
        context.close()
