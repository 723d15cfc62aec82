"""What an operator relies on (#27): ``/health`` (JSON always; 503 when the database is
down or behind the code's migrations, or the queue is down), ``/metrics`` (Prometheus
text, by route, to allowed addresses or an admin token), JSON logs with a request id and
no query string or token, and scheduled commands that run once however many hosts run
them."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select, text

from app import create_app, locks
from app.config import config_for_tests
from app.extensions import db
from app.logs import JsonFormatter, RequestIdFilter
from app.models import Job, OutboxMessage, utcnow
from tests.conftest import _free_port
from tests.factories import ServiceFactory

ROOT = Path(__file__).resolve().parents[2]


def test_health_is_ok_with_the_database_at_the_newest_migration(client):
    response = client.get("/health")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["queue"] == "ok"
    # the database's revision is the code's head (worked out from migrations/versions)
    heads = body["migration"]["code"]
    assert len(heads) == 1
    # the files are numbered in order: the newest number is the head's revision
    versions = Path(__file__).resolve().parents[2] / "migrations" / "versions"
    assert heads[0] == max(f.name.split("_")[0] for f in versions.glob("0*.py"))
    assert body["migration"]["database"] == heads


def test_health_is_503_when_the_database_is_behind_the_code(app, client):
    db.session.execute(text("UPDATE alembic_version SET version_num = '0019'"))
    db.session.commit()
    try:
        response = client.get("/health")
        assert response.status_code == 503
        body = response.get_json()
        assert body["status"] == "unavailable"
        assert body["database"] == "not migrated"
        assert body["migration"]["database"] == ["0019"]
    finally:
        db.session.execute(
            text("UPDATE alembic_version SET version_num = :v"),
            {"v": response.get_json()["migration"]["code"][0]},
        )
        db.session.commit()


def test_health_is_503_json_on_an_empty_database(tmp_path):
    app = create_app(config_for_tests(f"sqlite:///{tmp_path / 'empty.db'}"))
    response = app.test_client().get("/health")
    assert response.status_code == 503
    assert response.get_json()["database"] == "not migrated"


def test_health_is_503_json_when_the_database_is_unreachable(tmp_path):
    port = _free_port()  # nothing listens there
    for url in (
        f"postgresql+psycopg://postgres@127.0.0.1:{port}/nothing?connect_timeout=2",
        f"sqlite:///{tmp_path / 'no-such-folder' / 'x.db'}",
    ):
        app = create_app(config_for_tests(url))
        response = app.test_client().get("/health")
        assert response.status_code == 503, url
        assert response.mimetype == "application/json"
        assert response.get_json()["database"] == "unreachable"
        with app.app_context():
            db.engine.dispose()


def test_health_is_503_when_the_queue_is_down(app, client):
    from app import jobs

    app.config["QUEUE_URL"] = f"redis://127.0.0.1:{_free_port()}/0"  # nothing listens
    app.extensions["jobs"] = jobs.make_queue(app)
    response = client.get("/health")
    assert response.status_code == 503
    body = response.get_json()
    assert (body["database"], body["queue"]) == ("ok", "unreachable")


def _metrics(client, **kwargs) -> str:
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/plain"
    return response.get_data(as_text=True)


def test_metrics_count_requests_by_route_and_jobs_by_kind(app, client, login):
    service = ServiceFactory()
    db.session.add(
        Job(
            kind="hsds_export",
            status="done",
            started_at=utcnow().replace(microsecond=0),
            finished_at=utcnow().replace(microsecond=0),
        )
    )
    db.session.commit()
    login("viewer")
    before = _metrics(client)
    route = 'method="GET",route="/services/<int:service_id>",status="200"'
    count_before = _sample(before, "directory_http_requests_total", route)
    for _ in range(3):
        assert client.get(f"/services/{service.id}?q=private-words").status_code == 200
    after = _metrics(client)
    assert _sample(after, "directory_http_requests_total", route) == count_before + 3
    assert f"/services/{service.id}" not in after  # the rule, never the path
    assert "private-words" not in after
    assert 'directory_http_request_duration_seconds_bucket{le="1.0",method="GET"' in after
    assert _sample(after, "directory_jobs", 'kind="hsds_export",status="done"') == 1
    assert _sample(after, "directory_jobs", 'kind="hsds_import",status="failed"') == 0
    assert _sample(after, "directory_queue_depth", None) == 0


def _sample(body: str, name: str, labels: str | None) -> float:
    """The value of one sample of the exposition text (0 when absent)."""
    for line in body.splitlines():
        if line.startswith("#"):
            continue
        key, _, value = line.rpartition(" ")
        if labels is None and key == name:
            return float(value)
        if labels is not None and key.startswith(name + "{") and labels in key:
            return float(value)
    return 0.0


def test_metrics_only_to_allowed_addresses_or_an_admin_token(app, client, token):
    outside = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/metrics", environ_base=outside).status_code == 403
    assert client.get("/metrics", environ_base=outside, headers=token("viewer")).status_code == 403
    assert "directory_http_requests" in _metrics(
        client, environ_base=outside, headers=token("admin")
    )
    app.config["METRICS_ALLOW"] = "203.0.113.0/24"
    assert client.get("/metrics", environ_base=outside).status_code == 200
    assert client.get("/metrics").status_code == 403  # loopback no longer listed


def test_logs_are_json_with_the_request_id_and_no_query_or_token(app, client, login):
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logging.getLogger().addHandler(handler)
    try:
        login("viewer")
        answer = client.get(
            "/api/v1/services?q=very-private-words", headers={"X-Request-ID": "proxy-id-1234"}
        )
        assert answer.headers["X-Request-ID"] == "proxy-id-1234"
        odd = client.get(
            "/partner/the-secret-token-abc", headers={"X-Request-ID": "not a sane id!"}
        )
        generated = odd.headers["X-Request-ID"]
        assert len(generated) == 32
        assert generated != "not a sane id!"
    finally:
        logging.getLogger().removeHandler(handler)
    lines = [json.loads(line) for line in buffer.getvalue().splitlines()]
    requests = [entry for entry in lines if entry["message"] == "request"]
    search = [e for e in requests if e["request_id"] == "proxy-id-1234"]
    assert len(search) == 1
    assert (search[0]["route"], search[0]["status"]) == ("/api/v1/services", 200)
    partner = [e for e in requests if e["request_id"] == generated]
    assert partner[0]["route"] == "/partner/<token>"
    assert all(entry["request_id"] for entry in requests)
    text_logged = buffer.getvalue()
    assert "very-private-words" not in text_logged
    assert "the-secret-token-abc" not in text_logged


def test_a_lock_is_held_once(app):
    with locks.run_once("test-command") as first:
        assert first is True
        with locks.run_once("test-command") as second:
            assert second is False
        with locks.run_once("another-command") as other:
            assert other is True
    with locks.run_once("test-command") as again:
        assert again is True


def test_a_lock_left_by_a_dead_host_expires(app):
    if db.engine.dialect.name == "postgresql":
        return  # an advisory lock ends with its connection: nothing to expire
    from app.models import CommandLock

    db.session.add(
        CommandLock(
            name="test-command",
            holder="gone:1",
            acquired_at=utcnow(),
            expires_at=utcnow().replace(year=2000),
        )
    )
    db.session.commit()
    with locks.run_once("test-command") as mine:
        assert mine is True


def test_two_scheduled_runs_at_once_mail_each_partner_once(app, database_url, users, tmp_path):
    orgs = [ServiceFactory().organization for _ in range(60)]
    for i, org in enumerate(orgs):
        org.email = f"partner{i}@example.org"
    db.session.commit()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "lock-test-key",
        "QUEUE_URL": f"sqlite:///{tmp_path / 'queue.db'}",
    }
    env.pop("MAIL_SERVER", None)
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "directory", "request-updates"]
    runs = [
        subprocess.Popen(  # noqa: S603 - our own command
            [*command, "--due"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    db.session.rollback()
    per_partner = dict(
        db.session.execute(
            select(OutboxMessage.recipient, func.count()).group_by(OutboxMessage.recipient)
        ).all()
    )
    assert len(per_partner) == 60
    assert set(per_partner.values()) == {1}
    said = b"".join(err for _out, err in outputs)
    # the two overlapped (one skipped) or ran one after the other (nothing left due)
    assert b"already running on another host; skipped" in said or said.count(b"0 update") == 1
