"""No English in Spanish and French (#28): every page and output a user reads (pages, share
texts, PDFs, e-mails, CSV headers and coded values, aria-labels and other attributes, the
script's messages, validation and password messages) is walked in es and fr, and any
sentence of the English catalogue (a msgid the catalogue translates differently) found in it
fails the test, naming the page and the sentence.

Not English leaks, by design: the partners' own text (names, descriptions: the demo
directory is written in English) and the instruments' quoted wording. A sentence of the
catalogue that is also demo data is listed in ``DATA`` with the reason.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po
from pypdf import PdfReader
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import OutboxMessage, User
from assessment import instruments, rounds
from assessment.models import Facility
from directory import seeding
from directory.lists import saved as lists
from directory.models import Organization, Service
from directory.partners import requests as partner_requests

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
INSTRUMENTS = ROOT / "seeds" / "instruments"
HEADERS = {"es": {"Accept-Language": "es-ES"}, "fr": {"Accept-Language": "fr-FR"}}
# sentences of the catalogue that are also words of the demo directory or of the
# instruments, where they are the partner's or the toolkit's own text
DATA: set[str] = set()
_CONTROLS = ("button", "th", "label", "legend", "summary", "option", "caption", "h1", "h2", "h3")
_ATTRS = ("aria-label", "title", "placeholder", "alt", "data-copied", "data-done", "label")


class _Text(HTMLParser):
    """A page's text a reader meets: text nodes (not scripts or styles), and attributes read
    aloud or shown (aria-label, title, placeholder, alt, the script's messages)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        # whole labels of the interface's controls (a button, a column, a field's label,
        # an attribute): where a one-word message ("Deactivate") shows alone
        self.controls: list[str] = []
        self._skip = 0
        self._control: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        if tag in _CONTROLS:
            self._control.append([])
        for name, value in attrs:
            if value and (name in _ATTRS or name.startswith("data-")):
                self.parts.append(value)
                self.controls.append(" ".join(value.split()))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        if tag in _CONTROLS and self._control:
            self.controls.append(" ".join("".join(self._control.pop()).split()))

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)
            for open_control in self._control:
                open_control.append(data)


def _strings(node) -> list[str]:
    if isinstance(node, dict):
        return [s for value in node.values() for s in _strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in _strings(value)]
    return [" ".join(node.split())] if isinstance(node, str) else []


@functools.cache
def quoted_wording() -> tuple[str, ...]:
    """The instruments' own wording (titles, questions, answer labels, evidence areas), as
    written and as the pages shorten it (``truncate(40, True)``, ``truncate(90)``): quoted
    from the toolkits, not the interface's English, longest first."""
    from flask import current_app
    from jinja2.filters import do_truncate

    env = current_app.jinja_env
    found = set()
    for path in INSTRUMENTS.glob("*.yaml"):
        for text in _strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            if len(text) >= 5:
                found |= {text, do_truncate(env, text, 40, True), do_truncate(env, text, 90)}
    return tuple(sorted(found, key=len, reverse=True))


def page_text(html: str, controls: list[str] | None = None) -> str:
    """The text, without what is not the interface's: the network's configured name
    (``FACILITY_NAME``), e-mails kept in the outbox (written in the partner's language) and
    the instruments' quoted wording."""
    from flask import current_app

    html = re.sub(r'<article class="card outbox-message".*?</article>', " ", html, flags=re.S)
    parser = _Text()
    parser.feed(html)
    if controls is not None:
        controls.extend(parser.controls)
    text = " ".join(" ".join(parser.parts).split())
    text = text.replace(current_app.config["FACILITY_NAME"], " ")
    for quoted in quoted_wording():
        if quoted in text:
            text = text.replace(quoted, " ")
    return text


def english_words(lang: str) -> set[str]:
    """The catalogue's one-word messages (5+ letters) that ``lang`` translates otherwise
    and its translations never use: English when a control's whole label ("Deactivate")."""
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po)
    translated = {
        word.lower()
        for m in catalog
        if m.id and m.string
        for string in (m.string if isinstance(m.string, tuple) else (m.string,))
        for word in re.findall(r"\w+", string)
    }
    return {
        m.id
        for m in catalog
        if isinstance(m.id, str)
        and m.string
        and m.id != m.string
        and re.fullmatch(r"[A-Za-z]{5,}", m.id)
        and m.id.lower() not in translated
    }


def english_sentences(lang: str) -> list[str]:
    """The catalogue's English sentences that ``lang`` translates differently: each msgid
    cut at its placeholders, keeping the fixed parts of at least two words, except those
    the catalogue's own translations use (French writes "3 (excellent)" too)."""
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po)
    translated = " ".join(
        " ".join(m.string if isinstance(m.string, tuple) else (m.string,))
        for m in catalog
        if m.id and m.string
    )
    translated = " ".join(re.sub(r"<[^>]+>", " ", translated).split())
    found = set()
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            if english in strings:
                continue
            plain = re.sub(r"<[^>]+>", " ", english)
            for part in re.split(r"%\(\w+\)[sdf]|%s|%d|\{\w*\}", plain):
                part = " ".join(part.split()).strip(" .,:;()“”\"'–—·/")
                if len(part.split()) >= 2 and len(part) >= 9 and part not in DATA:
                    if not re.search(rf"(?<!\w){re.escape(part)}(?!\w)", translated):
                        found.add(part)
    return sorted(found, key=len, reverse=True)


def leaks(text: str, sentences: list[str]) -> list[str]:
    return [s for s in sentences if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text)]


@pytest.fixture
def demo(app, users):
    """The demo directory, an assessment round with an answer, a referral, an update
    request: something on every page."""
    seeding.load_demo(db.session)
    coordinator = db.session.get(User, users["coordinator"].id)
    org = db.session.scalar(select(Organization).order_by(Organization.id))
    facility = Facility(organization_id=org.id)
    db.session.add(facility)
    db.session.flush()
    round_ = rounds.open_round(
        db.session,
        facility,
        instruments.get(instruments.SERVICE),
        coordinator,
        date.today(),
        title="2026-Q3",
    )
    response = rounds.save_response(
        db.session,
        round_,
        {"respondent_role": "nurse", "answers": {"d01.01": "yes"}, "submit": True},
        coordinator,
    )
    service = db.session.scalar(select(Service).order_by(Service.id))
    service.languages = "en es"  # named in the reader's language in the outputs
    partner = db.session.scalar(
        select(Organization).where(Organization.email.is_not(None)).order_by(Organization.id)
    )
    request = partner_requests.send(db.session, partner, clock.now(), coordinator.id)
    admin = db.session.get(User, users["admin"].id)
    saved = lists.create(
        db.session, {"name": "Tuesday clinic", "service_ids": [service.id]}, admin, clock.now()
    )
    db.session.commit()
    return {
        "list_id": saved.id,
        "service_id": service.id,
        "org_id": org.id,
        "round_id": round_.id,
        "facility_id": facility.id,
        "response_id": response.id,
        "section": "d01",
        "request_id": request.id,
        "partner": partner,
    }


PAGES = (
    "/",
    "/?q=albergue&near=60601",
    "/services/{service_id}",
    "/services/{service_id}?share=plain",
    "/organizations",
    "/organizations/{org_id}",
    "/organizations/new",
    "/organizations/{org_id}/edit",
    "/services/new?organization_id={org_id}",
    "/services/{service_id}/edit",
    "/services/{service_id}/quick",
    "/review",
    "/referrals/new?service_id={service_id}",
    "/referrals",
    "/referrals/figures",
    "/assessments",
    "/assessments/rounds/{round_id}",
    "/assessments/facilities/{facility_id}/compare",
    "/assessments/network",
    "/assessments/mine",
    "/assessments/rounds/{round_id}/respond",
    "/sheets",
    "/sheets/directory",
    "/sheets/card",
    "/hsds",
    "/admin/users",
    "/admin/audit",
    "/admin/outbox",
    "/update-requests/{request_id}",
    "/account/password",
    "/lists",
    "/lists/{list_id}",
    "/lists/{list_id}/delete",
    "/lists/save?service_id={service_id}",
)


@pytest.mark.parametrize("lang", ["es", "fr"])
def test_every_page_in_spanish_and_french_holds_no_english(client, login, demo, lang):
    sentences = english_sentences(lang)
    words = english_words(lang)
    login("admin")
    found = {}
    for path in PAGES:
        url = path.format(**demo)
        response = client.get(url, headers=HEADERS[lang])
        assert response.status_code == 200, (url, response.status_code)
        controls: list[str] = []
        text = page_text(response.get_data(as_text=True), controls)
        bad = [
            (b, text[max(0, text.find(b) - 80) : text.find(b) + 80]) for b in leaks(text, sentences)
        ]
        bad += [(c, "a control's label") for c in controls if c in words]
        if bad:
            found[url] = bad
    assert found == {}


def _check(found: dict, where: str, text: str, sentences: list[str], words: set[str]) -> None:
    """Sentences of the catalogue anywhere in ``text``; one-word messages only where they
    are the whole of a part (a cell, a line), since partners' own text uses such words.
    The network's configured name (``FACILITY_NAME``) is its own, not the interface's."""
    from flask import current_app

    text = " ".join(text.split()).replace(current_app.config["FACILITY_NAME"], " ")
    bad = leaks(text, sentences)
    bad += [p for p in re.split(r"\s*[|;\n]\s*", text) if p in words]
    if bad:
        found[where] = bad


@pytest.mark.parametrize("lang", ["es", "fr"])
def test_outputs_and_messages_in_spanish_and_french_hold_no_english(app, client, login, demo, lang):
    """The outputs (share text, directory CSV, directory PDF, the partner's e-mail) and the
    refusals (a referral's case code, consent and hand-off; a weak password) in es/fr."""
    sentences, words = english_sentences(lang), english_words(lang)
    login("admin")
    found: dict = {}
    sid = demo["service_id"]
    headers = HEADERS[lang]

    shared = client.get(f"/api/v1/services/{sid}/share?lang={lang}&discreet=false")
    assert shared.status_code == 200
    share_text = shared.get_json()["text"]
    _check(found, "share", share_text, sentences, words)
    # its languages in the reader's words, as written by hand (CLDR's names)
    spoken = {"es": "inglés, español", "fr": "anglais, espagnol"}[lang]
    assert spoken in share_text
    assert "English" not in share_text
    assert "Spanish" not in share_text

    refused = client.post(
        "/referrals/new",
        data={"service_id": sid, "case_reference": "Maria Lopez"},
        headers=headers,
    )
    assert refused.status_code == 422
    page = page_text(refused.get_data(as_text=True))
    assert {
        "es": "Se necesita el consentimiento del cliente antes de derivar.",
        "fr": "Le consentement du client est requis avant l’orientation.",
    }[lang] in page
    _check(found, "referral refused", page, sentences, words)

    weak = client.post(
        "/account/password",
        data={"current": "x", "new": "password", "confirm": "password"},
        headers=headers,
    )
    assert weak.status_code in (200, 400, 422)
    _check(found, "password refused", page_text(weak.get_data(as_text=True)), sentences, words)

    sheet = client.get(f"/sheets/directory.csv?lang={lang}", headers=headers)
    assert sheet.status_code == 200
    rows = list(csv.reader(io.StringIO(sheet.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) > 1
    phones = [row[rows[0].index("phones")] for row in rows[1:] if row[rows[0].index("phones")]]
    assert any(p.startswith("+1 ") for p in phones)  # phones as dialled, no apostrophe
    assert not any(p.startswith("'") for p in phones)
    languages_column = [row[rows[0].index("languages")] for row in rows[1:]]
    assert spoken in languages_column
    assert not any("English" in cell or "Spanish" in cell for cell in languages_column)
    _check(found, "csv languages", " ; ".join(languages_column), sentences, words)
    for column in ("type", "hours", "address"):
        cells = [row[rows[0].index(column)] for row in rows[1:]]
        _check(found, f"csv {column}", " | ".join(cells), sentences, words)

    pdf = client.get(f"/sheets/directory.pdf?lang={lang}", headers=headers)
    assert pdf.status_code == 200
    pdf_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    _check(found, "directory pdf", pdf_text, sentences, words)

    with app.app_context():
        partner = db.session.get(Organization, demo["partner"].id)
        partner.language = lang
        coordinator = db.session.scalar(select(User).where(User.role == "coordinator"))
        partner_requests.send(db.session, partner, clock.now() + timedelta(days=1), coordinator.id)
        db.session.commit()
        mail = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
        _check(found, "partner e-mail", mail.subject + " " + mail.text_body, sentences, words)
        _check(found, "partner e-mail html", page_text(mail.html_body or ""), sentences, words)
    assert found == {}
