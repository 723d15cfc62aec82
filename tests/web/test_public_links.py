"""Addresses the app shows or sends are built from ``PUBLIC_BASE_URL`` when it is set, never
from the Host header a request came with: a forged Host (or X-Forwarded-Host, which the app
never trusts) must not turn the respondent link a coordinator copies and shares into a link
to someone else's site."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app import create_app
from app.config import config_for_tests
from app.extensions import db
from app.models import User
from app.users import create_user, issue_token
from tests.conftest import PASSWORD
from tests.factories import OrganizationFactory

FORGED = "http://evil.example"


def _link(page: str) -> str:
    found = re.search(r'id="respondent-link" type="url" value="([^"]*)"', page)
    assert found, page[:2000]
    return found.group(1)


@pytest.fixture
def configured(database_url):
    """An app told where it is reached: https://directory.network.example."""
    app = create_app(
        {**config_for_tests(database_url), "PUBLIC_BASE_URL": "https://directory.network.example"}
    )
    with app.app_context():
        create_user("coordinator@test.example", "coordinator", PASSWORD)
        db.session.commit()
        yield app
        db.session.remove()
        db.engine.dispose()


def _round_page(client, base_url: str, headers: dict | None = None) -> str:
    """Sign in and open a new round's page, every request at ``base_url`` (its Host)."""
    signed = client.post(
        "/login",
        data={"email": "coordinator@test.example", "password": PASSWORD},
        base_url=base_url,
    )
    assert signed.status_code == 302
    org = OrganizationFactory(name="Lakeside Clinic")
    facility = client.post(
        "/assessments/facilities", data={"organization_id": org.id}, base_url=base_url
    )
    assert facility.status_code == 302
    started = client.post(
        "/assessments/facilities/1/rounds",
        data={"instrument": "icmec-service-assessment"},
        base_url=base_url,
        headers=headers,
    )
    assert started.status_code == 302, started.get_data(as_text=True)
    return client.get(started.headers["Location"], base_url=base_url, headers=headers).get_data(
        as_text=True
    )


def test_the_respondent_link_ignores_a_forged_host_when_the_base_url_is_set(configured):
    client = configured.test_client()
    page = _round_page(client, FORGED)
    assert _link(page) == "https://directory.network.example/assessments/rounds/1/respond"
    assert "evil.example" not in page


def test_x_forwarded_host_is_never_trusted(client, users):
    page = _round_page(client, "http://localhost", headers={"X-Forwarded-Host": "evil.example"})
    assert _link(page) == "http://localhost/assessments/rounds/1/respond"


def test_without_a_base_url_the_link_is_where_the_coordinator_reached_the_app(client, users):
    page = _round_page(client, "http://directory.lan:8080")
    assert _link(page) == "http://directory.lan:8080/assessments/rounds/1/respond"


def test_the_hsds_api_names_the_configured_address_not_the_host(configured):
    user = db.session.scalar(select(User))
    headers = {"Authorization": f"Bearer {issue_token(user)}"}
    db.session.commit()
    client = configured.test_client()
    index = client.get("/api/hsds/", headers=headers, base_url=FORGED).get_json()
    assert index["openapi_url"] == "https://directory.network.example/api/hsds/openapi.json"
    spec = client.get("/api/hsds/openapi.json", headers=headers, base_url=FORGED).get_json()
    assert spec["servers"] == [{"url": "https://directory.network.example/api/hsds/"}]


def test_partner_mail_links_keep_the_default_address_when_none_is_set(app):
    from directory.partners.mail import link_url

    with app.test_request_context("/", base_url=FORGED):
        assert link_url("tok") == "http://127.0.0.1:5000/partner/tok"
