"""Assessments over HTTP: instruments, answers and their validation, drafts, scores,
directory evidence, plans, comparison of rounds, the network roll-up, respondent pages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from assessment import evidence
from assessment.models import AssessmentRound, Response
from tests.factories import OrganizationFactory, ServiceFactory

SERVICE = "icmec-service-assessment"
SELF = "core-competencies-self-assessment"


@pytest.fixture
def coord(client, token):
    headers = token("coordinator")

    def call(method, url, json=None):
        return client.open(url, method=method, json=json, headers=headers)

    return call


@pytest.fixture
def facility(coord):
    org = OrganizationFactory(name="Test Hospital")
    response = coord("POST", "/api/v1/facilities", {"organization_id": org.id})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def post(coord, facility, **body):
    payload = {"instrument": SERVICE, "respondent_role": "nurse", **body}
    return coord("POST", f"/api/v1/facilities/{facility['id']}/assessments", payload)


def test_instrument_maxima_computed_from_items(coord):
    body = coord("GET", f"/api/v1/instruments/{SELF}").get_json()
    maxima = {s["code"]: s["maximum"] for s in body["sections"]}
    assert maxima["c6"] == 33  # printed "out of 22"; 11 items x 3
    assert body["maximum"] == 186
    assert {s["code"]: s["printed_maximum"] for s in body["sections"]}["c6"] == 22
    assert len(coord("GET", "/api/v1/instruments").get_json()) == 2
    assert coord("GET", "/api/v1/instruments/nope").status_code == 404


def test_bad_answers_name_each_key(coord, facility):
    response = post(
        coord,
        facility,
        answers={
            "d01.05": "no",
            "d01.06": "yes",  # child of a NO
            "d99.01": "yes",  # unknown item
            "d02.01": "maybe",  # outside the scale
            "d10.06": "yes",
            "d10.07": "yes",  # IF NO child of a YES
        },
        ratings={"d01": 6, "d12": 3, "d77": 1},
    )
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert set(errors["answers"]) == {"d01.06", "d99.01", "d02.01", "d10.07"}
    assert "Asked only if d01.05 is YES" in errors["answers"]["d01.06"][0]
    assert set(errors["ratings"]) == {"d01", "d12", "d77"}
    self_bad = post(coord, facility, instrument=SELF, answers={"c1.01": 4, "c1.02": "yes"})
    assert set(self_bad.get_json()["errors"]["answers"]) == {"c1.01", "c1.02"}
    assert db.session.scalar(select(Response)) is None
    missing = coord("POST", f"/api/v1/facilities/{facility['id']}/assessments", {"answers": {}})
    assert set(missing.get_json()["errors"]) == {"instrument", "respondent_role"}


def test_scores_count_submitted_responses_only(coord, facility):
    post(
        coord,
        facility,
        answers={"d02.01": "yes", "d02.02": "yes", "d02.03": "no"},
        ratings={"d02": 4},
    )
    post(
        coord,
        facility,
        answers={"d02.01": "yes", "d02.02": "no", "d02.03": "na", "d02.04": "no"},
        ratings={"d02": 2},
    )
    draft = post(coord, facility, answers={"d02.01": "no", "d02.02": "no"}, submit=False)
    assert draft.get_json()["status"] == "draft"
    scores = coord("GET", f"/api/v1/facilities/{facility['id']}/scores?instrument={SERVICE}")
    body = scores.get_json()
    assert body["respondents"] == 2
    d02 = next(s for s in body["sections"] if s["code"] == "d02")
    # YES 2 + 1 = 3 of applicable 3 + 3 = 6 (one N/A left out; the draft's NOs not counted)
    assert (d02["score"], d02["maximum"], d02["applicable"]) == (3, 6, 6)
    assert d02["yes_share"] == pytest.approx(0.5)
    assert d02["percent"] == pytest.approx(50.0)
    assert d02["rating_mean"] == 3.0
    assert d02["ratings_count"] == 2
    assert d02["maximum_all"] == 5


def test_self_assessment_scores(coord, facility):
    post(
        coord,
        facility,
        instrument=SELF,
        respondent_role="leadership",
        answers={"c1.01": 3, "c1.02": 3, "c2.01": 1},
    )
    post(
        coord,
        facility,
        instrument=SELF,
        respondent_role="front_office",
        answers={"c1.01": 0, "c1.02": 2},
    )
    body = coord("GET", f"/api/v1/facilities/{facility['id']}/scores?instrument={SELF}").get_json()
    sections = {s["code"]: s for s in body["sections"]}
    # c1 item means 1.5 and 2.5 → 4 of 6
    assert (sections["c1"]["score"], sections["c1"]["maximum"]) == (4.0, 6)
    assert (sections["c2"]["score"], sections["c2"]["maximum"], sections["c2"]["maximum_all"]) == (
        1.0,
        3,
        18,
    )
    assert body["total"]["score"] == 5.0
    assert body["total"]["maximum_all"] == 186


def test_directory_evidence_follows_verification_and_deactivation(app):
    today = date.today()
    clinic = ServiceFactory(category="legal.aid", last_verified=None)

    def legal():
        return next(
            r for r in evidence.external_agencies(db.session, today) if r["area"] == "Legal"
        )

    assert legal() == {
        "area": "Legal",
        "active": 1,
        "verified": 0,
        "stale": 1,
        "status": "stale only",
    }
    clinic.last_verified = today - timedelta(days=3)
    db.session.commit()
    assert legal()["status"] == "current"
    clinic.status = "inactive"
    db.session.commit()
    assert legal()["status"] == "none listed"
    vocational = next(
        r
        for r in evidence.external_agencies(db.session, today)
        if r["area"] == "Educational/vocational"
    )
    assert vocational["status"] == "no directory category"


def test_domain_12_lists_directory_health_services_with_aaaq(app):
    from directory.aaaq_records import AaaqRating

    org = OrganizationFactory()
    own = ServiceFactory(name="Our ER", category="health.hospital", organization=org)
    other = ServiceFactory(name="Partner clinic", category="mental_health.general")
    ServiceFactory(name="Pantry", category="food")
    db.session.add(
        AaaqRating(
            service_id=other.id,
            rated_on=date.today(),
            availability=3,
            accessibility=2,
            acceptability=None,
            quality=1,
        )
    )
    db.session.commit()
    rows = evidence.available_services(db.session, org.id, date.today())
    assert [r["service"].name for r in rows] == ["Our ER", "Partner clinic"]
    assert rows[0]["own"] is True
    assert rows[1]["aaaq"]["overall"] == 2.0
    assert own.id == rows[0]["service"].id


def test_plan_goals_with_guidance(coord, facility):
    post(coord, facility, answers={"d09.01": "no"})
    round_id = db.session.scalar(select(AssessmentRound.id))
    goal = coord(
        "POST",
        f"/api/v1/rounds/{round_id}/goals",
        {"horizon": "10_days", "section": "d09", "text": "Name a safe room"},
    )
    assert goal.status_code == 201
    assert goal.get_json()["due_on"] == (date.today() + timedelta(days=10)).isoformat()
    bad = coord(
        "POST",
        f"/api/v1/rounds/{round_id}/goals",
        {"horizon": "someday", "section": "d99", "text": "x"},
    )
    assert set(bad.get_json()["errors"]) == {"horizon", "text"}
    bad_section = coord(
        "POST",
        f"/api/v1/rounds/{round_id}/goals",
        {"horizon": "1_year", "section": "d99", "text": "Something"},
    )
    assert "section" in bad_section.get_json()["errors"]
    done = coord("PATCH", f"/api/v1/goals/{goal.get_json()['id']}", {"status": "done"})
    assert done.get_json()["status"] == "done"
    from assessment import rounds

    plan = rounds.plan(db.session.get(AssessmentRound, round_id))
    assert plan[0]["guidance"]["heading"] == "Guidance on Safety"


def test_comparison_and_network(coord, facility, client, login):
    from assessment import rounds

    post(coord, facility, answers={"d02.01": "no", "d02.02": "no"})
    first = db.session.scalar(select(AssessmentRound))
    first.started_on = date.today() - timedelta(days=200)
    rounds.close_round(db.session, first, date.today() - timedelta(days=190))
    db.session.commit()
    post(coord, facility, answers={"d02.01": "yes", "d02.02": "no"})
    other_org = OrganizationFactory(name="Partner Shelter")
    other = coord("POST", "/api/v1/facilities", {"organization_id": other_org.id}).get_json()
    post(coord, other, answers={"d02.01": "yes", "d02.02": "yes"})
    from assessment.models import Facility

    fac = db.session.get(Facility, facility["id"])
    c = rounds.comparison(db.session, fac, SERVICE)
    d02 = next(row for row in c["rows"] if row["section"].code == "d02")
    assert d02["percents"] == [0.0, 50.0]
    assert d02["change"] == 50.0
    n = rounds.network(db.session, SERVICE)
    assert [row["facility"].name for row in n["rows"]] == ["Test Hospital", "Partner Shelter"]
    assert n["means"]["d02"] == {"percent": 75.0, "rating": None, "facilities": 2}
    login("coordinator")
    page = client.get(f"/assessments/facilities/{facility['id']}/compare?instrument={SERVICE}")
    assert "+50.0 points" in page.get_data(as_text=True)
    assert "Partner Shelter" in client.get("/assessments/network").get_data(as_text=True)


def test_respondent_answers_one_domain_per_page_and_sees_the_score(client, login, coord, facility):
    login("coordinator")
    client.post(f"/assessments/facilities/{facility['id']}/rounds", data={"instrument": SERVICE})
    round_ = db.session.scalar(select(AssessmentRound))
    login("case_manager")
    started = client.post(
        f"/assessments/rounds/{round_.id}/respond", data={"respondent_role": "nurse"}
    )
    assert started.status_code == 302
    response = db.session.scalar(select(Response))
    page = client.get(started.headers["Location"]).get_data(as_text=True)
    assert "From the directory" in page  # evidence beside d01.11
    bad = client.post(
        f"/assessments/responses/{response.id}/d01",
        data={"answer-d01.05": "no", "answer-d01.06": "yes", "action": "next"},
    )
    assert bad.status_code == 422
    assert "Asked only if d01.05 is YES" in bad.get_data(as_text=True)
    ok = client.post(
        f"/assessments/responses/{response.id}/d02",
        data={"answer-d02.01": "yes", "answer-d02.02": "no", "rating-d02": "4", "action": "later"},
    )
    assert ok.status_code == 302
    db.session.expire_all()
    assert db.session.get(Response, response.id).status == "draft"
    # unanswered questions are listed and the respondent confirms (#22)
    asked = client.post(f"/assessments/responses/{response.id}/d12", data={"action": "submit"})
    assert asked.status_code == 200
    assert "not answered yet" in asked.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Response, response.id).status == "draft"
    submit = client.post(
        f"/assessments/responses/{response.id}/d12",
        data={"action": "submit", "confirm_unanswered": "1"},
    )
    assert submit.status_code == 302
    login("case_manager_b")
    assert client.get(f"/assessments/responses/{response.id}/d01").status_code == 404
    login("coordinator")
    results = client.get(f"/assessments/rounds/{round_.id}").get_data(as_text=True)
    assert "1 submitted response" in results
    assert "50.0%" in results
    pdf = client.get(f"/assessments/rounds/{round_.id}/report.pdf")
    assert pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")


def test_a_blank_response_cannot_be_submitted_or_counted(client, login, coord, facility):
    api = coord(
        "POST",
        f"/api/v1/facilities/{facility['id']}/assessments",
        {
            "instrument": SERVICE,
            "respondent_role": "nurse",
            "answers": {},
            "ratings": {},
        },
    )
    assert api.status_code == 422
    login("coordinator")
    client.post(f"/assessments/facilities/{facility['id']}/rounds", data={"instrument": SERVICE})
    round_ = db.session.scalar(select(AssessmentRound))
    login("case_manager")
    client.post(f"/assessments/rounds/{round_.id}/respond", data={"respondent_role": "nurse"})
    response = db.session.scalar(select(Response))
    refused = client.post(
        f"/assessments/responses/{response.id}/d12",
        data={"action": "submit", "confirm_unanswered": "1"},
    )
    assert refused.status_code == 422
    assert "Answer at least one question before submitting" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Response, response.id).status == "draft"
    login("coordinator")
    assert "0 submitted responses" in client.get(f"/assessments/rounds/{round_.id}").get_data(
        as_text=True
    )


def test_after_submitting_the_coordinator_is_offered_the_results(client, login, coord, facility):
    login("coordinator")
    client.post(f"/assessments/facilities/{facility['id']}/rounds", data={"instrument": SERVICE})
    round_ = db.session.scalar(select(AssessmentRound))
    client.post(f"/assessments/rounds/{round_.id}/respond", data={"respondent_role": "nurse"})
    response = db.session.scalar(select(Response))
    done = client.post(
        f"/assessments/responses/{response.id}/d01",
        data={"answer-d01.01": "yes", "action": "submit", "confirm_unanswered": "1"},
        follow_redirects=True,
    )
    page = done.get_data(as_text=True)
    assert "Thank you: your answers are submitted." in page
    assert f"/assessments/rounds/{round_.id}" in page


def test_closing_a_round_asks_for_confirmation(client, login, coord, facility):
    login("coordinator")
    client.post(f"/assessments/facilities/{facility['id']}/rounds", data={"instrument": SERVICE})
    round_ = db.session.scalar(select(AssessmentRound))
    client.post(f"/assessments/rounds/{round_.id}/close")
    db.session.expire_all()
    assert db.session.get(AssessmentRound, round_.id).status == "open"
    client.post(f"/assessments/rounds/{round_.id}/close", data={"confirm": "yes"})
    db.session.expire_all()
    assert db.session.get(AssessmentRound, round_.id).status == "closed"
