"""The search entries of a service at several places (``search.index.place_rows``), from
plain records as a bulk load builds them: one per distinct place, each with that place's
point, zone and week."""

from __future__ import annotations

from types import SimpleNamespace

from directory.derived import ELIGIBILITY_COLUMNS
from directory.search.index import place_rows


def service(**kw):
    facts = dict.fromkeys(ELIGIBILITY_COLUMNS)
    return SimpleNamespace(
        id=7,
        organization_id=3,
        name="Legal clinic",
        category="legal.aid",
        open_24_7=True,
        location_id=10,
        capacity_available=None,
        capacity_updated_at=None,
        **{**facts, **kw},
    )


def place(sal_id, location_id, lat, lon, tz="America/Chicago"):
    return SimpleNamespace(
        id=sal_id, location_id=location_id, search_lat=lat, search_lon=lon, timezone=tz
    )


def test_one_entry_per_distinct_place_the_primary_first():
    primary = SimpleNamespace(search_lat=41.8839, search_lon=-87.627, timezone="America/Chicago")
    places = [
        place(1, 10, 41.8839, -87.627),  # the primary's own row: no second entry
        place(2, 11, 42.1537, -87.627),
        place(3, 11, 42.1537, -87.627),  # the same location again: none
        place(4, 12, 40.7128, -74.006, "America/New_York"),
    ]
    rows = place_rows(service(), primary, [], places, {})
    assert [(r["place"], r["lat"], r["lon"], r["timezone"]) for r in rows] == [
        (0, 41.8839, -87.627, "America/Chicago"),
        (2, 42.1537, -87.627, "America/Chicago"),
        (4, 40.7128, -74.006, "America/New_York"),
    ]
    # bands of 0.5°: 41.8839 / 0.5 = 83.8, 42.1537 / 0.5 = 84.3, 40.7128 / 0.5 = 81.4
    assert [r["lat_band"] for r in rows] == [83, 84, 81]
    assert {r["service_id"] for r in rows} == {7}
    assert {r["name"] for r in rows} == {"Legal clinic"}
    assert {r["category_group"] for r in rows} == {"legal"}


def test_a_place_keeps_its_own_hours_else_the_services():
    own = {2: [(5, 600, 630)]}  # Saturday 10:00-10:30 there
    rows = place_rows(
        service(), None, [], [place(2, 11, 42.1537, -87.627), place(3, 12, 42.0, -87.7)], own
    )
    first, there, elsewhere = rows
    assert first["lat"] is None  # no primary location: serves everywhere
    assert first["week_hours"] == b"1" * 168  # the service is open 24/7
    assert elsewhere["week_hours"] == b"1" * 168
    # Saturday is day 5: its 10:00 hour is slot 5 × 24 + 10 = 130, open half of it by the
    # spans kept at the place (b"3": search reads those for it, not the service's)
    assert there["week_hours"] == b"0" * 130 + b"3" + b"0" * 37
