"""Search through ``GET /api/v1/services``: each filter alone, combined, distance, hours,
confidential addresses per role, and bad input."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import time_machine

from app.extensions import db
from directory import geo
from directory.models import ServiceHours
from directory.search import query as search
from directory.search.schemas import filters_from_args
from tests.factories import (
    HoursFactory,
    LocationFactory,
    OrganizationFactory,
    PhoneFactory,
    ServiceFactory,
)

# Chicago Loop, and places at known distances from it
LOOP = (41.8839, -87.6270)
EVANSTON = (42.0451, -87.6877)  # ~18.6 km north
AURORA = (41.7606, -88.3201)  # ~59 km west
MILWAUKEE = (43.0389, -87.9065)  # ~130 km north


def names(response) -> list[str]:
    assert response.status_code == 200, response.get_json()
    return [item["name"] for item in response.get_json()["items"]]


@pytest.fixture
def api(client, token):
    headers = token("viewer")

    def get(**params):
        return client.get("/api/v1/services", query_string=params, headers=headers)

    return get


def at(lat_lon, org=None, **kw):
    org = org or OrganizationFactory()
    return LocationFactory(organization=org, latitude=lat_lon[0], longitude=lat_lon[1], **kw)


def test_no_filter_lists_active_services_by_name(api):
    ServiceFactory(name="Bravo")
    ServiceFactory(name="Alpha")
    ServiceFactory(name="Hidden", status="inactive")
    inactive_org = OrganizationFactory(status="inactive")
    ServiceFactory(name="Org inactive", organization=inactive_org)
    response = api()
    assert names(response) == ["Alpha", "Bravo"]
    assert response.get_json()["total"] == 2


def test_keyword_matches_name_description_and_organization(api):
    ServiceFactory(name="Night shelter", description="beds")
    ServiceFactory(name="Pantry", description="Emergency groceries and hot meals")
    ServiceFactory(
        name="Clinic", organization=OrganizationFactory(name="Tigrinya Community Association")
    )
    assert names(api(q="shelter")) == ["Night shelter"]
    assert names(api(q="grocer")) == ["Pantry"]  # prefix match
    assert names(api(q="tigrinya association")) == ["Clinic"]
    assert names(api(q="shelter groceries")) == []  # every word must match


def test_keyword_never_matches_a_street_address(api):
    loc = at(LOOP, address_1="4242 Secret Lane", confidential=True)
    ServiceFactory(name="Safe house", organization=loc.organization, location=loc)
    assert names(api(q="Secret Lane")) == []


def test_category_code_and_group(api):
    ServiceFactory(name="Kids shelter", category="shelter.children")
    ServiceFactory(name="Men shelter", category="shelter.males")
    ServiceFactory(name="Pantry", category="food")
    assert names(api(category="shelter.males")) == ["Men shelter"]
    assert names(api(category="shelters")) == ["Kids shelter", "Men shelter"]
    assert names(api(category=["food", "shelter.children"])) == ["Kids shelter", "Pantry"]


def test_language_accepts_639_1_and_639_3(api):
    ServiceFactory(name="Spanish", languages="en es")
    ServiceFactory(name="Tigrinya", languages="ti")
    ServiceFactory(name="Kiche", languages="quc")
    assert names(api(language="es")) == ["Spanish"]
    assert names(api(language="spa")) == ["Spanish"]
    assert names(api(language="tir")) == ["Tigrinya"]
    assert names(api(language="quc")) == ["Kiche"]
    assert names(api(language=["ti", "quc"])) == ["Kiche", "Tigrinya"]


def test_age_gender_and_eligibility_filters(api):
    ServiceFactory(name="Youth", min_age=12, max_age=17)
    ServiceFactory(name="Adults women", min_age=18, genders="female transgender")
    ServiceFactory(name="Everyone")
    ServiceFactory(name="Documented only", immigration_status="documented_only")
    ServiceFactory(name="Needs ID", victim_id_required=True)
    assert names(api(age=15)) == ["Documented only", "Everyone", "Needs ID", "Youth"]
    assert names(api(age=30, gender="male")) == ["Documented only", "Everyone", "Needs ID"]
    assert names(api(gender="transgender", age=30)) == [
        "Adults women",
        "Documented only",
        "Everyone",
        "Needs ID",
    ]
    assert "Documented only" not in names(api(undocumented_ok="true"))
    assert "Needs ID" not in names(api(no_id_required="true"))


def test_free_walk_in_and_modality(api):
    ServiceFactory(name="Free walk-in", cost="free", walk_in=True, modalities="in_person")
    ServiceFactory(name="Paid phone", cost="fee", modalities="phone text")
    ServiceFactory(name="Sliding video", cost="sliding_scale", modalities="video")
    assert names(api(free="true")) == ["Free walk-in"]
    assert names(api(walk_in="true")) == ["Free walk-in"]
    assert names(api(modality="text")) == ["Paid phone"]
    assert names(api(modality=["video", "phone"])) == ["Paid phone", "Sliding video"]


def test_distance_order_and_radius(api):
    for name, point in (
        ("Milwaukee", MILWAUKEE),
        ("Evanston", EVANSTON),
        ("Aurora", AURORA),
        ("Loop", LOOP),
    ):
        loc = at(point)
        ServiceFactory(name=name, organization=loc.organization, location=loc)
    ServiceFactory(name="Hotline", location=None, modalities="phone")
    # no place and no word of serving remotely: near no one (#25), listed last without
    # a radius
    ServiceFactory(name="Nowhere said", location=None, modalities=None)
    response = api(lat=LOOP[0], lon=LOOP[1])
    assert names(response)[:4] == ["Loop", "Evanston", "Aurora", "Milwaukee"]
    assert sorted(names(response)[4:]) == ["Hotline", "Nowhere said"]
    distances = [i["distance_km"] for i in response.get_json()["items"]]
    assert distances[0] == pytest.approx(0, abs=0.01)
    assert distances[1] == pytest.approx(18.6, abs=0.5)
    assert distances[2] == pytest.approx(59, abs=1.5)
    assert distances[4] is None  # no location: no distance
    assert names(api(lat=LOOP[0], lon=LOOP[1], radius_km=25)) == ["Loop", "Evanston", "Hotline"]
    assert names(api(lat=LOOP[0], lon=LOOP[1], radius_km=100)) == [
        "Loop",
        "Evanston",
        "Aurora",
        "Hotline",
    ]


def test_a_place_less_service_is_near_no_one_unless_it_says_it_serves_remotely(api):
    """#25: a listing whose address was not read is not "within 2 km" of every point;
    only a stated phone, video or text service without a place is kept in a radius."""
    ServiceFactory(name="Video clinic", location=None, modalities="video")
    ServiceFactory(name="Text line", location=None, modalities="in_person text")
    ServiceFactory(name="Walk-in only", location=None, modalities="in_person")
    ServiceFactory(name="Not said", location=None, modalities=None)
    near = names(api(lat=LOOP[0], lon=LOOP[1], radius_km=2))
    assert near == ["Text line", "Video clinic"]
    # without a radius every one is still listed (after located ones, by name)
    assert len(names(api(lat=LOOP[0], lon=LOOP[1]))) == 4


def test_a_place_phone_is_shown_in_search_results(api, client, login):
    """A 211 or Ohana feed gives its numbers to the location: a result shows them."""
    loc = at(LOOP)
    PhoneFactory(location=loc, number="+13125550142", kind="voice")
    ServiceFactory(name="Desk", organization=loc.organization, location=loc)
    [item] = api(lat=LOOP[0], lon=LOOP[1]).get_json()["items"]
    assert item["phones"] == []
    assert [p["number"] for p in item["location_phones"]] == ["+13125550142"]
    login("viewer")
    page = client.get("/?q=Desk").get_data(as_text=True)
    assert 'href="tel:+13125550142"' in page


def test_nearest_first_in_widening_circles_is_the_full_sort(api, monkeypatch):
    """With many matches, nearest-first pages come from the smallest circle (5, 25, 100,
    400 km) holding the page: every page, with and without a radius, is the one a sort of
    all matches gives."""
    for km in (1, 3, 7, 12, 20, 40, 60, 90, 150, 300, 500):
        loc = at((LOOP[0] + km / geo.KM_PER_DEGREE, LOOP[1]))
        ServiceFactory(name=f"{km:03d} km", organization=loc.organization, location=loc)
    ServiceFactory(name="Hotline", location=None, modalities="phone")

    def pages(radius_km):
        radius = {} if radius_km is None else {"radius_km": radius_km}
        answers = [api(lat=LOOP[0], lon=LOOP[1], per_page=2, page=n, **radius) for n in range(1, 8)]
        return [(a.get_json()["total"], names(a)) for a in answers]

    monkeypatch.setattr(search, "FEW", 10**9)  # sort every match
    full = {radius_km: pages(radius_km) for radius_km in (None, 50, 200)}
    assert full[None][0] == (12, ["001 km", "003 km"])
    assert full[None][5] == (12, ["500 km", "Hotline"])
    assert full[50][2:4] == [(7, ["020 km", "040 km"]), (7, ["Hotline"])]  # place-less last
    monkeypatch.setattr(search, "FEW", 0)  # always look in circles first
    for radius_km, expected in full.items():
        assert pages(radius_km) == expected, radius_km


def test_near_a_zip_code_or_city(api):
    loc = at(EVANSTON)
    ServiceFactory(name="Evanston", organization=loc.organization, location=loc)
    loc = at(AURORA)
    ServiceFactory(name="Aurora", organization=loc.organization, location=loc)
    assert names(api(near="60201", radius_km=10)) == ["Evanston"]  # Evanston's ZIP
    assert names(api(near="Aurora, IL", radius_km=10)) == ["Aurora"]
    body = api(near="aurora, illinois").get_json()
    assert body["place"].startswith("Aurora")


def test_unknown_place_is_a_422_naming_near(api):
    response = api(near="Nowhereville Xyzzy")
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == 422
    assert "near" in body["errors"]
    assert "not known" in body["errors"]["near"][0]


def test_bad_filters_name_the_field_and_list_what_is_accepted(api):
    body = api(category="shelter.castle").get_json()
    assert "category" in body["errors"]
    assert "shelter.children" in str(body["errors"]["category"])
    body = api(language="xx").get_json()
    assert "language" in body["errors"]
    assert "ISO 639" in str(body["errors"]["language"])
    body = api(radius_km=5).get_json()
    assert "radius_km" in body["errors"]
    for params, field in (
        (dict(age=-1), "age"),
        (dict(lat=100, lon=0), "lat"),
        (dict(gender="robot"), "gender"),
        (dict(per_page=1000), "per_page"),
        (dict(open_at="tuesday evening"), "open_at"),
    ):
        response = api(**params)
        assert response.status_code == 422
        assert field in response.get_json()["errors"], params


def _nine_to_five(name, tz, **kw):
    org = OrganizationFactory()
    loc = LocationFactory(organization=org, timezone=tz)
    service = ServiceFactory(name=name, organization=org, location=loc, **kw)
    for day in range(5):
        HoursFactory(service=service, weekday=day, opens=9 * 60, closes=17 * 60)
    return service


def test_open_now_in_each_locations_own_time_zone(api):
    _nine_to_five("Chicago office", "America/Chicago")
    _nine_to_five("New York office", "America/New_York")
    _nine_to_five("Los Angeles office", "America/Los_Angeles")
    ServiceFactory(name="Always", open_24_7=True)
    # Tuesday 2026-11-24 16:30 UTC = 10:30 Chicago, 11:30 New York, 08:30 Los Angeles
    with time_machine.travel(datetime(2026, 11, 24, 16, 30, tzinfo=UTC), tick=False):
        response = api(open_now="true")
        assert names(response) == ["Always", "Chicago office", "New York office"]
        all_items = {i["name"]: i["open_now"] for i in api().get_json()["items"]}
    assert all_items["Los Angeles office"] is False
    assert all_items["Chicago office"] is True
    # 22:30 UTC = 16:30 Chicago, 17:30 New York (closed), 14:30 Los Angeles
    with time_machine.travel(datetime(2026, 11, 24, 22, 30, tzinfo=UTC), tick=False):
        assert names(api(open_now="true")) == ["Always", "Chicago office", "Los Angeles office"]


def test_overnight_hours_and_open_at(api):
    org = OrganizationFactory()
    loc = LocationFactory(organization=org, timezone="America/Chicago")
    night = ServiceFactory(name="Night drop-in", organization=org, location=loc)
    HoursFactory(service=night, weekday=4, opens=20 * 60, closes=6 * 60)  # Fri 20:00–Sat 06:00
    _nine_to_five("Day office", "America/Chicago")
    assert names(api(open_at="2026-11-27T23:00")) == ["Night drop-in"]  # Friday 23:00
    assert names(api(open_at="2026-11-28T05:59")) == ["Night drop-in"]  # Saturday 05:59
    assert names(api(open_at="2026-11-28T06:00")) == []  # closed from 06:00
    assert names(api(open_at="2026-11-27T19:59")) == []
    assert names(api(open_at="2026-11-27T10:00")) == ["Day office"]
    # Friday 04:00 UTC = Thursday 22:00 Chicago: the Friday-night span has not started
    with time_machine.travel(datetime(2026, 11, 27, 4, 0, tzinfo=UTC), tick=False):
        assert names(api(open_now="true")) == []
    # Saturday 10:00 UTC = Saturday 04:00 Chicago: still in Friday's overnight span
    with time_machine.travel(datetime(2026, 11, 28, 10, 0, tzinfo=UTC), tick=False):
        assert names(api(open_now="true")) == ["Night drop-in"]


def test_open_at_within_an_hour_that_opens_or_closes_part_way(api):
    """Hours on the half hour: the part-open hour is decided by the exact spans."""
    org = OrganizationFactory()
    loc = LocationFactory(organization=org, timezone="America/Chicago")
    clinic = ServiceFactory(name="Half-hour clinic", organization=org, location=loc)
    HoursFactory(service=clinic, weekday=1, opens=8 * 60 + 30, closes=17 * 60 + 15)  # Tue
    assert names(api(open_at="2026-11-24T08:29")) == []
    assert names(api(open_at="2026-11-24T08:30")) == ["Half-hour clinic"]
    assert names(api(open_at="2026-11-24T12:00")) == ["Half-hour clinic"]
    assert names(api(open_at="2026-11-24T17:14")) == ["Half-hour clinic"]
    assert names(api(open_at="2026-11-24T17:15")) == []
    # 23:20 UTC = 17:20 Chicago (closed); 14:40 UTC = 08:40 Chicago (open)
    with time_machine.travel(datetime(2026, 11, 24, 23, 20, tzinfo=UTC), tick=False):
        assert names(api(open_now="true")) == []
    with time_machine.travel(datetime(2026, 11, 24, 14, 40, tzinfo=UTC), tick=False):
        assert names(api(open_now="true")) == ["Half-hour clinic"]


def test_hours_changed_later_reach_search(api):
    """Changing a service's hours re-indexes it: search answers from the new hours."""
    org = OrganizationFactory()
    loc = LocationFactory(organization=org, timezone="America/Chicago")
    office = ServiceFactory(name="Moving office", organization=org, location=loc)
    HoursFactory(service=office, weekday=2, opens=9 * 60, closes=12 * 60)  # Wed morning
    assert names(api(open_at="2026-11-25T10:00")) == ["Moving office"]
    office.hours = [ServiceHours(weekday=2, opens=14 * 60, closes=18 * 60)]
    db.session.commit()
    assert names(api(open_at="2026-11-25T10:00")) == []
    assert names(api(open_at="2026-11-25T15:00")) == ["Moving office"]


def test_filters_combine(api):
    near_loc = at(EVANSTON)
    ServiceFactory(
        name="Match",
        organization=near_loc.organization,
        location=near_loc,
        category="legal.aid",
        languages="es en",
        cost="free",
        walk_in=True,
    )
    loc2 = at(EVANSTON)
    ServiceFactory(
        name="Wrong language",
        organization=loc2.organization,
        location=loc2,
        category="legal.aid",
        languages="en",
        cost="free",
        walk_in=True,
    )
    loc3 = at(MILWAUKEE)
    ServiceFactory(
        name="Too far",
        organization=loc3.organization,
        location=loc3,
        category="legal.aid",
        languages="es",
        cost="free",
        walk_in=True,
    )
    loc4 = at(EVANSTON)
    ServiceFactory(
        name="Not free",
        organization=loc4.organization,
        location=loc4,
        category="legal.aid",
        languages="es",
        cost="fee",
        walk_in=True,
    )
    response = api(
        category="legal",
        language="es",
        lat=LOOP[0],
        lon=LOOP[1],
        radius_km=30,
        free="true",
        walk_in="true",
        q="match",
    )
    assert names(response) == ["Match"]


def test_pagination(api):
    for i in range(25):
        ServiceFactory(name=f"Service {i:02d}")
    first = api(per_page=10).get_json()
    third = api(per_page=10, page=3).get_json()
    assert first["total"] == 25
    assert third["total"] == 25
    assert [i["name"] for i in first["items"]] == [f"Service {i:02d}" for i in range(10)]
    assert [i["name"] for i in third["items"]] == [f"Service {i:02d}" for i in range(20, 25)]


@pytest.mark.parametrize(
    ("role", "sees_address"),
    [("viewer", False), ("case_manager", False), ("coordinator", True), ("admin", True)],
)
def test_confidential_address_only_for_coordinators(client, token, role, sees_address):
    loc = at(EVANSTON, address_1="77 Hidden Court", confidential=True)
    ServiceFactory(
        name="Safe house",
        organization=loc.organization,
        location=loc,
        category="shelter.adults_hte",
    )
    headers = token(role)
    response = client.get(
        "/api/v1/services", query_string={"lat": LOOP[0], "lon": LOOP[1]}, headers=headers
    )
    item = response.get_json()["items"][0]
    text = response.get_data(as_text=True)
    assert item["confidential_location"] is True
    assert item["distance_approximate"] is True
    assert item["distance_km"] is not None
    assert item["area"]["city"] == "Chicago" or item["area"]["city"]
    if sees_address:
        assert item["address"]["address_1"] == "77 Hidden Court"
        assert item["address"]["latitude"] == pytest.approx(EVANSTON[0])
    else:
        assert item["address"] is None
        assert "Hidden Court" not in text
        assert str(EVANSTON[0]) not in text
        assert str(EVANSTON[1]) not in text
    one = client.get(f"/api/v1/services/{item['id']}", headers=headers).get_json()
    assert (one["address"] is not None) is sees_address


def test_confidential_distance_uses_the_coarse_point(api):
    # A confidential place is searched by its town centre, never by its exact point.
    loc = at((42.0600, -87.7000), postal_code="60201", confidential=True)
    ServiceFactory(name="Safe house", organization=loc.organization, location=loc)
    assert loc.search_lat != pytest.approx(42.06, abs=1e-4)
    item = api(lat=LOOP[0], lon=LOOP[1]).get_json()["items"][0]
    assert item["distance_approximate"] is True


def test_statement_count_does_not_grow_with_page_size(client, token, login):
    """No N+1: a search answers in the same number of SQL statements for 5 or 50 results."""
    from sqlalchemy import event

    from tests.factories import PhoneFactory

    for i in range(60):
        s = ServiceFactory(name=f"Service {i:02d}", category="food")
        PhoneFactory(service=s)
        HoursFactory(service=s)
    headers = token("case_manager")
    login("case_manager")
    counts = {}
    client.get("/api/v1/services?category=food", headers=headers)  # warm-up (first connection)

    def count(conn, cursor, statement, *args):
        counts[current] = counts.get(current, 0) + 1

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        for current in ("api-5", "api-50", "page-5", "page-50"):
            size = current.split("-")[1]
            if current.startswith("api"):
                response = client.get(
                    f"/api/v1/services?category=food&per_page={size}", headers=headers
                )
            else:
                response = client.get(f"/?category=food&per_page={size}")
            assert response.status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert counts["api-5"] == counts["api-50"], counts
    assert counts["page-5"] == counts["page-50"]
    assert counts["api-50"] <= 15


def test_search_answer_is_the_json_the_schema_writes(app, client, token, users):
    """The search endpoint writes its answer with orjson instead of dumping it through
    ``SearchAnswerSchema``: for every role, the JSON is exactly what the schema writes."""
    from datetime import date, timedelta

    from flask_login import login_user

    from directory.aaaq_records import AaaqRating, FeedbackNote
    from directory.referrals.models import Referral
    from directory.search.api import search_answer
    from directory.search.schemas import SearchAnswerSchema
    from tests.factories import PhoneFactory

    now = datetime.now(UTC)
    shelter_loc = at(EVANSTON, postal_code="60201", confidential=True, address_1="1 Hidden Way")
    shelter = ServiceFactory(
        name="Shelter",
        category="shelter.adults_hte",
        organization=shelter_loc.organization,
        location=shelter_loc,
        capacity_unit="beds",
        capacity_available=3,
        capacity_maximum=12,
        capacity_updated_at=now.replace(tzinfo=None) - timedelta(hours=2),
        last_verified=date.today(),
        min_age=18,
        genders="female transgender",
    )
    clinic_loc = at(LOOP, address_1="100 State St")
    clinic = ServiceFactory(
        name="Clinic", organization=clinic_loc.organization, location=clinic_loc, languages="es en"
    )
    ServiceFactory(name="Interpreters", category="interpreter", interpreter_dialects="K'iche'")
    PhoneFactory(service=clinic)
    HoursFactory(service=clinic)
    db.session.add_all(
        [
            AaaqRating(service_id=clinic.id, rated_on=date.today(), availability=3, quality=2),
            FeedbackNote(
                service_id=clinic.id, text="Kind staff.", outcome="helpful", noted_on=date.today()
            ),
            Referral(
                service_id=shelter.id,
                case_manager_id=users["case_manager"].id,
                case_reference="K-1",
                handoff="warm_call",
                consent=True,
                need="shelter",
                follow_up_on=date.today(),
                referred_on=date.today(),
                status="connected",
            ),
        ]
    )
    db.session.commit()
    for role in ("viewer", "case_manager", "coordinator"):
        written = client.get(
            "/api/v1/services", query_string={"lat": LOOP[0], "lon": LOOP[1]}, headers=token(role)
        ).get_json()
        with app.test_request_context():
            login_user(users[role])
            filters = filters_from_args({"lat": LOOP[0], "lon": LOOP[1]})
            found = search.search(db.session, filters, now_utc=now)
            dumped = SearchAnswerSchema().dump(search_answer(found, users[role], now))
        assert written == json.loads(json.dumps(dumped)), role
        by_name = {i["name"]: i for i in written["items"]}
        assert set(by_name) == {"Clinic", "Shelter", "Interpreters"}
        shelter_item = by_name["Shelter"]
        assert shelter_item["capacity"]["updated_at"].endswith("+00:00")
        assert (shelter_item["address"] is None) == (role != "coordinator")


def test_keyword_total_counts_listed_services_only(api, app):
    """A keyword search alone takes its total from the full-text index, which holds listed
    services only: deactivating a service or its organization takes it out of both."""

    kept = [ServiceFactory(name=f"Harbor legal clinic {i}") for i in range(3)]
    hidden = ServiceFactory(name="Harbor legal clinic closed")
    org_gone = ServiceFactory(name="Harbor legal clinic of a closed org")
    assert api(q="harbor").get_json()["total"] == 5
    hidden.status = "inactive"
    org_gone.organization.status = "inactive"
    db.session.commit()
    response = api(q="harbor")
    assert response.get_json()["total"] == 3
    assert sorted(names(response)) == sorted(s.name for s in kept)
    hidden.status = "active"
    db.session.commit()
    assert api(q="harbor").get_json()["total"] == 4


def test_many_keyword_matches_page_the_same_way(api, monkeypatch):
    """Past ``MANY_MATCHES`` a keyword page in name order is planned another way; the pages
    are the same."""
    for i in range(30):
        ServiceFactory(
            name=f"Counseling {i:02d}", category="mental_health.general" if i % 2 else "food"
        )
    ServiceFactory(name="Food bank")

    def pages():
        return [
            (r.get_json()["total"], names(r))
            for r in (
                api(q="counseling", page=1, per_page=7, sort="name"),
                api(q="counseling", page=3, per_page=7, sort="name"),
                api(q="counseling", category="food", per_page=5, sort="name"),
            )
        ]

    few = pages()
    monkeypatch.setattr(search, "MANY_MATCHES", 5)
    assert pages() == few
    assert few[0] == (30, [f"Counseling {i:02d}" for i in range(7)])
    assert few[2][0] == 15


def test_radius_total_is_counted_with_the_page_and_past_the_last_page(api):
    """A radius search's total is every candidate within the radius, on any page: the first,
    the last, and one past the end that has no rows."""
    for i in range(5):
        ServiceFactory(name=f"Near {i}", location=at(LOOP))
    ServiceFactory(name="Far", location=at(MILWAUKEE))
    near = {"lat": LOOP[0], "lon": LOOP[1], "radius_km": 25, "per_page": 2}
    first = api(**near).get_json()
    assert (first["total"], len(first["items"])) == (5, 2)
    last = api(**near, page=3).get_json()
    assert (last["total"], len(last["items"])) == (5, 1)
    beyond = api(**near, page=9).get_json()
    assert (beyond["total"], beyond["items"]) == (5, [])
