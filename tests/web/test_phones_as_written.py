"""Phones as they are (#25): N11 numbers and short codes saved, shown and dialable; TTY and
text kinds kept; an extension written in the number kept apart; a menu kept as words;
the HSDS API answers the extension as a number and a TTY as "textphone"."""

from __future__ import annotations

from app.extensions import db
from directory.models import Phone
from tests.factories import OrganizationFactory, PhoneFactory, ServiceFactory


def _create(client, headers, phones: list[dict]):
    org = OrganizationFactory()
    db.session.commit()
    return client.post(
        "/api/v1/services",
        json={"organization_id": org.id, "name": "Line", "category": "food", "phones": phones},
        headers=headers,
    )


def test_n11_short_codes_kinds_extensions_and_menus_are_kept(client, token):
    made = _create(
        client,
        token("coordinator"),
        [
            {"number": "988"},
            {"number": "2-1-1"},
            {"number": "741741", "kind": "text", "label": "Text HOME"},
            {"number": "TTY 1-800-787-3224"},
            {"number": "(312) 555-0100 ext. 12, press 2 for Spanish"},
        ],
    )
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["phones"] == [
        {"number": "988", "kind": "voice", "extension": None, "label": None},
        {"number": "211", "kind": "voice", "extension": None, "label": None},
        {"number": "741741", "kind": "text", "extension": None, "label": "Text HOME"},
        {"number": "+18007873224", "kind": "tty", "extension": None, "label": None},
        {
            "number": "+13125550100",
            "kind": "voice",
            "extension": "12",
            "label": "press 2 for Spanish",
        },
    ]


def test_a_text_with_no_number_or_a_bad_extension_is_a_422_naming_the_field(client, token):
    headers = token("coordinator")
    refused = _create(client, headers, [{"number": "call us"}])
    assert refused.status_code == 422
    assert "number" in refused.get_json()["errors"]["phones"]["0"]
    refused = _create(client, headers, [{"number": "312 555 0100", "extension": "two"}])
    assert refused.status_code == 422
    assert "extension" in refused.get_json()["errors"]["phones"]["0"]


def test_a_hand_off_phone_with_an_extension_is_refused_not_cut(client, token):
    s = ServiceFactory()
    db.session.commit()
    response = client.patch(
        f"/api/v1/services/{s.id}",
        json={"handoff_phone": "312 555 0100 x 5", "version": s.version},
        headers=token("coordinator"),
    )
    assert response.status_code == 422
    assert "handoff_phone" in response.get_json()["errors"]
    ok = client.patch(
        f"/api/v1/services/{s.id}",
        json={"handoff_phone": "988", "version": s.version},
        headers=token("coordinator"),
    )
    assert ok.status_code == 200, ok.get_json()
    assert ok.get_json()["handoff"]["phone"] == "988"


def test_the_page_shows_a_short_number_as_is_with_a_working_link(client, login):
    login("viewer")
    s = ServiceFactory()
    PhoneFactory(service=s, number="988", kind="voice")
    db.session.commit()
    page = client.get(f"/services/{s.id}").get_data(as_text=True)
    assert '<a class="tel" href="tel:988">988</a>' in page


def test_the_hsds_api_answers_a_numeric_extension_and_textphone(client, token):
    s = ServiceFactory()
    db.session.add_all(
        [
            Phone(service=s, number="+13125550100", kind="voice", extension="12"),
            Phone(service=s, number="+18007873224", kind="tty"),
        ]
    )
    db.session.commit()
    got = client.get(f"/api/hsds/services/{s.hsds_id}", headers=token("viewer")).get_json()
    by_number = {p["number"]: p for p in got["phones"]}
    assert by_number["+13125550100"]["extension"] == 12
    assert by_number["+18007873224"]["type"] == "textphone"
