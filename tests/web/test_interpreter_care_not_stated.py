"""No default claims (#25): interpreter availability and care type are stated yes/no (or a
kind of care) or not stated, in the API, the pages, the form and the HSDS API; nothing
writes "no interpreter" or "ongoing care" that nobody said."""

from __future__ import annotations

import pytest

from app.extensions import db
from directory.models import Service
from tests.factories import ServiceFactory


def _field_attributes(client, headers, hsds_id: str) -> dict[str, str]:
    """The HSDS API's field attributes of a service: term code → value."""
    response = client.get(f"/api/hsds/services/{hsds_id}", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return {
        a["taxonomy_term"]["code"]: a["value"]
        for a in response.get_json()["attributes"]
        if a.get("link_type") == "field"
    }


def test_the_api_answers_null_false_and_a_kind(client, token):
    headers = token("viewer")
    quiet = ServiceFactory(name="Quiet")
    said_no = ServiceFactory(name="Said no", interpreter_available=False, care_type="emergency")
    db.session.commit()
    got = client.get(f"/api/v1/services/{quiet.id}", headers=headers).get_json()
    assert got["interpreter_available"] is None
    assert got["care_type"] is None
    got = client.get(f"/api/v1/services/{said_no.id}", headers=headers).get_json()
    assert got["interpreter_available"] is False  # a stated "no" is not "not stated"
    assert got["care_type"] == "emergency"


def test_patch_states_and_unstates_them(client, token):
    headers = token("coordinator")
    s = ServiceFactory()
    db.session.commit()
    patched = client.patch(
        f"/api/v1/services/{s.id}",
        json={"interpreter_available": False, "care_type": "both", "version": s.version},
        headers=headers,
    )
    assert patched.status_code == 200, patched.get_json()
    item = patched.get_json()
    assert (item["interpreter_available"], item["care_type"]) == (False, "both")
    again = client.patch(
        f"/api/v1/services/{s.id}",
        json={"interpreter_available": None, "care_type": None, "version": item["version"]},
        headers=headers,
    ).get_json()
    assert (again["interpreter_available"], again["care_type"]) == (None, None)


def test_a_bad_care_type_is_a_422_naming_the_field(client, token):
    s = ServiceFactory()
    db.session.commit()
    response = client.patch(
        f"/api/v1/services/{s.id}",
        json={"care_type": "forever", "version": s.version},
        headers=token("coordinator"),
    )
    assert response.status_code == 422
    assert "care_type" in response.get_json()["errors"]


def test_the_page_says_not_stated_and_what_was_stated(client, login):
    login("viewer")
    quiet = ServiceFactory(name="Quiet")
    stated = ServiceFactory(name="Stated", interpreter_available=False, care_type="ongoing")
    db.session.commit()
    page = client.get(f"/services/{quiet.id}").get_data(as_text=True)
    assert '<dt>Interpreter</dt><dd><span class="not-stated">Not stated (ask)</span>' in page
    assert '<dt>Care</dt><dd><span class="not-stated">Not stated (ask)</span>' in page
    page = client.get(f"/services/{stated.id}").get_data(as_text=True)
    assert "<dt>Interpreter</dt><dd>No interpreter</dd>" in page
    assert "<dt>Care</dt><dd>ongoing care</dd>" in page
    results = client.get("/", query_string={"q": "Quiet"}).get_data(as_text=True)
    assert 'interpreter: <span class="not-stated">not stated (ask)</span>' in results


def test_the_page_in_spanish_says_no_interpreter(client, login):
    login("viewer")
    s = ServiceFactory(interpreter_available=False)
    db.session.commit()
    page = client.get(f"/services/{s.id}", headers={"Accept-Language": "es"})
    assert "Sin intérprete" in page.get_data(as_text=True)


def test_the_form_offers_not_stated_and_saves_it(client, login):
    login("coordinator")
    s = ServiceFactory(interpreter_available=True, care_type="emergency")
    db.session.commit()
    page = client.get(f"/services/{s.id}/edit").get_data(as_text=True)
    assert page.count('<option value="">Not stated (ask)</option>') >= 2
    form = {
        "organization_id": s.organization_id,
        "name": s.name,
        "category": s.category,
        "version": s.version,
        "interpreter_available": "",  # "yes" becomes "not stated"
        "care_type": "",
        "location.city": "Chicago",
    }
    response = client.post(f"/services/{s.id}/edit", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    saved = db.session.get(Service, s.id)
    assert (saved.interpreter_available, saved.care_type) == (None, None)
    form.update(interpreter_available="false", care_type="both", version=saved.version)
    response = client.post(f"/services/{s.id}/edit", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    saved = db.session.get(Service, s.id)
    assert (saved.interpreter_available, saved.care_type) == (False, "both")


@pytest.mark.parametrize("public", [False, True])
def test_the_hsds_api_carries_statements_only(client, token, app, public):
    app.config["HSDS_PUBLIC"] = public
    headers = {} if public else token("viewer")
    quiet = ServiceFactory(name="Quiet")
    said = ServiceFactory(name="Said", interpreter_available=False, care_type="ongoing")
    db.session.commit()
    quiet_fields = _field_attributes(client, headers, quiet.hsds_id)
    assert "interpreter_available" not in quiet_fields
    assert "care_type" not in quiet_fields
    said_fields = _field_attributes(client, headers, said.hsds_id)
    assert said_fields["interpreter_available"] == "false"  # was the default: never exported
    assert said_fields["care_type"] == "ongoing"
    one = client.get(f"/api/hsds/services/{quiet.hsds_id}", headers=headers).get_json()
    assert one.get("interpretation_services") is None
