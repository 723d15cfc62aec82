"""With CSRF protection on (as in production): forms and cookie-authenticated API changes
need the token; bearer-token API calls do not."""

from __future__ import annotations

import re

import pytest

from app import create_app
from app.config import config_for_tests
from app.extensions import db
from directory.models import Service
from tests.conftest import PASSWORD
from tests.factories import ServiceFactory


@pytest.fixture
def csrf_app(database_url):
    app = create_app({**config_for_tests(database_url), "WTF_CSRF_ENABLED": True})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_forms_and_logout_refuse_requests_without_the_token(csrf_app, users):
    client = csrf_app.test_client()
    no_token = client.post(
        "/login", data={"email": "coordinator@test.example", "password": PASSWORD}
    )
    assert no_token.status_code == 400
    token = _token(client.get("/login").get_data(as_text=True))
    ok = client.post(
        "/login",
        data={"email": "coordinator@test.example", "password": PASSWORD, "csrf_token": token},
    )
    assert ok.status_code == 302
    service = ServiceFactory(name="Unchanged")
    refused = client.post(f"/services/{service.id}/status", data={"status": "inactive"})
    assert refused.status_code == 400
    assert client.post("/logout").status_code == 400
    db.session.expire_all()
    assert db.session.get(Service, service.id).status == "active"
    page = client.get(f"/services/{service.id}").get_data(as_text=True)
    accepted = client.post(
        f"/services/{service.id}/status",
        data={"status": "inactive", "confirmed": "1", "csrf_token": _token(page)},
    )
    assert accepted.status_code == 302


def test_cookie_api_changes_need_the_header_but_tokens_do_not(csrf_app, users):
    from app.users import issue_token

    client = csrf_app.test_client()
    token = _token(client.get("/login").get_data(as_text=True))
    client.post(
        "/login",
        data={"email": "coordinator@test.example", "password": PASSWORD, "csrf_token": token},
    )
    service = ServiceFactory()
    assert client.post(f"/api/v1/services/{service.id}/verify").status_code == 400
    page = client.get("/").get_data(as_text=True)
    with_header = client.post(
        f"/api/v1/services/{service.id}/verify", headers={"X-CSRFToken": _token(page)}
    )
    assert with_header.status_code == 200
    bearer = {"Authorization": f"Bearer {issue_token(users['coordinator'])}"}
    db.session.commit()
    fresh = csrf_app.test_client()
    assert fresh.post(f"/api/v1/services/{service.id}/verify", headers=bearer).status_code == 200


def test_no_state_change_on_get(csrf_app, users):
    client = csrf_app.test_client()
    token = _token(client.get("/login").get_data(as_text=True))
    client.post(
        "/login",
        data={"email": "coordinator@test.example", "password": PASSWORD, "csrf_token": token},
    )
    service = ServiceFactory()
    assert client.get(f"/services/{service.id}/verify").status_code == 405
    assert client.get("/logout").status_code == 405
