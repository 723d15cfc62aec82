"""The source taxonomies and terms kept from imports in the HSDS API (issues #17, #21):
listed under ``/taxonomies`` and ``/taxonomy_terms`` beside this product's own, paged, with
their parents, served by id, and usable as ``taxonomy_term_id`` on the lists."""

from __future__ import annotations

import uuid

import pytest

from app.extensions import db
from directory.hsds import mapping, rows
from directory.hsds.importing import load
from directory.source_terms import SourceTaxonomy, SourceTerm
from tests.web.test_hsds_facts import FOOD, ORG, package_3_0, uid

TAX, BASIC, PANTRY = uid("tax"), uid("term-basic"), uid("term-pantry")
NS = uuid.UUID("5a3f8f0e-3c55-4d2e-9a55-7b2f0c6d1e01")  # the export's namespace, as documented
# a 1.x package's term id is no UUID: the API gives it uuid5(NS, "source/<id>")
LEGACY_TERM = str(uuid.uuid5(NS, "source/101-01"))


@pytest.fixture
def imported(app, tmp_path):
    load.import_package(db.session, package_3_0(tmp_path / "p"))
    # a term as a 1.x package keeps it: a non-UUID id, a parent that is kept too
    legacy = SourceTaxonomy(hsds_id="airs", name="AIRS", import_source="sample")
    db.session.add(legacy)
    db.session.flush()
    db.session.add(
        SourceTerm(
            hsds_id="101-01",
            taxonomy_id=legacy.id,
            parent_hsds_id=BASIC,
            code="101-01",
            name="Emergency Food",
            import_source="sample",
        )
    )
    db.session.commit()


def _every(client, headers, path: str, query: str = "", per_page: int = 20):
    items, page, totals = [], 1, set()
    while True:
        response = client.get(f"{path}?per_page={per_page}&page={page}{query}", headers=headers)
        assert response.status_code == 200, response.text
        body = response.get_json()
        totals.add(body["total_items"])
        items += body["contents"]
        if body["last_page"]:
            return items, totals
        page += 1


def test_source_taxonomies_are_listed_beside_the_own_ones(client, token, imported):
    headers = token("viewer")
    items, totals = _every(client, headers, "/api/hsds/taxonomies", per_page=2)
    # 2 own (Section V, fields), then the stored ones by their kept id: TAX's (it begins
    # "500766aa") before "airs"
    airs = str(uuid.uuid5(NS, "source/airs"))
    assert [t["id"] for t in items] == [mapping.TAXONOMY_ID, mapping.FIELDS_TAXONOMY_ID, TAX, airs]
    assert totals == {4}
    assert TAX.startswith("500766aa")
    assert items[2] == {"id": TAX, "name": "211 LA", "description": "LA codes"}
    one = client.get(f"/api/hsds/taxonomies/{TAX}", headers=headers)
    assert one.get_json() == items[2]
    # a 1.x taxonomy by the id the API gives it and by the one its package gave it
    for given in (airs, "airs"):
        found = client.get(f"/api/hsds/taxonomies/{given}", headers=headers).get_json()
        assert (found["id"], found["name"]) == (airs, "AIRS")


def test_source_terms_are_listed_paged_with_their_parents(client, token, imported):
    headers = token("viewer")
    own = len(rows.taxonomy_rows()[1])
    items, totals = _every(client, headers, "/api/hsds/taxonomy_terms", per_page=7)
    assert totals == {own + 3}
    ids = [t["id"] for t in items]
    assert len(ids) == len(set(ids)) == own + 3  # each once, across page boundaries
    # the own terms first, then the stored ones ordered by their kept id
    stored = {t["id"]: t for t in items[own:]}
    assert set(stored) == {BASIC, PANTRY, LEGACY_TERM}
    assert stored[PANTRY]["parent_id"] == BASIC
    assert stored[PANTRY]["code"] == "BD-1800.6000"
    assert stored[PANTRY]["taxonomy_id"] == TAX
    assert stored[PANTRY]["taxonomy"] == "211 LA"
    assert stored[PANTRY]["taxonomy_detail"]["name"] == "211 LA"
    assert "parent_id" not in stored[BASIC]
    assert stored[LEGACY_TERM]["parent_id"] == BASIC  # a kept parent of another source

    def listed(query: str) -> list[str]:
        return [t["id"] for t in _every(client, headers, "/api/hsds/taxonomy_terms", query)[0]]

    assert sorted(listed(f"&taxonomy_id={TAX}")) == sorted([BASIC, PANTRY])
    assert sorted(listed(f"&parent_id={BASIC}")) == sorted([PANTRY, LEGACY_TERM])
    assert listed(f"&taxonomy_id={TAX}&top_only=true") == [BASIC]
    assert listed("&search=pantries") == [PANTRY]  # its description; no own term says it
    # by id: the kept UUID, the derived id of a 1.x term and the id its package gave it
    for given, expected in ((PANTRY, PANTRY), (LEGACY_TERM, LEGACY_TERM), ("101-01", LEGACY_TERM)):
        response = client.get(f"/api/hsds/taxonomy_terms/{given}", headers=headers)
        assert response.status_code == 200, given
        assert response.get_json()["id"] == expected
    # unknown names refused by name, unknown ids not found
    bad = client.get(
        "/api/hsds/taxonomy_terms?taxonomy_id=no-such-taxonomy", headers=headers
    ).get_json()
    assert bad["code"] == 422
    assert "taxonomy_id" in bad["errors"]
    missing = client.get(f"/api/hsds/taxonomy_terms/{uid('nothing')}", headers=headers)
    assert missing.status_code == 404


def test_a_source_term_filters_services_and_their_places(client, token, imported):
    headers = token("viewer")
    services = client.get(
        f"/api/hsds/services?taxonomy_term_id={PANTRY}", headers=headers
    ).get_json()
    assert [s["id"] for s in services["contents"]] == [FOOD]
    # the service names the term among its attributes, to be looked up by id
    pantry = client.get(f"/api/hsds/services/{FOOD}", headers=headers).get_json()
    filed = [a for a in pantry["attributes"] if a["link_type"] == "taxonomy"]
    assert [(a["taxonomy_term_id"], a["link_id"]) for a in filed] == [(PANTRY, FOOD)]
    assert filed[0]["taxonomy_term"]["parent_id"] == BASIC
    assert filed[0]["taxonomy_term"]["name"] == "Food Pantries"
    places = client.get(
        f"/api/hsds/service_at_locations?taxonomy_term_id={PANTRY}", headers=headers
    ).get_json()
    # the pantry is given at one place, the Annex (the package's sal3)
    assert [(p["id"], p["service_id"]) for p in places["contents"]] == [(uid("sal3"), FOOD)]
    organizations = client.get(
        f"/api/hsds/organizations?taxonomy_term_id={PANTRY}", headers=headers
    ).get_json()
    assert [o["id"] for o in organizations["contents"]] == [ORG]
    nobody = client.get(
        f"/api/hsds/services?taxonomy_term_id={LEGACY_TERM}", headers=headers
    ).get_json()
    assert nobody["total_items"] == 0
