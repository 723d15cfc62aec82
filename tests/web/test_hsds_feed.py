"""The HSDS API as partners use it (issue #17): a client syncing by ``modified_after``,
the public feed (``HSDS_PUBLIC``), POST searches, ndjson and parameters refused by name."""

from __future__ import annotations

import csv
import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app import create_app
from app.config import config_for_tests
from app.extensions import db
from app.users import create_user
from directory.aaaq_records import AaaqRating, FeedbackNote
from directory.hsds import export as hsds_export
from directory.hsds import mapping
from directory.hsds.importing import load
from directory.models import Organization, Service
from tests.web.test_hsds_conformance import SECRET, conformance_walk, populate

_STAMPS_AND_IDS = re.compile(
    r"\d{4}-\d\d-\d\d[T ][\d:.]+(Z|[+-]\d\d:\d\d)?"
    r"|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
)


def _all(client, headers, query: str = "") -> list[dict]:
    """Every service a list gives, page after page, as a client reads it."""
    items, page = [], 1
    while True:
        body = client.get(
            f"/api/hsds/services?per_page=20&page={page}{query}", headers=headers
        ).get_json()
        items += body["contents"]
        if body["last_page"]:
            return items
        page += 1


def _listed_ids() -> set[str]:
    return {
        s.hsds_id
        for s in db.session.scalars(select(Service).join(Service.organization))
        if s.status == "active" and s.organization.status == "active"
    }


def _rows(path) -> list[dict]:
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh))


def _write(path, rows: list[dict]) -> None:
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_a_syncing_client_ends_with_exactly_the_active_services(client, token, tmp_path):
    populate()
    headers = token("viewer")
    # a partner's first sync: everything, then only what changed since the last one
    mirror = {s["id"]: s for s in _all(client, headers) if s["status"] == "active"}
    assert set(mirror) == _listed_ids()
    since = (datetime.now(UTC) - timedelta(seconds=1)).isoformat()

    services = list(db.session.scalars(select(Service).order_by(Service.name)))
    edited, closed = services[3], services[5]
    closed_org = db.session.scalar(
        select(Organization)
        .where(Organization.id != edited.organization_id)
        .order_by(Organization.name)
        .limit(1)
    )
    edited_id = edited.hsds_id
    edited.name = "Renamed in the directory"
    closed.status = "inactive"
    closed_org.status = "inactive"
    db.session.commit()
    # a re-import: the package of the directory, one service renamed by its partner
    folder = tmp_path / "pkg"
    hsds_export.export_package(db.session, folder)
    rows = _rows(folder / "services.csv")
    # a listed service: active, of an organization still active, not the one edited here
    renamed = next(
        r
        for r in rows
        if r["status"] == "active"
        and r["id"] != edited_id
        and r["organization_id"] != closed_org.hsds_id
    )
    renamed["name"] = "Renamed by the partner"
    _write(folder / "services.csv", rows)
    load.import_package(db.session, folder)
    db.session.commit()

    changed = _all(client, headers, f"&modified_after={since.replace('+', '%2B')}")
    assert {edited_id, closed.hsds_id, renamed["id"]} <= {s["id"] for s in changed}
    for item in changed:
        full = client.get(f"/api/hsds/services/{item['id']}", headers=headers).get_json()
        assert full["status"] == item["status"]
        if full["status"] == "active":
            mirror[full["id"]] = full
        else:
            mirror.pop(full["id"], None)
    assert set(mirror) == _listed_ids()
    assert mirror[edited_id]["name"] == "Renamed in the directory"  # same id after the edit
    assert mirror[renamed["id"]]["name"] == "Renamed by the partner"  # and the re-import
    assert closed.hsds_id not in mirror
    assert not any(s["organization_id"] == closed_org.hsds_id for s in mirror.values())


@pytest.fixture
def public(app):
    app.config["HSDS_PUBLIC"] = True
    made = populate()
    service = db.session.scalar(select(Service).where(Service.hsds_id == made["confidential"]))
    db.session.add_all(
        [
            FeedbackNote(
                service_id=service.id,
                text="feedback note never public",
                outcome="helpful",
                noted_on=date.today(),
            ),
            AaaqRating(
                service_id=service.id, rated_on=date.today(), quality=2, note="rating never public"
            ),
        ]
    )
    # verified by a staff member: the HSDS assurer_email would carry their login
    service.verified_by = create_user(
        "staff.verifier@test.example", "coordinator", "quiet harbor lantern orbit"
    )
    service.last_verified = date.today()
    db.session.commit()
    return made


def test_public_feed_answers_everyone_and_never_shows_what_it_must_not(client, public):
    texts: list[str] = []
    original = client.get

    def recording_get(*args, **kwargs):
        response = original(*args, **kwargs)
        texts.append(response.get_data(as_text=True))
        return response

    client.get = recording_get
    walk = conformance_walk(client, {})  # no token at all
    client.get = original
    for fmt in ("", "&format=ndjson"):
        for path in ("services", "service_at_locations", "organizations"):
            for extra in ("&full=true", "&full_service=true", "&modified_after=2000-01-01"):
                if "full_service" in extra and path != "organizations":
                    continue
                if "modified_after" in extra and path == "organizations":
                    continue
                url = f"/api/hsds/{path}?x=1{extra}{fmt}".replace("?x=1&", "?")
                response = client.get(url)
                assert response.status_code == 200, url
                texts.append(response.get_data(as_text=True))
    everything = "\n".join(texts)
    assert len(texts) >= walk.requests
    assert public["confidential"] in everything  # the service is there...
    # numbers are looked for outside ids and time stamps, whose random digits may hold
    # them (a time stamp's microseconds ".606993" hold the postal code "60699")
    values_only = _STAMPS_AND_IDS.sub(" ", everything)
    for secret in (*SECRET.values(), "41.9001", "-87.7001"):
        at = values_only.find(secret)  # ...without its address or point
        assert at == -1, (secret, values_only[max(0, at - 200) : at + 60])
    for internal in (
        "Internal Hand-off Person",
        "+13125557391",
        "internal hand-off note",
        "Warm hand-off",
        "feedback note never public",
        "rating never public",
        "staff.verifier@test.example",
    ):
        assert internal not in everything, internal


def test_public_mode_opens_only_the_hsds_api_with_cors(client, public):
    response = client.get("/api/hsds/services")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/hsds/services",
        headers={"Origin": "https://211.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert client.get("/api/v1/services").status_code == 401  # the rest stays closed
    assert client.get("/").status_code == 302


def test_closed_by_default_and_without_cors(client, app):
    assert app.config["HSDS_PUBLIC"] is False
    response = client.get("/api/hsds/")
    assert response.status_code == 401
    assert "Access-Control-Allow-Origin" not in response.headers


def test_public_feed_is_rate_limited_per_address(database_url):
    app = create_app(
        {
            **config_for_tests(database_url),
            "RATELIMIT_ENABLED": True,
            "HSDS_PUBLIC": True,
            "HSDS_PUBLIC_RATE_LIMIT": "3 per minute",
        }
    )
    with app.app_context():
        client = app.test_client()
        codes = [client.get("/api/hsds/taxonomies").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        other = client.get("/api/hsds/taxonomies", environ_base={"REMOTE_ADDR": "10.0.0.9"})
        assert other.status_code == 200
        db.session.remove()
        db.engine.dispose()


def test_post_searches_take_their_parameters_in_the_body(client, token, app):
    populate()
    headers = token("viewer")
    got = client.get("/api/hsds/services?search=shelter&per_page=5", headers=headers).get_json()
    posted = client.post(
        "/api/hsds/services", json={"search": "shelter", "per_page": 5}, headers=headers
    ).get_json()
    assert posted == got
    assert got["total_items"] > 0
    form = client.post("/api/hsds/services", data={"search": "shelter"}, headers=headers)
    assert form.get_json()["total_items"] == got["total_items"]
    in_url = client.post("/api/hsds/services?search=shelter", json={}, headers=headers)
    assert in_url.status_code == 422
    assert "search" in in_url.get_json()["errors"]


def test_ndjson_is_streamed_unpaged(client, token, app):
    populate()
    headers = token("viewer")
    response = client.get("/api/hsds/services?format=ndjson", headers=headers)
    assert response.mimetype == "application/x-ndjson"
    assert response.is_streamed
    lines = response.get_data(as_text=True).splitlines()
    total = client.get("/api/hsds/services", headers=headers).get_json()["total_items"]
    assert len(lines) == total > 50  # more than a default page
    assert all(json.loads(line)["id"] for line in lines)


def test_parameters_combine_as_and(client, token, app):
    populate()
    headers = token("viewer")
    shelters = mapping.term_id("shelters")
    org = client.get("/api/hsds/organizations?search=Conformance", headers=headers).get_json()
    org_id = org["contents"][0]["id"]
    both = client.get(
        f"/api/hsds/services?taxonomy_term_id={shelters}&organization_id={org_id}",
        headers=headers,
    ).get_json()
    assert both["total_items"] == 1  # the confidential shelter alone
    none = client.get(
        f"/api/hsds/services?taxonomy_id={mapping.TAXONOMY_ID}&search=zzzzzz", headers=headers
    ).get_json()
    assert none["empty"] is True
    minimal = client.get("/api/hsds/services?minimal=true&per_page=1000", headers=headers)
    assert set(minimal.get_json()["contents"][0]) == {"id", "name", "status", "last_modified"}


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("services?colour=red", "colour"),
        ("services?proximity=5000", "proximity"),
        ("services?postcode=60601", "postcode"),
        ("services?lat=41.9&proximity=5000", "lon"),
        ("services?lat=91&lon=0&proximity=5000", "lat"),
        ("services?minimal=true&full=true", "minimal"),
        ("services?minimal=yes", "minimal"),
        ("services?format=xml", "format"),
        ("services?format=ndjson&page=2", "page"),
        ("services?taxonomy_id=nope", "taxonomy_id"),
        ("service_at_locations?taxonomy_term_id=nope", "taxonomy_term_id"),
        ("organizations?full=maybe", "full"),
        ("organizations?per_page=0", "per_page"),
        ("taxonomy_terms?top_only=2", "top_only"),
        ("taxonomy_terms?parent_id=nope", "parent_id"),
        ("taxonomies?page=-1", "page"),
        ("services/abc?full=true", "full"),
    ],
)
def test_bad_parameters_are_refused_by_name(client, token, query, name):
    response = client.get(f"/api/hsds/{query}", headers=token("viewer"))
    assert response.status_code == 422, (query, response.status_code)
    assert name in response.get_json()["errors"], response.get_json()
