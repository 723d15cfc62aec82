"""Offline geocoding, coarse points, bounding boxes; the taxonomy against the contract."""

import math

import pytest

from directory import geo, languages, taxonomy


def test_gazetteer_finds_zip_codes_and_cities():
    gaz = geo.OfflineGazetteer()
    z = gaz.geocode("60601")
    assert z.latitude == pytest.approx(41.886, abs=0.01)
    assert gaz.geocode("60601-1234").latitude == z.latitude
    chicago = gaz.geocode("Chicago")
    assert chicago.latitude == pytest.approx(41.85, abs=0.05)
    springfield_il = gaz.geocode("Springfield, IL")
    springfield_ma = gaz.geocode("Springfield, Massachusetts")
    assert springfield_il.longitude == pytest.approx(-89.64, abs=0.1)
    assert springfield_ma.longitude == pytest.approx(-72.59, abs=0.1)
    lyon = gaz.geocode("Lyon, France")
    assert lyon.latitude == pytest.approx(45.75, abs=0.05)
    assert gaz.geocode("Nowhere Atlantis") is None
    assert gaz.geocode("00000") is None


def test_geocode_caches_found_places_only_never_typed_text_that_matched_nothing(app):
    # Changed by issue #18: a miss used to be cached under the typed text; now only places
    # that were found are kept, under their normalised name.
    from app.extensions import db
    from directory.derived import GeocodeCache

    with pytest.raises(geo.UnknownPlace):
        geo.geocode("Qwertyuiop Land")
    assert db.session.query(GeocodeCache).count() == 0
    point = geo.geocode("Evanston, IL")
    assert point.lat == pytest.approx(42.04, abs=0.05)
    with pytest.raises(geo.UnknownPlace):
        geo.geocode("  QWERTYUIOP   land ")
    rows = db.session.query(GeocodeCache).all()
    assert [(r.query, r.found) for r in rows] == [("evanston, il", True)]
    assert all("qwerty" not in (r.label or "").lower() for r in rows)
    again = geo.geocode("EVANSTON,  IL")  # the same normalised name: read from the cache
    assert (again.lat, again.lon) == (point.lat, point.lon)
    assert db.session.query(GeocodeCache).count() == 1


def test_geocode_when_another_worker_caches_the_same_place_first(app, monkeypatch):
    """Two workers looking up a new place at once: no error, the first answer stays."""
    from sqlalchemy import create_engine, insert

    from app.extensions import db
    from directory.derived import GeocodeCache

    real = geo.geocoder()
    other_worker = create_engine(db.engine.url)

    class RacingGeocoder:
        def geocode(self, place):
            with other_worker.begin() as conn:  # commits while we are still looking it up
                conn.execute(
                    insert(GeocodeCache).values(
                        query="evanston, il",
                        provider="offline",
                        found=True,
                        latitude=42.0,
                        longitude=-87.7,
                        label="Evanston (other worker)",
                    )
                )
            return real.geocode(place)

    monkeypatch.setattr(geo, "geocoder", RacingGeocoder)
    try:
        point = geo.geocode("Evanston, IL")
    finally:
        other_worker.dispose()
    assert point.label == "Evanston (other worker)"
    assert db.session.query(GeocodeCache).count() == 1


def test_town_point_is_the_town_centre_never_the_exact_or_zip_point():
    # Changed by issue #18: a withheld place was searched by its ZIP centre; now by its
    # town's centre, or a grid cell of 5 km or more when the town is unknown.
    exact = (42.0600, -87.7000)
    by_city = geo.town_point("Evanston", "IL", "US", *exact)
    assert by_city != exact
    assert by_city == pytest.approx(_offline("Evanston, IL"))
    assert by_city != geo.postal_point("60201", "US")
    rounded = geo.town_point(None, None, None, 42.0612, -87.7049)
    assert rounded == (42.1, -87.7)
    assert geo.town_point("Nowhereville Flats", "IL", "US", 42.0612, -87.7049) == (42.1, -87.7)
    # a gazetteer town far from the place's own point is a wrong match: the grid instead
    assert geo.town_point("Springfield", "IL", "US", 42.0612, -87.7049) == (42.1, -87.7)


def test_grid_cells_are_at_least_5_km_wide_everywhere():
    for lat in (0.0, 30.0, 45.0, 60.0, 70.0, 80.0):
        cells = {geo.grid_point(lat + k / 1000, 10.0 + k / 100) for k in range(500)}
        lats = sorted({c[0] for c in cells})
        lons = sorted({c[1] for c in cells})
        assert min(b - a for a, b in zip(lats, lats[1:], strict=False)) * geo.KM_PER_DEGREE >= 5
        km_per_lon = geo.KM_PER_DEGREE * math.cos(math.radians(lats[-1]))
        assert min(b - a for a, b in zip(lons, lons[1:], strict=False)) * km_per_lon >= 5 - 1e-6


def test_bounding_box_contains_the_circle():
    lat0, lat1, lon0, lon1 = geo.bounding_box(41.88, -87.63, 10)
    assert geo.distance_km((41.88, -87.63), (lat1, -87.63)) == pytest.approx(10, rel=0.01)
    assert geo.distance_km((41.88, -87.63), (41.88, lon1)) == pytest.approx(10, rel=0.01)
    assert lat0 < 41.88 < lat1
    assert lon0 < -87.63 < lon1


# The category table of CONTRACT.md, copied here so the test needs nothing outside the repo.
CONTRACT_CODES = {
    "interpreters": ["interpreter"],
    "anti_trafficking": ["anti_trafficking.local", "anti_trafficking.national"],
    "hotlines": [
        "hotline.anti_trafficking",
        "hotline.suicide",
        "hotline.child",
        "hotline.family_violence",
        "hotline.missing_persons",
    ],
    "shelters": [
        "shelter.children",
        "shelter.adults_hte",
        "shelter.adults_other",
        "shelter.males",
        "shelter.transgender",
        "shelter.migrant_refugee",
    ],
    "food": ["food"],
    "health": [
        "health.hospital",
        "health.childrens_hospital",
        "health.trauma_center",
        "health.hte_clinic",
        "health.migrant_refugee_clinic",
        "health.pediatrics",
        "health.reproductive",
        "health.pregnancy_termination",
        "health.free_clinic",
        "health.substance_use",
        "health.mobile_outreach",
        "health.obgyn",
    ],
    "mental_health": [
        "mental_health.psychiatric_hospital",
        "mental_health.trauma_focused",
        "mental_health.general",
        "mental_health.pediatric",
        "mental_health.therapists",
        "mental_health.traditional_healers",
    ],
    "related": [
        "related.migrant_refugee",
        "related.family_violence",
        "related.lgbtq",
        "related.vulnerable_children",
        "related.rights",
    ],
    "legal": ["legal.aid", "legal.immigration_lawyers", "legal.migrant_refugee"],
    "consular": ["consular.embassy"],
    "international": ["international"],
}


def test_taxonomy_codes_are_exactly_the_contracts():
    got = {g.code: [c.code for c in g.categories] for g in taxonomy.groups()}
    assert got == CONTRACT_CODES
    assert list(got) == list(CONTRACT_CODES)  # the template's order


def test_expand_groups_and_report_unknown():
    codes, unknown = taxonomy.expand(["hotlines", "food", "nope"])
    assert codes[:5] == [
        "hotline.anti_trafficking",
        "hotline.suicide",
        "hotline.child",
        "hotline.family_violence",
        "hotline.missing_persons",
    ]
    assert codes[-1] == "food"
    assert unknown == ["nope"]


def test_language_codes():
    assert languages.canonical("spa") == "es"
    assert languages.canonical("ES") == "es"
    assert languages.canonical("quc") == "quc"
    assert languages.canonical("xx") is None
    assert languages.name("ti") == "Tigrinya"
    assert languages.parse_list("en, tir xx") == (["en", "ti"], ["xx"])


def _offline(place: str) -> tuple[float, float]:
    found = geo.OfflineGazetteer().geocode(place)
    return found.latitude, found.longitude
