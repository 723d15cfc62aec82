"""The respondent's page as a service (``assessment.answers``) and its form's schema: who
may change a response, what each button leads to, and the errors raised (never a 5xx)."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from app import clock
from app.extensions import db
from assessment import answers, instruments, rounds
from assessment.schemas import SectionFormSchema
from tests.factories import OrganizationFactory

SERVICE = instruments.SERVICE


@pytest.fixture
def setup(users):
    facility = rounds.create_facility(db.session, {"organization_id": OrganizationFactory().id})
    round_ = rounds.open_round(
        db.session, facility, instruments.get(SERVICE), users["coordinator"], clock.today()
    )
    response = rounds.start_response(db.session, round_, "nurse", users["viewer"])
    db.session.commit()
    return round_, response, users


def _form(**overrides) -> dict:
    return {"answers": {}, "ratings": {}, "action": "next", "goto": None, "confirm": False} | (
        overrides
    )


def _section(code: str):
    return instruments.get(SERVICE).section(code)


def test_next_back_goto_and_later(setup):
    _round, response, users = setup
    viewer, d02 = users["viewer"], _section("d02")
    assert answers.save_section(db.session, response, d02, _form(), viewer).target == "d03"
    back = answers.save_section(db.session, response, d02, _form(action="back"), viewer)
    assert back == answers.Saved(answers.MOVED, target="d01")
    first = answers.save_section(db.session, response, _section("d01"), _form(action="x"), viewer)
    assert first.target == "d01"  # no section before the first
    moved = answers.save_section(db.session, response, d02, _form(goto="d07"), viewer)
    assert moved.target == "d07"
    later = answers.save_section(db.session, response, d02, _form(action="later"), viewer)
    assert later.outcome == answers.LATER


def test_submit_with_blanks_asks_first_then_submits(setup):
    _round, response, users = setup
    form = _form(answers={"d01.01": "yes"}, action="submit")
    asked = answers.save_section(db.session, response, _section("d01"), form, users["viewer"])
    assert asked.outcome == answers.CONFIRM
    assert asked.unanswered
    assert response.status == "draft"
    assert response.answers == {"d01.01": "yes"}  # saved, not submitted
    done = answers.save_section(
        db.session, response, _section("d01"), form | {"confirm": True}, users["viewer"]
    )
    assert (done.outcome, response.status) == (answers.SUBMITTED, "submitted")
    again = answers.save_section(
        db.session, response, _section("d01"), form | {"confirm": True}, users["viewer"]
    )
    assert again.outcome == answers.AMENDED


def test_a_submitted_response_is_not_changed_by_another_user(setup):
    _round, response, users = setup
    response.answers, response.status = {"d01.01": "yes"}, "submitted"
    answers.may_change(response, users["viewer"])  # its respondent may
    with pytest.raises(answers.AlreadySubmitted) as refused:
        answers.save_section(db.session, response, _section("d01"), _form(), users["coordinator"])
    assert refused.value.status == 409
    assert refused.value.message == "This response was submitted already."


def test_invalid_answers_name_each_question(setup):
    _round, response, users = setup
    form = _form(answers={"d01.01": "maybe"})
    with pytest.raises(rounds.InvalidAnswers) as refused:
        answers.save_section(db.session, response, _section("d01"), form, users["viewer"])
    assert refused.value.status == 422
    assert list(refused.value.by_code()) == ["d01.01"]


def test_a_closed_round_takes_no_answers(setup):
    round_, response, users = setup
    rounds.close_round(db.session, round_, clock.today())
    with pytest.raises(rounds.InvalidAnswers) as refused:
        answers.save_section(db.session, response, _section("d01"), _form(), users["viewer"])
    assert refused.value.by_code() == {"round": ["This round is closed."]}


def test_the_form_schema_reads_one_section(app):
    d01 = _section("d01")
    loaded = SectionFormSchema.for_section(d01).load(
        {"answer-d01.01": "yes", "answer-d01.02": "", "answer-x": "no", "goto": "d03"}
    )
    assert loaded["answers"]["d01.01"] == "yes"
    assert loaded["answers"]["d01.02"] is None
    assert set(loaded["answers"]) == {item.code for item in d01.items}
    assert (loaded["action"], loaded["goto"], loaded["confirm"]) == ("next", "d03", False)
    with pytest.raises(ValidationError) as refused:
        SectionFormSchema.for_section(d01).load({"answer-d01.01": "9" * 40})
    assert list(refused.value.messages) == ["answer-d01.01"]
