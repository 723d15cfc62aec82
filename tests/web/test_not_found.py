""" "Not found" is said one way: a view raising a plain ``NotFound`` (``directory.errors``,
``found(...)``) is answered exactly as an address nobody serves, page and API alike, in the
reader's language; a ``NotFound`` with a message of its own says it."""

from __future__ import annotations

import pytest

from directory.errors import NotFound, found


def test_found_gives_the_record_or_a_plain_not_found():
    assert found("record") == "record"
    with pytest.raises(NotFound) as raised:
        found(None)
    assert raised.value.plain


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(
    "address", ["/assessments/rounds/999999", "/services/999999", "/organizations/999999"]
)
def test_a_missing_record_page_reads_as_an_unknown_address(client, login, language, address):
    login("coordinator")
    missing = client.get(address, headers={"Accept-Language": language})
    nowhere = client.get("/assessments/nowhere/at/all", headers={"Accept-Language": language})
    assert missing.status_code == nowhere.status_code == 404
    assert _main(missing) == _main(nowhere)  # the layout around it links to its own address
    assert ("No hay nada en esta dirección." in _main(missing)) == (language == "es")


def _main(answer) -> str:
    page = answer.get_data(as_text=True)
    return page[page.index("<main") : page.index("</main>")]


@pytest.mark.parametrize(
    "address", ["/api/v1/rounds/999999/goals", "/api/hsds/services/no-such-service"]
)
def test_a_missing_record_in_the_api_reads_as_an_unknown_address(client, token, address):
    headers = token("coordinator")
    missing = client.get(address, headers=headers)
    nowhere = client.get("/api/v1/no/such/thing", headers=headers)
    assert missing.status_code == nowhere.status_code == 404
    assert missing.get_json() == nowhere.get_json()


def test_a_not_found_with_its_own_message_says_it(client, token):
    answer = client.get("/api/v1/facilities/999999", headers=token("coordinator"))
    assert answer.status_code == 404
    assert answer.get_json() == {"code": 404, "status": "Not Found", "message": "No such facility."}
