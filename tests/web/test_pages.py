"""Server-rendered pages: login, search, service and organization pages, coordinator forms."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from directory.models import Organization, Service
from tests.conftest import PASSWORD
from tests.factories import LocationFactory, OrganizationFactory, PhoneFactory, ServiceFactory


def text(response) -> str:
    return response.get_data(as_text=True)


def test_login_failure_and_safe_next(client, users):
    bad = client.post(
        "/login", data={"email": "viewer@test.example", "password": "wrong-wrong-wrong"}
    )
    assert bad.status_code == 401
    assert "not right" in text(bad)
    ok = client.post(
        "/login?next=/organizations", data={"email": "viewer@test.example", "password": PASSWORD}
    )
    assert ok.headers["Location"] == "/organizations"


def test_next_cannot_leave_the_site(client, users):
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"):
        client.post("/logout")
        response = client.post(
            f"/login?next={target}", data={"email": "viewer@test.example", "password": PASSWORD}
        )
        assert response.headers["Location"] == "/", target


def test_anonymous_is_sent_to_login_with_next(client):
    response = client.get("/?q=food")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_search_page_shows_results_with_call_links(client, login):
    login("viewer")
    service = ServiceFactory(
        name="Pilsen pantry",
        languages="es en",
        open_24_7=True,
        handoff_name="Rosa (test)",
        handoff_phone="+13125550177",
    )
    PhoneFactory(service=service, number="+13125550123")
    page = text(client.get("/?q=pantry&language=es"))
    assert "Pilsen pantry" in page
    assert 'href="tel:+13125550123"' in page
    assert "Open now" in page
    assert "Spanish" in page
    assert "Rosa (test)" in page
    assert 'href="tel:+13125550177"' in page
    assert "never verified" in page


def test_search_page_empty_result_suggests_what_to_change(client, login):
    login("viewer")
    page = text(client.get("/?q=nothing-matches-this"))
    assert "No service matches" in page
    assert "wider distance" in page


def test_search_page_names_a_bad_filter(client, login):
    login("viewer")
    response = client.get("/?near=Atlantis%20Nowhere&age=-4")
    assert response.status_code == 422
    page = text(response)
    assert "not known" in page or "greater than or equal" in page
    assert "Please correct the highlighted filters" in page


def test_stale_records_are_marked(client, login):
    login("viewer")
    ServiceFactory(name="Old record", last_verified=date(2020, 1, 2))
    assert 'not verified since <time datetime="2020-01-02">Jan 2, 2020</time>' in text(
        client.get("/")
    )


@pytest.mark.parametrize(
    ("accept_language", "shown"),
    [
        (None, "Jan 2, 2020"),
        ("en-US,en;q=0.9", "Jan 2, 2020"),
        ("en-GB,en;q=0.9", "2 Jan 2020"),
        ("fr-FR,fr;q=0.8", "2 janv. 2020"),
        ("de-DE", "02.01.2020"),
        ("xx-YY, es;q=0.5", "2 ene 2020"),  # an unknown tag is skipped, the next one used
    ],
)
def test_dates_follow_the_browser_locale(client, login, accept_language, shown):
    login("viewer")
    service = ServiceFactory(name="Old record", last_verified=date(2020, 1, 2))
    headers = {"Accept-Language": accept_language} if accept_language else {}
    page = text(client.get(f"/services/{service.id}", headers=headers))
    assert f'<time datetime="2020-01-02">{shown}</time>' in page
    # the API keeps ISO 8601 whatever the browser prefers
    answer = client.get(f"/api/v1/services/{service.id}", headers=headers).get_json()
    assert answer["last_verified"] == "2020-01-02"


def test_share_text_never_carries_a_confidential_address(client, login):
    """A coordinator sees the address, but the block meant for a client's phone omits it."""
    org = OrganizationFactory()
    loc = LocationFactory(organization=org, address_1="9 Quiet Mews", confidential=True)
    service = ServiceFactory(name="Safe house", organization=org, location=loc)
    open_loc = LocationFactory(organization=org, address_1="12 Open Street", confidential=False)
    clinic = ServiceFactory(name="Clinic", organization=org, location=open_loc)
    login("coordinator")
    page = text(client.get(f"/services/{service.id}"))
    share = page.split('id="share-text"', 1)[1].split("</textarea>", 1)[0]
    assert "9 Quiet Mews" in page.replace(share, "")
    assert "9 Quiet Mews" not in share
    assert "Address: given by phone" in share
    page = text(client.get(f"/services/{clinic.id}"))
    share = page.split('id="share-text"', 1)[1].split("</textarea>", 1)[0]
    assert "Address: 12 Open Street" in share


def test_confidential_address_on_pages(client, login):
    org = OrganizationFactory()
    loc = LocationFactory(organization=org, address_1="9 Quiet Mews", confidential=True)
    service = ServiceFactory(name="Safe house", organization=org, location=loc)
    for role, visible in (("viewer", False), ("case_manager", False), ("coordinator", True)):
        login(role)
        for url in ("/", f"/services/{service.id}", f"/organizations/{org.id}"):
            assert ("9 Quiet Mews" in text(client.get(url))) is visible, (role, url)


def test_coordinator_creates_an_organization_and_a_service(client, login):
    login("coordinator")
    response = client.post(
        "/organizations/new",
        data={
            "name": "Harbor Legal",
            "kind": "ngo",
            "scope": "local",
            "status": "active",
            "mou_status": "none",
            "phones.0.number": "312 555 0160",
            "phones.0.kind": "voice",
        },
    )
    assert response.status_code == 302
    org = db.session.scalar(select(Organization).where(Organization.name == "Harbor Legal"))
    assert org.phones[0].number == "+13125550160"
    response = client.post(
        f"/services/new?organization_id={org.id}",
        data={
            "organization_id": org.id,
            "name": "Immigration clinic",
            "category": "legal.aid",
            "languages": ["es", "quc mam"],
            "genders": ["female"],
            "modalities": ["in_person"],
            "cost": "free",
            "immigration_status": "any",
            "care_type": "ongoing",
            "status": "active",
            "hours.0.weekday": "Mon",
            "hours.0.opens": "09:00",
            "hours.0.closes": "17:00",
            "location.city": "Chicago",
            "location.postal_code": "60608",
            "location.country": "US",
            "walk_in": "true",
        },
    )
    assert response.status_code == 302, text(response)
    service = db.session.scalar(select(Service).where(Service.name == "Immigration clinic"))
    assert service.language_list == ["es", "quc", "mam"]
    assert service.walk_in is True
    assert service.victim_id_required is None  # not stated on the form: not a "no" (#21)
    assert service.location.search_lat is not None  # placed at the ZIP centre
    assert service.hours[0].opens == 540


def test_service_form_errors_name_fields_and_keep_input(client, login):
    login("coordinator")
    org = OrganizationFactory()
    response = client.post(
        f"/services/new?organization_id={org.id}",
        data={
            "organization_id": org.id,
            "name": "Typed name kept",
            "category": "",
            "description": "A long description I typed",
            "languages": ["xx"],
            "hours.3.weekday": "Thu",
            "hours.3.opens": "9am",
            "hours.3.closes": "17:00",
            "handoff_phone": "12345",
        },
    )
    assert response.status_code == 422
    page = text(response)
    assert "Nothing was saved" in page
    assert 'value="Typed name kept"' in page
    assert "A long description I typed" in page
    assert 'id="category-error"' in page
    assert 'id="languages-error"' in page
    assert 'id="hours-3-opens-error"' in page  # the row the user typed in
    assert 'id="handoff_phone-error"' in page
    assert db.session.scalar(select(Service)) is None


def test_edit_with_stale_version_keeps_the_other_change(client, login):
    login("coordinator")
    service = ServiceFactory(name="Before")
    form = text(client.get(f"/services/{service.id}/edit"))
    assert 'name="version" value="1"' in form
    service.name = "Changed by someone else"
    db.session.commit()
    response = client.post(
        f"/services/{service.id}/edit",
        data={
            "organization_id": service.organization_id,
            "name": "My edit",
            "category": "food",
            "version": "1",
        },
    )
    assert response.status_code == 422
    assert "Someone else changed this record" in text(response)
    assert 'value="My edit"' in text(response)
    db.session.expire_all()
    assert db.session.get(Service, service.id).name == "Changed by someone else"


def test_edit_form_round_trips_every_value(client, login):
    login("coordinator")
    service = ServiceFactory(
        name="Round trip",
        languages="es ti",
        genders="female",
        modalities="phone video",
        min_age=18,
        walk_in=True,
    )
    PhoneFactory(service=service, number="+13125550111", kind="hotline")
    form_page = text(client.get(f"/services/{service.id}/edit"))
    assert 'value="Round trip"' in form_page
    assert 'id="lang-es" name="languages" value="es" checked' in form_page
    assert 'value="+13125550111"' in form_page


def test_verify_and_deactivate_buttons(client, login):
    login("coordinator")
    service = ServiceFactory(name="Check me")
    response = client.post(f"/services/{service.id}/verify")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Service, service.id).last_verified == date.today()
    asked = client.post(f"/services/{service.id}/status", data={"status": "inactive"})
    assert asked.status_code == 200
    assert "Deactivate the service" in text(asked)
    db.session.expire_all()
    assert db.session.get(Service, service.id).status == "active"  # asked, not done
    client.post(f"/services/{service.id}/status", data={"status": "inactive", "confirmed": "1"})
    db.session.expire_all()
    assert db.session.get(Service, service.id).status == "inactive"
    assert "Check me" not in text(client.get("/"))


def test_viewer_sees_no_edit_controls(client, login):
    login("viewer")
    service = ServiceFactory()
    page = text(client.get(f"/services/{service.id}"))
    assert "Mark verified today" not in page
    assert "/edit" not in page


def test_feedback_refused_for_identifiers_keeps_the_text_marked(client, login):
    login("case_manager")
    service = ServiceFactory()
    typed = "Mr Lopez said the nurse spoke Tigrinya and was kind"
    response = client.post(
        f"/services/{service.id}/feedback",
        data={"text": typed, "outcome": "helpful", "channel": "client_told_staff"},
    )
    assert response.status_code == 422
    page = text(response)
    marked = '<mark title="a person&#39;s name">Mr Lopez</mark> said the nurse spoke Tigrinya'
    assert marked + " and was kind" in page
    assert "<li><mark>Mr Lopez</mark>: a person&#39;s name</li>" in page  # one reason a span
    assert ">Mr Lopez said the nurse spoke Tigrinya and was kind</textarea>" in page
    ok = client.post(
        f"/services/{service.id}/feedback",
        data={
            "text": "the nurse spoke Tigrinya and was kind",
            "outcome": "helpful",
            "channel": "client_told_staff",
        },
    )
    assert ok.status_code == 302
    assert "the nurse spoke Tigrinya and was kind" in text(client.get(f"/services/{service.id}"))


def test_viewer_and_anonymous_never_see_feedback_text(client, login):
    from directory.aaaq_records import FeedbackNote

    service = ServiceFactory()
    db.session.add(
        FeedbackNote(
            service_id=service.id, text="secretive remark", outcome="mixed", noted_on=date.today()
        )
    )
    db.session.commit()
    assert "secretive remark" not in text(client.get(f"/services/{service.id}"))
    login("viewer")
    page = text(client.get(f"/services/{service.id}"))
    assert "secretive remark" not in page
    assert "Client feedback" not in page
    assert "secretive remark" not in text(client.get("/"))
    login("case_manager")
    assert "secretive remark" in text(client.get(f"/services/{service.id}"))


def test_rating_and_capacity_forms(client, login):
    login("coordinator")
    service = ServiceFactory()
    bad = client.post(
        f"/services/{service.id}/ratings",
        data={
            "availability": "",
            "accessibility": "",
            "acceptability": "",
            "quality": "",
            "basis": "site_visit",
        },
    )
    assert bad.status_code == 422
    assert "Rate at least one dimension" in text(bad)
    ok = client.post(
        f"/services/{service.id}/ratings",
        data={
            "availability": "3",
            "accessibility": "",
            "acceptability": "2",
            "quality": "3",
            "basis": "site_visit",
        },
    )
    assert ok.status_code == 302
    page = text(client.get(f"/services/{service.id}"))
    assert "2.7" in page  # (3 + 2 + 3) / 3
    cap = client.post(
        f"/services/{service.id}/capacity", data={"available": "2", "maximum": "8", "unit": "beds"}
    )
    assert cap.status_code == 302
    assert "2 of 8 beds free" in text(client.get("/"))
    bad_cap = client.post(
        f"/services/{service.id}/capacity", data={"available": "-1", "unit": "beds"}
    )
    assert bad_cap.status_code == 422
    assert 'id="available-error"' in text(bad_cap)


def test_review_page_and_history_for_coordinators(client, login):
    login("coordinator")
    service = ServiceFactory(name="Never checked", last_verified=None)
    page = text(client.get("/review"))
    assert "Never checked" in page
    assert "never verified" in page
    client.post(f"/services/{service.id}/verify")
    assert "Never checked" not in text(client.get("/review"))
    detail = text(client.get(f"/services/{service.id}"))
    assert "Change history" in detail
    assert "last_verified" in detail
