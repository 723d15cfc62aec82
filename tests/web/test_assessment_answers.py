"""Assessments never lose an answer (#28): a section link saves the page first; "saved" is
said only when it is true; a user answers a round once and may change it; a second
"Start" is refused and audited."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent
from assessment.models import AssessmentRound, Response
from tests.factories import OrganizationFactory

SERVICE = "icmec-service-assessment"


def _round(client, token, login) -> AssessmentRound:
    org = OrganizationFactory(name="Test Hospital")
    facility = client.post(
        "/api/v1/facilities", json={"organization_id": org.id}, headers=token("coordinator")
    ).get_json()
    login("coordinator")
    client.post(f"/assessments/facilities/{facility['id']}/rounds", data={"instrument": SERVICE})
    return db.session.scalar(select(AssessmentRound))


def _start(client, round_id) -> Response:
    started = client.post(
        f"/assessments/rounds/{round_id}/respond", data={"respondent_role": "nurse"}
    )
    assert started.status_code == 302
    return db.session.scalar(select(Response).order_by(Response.id.desc()))


def test_a_section_link_saves_the_page_before_moving(client, login, token):
    round_ = _round(client, token, login)
    login("viewer")
    response = _start(client, round_.id)
    moved = client.post(
        f"/assessments/responses/{response.id}/d01",
        data={"answer-d01.01": "yes", "answer-d01.02": "no", "goto": "d05"},
    )
    assert moved.status_code == 302
    assert moved.headers["Location"].endswith(f"/assessments/responses/{response.id}/d05")
    db.session.expire_all()
    assert db.session.get(Response, response.id).answers == {"d01.01": "yes", "d01.02": "no"}
    page = client.get(moved.headers["Location"]).get_data(as_text=True)
    assert "Your answers on this page are saved." in page
    # the section links are buttons of the answers' form, not plain links
    assert 'form="answer-form" name="goto" value="d01"' in page


def test_a_refused_page_never_says_saved(client, login, token):
    round_ = _round(client, token, login)
    login("viewer")
    response = _start(client, round_.id)
    refused = client.post(
        f"/assessments/responses/{response.id}/d01",
        data={"answer-d01.05": "no", "answer-d01.06": "yes", "goto": "d02"},
    )
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "Not saved" in body
    assert "Your answers on this page are saved." not in body
    assert "Your answers are saved." not in body
    db.session.expire_all()
    assert db.session.get(Response, response.id).answers == {}


def test_one_user_answers_once_and_may_change_the_answer(client, login, token):
    round_ = _round(client, token, login)
    login("viewer")
    response = _start(client, round_.id)
    client.post(
        f"/assessments/responses/{response.id}/d01",
        data={"answer-d01.01": "yes", "action": "submit", "confirm_unanswered": "1"},
    )
    again = client.post(
        f"/assessments/rounds/{round_.id}/respond", data={"respondent_role": "clinician"}
    )
    assert again.headers["Location"].endswith(f"/assessments/responses/{response.id}/d01")
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1
    refusal = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "refuse", AuditEvent.object_type == "assessment_responses"
        )
    )
    assert refusal is not None
    assert "second response" in refusal.detail
    start_page = client.get(f"/assessments/rounds/{round_.id}/respond").get_data(as_text=True)
    assert "Change my answers" in start_page
    assert "Start answering" not in start_page
    changed = client.post(
        f"/assessments/responses/{response.id}/d01",
        data={"answer-d01.01": "no", "action": "submit", "confirm_unanswered": "1"},
    )
    assert changed.status_code == 302
    db.session.expire_all()
    kept = db.session.get(Response, response.id)
    assert (kept.status, kept.answers["d01.01"]) == ("submitted", "no")
    # another user may not change it
    login("case_manager")
    assert client.get(f"/assessments/responses/{response.id}/d01").status_code == 404
