"""Search that finds what people mean (#31): plurals and other word forms in English,
Spanish and French, need words in three languages whether a service is categorized or not,
source taxonomy term names, a typo corrected, relevance first, an empty or thin result that
explains itself (page and API), "open tonight", and directions only to places that are not
confidential. On SQLite and PostgreSQL alike (``DATABASE_URL``)."""

from __future__ import annotations

import csv
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine

from app.extensions import db
from directory.hsds.importing import load
from tests.factories import HoursFactory, LocationFactory, OrganizationFactory, ServiceFactory
from tests.web.test_hsds_facts import package_3_0

DATA = Path(__file__).resolve().parents[1] / "data"
LOOP = (41.8839, -87.6270)
EVANSTON = (42.0451, -87.6877)  # ~18.6 km north of the Loop


@pytest.fixture
def api(client, token):
    headers = token("viewer")

    def get(**params) -> dict:
        response = client.get("/api/v1/services", query_string=params, headers=headers)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    return get


def names(answer: dict) -> list[str]:
    return [item["name"] for item in answer["items"]]


@pytest.fixture
def uncategorized():
    """Services as an import leaves them: no Section V category, English text only."""
    for name, description in (
        ("Walk-in clinic", "See a nurse without an appointment."),
        ("Food pantry", "Groceries every Tuesday."),
        ("Night shelter", "Beds for the night."),
        ("Immigration lawyer desk", "Free advice from a lawyer."),
        ("Human trafficking outreach", "Street outreach and case work."),
        ("Youth counseling", "Talk to someone."),
    ):
        ServiceFactory(name=name, description=description, category=None)


def test_plurals_find_the_singular(api, uncategorized):
    assert names(api(q="clinics")) == ["Walk-in clinic"]
    assert names(api(q="pantries")) == ["Food pantry"]
    assert names(api(q="shelters")) == ["Night shelter"]
    assert names(api(q="lawyers")) == ["Immigration lawyer desk"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("albergue", ["Night shelter"]),
        ("hébergement", ["Night shelter"]),
        ("hebergement", ["Night shelter"]),
        ("comida", ["Food pantry"]),
        ("nourriture", ["Food pantry"]),
        ("abogado", ["Immigration lawyer desk"]),
        ("avocats", ["Immigration lawyer desk"]),
        ("trata de personas", ["Human trafficking outreach"]),
        ("traite", ["Human trafficking outreach"]),
        ("consejería", ["Youth counseling"]),
        ("clínicas", ["Walk-in clinic"]),
    ],
)
def test_need_words_in_spanish_and_french_find_uncategorized_services(
    api, uncategorized, q, expected
):
    assert names(api(q=q)) == expected


def test_a_typo_is_corrected_and_said(api, uncategorized):
    answer = api(q="shleter")
    assert answer["did_you_mean"] == "shelter"
    assert names(answer) == ["Night shelter"]
    assert answer["total"] == 1
    # a word that matches something is never "corrected"
    assert api(q="shelter")["did_you_mean"] is None
    # nothing close: no suggestion, nothing found, and the keywords' cost said
    nothing = api(q="xqzvw")
    assert (nothing["total"], nothing["did_you_mean"]) == (0, None)
    assert nothing["relaxations"] == [{"filter": "q", "total_without": 6}]


def test_keywords_rank_by_relevance_by_default(api):
    ServiceFactory(
        name="A League of Their Own Academy",
        category=None,
        description="Sports for girls aged 8 to 14, with coaching, tournaments, travel, "
        "uniforms and a food stand at home games run by parents on weekends.",
    )
    ServiceFactory(
        name="Zeta food bank", category=None, description="Free food boxes and fresh food."
    )
    ServiceFactory(name="Hair salon", category=None, description="Haircuts.")
    assert names(api(q="food")) == ["Zeta food bank", "A League of Their Own Academy"]
    assert names(api(q="food", sort="relevance")) == names(api(q="food"))
    assert names(api(q="food", sort="name")) == ["A League of Their Own Academy", "Zeta food bank"]


def test_with_a_place_relevance_is_blended_with_distance(api):
    org = OrganizationFactory()
    north = LocationFactory(organization=org, latitude=EVANSTON[0], longitude=EVANSTON[1])
    south = LocationFactory(organization=org, latitude=LOOP[0], longitude=LOOP[1])
    # the same match: the nearer first, though it comes second by name
    ServiceFactory(name="Pantry A", description="Food.", organization=org, location=north)
    ServiceFactory(name="Pantry B", description="Food.", organization=org, location=south)
    answer = api(q="food", lat=LOOP[0], lon=LOOP[1])
    assert names(answer) == ["Pantry B", "Pantry A"]
    # by name without the blend
    assert names(api(q="food", lat=LOOP[0], lon=LOOP[1], sort="name")) == ["Pantry A", "Pantry B"]


def _with_term(folder: Path, name: str) -> Path:
    """The HSDS 3.0 package of ``test_hsds_facts`` with its pantry's term renamed."""
    package_3_0(folder)
    path = folder / "taxonomy_terms.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    rows[1]["name"] = name
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return folder


def test_source_term_names_are_searched(app, api, tmp_path):
    load.import_package(db.session, _with_term(tmp_path / "p", "Nutrition Assistance Programs"))
    db.session.commit()
    # the pantry's own text does not say it: its term's name does
    assert names(api(q="nutrition")) == ["Harbor pantry"]
    assert names(api(q="assistance programs")) == ["Harbor pantry"]


@pytest.fixture
def shelters():
    """Three shelters: one states no ID is needed but speaks English only; one speaks
    French and does not say whether it needs an ID; one speaks French and needs one."""
    ServiceFactory(
        name="Shelter states no ID", category="shelter.adults_hte", victim_id_required=False
    )
    ServiceFactory(
        name="Shelter does not say",
        category="shelter.adults_hte",
        languages="fr en",
        victim_id_required=None,
    )
    ServiceFactory(
        name="Shelter needs ID",
        category="shelter.adults_hte",
        languages="fr",
        victim_id_required=True,
    )
    ServiceFactory(name="French pantry", category="food", languages="fr", victim_id_required=False)


def test_an_empty_result_explains_itself(api, shelters):
    answer = api(category="shelters", no_id_required="true", language="fr")
    assert answer["total"] == 0
    assert answer["items"] == []
    assert answer["not_stated"] == 1
    # without the ID filter: the two French shelters; without the language: the English
    # one; without the category: the French pantry
    assert answer["relaxations"] == [
        {"filter": "no_id_required", "total_without": 2},
        {"filter": "category", "total_without": 1},
        {"filter": "language", "total_without": 1},
    ]
    listed = api(category="shelters", no_id_required="true", language="fr", not_stated="true")
    assert names(listed) == ["Shelter does not say"]
    assert listed["total"] == 1


def test_not_stated_is_counted_apart_and_relaxations_only_when_thin(api):
    for word in ("alpha", "beta", "gamma", "delta", "epsilon", "zeta"):
        ServiceFactory(name=f"Free {word}", cost="free")
    ServiceFactory(name="Paid", cost="fee")
    ServiceFactory(name="Unsaid one", cost=None)
    ServiceFactory(name="Unsaid two", cost=None)
    answer = api(free="true")
    assert answer["total"] == 6
    assert not {"Unsaid one", "Unsaid two", "Paid"} & set(names(answer))
    assert answer["not_stated"] == 2
    assert answer["relaxations"] == []  # 6 results: not thin
    assert api()["not_stated"] == 0  # no filter on a fact
    thin = api(free="true", q="alpha")
    assert names(thin) == ["Free alpha"]
    assert thin["not_stated"] == 0  # neither unsaid service is an "alpha"
    assert thin["relaxations"] == [
        {"filter": "q", "total_without": 6},
        {"filter": "free", "total_without": 1},
    ]


def test_open_tonight_in_each_places_own_time_zone(api):
    def service(name: str, tz: str, weekday: int, opens: int, closes: int):
        org = OrganizationFactory()
        loc = LocationFactory(organization=org, timezone=tz)
        svc = ServiceFactory(name=name, organization=org, location=loc)
        HoursFactory(service=svc, weekday=weekday, opens=opens * 60, closes=closes * 60)

    # Tuesday 2026-11-24 18:00 UTC: 12:00 Tuesday in Chicago, 03:00 Wednesday in Tokyo
    service("Chicago evening", "America/Chicago", 1, 19, 22)
    service("Chicago day", "America/Chicago", 1, 9, 17)
    service("Chicago overnight", "America/Chicago", 1, 23, 7)
    service("Tokyo Tuesday evening", "Asia/Tokyo", 1, 19, 22)
    service("Tokyo Wednesday evening", "Asia/Tokyo", 2, 18, 21)
    ServiceFactory(name="No hours stated")
    with time_machine.travel(datetime(2026, 11, 24, 18, 0, tzinfo=UTC), tick=False):
        answer = api(open_tonight="true")
    assert names(answer) == ["Chicago evening", "Chicago overnight", "Tokyo Wednesday evening"]
    assert answer["not_stated"] == 1


def test_one_moment_at_a_time(client, token):
    response = client.get(
        "/api/v1/services?open_now=true&open_tonight=true", headers=token("viewer")
    )
    assert response.status_code == 422
    assert "open_tonight" in response.get_json()["errors"]


def test_directions_only_to_places_that_are_not_confidential(client, token):
    org = OrganizationFactory()
    open_place = LocationFactory(organization=org, latitude=41.8839, longitude=-87.627)
    hidden = LocationFactory(organization=org, confidential=True)
    ServiceFactory(name="Clinic", organization=org, location=open_place)
    ServiceFactory(name="Safe house", organization=org, location=hidden)
    ServiceFactory(name="Hotline", organization=org, location=None)
    for role in ("viewer", "coordinator"):
        response = client.get("/api/v1/services", headers=token(role))
        links = {i["name"]: i["map_links"] for i in response.get_json()["items"]}
        assert links["Clinic"] == {
            "geo": "geo:41.883900,-87.627000",
            "map": "https://www.openstreetmap.org/directions?to=41.883900%2C-87.627000",
        }
        assert links["Safe house"] is None
        assert links["Hotline"] is None


def test_the_page_explains_an_empty_result_with_one_tap_to_fix_it(client, login, shelters):
    login("viewer")
    page = client.get("/?category=shelters&no_id_required=true&language=fr")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "No service matches all of these filters." in html
    assert "without “no formal victim ID needed”: 2" in html
    assert "1 more did not say — ask them" in html
    assert "Shelter does not say" in html
    # the link drops that filter alone
    link = "/?category=shelters&amp;language=fr#results-count"
    assert link in html
    fixed = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert "<strong>2</strong> services" in fixed


def test_the_page_says_what_a_typo_was_read_as(client, login, uncategorized):
    login("viewer")
    html = client.get("/?q=shleter").get_data(as_text=True)
    assert "Showing results for “shelter”" in html
    assert "Night shelter" in html


# an imported real package: Open Referral's HSDS 1.1 sample (tests/data, as published)


@pytest.fixture
def sample(app, tmp_path):
    folder = tmp_path / "hsds-1.1-sample"
    shutil.copytree(DATA / "hsds-1.1-sample", folder)
    load.import_package(db.session, folder, skip_invalid=True)
    db.session.commit()


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        (
            "comida",
            {"Meals To-Go at The Cross", "The City's Kitchen", "Grocery Tax Break Donation"},
        ),
        ("nourriture", {"Grocery Tax Break Donation"}),
        ("repas", {"Meals To-Go at The Cross", "The City's Kitchen"}),
        ("sans-abri", {"Never Homeless Helpline"}),
        ("kitchens", {"The City's Kitchen"}),
        ("helplines", {"Never Homeless Helpline"}),
    ],
)
def test_an_imported_package_is_found_in_three_languages(api, sample, q, expected):
    assert set(names(api(q=q, per_page=100))) == expected


def test_a_typo_on_an_imported_package(api, sample):
    answer = api(q="helpine")
    assert answer["did_you_mean"] == "helpline"
    assert names(answer) == ["Never Homeless Helpline"]


def test_every_page_of_keywords_by_relevance_holds_the_next_best_ties_included(api):
    # documents of one length whose only difference is how often "food" is said: the more
    # often, the better the match; equal ones by name. Worked out by hand: pages of 5 cut
    # through the tie of E, F and G, which must all come on the page that reaches them
    said = {"A": 6, "B": 5, "C": 5, "D": 4, "E": 3, "F": 3, "G": 3, "H": 2, "I": 2, "J": 1}
    for letter, times in said.items():
        ServiceFactory(
            name=f"Pantry {letter}",
            category=None,
            description=" ".join(["food"] * times + ["plain"] * (6 - times)),
        )
    pages = [names(api(q="food", per_page=5, page=page)) for page in (1, 2, 3)]
    assert pages == [
        ["Pantry A", "Pantry B", "Pantry C", "Pantry D", "Pantry E"],
        ["Pantry F", "Pantry G", "Pantry H", "Pantry I", "Pantry J"],
        [],
    ]
    assert api(q="food", per_page=5, page=2)["total"] == 10
