"""Assessments that guide (#22): the improvement plan starts with suggested goals from the
weakest sections (unknown is never weak), each with the toolkit's Section III guidance,
accepted, edited or dismissed; the respondent link; the report in Spanish and French."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from assessment import rounds, suggestions
from assessment.models import AssessmentRound, PlanGoal, Response
from tests.factories import OrganizationFactory

SERVICE = "icmec-service-assessment"
SELF = "core-competencies-self-assessment"

# Two respondents. Worked out by hand, YES over applicable (N/A and unanswered left out):
#   d09: NO, NO / NO           -> 0 of 3 = 0.0 %
#   d02: NO, NO, YES / NO      -> 1 of 4 = 25.0 %
#   d04: YES, NO / YES         -> 2 of 3 = 66.7 %
#   d05: YES / YES             -> 100 %   (nothing to improve)
#   d06: N/A / N/A             -> no percent (unknown, not weak)
#   d07: nothing answered      -> no percent
ANSWERS_A = {
    "d09.01": "no",
    "d09.02": "no",
    "d02.01": "no",
    "d02.02": "no",
    "d02.03": "yes",
    "d04.01": "yes",
    "d04.02": "no",
    "d05.01": "yes",
    "d06.01": "na",
}
ANSWERS_B = {"d09.01": "no", "d02.01": "no", "d04.01": "yes", "d05.01": "yes", "d06.01": "na"}


@pytest.fixture
def api(client, token):
    headers = token("coordinator")

    def call(method, url, json=None):
        return client.open(url, method=method, json=json, headers=headers)

    return call


def _answered_round(api) -> AssessmentRound:
    org = OrganizationFactory(name="Lakeside Clinic")
    facility = api("POST", "/api/v1/facilities", {"organization_id": org.id}).get_json()
    for answers, role in ((ANSWERS_A, "nurse"), (ANSWERS_B, "clinician")):
        response = api(
            "POST",
            f"/api/v1/facilities/{facility['id']}/assessments",
            {"instrument": SERVICE, "respondent_role": role, "answers": answers},
        )
        assert response.status_code == 201, response.get_json()
    return db.session.scalar(select(AssessmentRound))


def test_the_three_weakest_domains_are_suggested_with_their_guidance(api):
    round_ = _answered_round(api)
    found = suggestions.for_round(db.session, round_)
    assert found["source"].id == round_.id
    got = found["suggestions"]
    assert [s.section.code for s in got] == ["d09", "d02", "d04"]
    assert [s.percent for s in got] == [0.0, 25.0, 66.7]
    assert [s.horizon for s in got] == ["10_days", "1_month", "3_months"]
    # the items that pulled each one down, most NOs first; never an N/A or a blank
    assert [(n, item.code) for n, item in got[0].weak_items] == [(2, "d09.01"), (1, "d09.02")]
    assert [(n, item.code) for n, item in got[1].weak_items] == [(2, "d02.01"), (1, "d02.02")]
    assert got[0].text.startswith("Improve “Safety”, starting with: d09.01 Is there a policy")
    assert "d09.02 Does the facility have adequate safety measures" in got[0].text
    assert got[0].guidance["heading"] == "Guidance on Safety"
    assert got[0].guidance["text"].startswith("It is critically important to consider")
    assert "Section III" in got[0].guidance["source"]
    assert "lines 1803-1871" in got[0].guidance["source"]


def test_unknown_answers_are_never_suggested_as_weak(api):
    org = OrganizationFactory()
    facility = api("POST", "/api/v1/facilities", {"organization_id": org.id}).get_json()
    api(
        "POST",
        f"/api/v1/facilities/{facility['id']}/assessments",
        {
            "instrument": SERVICE,
            "respondent_role": "nurse",
            "answers": {"d06.01": "na", "d06.02": "na", "d05.01": "yes"},
            "ratings": {"d06": None, "d07": None},
        },
    )
    round_ = db.session.scalar(select(AssessmentRound))
    assert suggestions.for_round(db.session, round_)["suggestions"] == []


def test_self_assessment_suggests_sections_answered_never_or_occasionally(api):
    org = OrganizationFactory()
    facility = api("POST", "/api/v1/facilities", {"organization_id": org.id}).get_json()
    api(
        "POST",
        f"/api/v1/facilities/{facility['id']}/assessments",
        {
            "instrument": SELF,
            "respondent_role": "leadership",
            # c1: 0 + 3 = 3 of 6 (50 %); c2: 2 of 3 (66.7 %, no item at 0 or 1); c3: 3 of 3
            "answers": {"c1.01": 0, "c1.02": 3, "c2.01": 2, "c3.01": 3},
        },
    )
    round_ = db.session.scalar(select(AssessmentRound))
    got = suggestions.for_round(db.session, round_)["suggestions"]
    assert [(s.section.code, s.percent) for s in got] == [("c1", 50.0), ("c2", 66.7)]
    assert [item.code for _n, item in got[0].weak_items] == ["c1.01"]
    assert got[1].weak_items == []
    assert got[1].text == "Raise the score of “Competency 2: Risk”."
    assert got[0].guidance["domain"] == "d01"  # competency 1 points at domain 1's guidance


def test_accept_edit_and_dismiss_on_the_round_page(api, client, login):
    round_ = _answered_round(api)
    login("coordinator")
    page = client.get(f"/assessments/rounds/{round_.id}").get_data(as_text=True)
    assert "Suggested goals" in page
    assert "Guidance on Safety" in page
    assert 'id="sg-d09-text"' in page
    assert 'id="sg-d04-text"' in page
    # accept d09 with an edited text and another horizon
    accepted = client.post(
        f"/assessments/rounds/{round_.id}/goals",
        data={"section": "d09", "horizon": "1_month", "text": "Name a private room for talks"},
    )
    assert accepted.status_code == 302
    goal = db.session.scalar(select(PlanGoal))
    assert (goal.section, goal.horizon, goal.text, goal.status) == (
        "d09",
        "1_month",
        "Name a private room for talks",
        "not_started",
    )
    assert goal.due_on == date.today() + timedelta(days=30)
    # dismiss d02: it leaves the suggestions, is no goal, and can be brought back
    dismissed = client.post(
        f"/assessments/rounds/{round_.id}/suggestions/d02/dismiss", data={"text": "x"}
    )
    assert dismissed.status_code == 302
    db.session.expire_all()
    round_ = db.session.get(AssessmentRound, round_.id)
    left = [s.section.code for s in suggestions.for_round(db.session, round_)["suggestions"]]
    assert left == ["d04"]  # d05 is at 100 %, d06 and d07 unknown: nothing else to suggest
    assert [e["goal"].section for e in rounds.plan(round_)] == ["d09"]
    listed = api("GET", f"/api/v1/rounds/{round_.id}/goals").get_json()
    assert [g["section"] for g in listed] == ["d09"]
    page = client.get(f"/assessments/rounds/{round_.id}").get_data(as_text=True)
    assert "Dismissed suggestions" in page
    restored_id = db.session.scalar(select(PlanGoal.id).where(PlanGoal.status == "dismissed"))
    assert client.post(f"/assessments/goals/{restored_id}/restore").status_code == 302
    db.session.expire_all()
    round_ = db.session.get(AssessmentRound, round_.id)
    left = [s.section.code for s in suggestions.for_round(db.session, round_)["suggestions"]]
    assert left == ["d02", "d04"]
    # an unknown section is a 404, not a stored row
    assert (
        client.post(f"/assessments/rounds/{round_.id}/suggestions/d99/dismiss").status_code == 404
    )


def test_a_new_round_starts_from_the_last_closed_rounds_weak_spots(api, client, login):
    first = _answered_round(api)
    first.title = "Spring review"
    rounds.close_round(db.session, first, date.today())
    db.session.commit()
    login("coordinator")
    client.post(
        f"/assessments/facilities/{first.facility_id}/rounds",
        data={"instrument": SERVICE, "title": "Autumn review"},
    )
    second = db.session.scalar(select(AssessmentRound).where(AssessmentRound.id != first.id))
    found = suggestions.for_round(db.session, second)
    assert found["source"].id == first.id
    assert [s.section.code for s in found["suggestions"]] == ["d09", "d02", "d04"]
    page = client.get(f"/assessments/rounds/{second.id}").get_data(as_text=True)
    assert "closed round “Spring review”" in page


def test_the_round_page_offers_the_respondent_link(api, client, login):
    round_ = _answered_round(api)
    login("coordinator")
    page = client.get(f"/assessments/rounds/{round_.id}").get_data(as_text=True)
    link = f"http://localhost/assessments/rounds/{round_.id}/respond"
    assert f'value="{link}" readonly' in page
    assert 'role="status"' in page
    assert "Copy link" in page
    # the link opens the round for a respondent of any role, who chooses a role and starts
    login("viewer")
    start = client.get(f"/assessments/rounds/{round_.id}/respond")
    text = start.get_data(as_text=True)
    assert start.status_code == 200
    assert "Lakeside Clinic" in text
    assert "Start answering" in text
    begun = client.post(
        f"/assessments/rounds/{round_.id}/respond", data={"respondent_role": "security"}
    )
    assert begun.headers["Location"].endswith("/d01")
    assert "Continue" in client.get(f"/assessments/rounds/{round_.id}/respond").get_data(
        as_text=True
    )
    rounds.close_round(db.session, round_, date.today())
    db.session.commit()
    closed = client.get(f"/assessments/rounds/{round_.id}/respond").get_data(as_text=True)
    assert "This round is closed" in closed
    assert client.get("/assessments/rounds/999999/respond").status_code == 404


@pytest.mark.parametrize(
    ("lang", "heading", "plan", "english"),
    [
        ("es", "Resultados, los más débiles primero", "Plan de mejora", "Improvement plan"),
        ("fr", "Résultats, les plus faibles d’abord", "Plan d’amélioration", "Improvement plan"),
    ],
)
def test_the_report_pdf_in_spanish_and_french(api, client, login, lang, heading, plan, english):
    round_ = _answered_round(api)
    login("coordinator")
    client.get(f"/language?lang={lang}")
    response = client.get(f"/assessments/rounds/{round_.id}/report.pdf")
    assert response.status_code == 200
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages).split()
    )
    assert heading in text
    assert plan in text
    assert english not in text
    # ?lang= wins over the interface language
    forced = client.get(f"/assessments/rounds/{round_.id}/report.pdf?lang=en")
    first = " ".join(PdfReader(io.BytesIO(forced.data)).pages[0].extract_text().split())
    assert "Results, weakest first" in first


@pytest.mark.parametrize(
    ("lang", "round_words", "answer_words"),
    [
        (
            "es",
            ["Objetivos sugeridos", "Enlace para participantes", "Copiar enlace", "Descartar"],
            ["Sección 1 de 12.", "SÍ", "respondiendo como Seguridad"],
        ),
        (
            "fr",
            ["Objectifs suggérés", "Lien pour les répondants", "Copier le lien", "Écarter"],
            ["Section 1 sur 12.", "OUI", "réponses en tant que Sécurité"],
        ),
    ],
)
def test_the_round_and_answer_pages_in_spanish_and_french(
    api, client, login, lang, round_words, answer_words
):
    round_ = _answered_round(api)
    login("coordinator")
    client.get(f"/language?lang={lang}")
    page = client.get(f"/assessments/rounds/{round_.id}").get_data(as_text=True)
    for word in round_words:
        assert word in page, word
    assert "Suggested goals" not in page
    login("case_manager")  # the coordinator answered already: one response each
    begun = client.post(
        f"/assessments/rounds/{round_.id}/respond", data={"respondent_role": "security"}
    )
    answer = client.get(begun.headers["Location"]).get_data(as_text=True)
    for word in answer_words:
        assert word in answer, word
    assert "For each item" not in answer


def test_submitting_with_blanks_lists_them_and_asks_first(api, client, login):
    """62 self-assessment items (seed file); 2 answered leave 60, 30 listed by name."""
    org = OrganizationFactory()
    facility = api("POST", "/api/v1/facilities", {"organization_id": org.id}).get_json()
    login("coordinator")
    client.post(f"/assessments/facilities/{facility['id']}/rounds", data={"instrument": SELF})
    round_ = db.session.scalar(select(AssessmentRound))
    begun = client.post(
        f"/assessments/rounds/{round_.id}/respond", data={"respondent_role": "nurse"}
    )
    response_url = begun.headers["Location"].rsplit("/", 1)[0]
    client.post(
        f"{response_url}/universal",
        data={"answer-universal.01": "2", "answer-universal.02": "3", "action": "later"},
    )
    asked = client.post(f"{response_url}/c6", data={"action": "submit"})
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert "60 questions not answered yet" in page
    assert "#item-universal.03" in page  # each listed item links to its place
    assert "universal.01" not in page.split('id="unanswered"')[1].split("</ul>")[0]
    assert "… and 30 more" in page
    assert "Submit without them" in page
    db.session.expire_all()
    assert db.session.scalar(select(Response.status)) == "draft"
    done = client.post(f"{response_url}/c6", data={"action": "submit", "confirm_unanswered": "1"})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(Response.status)) == "submitted"


def test_the_report_running_header_shows_names_as_written(api, client, login):
    round_ = _answered_round(api)
    round_.facility.organization.name = 'O\'Brien & Daughters "Clinic" </style>'
    db.session.commit()
    login("coordinator")
    response = client.get(f"/assessments/rounds/{round_.id}/report.pdf")
    first = " ".join(PdfReader(io.BytesIO(response.data)).pages[0].extract_text().split())
    assert "O'Brien & Daughters Clinic /style · " in first
    assert "&#39;" not in first
    assert "&amp;" not in first


def test_the_api_lists_the_suggested_goals(api):
    round_ = _answered_round(api)
    body = api("GET", f"/api/v1/rounds/{round_.id}/suggested-goals").get_json()
    assert body["round_id"] == round_.id
    assert body["source_round_id"] == round_.id
    assert [s["section"] for s in body["suggestions"]] == ["d09", "d02", "d04"]
    first = body["suggestions"][0]
    assert (first["title"], first["percent"], first["horizon"]) == ("Safety", 0.0, "10_days")
    assert first["weak_items"][0] == {
        "code": "d09.01",
        "text": "Is there a policy in place to assess and ensure the physical safety of staff "
        "and patients/clients?",
        "respondents": 2,
    }
    assert first["guidance"]["heading"] == "Guidance on Safety"
    # accepting one is POSTing it as a goal; it then leaves the suggestions
    goal = {"section": "d09", "horizon": first["horizon"], "text": first["text"]}
    assert api("POST", f"/api/v1/rounds/{round_.id}/goals", goal).status_code == 201
    body = api("GET", f"/api/v1/rounds/{round_.id}/suggested-goals").get_json()
    assert [s["section"] for s in body["suggestions"]] == ["d02", "d04"]
    assert api("GET", "/api/v1/rounds/999999/suggested-goals").status_code == 404


def test_a_goal_typed_on_the_page_is_held_to_the_apis_rules(api, client, login):
    """One rule for a goal, page and API alike: at most 2,000 characters (the page said
    nothing of a limit, the API refused past 2,000); the refusal in the reader's language."""
    round_ = _answered_round(api)
    login("coordinator")
    client.get("/language?lang=es")
    refused = client.post(
        f"/assessments/rounds/{round_.id}/goals",
        data={"horizon": "10_days", "section": "d09", "text": "x" * 2001},
        follow_redirects=True,
    )
    assert "La longitud debe estar entre 3 y 2000." in refused.get_data(as_text=True)
    assert db.session.scalars(select(PlanGoal)).all() == []
    client.post(
        f"/assessments/rounds/{round_.id}/goals",
        data={"horizon": "10_days", "section": "d09", "text": "x" * 2000},
    )
    assert [len(g.text) for g in db.session.scalars(select(PlanGoal))] == [2000]
