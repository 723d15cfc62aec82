"""Ids, page numbers and other whole numbers in pages, forms and the HSDS API: a value that
is not a whole number in range is a clear 4xx naming the parameter, never a 500 and never
silently corrected (issue #19, "500s instead of a clear 4xx")."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import MAX_ID, db
from assessment.models import AssessmentRound, Response
from tests.factories import OrganizationFactory, ServiceFactory

NINES = "9" * 25
HOSTILE_IDS = [NINES, str(MAX_ID + 1), "-3", "0", "abc", "1e3", "12.5", "²", "١٢", "0x10"]


def _clear_refusal(response, name: str) -> None:
    """A 4xx that names the field (the page's text or the API's ``errors``)."""
    assert 400 <= response.status_code < 500, response.status_code
    body = response.get_data(as_text=True)
    assert name in body, body[:500]


@pytest.mark.parametrize("value", HOSTILE_IDS)
def test_referral_form_service_id_is_bounded(client, login, value):
    login("case_manager")
    _clear_refusal(client.get(f"/referrals/new?service_id={value}"), "service_id")
    _clear_refusal(client.post("/referrals/new", data={"service_id": value}), "service_id")


def test_referral_form_unknown_service_is_still_404(client, login):
    login("case_manager")
    assert client.get(f"/referrals/new?service_id={MAX_ID}").status_code == 404
    assert client.get("/referrals/new").status_code in (400, 404)


@pytest.mark.parametrize("value", HOSTILE_IDS)
def test_new_service_organization_id_is_bounded(client, login, value):
    login("coordinator")
    _clear_refusal(client.get(f"/services/new?organization_id={value}"), "organization_id")


@pytest.mark.parametrize("value", HOSTILE_IDS)
def test_card_entry_service_id_is_bounded(client, login, value):
    login("coordinator")
    _clear_refusal(client.post("/sheets/card", data={"service_id": value}), "service_id")


@pytest.mark.parametrize("value", [NINES, "-1", "abc", "²"])
def test_card_entry_position_is_bounded(client, login, value):
    login("coordinator")
    service = ServiceFactory()
    response = client.post(
        "/sheets/card", data={"service_id": service.id, "label": "Pantry", "position": value}
    )
    _clear_refusal(response, "position")


@pytest.mark.parametrize("value", ["abc", NINES, "-1", "0", "²"])
def test_new_facility_organization_id_is_bounded(client, login, value):
    login("coordinator")
    response = client.post("/assessments/facilities", data={"organization_id": value})
    _clear_refusal(response, "organization_id")


def test_new_facility_from_an_organization_still_works(client, login):
    login("coordinator")
    org = OrganizationFactory(name="Bounded Hospital")
    response = client.post("/assessments/facilities", data={"organization_id": str(org.id)})
    assert response.status_code == 302


@pytest.mark.parametrize("value", [NINES, "0", "-2", "abc", "²", "1.5"])
def test_audit_viewer_page_is_bounded(client, login, value):
    login("admin")
    _clear_refusal(client.get(f"/admin/audit?page={value}"), "page")


def test_audit_viewer_last_page_in_range_is_fine(client, login):
    login("admin")
    assert client.get(f"/admin/audit?page={MAX_ID}").status_code == 200


@pytest.fixture
def answering(client, login, token):
    """A draft response to the service assessment, its respondent logged in."""
    org = OrganizationFactory(name="Answer Hospital")
    made = client.post(
        "/api/v1/facilities", json={"organization_id": org.id}, headers=token("coordinator")
    )
    login("coordinator")
    client.post(
        f"/assessments/facilities/{made.get_json()['id']}/rounds",
        data={"instrument": "icmec-service-assessment"},
    )
    round_ = db.session.scalar(select(AssessmentRound))
    login("case_manager")
    client.post(f"/assessments/rounds/{round_.id}/respond", data={"respondent_role": "nurse"})
    return db.session.scalar(select(Response))


@pytest.mark.parametrize("value", ["²", "١", NINES, "-1", "3.0"])
def test_assessment_rating_answer_is_refused_clearly(client, answering, value):
    response = client.post(
        f"/assessments/responses/{answering.id}/d02",
        data={"answer-d02.01": "yes", "rating-d02": value, "action": "later"},
    )
    _clear_refusal(response, "rating-d02" if value.isascii() else "rating")


@pytest.mark.parametrize("value", ["²", NINES, "maybe"])
def test_assessment_item_answer_is_refused_clearly(client, answering, value):
    response = client.post(
        f"/assessments/responses/{answering.id}/d02",
        data={"answer-d02.01": value, "action": "later"},
    )
    assert 400 <= response.status_code < 500


# --- the HSDS API -----------------------------------------------------------------------


@pytest.fixture
def hsds(client, token):
    headers = token("viewer")

    def get(query: str):
        return client.get(f"/api/hsds/services?{query}", headers=headers)

    return get


def _names(response, name: str) -> None:
    assert response.status_code == 422, (response.status_code, response.get_data(as_text=True))
    assert name in response.get_json()["errors"], response.get_json()


@pytest.mark.parametrize("value", [NINES, "0", "-1", "abc", "1.5", "²"])
def test_hsds_page_is_bounded(hsds, value):
    _names(hsds(f"page={value}"), "page")


@pytest.mark.parametrize("value", ["0", "-5", "201", NINES, "abc"])
def test_hsds_per_page_is_refused_not_clamped(hsds, value):
    _names(hsds(f"per_page={value}"), "per_page")


def test_hsds_per_page_in_range_is_answered(hsds):
    body = hsds("per_page=200&page=3").get_json()
    assert body["page_number"] == 3
    assert hsds("per_page=1").status_code == 200


@pytest.mark.parametrize("value", ["inf", "nan", "-inf", "1e308", "-5", "abc"])
def test_hsds_proximity_is_a_finite_distance(hsds, value):
    _names(hsds(f"postcode=60601&proximity={value}"), "proximity")


@pytest.mark.parametrize(
    "value", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "yesterday"]
)
def test_hsds_modified_after_is_checked(hsds, value):
    _names(hsds(f"modified_after={value}"), "modified_after")


def test_hsds_modified_after_in_range_is_answered(hsds):
    assert hsds("modified_after=2020-01-01T00:00:00Z").status_code == 200
    assert hsds("modified_after=2020-01-01").status_code == 200


@pytest.mark.parametrize("path", ["organizations", "service_at_locations"])
def test_hsds_paging_on_every_list(client, token, path):
    response = client.get(f"/api/hsds/{path}?page={NINES}", headers=token("viewer"))
    _names(response, "page")


@pytest.mark.parametrize("path", ["/services/{}", "/organizations/{}", "/api/v1/services/{}"])
def test_ids_in_a_path_are_ascii_digits_only(client, login, path):
    """One record, one address: ``/services/١`` (an Arabic-Indic one) is not ``/services/1``."""
    ServiceFactory()  # service 1 of organization 1
    login("coordinator")
    assert client.get(path.format("1")).status_code == 200
    assert client.get(path.format("١")).status_code == 404


def test_an_organization_email_past_254_characters_is_refused_naming_it(client, token):
    email = "a" * 243 + "@example.org"  # 255 characters
    response = client.post(
        "/api/v1/organizations",
        json={"name": "Long Mail Org", "email": email},
        headers=token("coordinator"),
    )
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"email": ["Longer than maximum length 254."]}


@pytest.mark.parametrize("value", ["99999999999999999999999", str(MAX_ID + 1), "0", "-1"])
def test_scores_round_is_bounded(client, token, value):
    """``scores?round=`` past what the database holds: a 422 naming ``round`` (a 500
    before: the driver overflowed)."""
    facility = OrganizationFactory()
    db.session.commit()
    response = client.get(
        f"/api/v1/facilities/{facility.id}/scores",
        query_string={"instrument": "icmec-service-assessment", "round": value},
        headers=token("coordinator"),
    )
    assert response.status_code == 422, response.get_data(as_text=True)
    assert list(response.get_json()["errors"]) == ["round"]


def test_a_huge_whole_number_in_any_query_parameter_is_refused(client, token):
    """No parameter takes a number past 10^18: refused before a route reads it, naming it,
    whichever route (here the search's ``age``, and a page's ``page``)."""
    response = client.get(f"/api/v1/services?age={NINES}", headers=token("viewer"))
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["age"]
    assert client.get("/api/v1/services?age=30", headers=token("viewer")).status_code == 200
