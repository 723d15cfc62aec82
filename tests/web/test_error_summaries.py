"""#28: every form that refuses opens with one error summary that takes focus
(``data-focus``), each refusal a link to an element of the page (its field), in the reader's
language. The referral, quick-edit, partner and list forms have their own tests; these are
the others: the service page's rating, capacity and feedback forms, the sheet builder, the
partner's inbox, the password and user forms, the login."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from app.extensions import db
from tests.conftest import PASSWORD
from tests.factories import ServiceFactory

SUMMARY = '<div class="error-summary" role="alert" tabindex="-1" data-focus>'


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)


def summary_links(html: str) -> list[str]:
    """The targets of the one error summary's links, each asserted to be on the page."""
    assert html.count(SUMMARY) == 1, "one summary, taking focus"
    box = html[html.index(SUMMARY) :]
    box = box[: box.index("</div>")]
    targets = re.findall(r'<a href="#([^"]+)"', box)
    assert targets, box
    parser = _Ids()
    parser.feed(html)
    for target in targets:
        assert target in parser.ids, f"#{target} is not on the page"
    return targets


@pytest.fixture
def service(app):
    made = ServiceFactory(name="Clinica Norte", category="health.free_clinic")
    db.session.commit()
    return made


def test_a_refused_rating(client, login, service):
    login("coordinator")
    page = client.post(f"/services/{service.id}/ratings", data={"availability": "7"})
    assert page.status_code == 422
    assert summary_links(page.get_data(as_text=True)) == ["r-availability"]


def test_a_refused_capacity(client, login, service):
    login("coordinator")
    page = client.post(f"/services/{service.id}/capacity", data={"available": "-3", "unit": "beds"})
    assert page.status_code == 422
    assert summary_links(page.get_data(as_text=True)) == ["c-available"]


def test_a_feedback_note_naming_a_client_is_refused_with_a_summary_in_spanish(
    client, login, service
):
    login("case_manager")
    page = client.post(
        f"/services/{service.id}/feedback",
        data={"text": "Maria Guadalupe Torres llamo al 312-555-0199", "outcome": "helpful"},
        headers={"Accept-Language": "es"},
    )
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert summary_links(html) == ["fb-text"]
    assert "No se guardó nada" in html  # the summary's title in the reader's language


def test_a_sheet_that_cannot_be_made(client, login):
    login("viewer")
    page = client.get("/sheets?radius_km=-5&near=60601")
    assert page.status_code == 422
    assert "s-radius" in summary_links(page.get_data(as_text=True))


def test_a_refused_password_change_points_at_the_field_to_correct(client, login, users):
    login("viewer")
    page = client.post(
        "/account/password",
        data={"current": "not it", "new": "x" * 20, "confirm": "x" * 20},
        headers={"Accept-Language": "fr"},
    )
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert summary_links(html) == ["p-current"]
    assert "Your current password is not right." not in html  # said in French
    page = client.post(
        "/account/password",
        data={"current": PASSWORD, "new": "a long enough phrase", "confirm": "another phrase"},
    )
    assert summary_links(page.get_data(as_text=True)) == ["p-confirm"]


def test_a_refused_new_user_points_at_the_field_to_correct(client, login):
    login("admin")
    page = client.post(
        "/admin/users",
        data={"email": "not-an-address", "role": "viewer", "password": "x"},
        headers={"Accept-Language": "es"},
    )
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert summary_links(html) == ["u-email"]
    assert "E-mail address is not valid." not in html  # said in Spanish


def test_a_refused_login(client):
    page = client.post("/login", data={"email": "nobody@example.org", "password": "wrong"})
    assert page.status_code == 401
    assert summary_links(page.get_data(as_text=True)) == ["email"]


def test_a_sheet_with_an_unknown_group_says_what_is_wrong_and_where(client, login):
    """Hostile read: the summary said "0" (marshmallow's nested message, not flattened)."""
    login("viewer")
    page = client.get("/sheets?category=not-a-group")
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert summary_links(html) == ["s-category"]
    box = html[html.index(SUMMARY) :]
    assert '<a href="#s-category" data-field="category">0</a>' not in box
