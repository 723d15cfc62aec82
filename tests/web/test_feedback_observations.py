"""Structured feedback first (#30): a note may be the common observations a case manager
ticks per AAAQ dimension, with no free text at all; choices are shown and counted in the
reader's language, and the text, when given, is still checked."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from directory.aaaq_records import FeedbackNote
from tests.factories import ServiceFactory


@pytest.fixture
def cm(client, token):
    headers = token("case_manager")

    def call(method, url, json=None):
        return client.open(url, method=method, json=json, headers=headers)

    return call


def test_a_note_of_choices_alone_is_saved_and_counted(cm):
    s = ServiceFactory()
    url = f"/api/v1/services/{s.id}/feedback"
    first = cm("POST", url, {"observations": ["waited_long", "respectful"], "outcome": "mixed"})
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["text"] is None
    # kept in the catalogue's order (availability before acceptability), whatever was sent
    assert first.get_json()["observations"] == ["waited_long", "respectful"]
    second = cm(
        "POST",
        url,
        {"observations": ["respectful", "interpreter_offered"], "outcome": "helpful"},
    )
    assert second.get_json()["observations"] == ["interpreter_offered", "respectful"]
    answer = cm("GET", url).get_json()
    # two notes said respectful, one each the others: most said first
    assert answer["observations"] == {"respectful": 2, "waited_long": 1, "interpreter_offered": 1}
    assert answer["summary"] == {"helpful": 1, "mixed": 1, "not_helpful": 0}
    stored = db.session.scalars(select(FeedbackNote).order_by(FeedbackNote.id)).all()
    assert [n.observations for n in stored] == [
        "waited_long respectful",
        "interpreter_offered respectful",
    ]


def test_hidden_and_old_notes_are_not_counted(cm, token, client):
    s = ServiceFactory()
    url = f"/api/v1/services/{s.id}/feedback"
    kept = cm("POST", url, {"observations": ["felt_judged"], "outcome": "not_helpful"})
    hidden = cm("POST", url, {"observations": ["felt_judged"], "outcome": "not_helpful"})
    old = cm(
        "POST",
        url,
        {"observations": ["felt_judged"], "outcome": "not_helpful", "noted_on": "2020-01-01"},
    )
    assert kept.status_code == hidden.status_code == old.status_code == 201
    coordinator = token("coordinator")
    hid = client.post(
        f"/api/v1/feedback/{hidden.get_json()['id']}/hide", json={}, headers=coordinator
    )
    assert hid.status_code == 200, hid.get_json()
    assert cm("GET", url).get_json()["observations"] == {"felt_judged": 1}


def test_text_beside_choices_is_still_checked(cm):
    s = ServiceFactory()
    response = cm(
        "POST",
        f"/api/v1/services/{s.id}/feedback",
        {
            "observations": ["needs_met"],
            "text": "Maria Gonzalez said it helped",
            "outcome": "helpful",
        },
    )
    assert response.status_code == 422
    assert "a person's name" in response.get_json()["errors"]["text"][0]
    assert db.session.scalar(select(FeedbackNote)) is None


def test_the_form_saves_ticked_choices_without_text(client, login):
    s = ServiceFactory(name="Clinic")
    login("case_manager")
    form = client.get(f"/services/{s.id}").get_data(as_text=True)
    assert 'name="observations" value="interpreter_offered"' in form
    response = client.post(
        f"/services/{s.id}/feedback",
        data={"observations": ["no_interpreter", "asked_for_documents"], "outcome": "not_helpful"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "No interpreter when needed" in page or "no interpreter when needed" in page
    assert "Said most:" in page
    note = db.session.scalar(select(FeedbackNote))
    assert note.text is None
    assert note.observation_list == ["no_interpreter", "asked_for_documents"]
    assert note.noted_on <= date.today()


def test_the_form_refuses_an_empty_note_naming_the_choices(client, login):
    s = ServiceFactory()
    login("case_manager")
    response = client.post(f"/services/{s.id}/feedback", data={"outcome": "helpful", "text": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="observations-error"' in page
    assert "Choose what the client observed, or write what they said." in page
    assert db.session.scalar(select(FeedbackNote)) is None


def test_choices_read_in_spanish(client, login):
    s = ServiceFactory()
    client.get("/language?lang=es")
    login("case_manager")
    client.post(
        f"/services/{s.id}/feedback",
        data={"observations": ["waited_long"], "outcome": "mixed"},
    )
    page = client.get(f"/services/{s.id}").get_data(as_text=True)
    assert "esperó mucho tiempo" in page
    assert "Le ofrecieron intérprete" in page  # the form's choice, capitalised


def test_a_note_dated_in_the_future_is_refused_naming_the_date(cm):
    s = ServiceFactory()
    response = cm(
        "POST",
        f"/api/v1/services/{s.id}/feedback",
        {"observations": ["respectful"], "outcome": "helpful", "noted_on": "9999-12-31"},
    )
    assert response.status_code == 422
    assert "noted_on" in response.get_json()["errors"]


def test_a_hiding_reason_over_300_characters_is_refused_not_a_crash(client, login, cm):
    s = ServiceFactory()
    made = cm(
        "POST",
        f"/api/v1/services/{s.id}/feedback",
        {"observations": ["respectful"], "outcome": "helpful"},
    )
    login("coordinator")
    response = client.post(
        f"/feedback/{made.get_json()['id']}/hide", data={"reason": "x" * 301}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "At most 300 characters." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(FeedbackNote, made.get_json()["id"]).hidden is False
