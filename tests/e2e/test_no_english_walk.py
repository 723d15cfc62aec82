"""#28: the English-leak walk in a real browser. Chromium asks for Spanish (on a phone) and
French (on a laptop), logs in through the form, walks the pages a coordinator and an admin
use, and reads what a reader meets once the script has run: the page's rendered text, the
attributes read aloud or shown (aria-label, title, placeholder, alt, the script's messages)
and the whole labels of its controls; then refuses an empty referral form and reads the
error summary the script has labelled. Any sentence of the English catalogue (a msgid the
language translates differently) fails the test, naming the page (the same catalogue
rules as ``tests/web/test_no_english.py``)."""

from __future__ import annotations

import pytest
from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.users import create_user
from directory.models import Organization, Service
from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in
from tests.web.test_no_english import english_sentences, english_words, leaks, quoted_wording

PAGES = (
    "/",
    "/?q=albergue&near=60601",
    "/services/{service_id}",
    "/services/{service_id}?share=plain",
    "/services/{service_id}/quick",
    "/organizations",
    "/organizations/{org_id}",
    "/review",
    "/referrals/new?service_id={service_id}",
    "/referrals",
    "/referrals/figures",
    "/assessments",
    "/sheets",
    "/sheets/card",
    "/hsds",
    "/lists",
    "/admin/users",
    "/admin/outbox",
    "/account/password",
)

READ = """() => {
  const attrs = ["aria-label", "title", "placeholder", "alt", "data-copied", "data-done"];
  const said = [];
  for (const el of document.querySelectorAll("*")) {
    for (const a of attrs) { const v = el.getAttribute(a); if (v) said.push(v); }
  }
  const controls = [...document.querySelectorAll(
    "button, th, label, legend, summary, option, caption, h1, h2, h3")]
    .map(el => el.innerText.replace(/\\s+/g, " ").trim()).filter(Boolean);
  return {text: document.body.innerText + " " + said.join(" "), controls};
}"""


def _clean(text: str) -> str:
    """The text without what is not the interface's: the network's configured name and the
    instruments' quoted wording."""
    text = " ".join(text.split()).replace(current_app.config["FACILITY_NAME"], " ")
    for quoted in quoted_wording():
        text = text.replace(quoted, " ")
    return text


def _read(page, sentences, words) -> list:
    seen = page.evaluate(READ)
    text = _clean(seen["text"])
    bad = [(s, text[max(0, text.find(s) - 60) : text.find(s) + 60]) for s in leaks(text, sentences)]
    return bad + [(c, "a control's label") for c in seen["controls"] if c in words]


@pytest.mark.parametrize(
    ("lang", "locale", "viewport"),
    [
        ("es", "es-ES", {"width": 390, "height": 844}),
        ("fr", "fr-FR", {"width": 1280, "height": 900}),
    ],
)
def test_walking_the_app_in_spanish_and_french_meets_no_english(
    browser, site, lang, locale, viewport
):
    create_user("admin@test.example", "admin", PASSWORD)
    db.session.commit()
    ids = {
        "service_id": db.session.scalar(select(Service.id).order_by(Service.id)),
        "org_id": db.session.scalar(select(Organization.id).order_by(Organization.id)),
    }
    sentences, words = english_sentences(lang), english_words(lang)
    context = browser.new_context(locale=locale, viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    found = {}
    try:
        log_in(page, site, "admin@test.example")
        for path in PAGES:
            url = path.format(**ids)
            response = page.goto(site + url)
            assert response is not None
            assert response.status == 200, url
            page.wait_for_load_state("load")
            if bad := _read(page, sentences, words):
                found[url] = bad
        # a refused form: the summary the script labels with each field's label
        page.goto(site + f"/referrals/new?service_id={ids['service_id']}")
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_selector(".error-summary")
        if bad := _read(page, sentences, words):
            found["/referrals/new (refused)"] = bad
    finally:
        context.close()
    assert found == {}
