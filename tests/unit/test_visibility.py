"""``directory/visibility.py`` called directly: pure functions over a location-like and a
user-like object, so each promise is checked in microseconds (these are the tests
``scripts/mutation.py`` runs against every mutant of the module). Expected values are
written out by hand."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.models import role_rank
from directory import geo, visibility


def loc(**over):
    """A location with every field set (``confidential=False`` unless given)."""
    base = {
        "id": 7,
        "name": "Harbor House",
        "address_1": "12 Elm St",
        "address_2": "Suite 4",
        "city": "Springfield",
        "region": "IL",
        "postal_code": "62701",
        "country": "US",
        "latitude": 39.7817,
        "longitude": -89.6501,
        "confidential": False,
        "alternate_name": "The Harbor",
        "description": "Blue door beside the bakery",
        "transportation": "Bus 66 to Elm St",
        "postal_address_1": "PO Box 12",
        "postal_address_2": None,
        "postal_city": "Springfield",
        "postal_region": "IL",
        "postal_postal_code": "62705",
        "postal_country": "US",
    }
    return SimpleNamespace(**{**base, **over})


def user(role, *, authenticated=True):
    """A user-like object whose ``has_role`` is the real rank comparison."""
    return SimpleNamespace(
        is_authenticated=authenticated,
        has_role=lambda wanted: role_rank(role) >= role_rank(wanted),
    )


SHELTER = {"confidential": True}
FULL = {
    "address_1": "12 Elm St",
    "address_2": "Suite 4",
    "city": "Springfield",
    "region": "IL",
    "postal_code": "62701",
    "country": "US",
    "latitude": 39.7817,
    "longitude": -89.6501,
}
AREA = {"city": "Springfield", "region": "IL", "country": "US"}
DETAILS = {
    "alternate_name": "The Harbor",
    "description": "Blue door beside the bakery",
    "transportation": "Bus 66 to Elm St",
    "postal_address": {
        "address_1": "PO Box 12",
        "address_2": None,
        "city": "Springfield",
        "region": "IL",
        "postal_code": "62705",
        "country": "US",
    },
}
# a withheld place's details that could tell where it is are withheld with its address
WITHHELD_DETAILS = {
    "alternate_name": "The Harbor",
    "description": None,
    "transportation": None,
    "postal_address": None,
}


# --- who sees a withheld address -------------------------------------------------------


def test_is_withheld_only_for_a_confidential_location():
    assert visibility.is_withheld(loc(**SHELTER)) is True
    assert visibility.is_withheld(loc()) is False
    assert visibility.is_withheld(None) is False
    # a truthy non-bool flag still reads as a plain bool
    assert visibility.is_withheld(loc(confidential=1)) is True
    assert visibility.is_withheld(loc(confidential=None)) is False


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        (None, False),
        (user("viewer"), False),
        (user("case_manager"), False),
        (user("coordinator"), True),
        (user("admin"), True),
        # a role without a session (or an anonymous user) never sees it
        (user("admin", authenticated=False), False),
        (user("coordinator", authenticated=False), False),
    ],
)
def test_sees_withheld_is_coordinators_and_admins_signed_in(who, sees):
    assert visibility.sees_withheld(who) is sees


def test_sees_withheld_asks_for_the_coordinator_role_exactly():
    asked = []
    who = SimpleNamespace(is_authenticated=True, has_role=lambda r: asked.append(r) or True)
    assert visibility.sees_withheld(who) is True
    assert asked == ["coordinator"]


@pytest.mark.parametrize(
    ("role", "confidential", "hidden"),
    [
        (None, True, True),
        ("viewer", True, True),
        ("case_manager", True, True),
        ("coordinator", True, False),
        ("admin", True, False),
        (None, False, False),
        ("viewer", False, False),
        ("coordinator", False, False),
    ],
)
def test_hidden_from(role, confidential, hidden):
    who = user(role) if role else None
    assert visibility.hidden_from(loc(confidential=confidential), who) is hidden


# --- address, area, place ---------------------------------------------------------------


def test_address_in_full_when_not_withheld_for_anyone():
    assert visibility.address(loc(), None) == FULL
    assert visibility.address(loc(), user("viewer")) == FULL


def test_address_of_a_shelter_only_for_coordinators():
    assert visibility.address(loc(**SHELTER), None) is None
    assert visibility.address(loc(**SHELTER), user("viewer")) is None
    assert visibility.address(loc(**SHELTER), user("case_manager")) is None
    assert visibility.address(loc(**SHELTER), user("coordinator")) == FULL
    assert visibility.address(loc(**SHELTER), user("admin")) == FULL


def test_address_of_no_location_is_none():
    assert visibility.address(None, user("admin")) is None
    assert visibility.address(None, None) is None


def test_area_is_the_town_only():
    assert visibility.area(loc(**SHELTER)) == AREA
    assert visibility.area(loc()) == AREA
    assert visibility.area(None) is None


def test_place_line_in_full_or_town_only():
    full = {"name": "Harbor House", "line": "12 Elm St, Suite 4, Springfield, IL, 62701"}
    assert visibility.place(loc(), None) == {**full, "confidential": False}
    assert visibility.place(loc(**SHELTER), user("coordinator")) == {**full, "confidential": True}
    town = {"name": "Harbor House", "line": "Springfield, IL", "confidential": True}
    assert visibility.place(loc(**SHELTER), user("case_manager")) == town
    assert visibility.place(loc(**SHELTER), None) == town


def test_place_line_skips_empty_parts():
    bare = loc(address_2=None, region="", postal_code=None)
    assert visibility.place(bare, None)["line"] == "12 Elm St, Springfield"
    shelter = loc(region=None, **SHELTER)
    assert visibility.place(shelter, None)["line"] == "Springfield"


# --- a result row / API answer ----------------------------------------------------------


def test_service_place_of_a_public_location():
    assert visibility.service_place(loc(), None) == {
        "distance_approximate": False,
        "confidential_location": False,
        "address": FULL,
        "location": DETAILS,
        "area": AREA,
        "location_id": 7,
    }


def test_service_place_of_a_shelter_for_a_case_manager():
    assert visibility.service_place(loc(**SHELTER), user("case_manager")) == {
        "distance_approximate": True,
        "confidential_location": True,
        "address": None,
        "location": WITHHELD_DETAILS,
        "area": AREA,
        "location_id": None,
    }


def test_service_place_of_a_shelter_for_a_coordinator():
    assert visibility.service_place(loc(**SHELTER), user("coordinator")) == {
        "distance_approximate": True,
        "confidential_location": True,
        "address": FULL,
        "location": DETAILS,
        "area": AREA,
        "location_id": 7,
    }


def test_service_place_without_location():
    assert visibility.service_place(None, user("admin")) == {
        "distance_approximate": False,
        "confidential_location": False,
        "address": None,
        "location": None,
        "area": None,
        "location_id": None,
    }


# --- what leaves the app: share texts, sheets, CSV, HSDS -------------------------------


def test_share_address_with_default_labels():
    item = {"confidential_location": False, "address": FULL}
    assert visibility.share_address(item) == "Address: 12 Elm St, Springfield, IL, 62701"
    withheld = {"confidential_location": True, "address": FULL}
    # even with the address in the item (a coordinator's view), it is never pasted
    assert visibility.share_address(withheld) == "Address: given by phone"
    assert visibility.share_address({"confidential_location": False, "address": None}) is None


def test_share_address_in_the_share_language_and_without_empty_parts():
    item = {"confidential_location": False, "address": {**FULL, "region": None}}
    assert (
        visibility.share_address(item, "Dirección", "Dirección: por teléfono")
        == "Dirección: 12 Elm St, Springfield, 62701"
    )
    withheld = {"confidential_location": True, "address": None}
    assert visibility.share_address(withheld, "Adresse", "Adresse : par téléphone") == (
        "Adresse : par téléphone"
    )


def test_printed_address():
    assert visibility.printed_address(loc()) == "12 Elm St, Springfield, IL, 62701"
    assert visibility.printed_address(loc(city=None, postal_code="")) == "12 Elm St, IL"
    assert visibility.printed_address(loc(**SHELTER)) is None
    assert visibility.printed_address(None) is None


def test_csv_place():
    assert visibility.CSV_PLACE_COLUMNS == (
        "location_id",
        "city",
        "region",
        "postal_code",
        "confidential_location",
    )
    assert visibility.csv_place(loc()) == {
        "location_id": 7,
        "city": "Springfield",
        "region": "IL",
        "postal_code": "62701",
        "confidential_location": "no",
    }
    assert visibility.csv_place(loc(**SHELTER)) == {
        "location_id": "",
        "city": "Springfield",
        "region": "IL",
        "postal_code": "",
        "confidential_location": "yes",
    }
    assert visibility.csv_place(None) == {
        "location_id": "",
        "city": "",
        "region": "",
        "postal_code": "",
        "confidential_location": "no",
    }


def test_exported_point_and_address():
    assert visibility.exported_point(loc()) == (39.7817, -89.6501)
    assert visibility.exported_point(loc(**SHELTER)) == (None, None)
    assert visibility.exports_address(loc()) is True
    assert visibility.exports_address(loc(**SHELTER)) is False
    assert visibility.exports_address(None) is True


def test_indexed_place_never_holds_a_shelter_postal_code():
    assert visibility.indexed_place(loc()) == ("Springfield", "IL", "62701")
    assert visibility.indexed_place(loc(**SHELTER)) == ("Springfield", "IL")
    assert visibility.indexed_place(None) == ()


# --- search: the point measured from, the distance shown --------------------------------


@pytest.fixture
def gazetteer(monkeypatch):
    """``geo.town_point`` and ``geo.postal_point`` replaced by recorders with fixed answers."""
    calls = []
    answers = {"town": (39.8, -89.64), "postal": (39.79, -89.65)}

    def town_point(*args):
        calls.append(("town", args))
        return answers["town"]

    def postal_point(*args):
        calls.append(("postal", args))
        return answers["postal"]

    monkeypatch.setattr(geo, "town_point", town_point)
    monkeypatch.setattr(geo, "postal_point", postal_point)
    return SimpleNamespace(calls=calls, answers=answers)


def test_search_point_of_a_shelter_is_its_town_centre(gazetteer):
    assert visibility.search_point(loc(**SHELTER)) == (39.8, -89.64)
    # its own coordinates go along only to check the town (never the postal code)
    assert gazetteer.calls == [("town", ("Springfield", "IL", "US", 39.7817, -89.6501))]


def test_search_point_of_a_public_place_is_its_own(gazetteer):
    assert visibility.search_point(loc()) == (39.7817, -89.6501)
    assert gazetteer.calls == []


@pytest.mark.parametrize(("lat", "lon"), [(None, None), (39.7817, None), (None, -89.6501)])
def test_search_point_without_both_coordinates_is_the_postal_code_centre(gazetteer, lat, lon):
    assert visibility.search_point(loc(latitude=lat, longitude=lon)) == (39.79, -89.65)
    assert gazetteer.calls == [("postal", ("62701", "US"))]


def test_search_point_without_postal_point_is_the_town_centre(gazetteer):
    gazetteer.answers["postal"] = None
    assert visibility.search_point(loc(latitude=None, longitude=None)) == (39.8, -89.64)
    assert gazetteer.calls == [
        ("postal", ("62701", "US")),
        ("town", ("Springfield", "IL", "US", None, None)),
    ]


def test_shown_distance():
    assert visibility.shown_distance(loc(), 12.3456) == 12.35
    assert visibility.shown_distance(loc(), None) is None
    assert visibility.shown_distance(loc(**SHELTER), None) is None
    shelter = visibility.shown_distance(loc(**SHELTER), 12.6)
    assert shelter == 13.0
    assert type(shelter) is float
    assert visibility.shown_distance(loc(**SHELTER), 12.3456) == 12.0
    assert visibility.shown_distance(None, 0.004) == 0.0


def test_carry_withholding_keeps_a_shelter_withheld():
    data = {"address_1": "1 New Rd", "confidential": False}
    assert visibility.carry_withholding(loc(**SHELTER), data) == {
        "address_1": "1 New Rd",
        "confidential": True,
    }
    assert visibility.carry_withholding(loc(), {"address_1": "1 New Rd"}) == {
        "address_1": "1 New Rd",
        "confidential": False,
    }
    assert data == {"address_1": "1 New Rd", "confidential": False}  # not changed in place
