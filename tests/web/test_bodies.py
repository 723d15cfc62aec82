"""Request bodies (issue #27): a body over the limit is refused with 413 before it is read,
on every route; JSON bodies are read only by routes that take them, after the login gate;
the public HSDS feed's search text is bounded."""

from __future__ import annotations

import io
import json

import pytest
from werkzeug.routing import IntegerConverter
from werkzeug.test import EnvironBuilder, run_wsgi_app

from app import create_app
from app.config import config_for_tests

EIGHT_MB = b"{" + b" " * (8 * 2**20) + b"}"


def _url(rule) -> str:
    """A URL for ``rule`` with a plausible value in each of its variables."""
    values = {
        name: 1 if isinstance(converter, IntegerConverter) else "x"
        for name, converter in rule._converters.items()
    }
    return rule.build(values, append_unknown=False)[1]


def test_anonymous_8_mb_bodies_answer_413_on_every_route(app, client):
    """Every route in the URL map, GET and POST (and the other methods it takes), with an
    8 MB body announced by Content-Length: 413, whatever the route would have done."""
    checked = 0
    for rule in app.url_map.iter_rules():
        url = _url(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(
                url, method=method, data=EIGHT_MB, content_type="application/json"
            )
            assert response.status_code == 413, (method, url, response.status_code)
            checked += 1
    assert checked > 100  # the whole map was walked, not a handful


def test_a_signed_in_users_8_mb_json_is_refused_too(client, token):
    response = client.post(
        "/api/v1/organizations",
        data=EIGHT_MB,
        content_type="application/json",
        headers=token("coordinator"),
    )
    assert response.status_code == 413
    assert response.get_json()["code"] == 413


def _upload(client, size: int):
    """POST /hsds/import with a ``size``-byte file (a multipart body encoded in memory)."""
    boundary = "----test-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="package"; '
            f'filename="package.zip"\r\nContent-Type: application/zip\r\n\r\n'
        ).encode()
        + b"PK"
        + b"\0" * size
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return client.post(
        "/hsds/import", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def test_the_upload_route_takes_a_large_body_only_from_a_coordinator(client, login):
    """/hsds/import takes up to MAX_CONTENT_LENGTH (64 MB) from a coordinator; a viewer and
    an anonymous client get the small limit there too."""
    assert _upload(client, 2 * 2**20).status_code == 413  # anonymous
    login("viewer")
    assert _upload(client, 2 * 2**20).status_code == 413
    login("coordinator")
    response = _upload(client, 2 * 2**20)
    # read and judged: not a zip (422), not refused for its size
    assert response.status_code == 422
    assert "not a zip file" in response.get_data(as_text=True)


def test_a_chunked_body_is_cut_off_at_the_limit_while_read(app, token):
    """No Content-Length (chunked): the body is read up to the limit, then 413."""
    body = b'{"name": "' + b"a" * (2 * 2**20) + b'"}'
    environ = EnvironBuilder(
        path="/api/v1/organizations",
        method="POST",
        input_stream=io.BytesIO(body),
        content_type="application/json",
        headers={**token("coordinator"), "Transfer-Encoding": "chunked"},
    ).get_environ()
    environ.pop("CONTENT_LENGTH", None)
    environ["wsgi.input_terminated"] = True  # as gunicorn says of a chunked body
    # straight to the WSGI app: the test client would re-build the environ (and, with no
    # Content-Length and no input_terminated, hand the app an empty stream)
    _body, status, _headers = run_wsgi_app(app, environ, buffered=True)
    assert status.startswith("413")


def test_a_json_body_is_not_read_before_the_gate_nor_on_a_get(client, token):
    """A body nested 100 deep would be refused (400) by the route that reads it; an
    anonymous POST is refused for the missing login first (401), and a GET never reads it."""
    deep = "[" * 100 + "]" * 100
    anonymous = client.post("/api/v1/organizations", data=deep, content_type="application/json")
    assert anonymous.status_code == 401
    headers = token("coordinator")
    read = client.post(
        "/api/v1/organizations", data=deep, content_type="application/json", headers=headers
    )
    assert read.status_code == 400
    assert read.get_json()["message"] == "JSON nested too deeply."
    unread = client.get(
        "/api/v1/categories", data=deep, content_type="application/json", headers=headers
    )
    assert unread.status_code == 200


def test_json_text_problems_are_still_named_when_read(client, token):
    response = client.post(
        "/api/v1/organizations", json={"name": "Bad\u0000name"}, headers=token("coordinator")
    )
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["name"]


@pytest.fixture
def public_feed(database_url):
    app = create_app({**config_for_tests(database_url), "HSDS_PUBLIC": True})
    with app.app_context():
        yield app.test_client()


def test_the_public_feeds_search_text_is_bounded(public_feed):
    long = "shelter " * 100  # 800 characters
    response = public_feed.post("/api/hsds/services", json={"search": long})
    assert response.status_code == 422
    assert "search" in response.get_json()["errors"]
    assert public_feed.post("/api/hsds/services", json={"search": "shelter"}).status_code == 200
    query = public_feed.get("/api/hsds/services", query_string={"search": long})
    assert query.status_code == 422
    big = json.dumps({"search": "x" * (2 * 2**20)})
    refused = public_feed.post("/api/hsds/services", data=big, content_type="application/json")
    assert refused.status_code == 413
