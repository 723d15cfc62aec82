"""Offline geocoding, coarse points, bounding boxes; the taxonomy against the contract."""

import re
from pathlib import Path

import pytest

from directory import geo, languages, taxonomy

CONTRACT = Path(__file__).resolve().parents[3] / "shared" / "CONTRACT.md"


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


def test_geocode_caches_found_and_not_found(app):
    from app.extensions import db
    from directory.models import GeocodeCache

    point = geo.geocode("Evanston, IL")
    assert point.lat == pytest.approx(42.04, abs=0.05)
    with pytest.raises(geo.UnknownPlace):
        geo.geocode("Qwertyuiop Land")
    cached = {row.query: row.found for row in db.session.query(GeocodeCache)}
    assert cached == {"evanston, il": True, "qwertyuiop land": False}


def test_coarse_point_is_never_the_exact_point():
    exact = (42.0600, -87.7000)
    by_zip = geo.coarse_point("60201", "Evanston", "IL", "US", *exact)
    assert by_zip != exact
    assert geo.distance_km(by_zip, exact) < 5
    by_city = geo.coarse_point(None, "Evanston", "IL", "US", *exact)
    assert by_city != exact
    rounded = geo.coarse_point(None, None, None, None, 42.0612, -87.7049)
    assert rounded == (42.1, -87.7)


def test_bounding_box_contains_the_circle():
    lat0, lat1, lon0, lon1 = geo.bounding_box(41.88, -87.63, 10)
    assert geo.distance_km((41.88, -87.63), (lat1, -87.63)) == pytest.approx(10, rel=0.01)
    assert geo.distance_km((41.88, -87.63), (41.88, lon1)) == pytest.approx(10, rel=0.01)
    assert lat0 < 41.88 < lat1
    assert lon0 < -87.63 < lon1


def test_taxonomy_codes_are_exactly_the_contracts():
    table = CONTRACT.read_text().split("## Category codes (Section V)")[1]
    expected = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 2 and cells[0].startswith("`"):
            expected[cells[0].strip("`")] = re.findall(r"`([^`]+)`", cells[1])
    got = {g.code: [c.code for c in g.categories] for g in taxonomy.groups()}
    assert got == expected
    assert list(got) == list(expected)  # the template's order


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
