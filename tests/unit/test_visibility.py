"""``directory/visibility.py`` called directly: pure functions over a location-like and a
user-like object, so each promise is checked in microseconds (these are the tests
``scripts/mutation.py`` runs against every mutant of the module). Expected values are
written out by hand."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine, insert, select
from sqlalchemy.orm import Session
from werkzeug.local import LocalProxy

from app.models import User, role_rank
from directory import geo, visibility
from directory.models import (
    Location,
    Organization,
    SavedList,
    SavedListItem,
    Service,
    ServiceAtLocation,
)


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


def test_the_rules_read_the_user_behind_current_user_or_the_user_given():
    """``unproxied``: the user behind a proxy like Flask-Login's ``current_user`` (so the
    rules read the real user, not a proxy looking the request up again), else the user
    itself, and None for no user."""
    real = user("coordinator")
    assert visibility.unproxied(LocalProxy(lambda: real)) is real
    assert visibility.unproxied(real) is real
    assert visibility.unproxied(None) is None


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


def test_a_postal_address_is_shown_when_any_one_of_its_parts_is_known():
    """A PO box alone, a postal town alone or a postal code alone is still where mail goes."""
    bare = {"postal_address_1": None, "postal_city": None, "postal_postal_code": None}
    only_box = loc(**{**bare, "postal_address_1": "PO Box 12"})
    only_town = loc(**{**bare, "postal_city": "Springfield"})
    only_code = loc(**{**bare, "postal_postal_code": "62705"})
    for place, (box, town, code) in [
        (only_box, ("PO Box 12", None, None)),
        (only_town, (None, "Springfield", None)),
        (only_code, (None, None, "62705")),
    ]:
        postal = visibility.location_details(place, None)["postal_address"]
        assert (postal["address_1"], postal["city"], postal["postal_code"]) == (box, town, code)
    assert visibility.location_details(loc(**bare), None)["postal_address"] is None
    # and still never of a withheld place
    shelter = loc(**{**bare, "postal_city": "Springfield"}, **SHELTER)
    assert visibility.location_details(shelter, user("case_manager"))["postal_address"] is None


def test_no_place_has_no_details():
    assert visibility.location_details(None, user("admin")) == {
        "alternate_name": None,
        "description": None,
        "transportation": None,
        "postal_address": None,
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


# --- directions: a link is easily passed on ---------------------------------------------


def test_directions_to_a_public_place_go_to_its_coordinates():
    assert visibility.directions(loc()) == {
        "geo": "geo:39.781700,-89.650100",
        "map": "https://www.openstreetmap.org/directions?to=39.781700%2C-89.650100",
    }


@pytest.mark.parametrize(("lat", "lon"), [(None, None), (39.7817, None), (None, -89.6501)])
def test_directions_without_both_coordinates_go_to_the_street_address(lat, lon):
    place = loc(latitude=lat, longitude=lon, region=None)
    assert visibility.directions(place) == {
        "geo": "geo:0,0?q=12%20Elm%20St%2C%20Springfield%2C%2062701",
        "map": "https://www.openstreetmap.org/search?query=12%20Elm%20St%2C%20Springfield%2C%2062701",
    }


def test_no_directions_to_a_withheld_place_or_to_nowhere():
    assert visibility.directions(loc(**SHELTER)) is None
    assert visibility.directions(loc(latitude=None, longitude=None, **SHELTER)) is None
    assert visibility.directions(None) is None
    # neither coordinates nor a street: a town alone is no destination
    assert visibility.directions(loc(latitude=None, longitude=None, address_1=None)) is None


# --- a service's own text about its place -----------------------------------------------


def service(primary, *others, accessibility="Ramp at the back door on Elm St"):
    """A service-like object at ``primary`` and, as ``at_locations``, at ``others``."""
    return SimpleNamespace(
        name="Night shelter",
        accessibility=accessibility,
        location=primary,
        at_locations=[SimpleNamespace(location=o) for o in others],
    )


RAMP = "Ramp at the back door on Elm St"


@pytest.mark.parametrize(
    ("who", "reads"),
    [
        (None, None),
        (user("viewer"), None),
        (user("case_manager"), None),
        (user("coordinator"), RAMP),
        (user("admin"), RAMP),
        (user("admin", authenticated=False), None),
    ],
)
def test_accessibility_of_a_service_at_a_withheld_place_is_withheld_with_its_address(who, reads):
    assert visibility.place_text(service(loc(**SHELTER)), "accessibility", who) == reads


def test_accessibility_is_withheld_when_any_other_place_of_the_service_is_withheld():
    both = service(loc(), loc(id=8, city="Shelbyville"), loc(id=9, **SHELTER))
    assert visibility.place_text(both, "accessibility", user("case_manager")) is None
    assert visibility.place_text(both, "accessibility", None) is None
    assert visibility.place_text(both, "accessibility", user("coordinator")) == RAMP
    # only the other place, no primary one
    elsewhere = service(None, loc(id=9, **SHELTER))
    assert visibility.place_text(elsewhere, "accessibility", None) is None


def test_accessibility_of_a_search_row_at_a_withheld_place_is_withheld():
    """A search row carries only the place it was found at (no ``at_locations``)."""
    row = SimpleNamespace(accessibility=RAMP, location=loc(**SHELTER))
    assert visibility.place_text(row, "accessibility", None) is None
    public = SimpleNamespace(accessibility=RAMP, location=loc())
    assert visibility.place_text(public, "accessibility", None) == RAMP


def test_accessibility_of_a_service_at_public_places_is_for_everyone():
    public = service(loc(), loc(id=8, city="Shelbyville"))
    assert visibility.place_text(public, "accessibility", None) == RAMP
    assert visibility.place_text(public, "accessibility", user("viewer")) == RAMP
    assert visibility.place_text(service(None), "accessibility", None) == RAMP


def test_other_fields_of_a_service_at_a_withheld_place_are_not_withheld():
    """Only the text that describes the place goes with the address: the service's name
    is still what a client is told."""
    shelter = service(loc(**SHELTER))
    assert visibility.place_text(shelter, "name", None) == "Night shelter"
    assert visibility.place_text(shelter, "name", user("viewer")) == "Night shelter"
    assert visibility.withholds_place_text(shelter) is True
    assert visibility.withholds_place_text(service(loc())) is False


def test_a_public_feed_never_carries_the_capacity_of_a_service_at_a_withheld_place():
    """Free beds, polled, would tell when someone arrived there."""
    shelter = service(loc(), loc(id=9, **SHELTER))
    assert visibility.publishes_capacity(shelter, public=True) is False
    assert visibility.publishes_capacity(shelter, public=False) is True
    assert visibility.publishes_capacity(service(loc()), public=True) is True
    assert visibility.publishes_capacity(service(loc()), public=False) is True


@pytest.mark.parametrize(
    ("place", "who", "reads"),
    [
        (loc(), None, "Enter by the side gate"),
        (loc(), user("viewer"), "Enter by the side gate"),
        (loc(**SHELTER), None, None),
        (loc(**SHELTER), user("case_manager"), None),
        (loc(**SHELTER), user("coordinator"), "Enter by the side gate"),
        # a note about no known place cannot be checked: not given
        (None, user("admin"), None),
    ],
)
def test_a_note_about_a_withheld_place_is_withheld_with_it(place, who, reads):
    assert visibility.place_note(place, "Enter by the side gate", who) == reads


# --- on the database: many services at once, saved lists ---------------------------------


@pytest.fixture
def db():
    """The directory's own tables in memory: an active organization with a public place, a
    shelter and another public place, an inactive organization. Rows are written as plain
    inserts (no ORM flush: the audit and search-index listeners have no tables here)."""
    engine = create_engine("sqlite://")
    tables = [
        User.__table__,
        Organization.__table__,
        Location.__table__,
        Service.__table__,
        ServiceAtLocation.__table__,
        SavedList.__table__,
        SavedListItem.__table__,
    ]
    Organization.metadata.create_all(engine, tables=tables)
    with Session(engine) as s:
        add(s, Organization, {"id": 1, "name": "Harbor House", "status": "active"})
        add(s, Organization, {"id": 2, "name": "Closed Org", "status": "inactive"})
        add(s, Location, {"id": 10, "organization_id": 1, "name": "Office"})
        add(s, Location, {"id": 11, "organization_id": 1, "name": "Shelter", "confidential": True})
        add(s, Location, {"id": 12, "organization_id": 1, "name": "Annex", "confidential": False})
        yield s
    engine.dispose()


def add(session, model, *rows):
    session.execute(insert(model.__table__), list(rows))


def add_service(session, id, *, org=1, status="active", at=None, also=()):  # noqa: A002
    values = {"id": id, "organization_id": org, "name": f"s{id}", "status": status}
    add(session, Service, {**values, "location_id": at})
    for n, other in enumerate(also):
        add(session, ServiceAtLocation, {"id": id * 10 + n, "service_id": id, "location_id": other})


def test_exports_withhold_the_place_text_of_exactly_the_services_the_pages_withhold(db):
    """``services_withholding_place_text`` (SQL, for exports and feeds) and
    ``withholds_place_text`` (one service, for pages) name the same services."""
    add_service(db, 1, at=11)  # at the shelter
    add_service(db, 2, at=10, also=[12, 11])  # the shelter is one of its other places
    add_service(db, 3, at=10, also=[12])  # public places only
    add_service(db, 4)  # no place at all
    add_service(db, 5, also=[11])  # the shelter only as another place
    add_service(db, 6, at=12)
    sql = set(db.scalars(visibility.services_withholding_place_text()))
    assert sql == {1, 2, 5}
    pages = {s.id for s in db.scalars(select(Service)) if visibility.withholds_place_text(s)}
    assert pages == sql


def staff(id, role="case_manager", *, authenticated=True):  # noqa: A002
    return SimpleNamespace(id=id, **vars(user(role, authenticated=authenticated)))


@pytest.fixture
def lists(db):
    """Account 1's private list and shared list, account 2's private list."""
    for uid in (1, 2):
        add(
            db,
            User,
            {"id": uid, "email": f"{uid}@x.example", "password_hash": "x", "role": "viewer"},
        )
    add(
        db,
        SavedList,
        {"id": 1, "owner_id": 1, "name": "mine", "shared": False},
        {"id": 2, "owner_id": 1, "name": "ours", "shared": True},
        {"id": 3, "owner_id": 2, "name": "theirs", "shared": False},
    )
    return db


def readable(session, who):
    query = select(SavedList.name).where(visibility.readable_lists(who)).order_by(SavedList.id)
    return session.scalars(query).all()


def test_a_list_is_read_by_its_owner_and_when_shared_by_other_staff(lists):
    assert readable(lists, staff(1)) == ["mine", "ours"]
    assert readable(lists, staff(2)) == ["ours", "theirs"]
    # a role does not open another account's private list
    assert readable(lists, staff(3, "admin")) == ["ours"]


def test_nobody_signed_in_reads_any_list(lists):
    assert readable(lists, None) == []
    # Flask-Login's anonymous user: not signed in, no id
    assert readable(lists, SimpleNamespace(is_authenticated=False)) == []
    # an account's id without its session
    assert readable(lists, staff(1, authenticated=False)) == []


def listed(session, list_id, who):
    return [s.name for s in session.scalars(visibility.list_services(list_id, who))]


def test_a_list_shows_its_services_in_its_order_to_its_readers_only(lists):
    for sid in (1, 2, 3, 4):
        add_service(lists, sid, at=10)
    add(
        lists,
        SavedListItem,
        {"list_id": 1, "service_id": 1, "position": 2},
        {"list_id": 1, "service_id": 4, "position": 0},
        {"list_id": 1, "service_id": 2, "position": 1},
        {"list_id": 2, "service_id": 3, "position": 0},
        {"list_id": 3, "service_id": 3, "position": 0},
    )
    assert listed(lists, 1, staff(1)) == ["s4", "s2", "s1"]
    assert listed(lists, 2, staff(2)) == ["s3"]  # shared
    assert listed(lists, 1, staff(2)) == []  # not theirs, not shared
    assert listed(lists, 3, staff(1)) == []
    assert listed(lists, 1, None) == []
    assert listed(lists, 99, staff(1)) == []


def test_services_in_the_same_place_of_a_list_keep_one_order(lists):
    """Equal positions (items added at once) read in the order of the services' ids, the
    same on the page and on the printed sheet."""
    for sid in (5, 3, 4):
        add_service(lists, sid, at=10)
    add(
        lists,
        SavedListItem,
        {"list_id": 1, "service_id": 5, "position": 0},
        {"list_id": 1, "service_id": 3, "position": 1},
        {"list_id": 1, "service_id": 4, "position": 0},
    )
    assert listed(lists, 1, staff(1)) == ["s4", "s5", "s3"]


def test_a_list_holds_and_shows_only_services_search_finds(lists):
    """Active services of active organizations; one at a withheld place is one of them."""
    add_service(lists, 1, at=10)
    add_service(lists, 2, status="inactive", at=10)
    add_service(lists, 3, org=2, at=10)  # its organization is inactive
    add_service(lists, 4, at=11)  # at the shelter
    for n, sid in enumerate((1, 2, 3, 4)):
        add(lists, SavedListItem, {"list_id": 1, "service_id": sid, "position": n})
    assert listed(lists, 1, staff(1)) == ["s1", "s4"]
    query = select(Service.id).where(visibility.listable_services()).order_by(Service.id)
    assert lists.scalars(query).all() == [1, 4]
