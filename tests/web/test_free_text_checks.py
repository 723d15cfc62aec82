"""Every free text about a client goes through the one identifier check (#30): feedback
text, a rating's note, the consent note and the outcome note of a referral (at creation and
at follow-up), the reason a coordinator hides a note for, and a partner's note. Each test
sends a note only the names database can tell identifies someone (a name in lower case, no
cue word, no title), so it fails if the check is taken off that field; and the service's own
public phone passes, so it fails if the allow-list is not passed."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.extensions import db
from directory.aaaq_records import AaaqRating, FeedbackNote
from directory.referrals.models import Referral
from tests.factories import PhoneFactory, ServiceFactory
from tests.web.test_partners import LINK, _send, _shelter, _text, smtp  # noqa: F401

NAMED = "ana maria torres said the wait was long"
OWN_PHONE = "+13125550182"
ABOUT_OWN_PHONE = "called their intake line (312) 555-0182, they answered at once"


@pytest.fixture
def api(client, token):
    def call(role, method, url, json=None):
        return client.open(url, method=method, json=json, headers=token(role))

    return call


@pytest.fixture
def service():
    s = ServiceFactory()
    PhoneFactory(service=s, number=OWN_PHONE)
    db.session.commit()
    return s


def _refused(response, field):
    assert response.status_code == 422, response.get_json()
    message = " ".join(response.get_json()["errors"][field])
    assert "“ana maria torres”: a person's name" in message  # the span and its reason
    return message


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_feedback_text(api, service):
    url = f"/api/v1/services/{service.id}/feedback"
    _refused(api("case_manager", "POST", url, {"text": NAMED, "outcome": "mixed"}), "text")
    assert _count(FeedbackNote) == 0
    ok = api("case_manager", "POST", url, {"text": ABOUT_OWN_PHONE, "outcome": "helpful"})
    assert ok.status_code == 201, ok.get_json()


def test_rating_note(api, service):
    url = f"/api/v1/services/{service.id}/ratings"
    rating = {"availability": 2, "accessibility": 3, "acceptability": 3, "quality": 2}
    _refused(api("coordinator", "POST", url, {**rating, "note": NAMED}), "note")
    assert _count(AaaqRating) == 0
    ok = api("coordinator", "POST", url, {**rating, "note": ABOUT_OWN_PHONE})
    assert ok.status_code == 201, ok.get_json()


def _referral(service_id, **kw):
    return {
        "service_id": service_id,
        "case_reference": "HT-2026-014",
        "handoff": "warm_call",
        "consent": True,
        **kw,
    }


@pytest.mark.parametrize("field", ["consent_shared", "outcome_note"])
def test_referral_consent_and_outcome_notes(api, service, field):
    refused = api(
        "case_manager", "POST", "/api/v1/referrals", _referral(service.id, **{field: NAMED})
    )
    _refused(refused, field)
    assert _count(Referral) == 0
    ok = api(
        "case_manager",
        "POST",
        "/api/v1/referrals",
        _referral(service.id, **{field: ABOUT_OWN_PHONE}),
    )
    assert ok.status_code == 201, ok.get_json()


def test_follow_up_outcome_note(api, service):
    made = api("case_manager", "POST", "/api/v1/referrals", _referral(service.id)).get_json()
    url = f"/api/v1/referrals/{made['id']}"
    patch = {"status": "connected", "version": made["version"]}
    _refused(api("case_manager", "PATCH", url, {**patch, "outcome_note": NAMED}), "outcome_note")
    db.session.expire_all()
    assert db.session.get(Referral, made["id"]).outcome_note is None
    ok = api("case_manager", "PATCH", url, {**patch, "outcome_note": ABOUT_OWN_PHONE})
    assert ok.status_code == 200, ok.get_json()


def test_reason_for_hiding_a_note(api, service):
    note = FeedbackNote(
        service_id=service.id, text="long wait", outcome="mixed", noted_on=date.today()
    )
    db.session.add(note)
    db.session.commit()
    url = f"/api/v1/feedback/{note.id}/hide"
    _refused(api("coordinator", "POST", url, {"reason": NAMED}), "reason")
    db.session.expire_all()
    assert db.session.get(FeedbackNote, note.id).hidden is False
    assert api("coordinator", "POST", url, {"reason": "not about the service"}).status_code == 200


def test_partners_note(app, client, token, smtp):  # noqa: F811
    org, shelter, _clinic, _other = _shelter()
    _send(client, token("coordinator"), org.id)
    secret = LINK.search(_text(smtp.messages[0])).group(1)
    form = {f"s{shelter.id}.walk_in": "true", "note": f"we met {NAMED}"}
    refused = client.post(f"/partner/{secret}/suggest", data=form)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert '<mark title="a person&#39;s name">ana maria torres</mark>' in page
    assert f">we met {NAMED}</textarea>" in page  # what they typed, kept for editing
    # their own listed number is no identifier in a note about their services
    form["note"] = "our night line +1 312 555 0111 is staffed again"
    assert client.post(f"/partner/{secret}/suggest", data=form).status_code == 200


def test_refused_note_on_a_page_keeps_the_text_and_marks_each_span(client, login, service):
    login("case_manager")
    typed = "NGUYEN Thi Hoa came with lucho paredes, call 312-5S5-O1B2"
    response = client.post(
        f"/referrals/new?service_id={service.id}",
        data={
            "service_id": service.id,
            "case_reference": "HT-2026-014",
            "handoff": "warm_call",
            "consent": "y",
            "outcome_note": typed,
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f">{typed}</textarea>" in page
    for span, reason in (
        ("NGUYEN Thi Hoa", "a person&#39;s name"),
        ("lucho paredes", "a person&#39;s name"),
        ("312-5S5-O1B2", "a phone number"),
    ):
        assert f"<li><mark>{span}</mark>: {reason}</li>" in page


@pytest.mark.parametrize(
    ("header", "intro", "reason"),
    [
        ("es", "No se guardó: esto parece identificar al cliente", "un nombre de persona"),
        ("fr", "Non enregistré : ce texte semble identifier la personne", "un nom de personne"),
    ],
)
def test_each_span_has_its_reason_in_the_readers_language(
    client, login, service, header, intro, reason
):
    login("case_manager")
    typed = "vino con su prima, ana maria torres, y su insta es @ana_1999"
    response = client.post(
        f"/services/{service.id}/feedback",
        data={"text": typed, "outcome": "mixed", "channel": "client_told_staff"},
        headers={"Accept-Language": header},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert intro in page
    assert f"<li><mark>ana maria torres</mark>: {reason}</li>" in page
    assert "<li><mark>insta es @ana_1999</mark>: " in page
    assert f">{typed}</textarea>" in page
