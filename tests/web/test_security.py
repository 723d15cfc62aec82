"""Safe under attack and faults: sessions, headers, errors, escaping, audit, integrity."""

from __future__ import annotations

import io
import logging
import threading
from datetime import UTC, datetime

import pytest
import time_machine
from flask_migrate import upgrade
from pypdf import PdfReader
from sqlalchemy import func, select

from app import create_app
from app.config import config_for_tests
from app.extensions import db
from app.models import AuditEvent, AuditLogIsAppendOnly, User
from app.users import create_user, issue_token
from directory.aaaq_records import FeedbackNote
from directory.models import Organization, Service
from tests.conftest import PASSWORD
from tests.factories import OrganizationFactory, ServiceFactory

XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "javascript:alert(3)",
    "<svg/onload=alert(4)>",
    "{{7*7}}",
]


def session_cookie(client) -> str | None:
    cookie = client.get_cookie("session")
    return cookie.value if cookie else None


def test_session_changes_at_login_and_dies_at_logout(client, users):
    client.get("/login")
    before = session_cookie(client)
    client.post("/login", data={"email": "viewer@test.example", "password": PASSWORD})
    after = session_cookie(client)
    assert after
    assert after != before
    assert client.get("/").status_code == 200
    client.post("/logout")
    replay = client.application.test_client()
    replay.set_cookie("session", after)
    response = replay.get("/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_password_change_ends_other_sessions_and_tokens(client, login, users, app):
    login("case_manager")
    other = app.test_client()
    other.post("/login", data={"email": "case_manager@test.example", "password": PASSWORD})
    secret = issue_token(users["case_manager"])
    db.session.commit()
    bearer = {"Authorization": f"Bearer {secret}"}
    assert other.get("/api/v1/services", headers=bearer).status_code == 200
    response = client.post(
        "/account/password",
        data={
            "current": PASSWORD,
            "new": "a brand new passphrase",
            "confirm": "a brand new passphrase",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # this session goes on
    assert other.get("/").status_code == 302  # the other one ended
    assert app.test_client().get("/api/v1/services", headers=bearer).status_code == 401
    bad = client.post(
        "/account/password",
        data={"current": "a brand new passphrase", "new": "short", "confirm": "short"},
    )
    assert bad.status_code == 422


def test_deactivating_a_user_ends_their_sessions(client, login, users, app):
    victim = app.test_client()
    victim.post("/login", data={"email": "viewer@test.example", "password": PASSWORD})
    login("admin")
    client.post(f"/admin/users/{users['viewer'].id}", data={"action": "deactivate"})
    assert victim.get("/").status_code == 302
    assert (
        client.post(
            "/login", data={"email": "viewer@test.example", "password": PASSWORD}
        ).status_code
        == 401
    )


def test_idle_sessions_end(client, users):
    with time_machine.travel(datetime(2026, 11, 21, 9, 0, tzinfo=UTC), tick=False):
        client.post("/login", data={"email": "viewer@test.example", "password": PASSWORD})
        assert client.get("/").status_code == 200
    with time_machine.travel(datetime(2026, 11, 21, 9, 20, tzinfo=UTC), tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(datetime(2026, 11, 21, 10, 0, tzinfo=UTC), tick=False):
        assert client.get("/").status_code == 302


def test_cookie_flags(client, users):
    response = client.post("/login", data={"email": "viewer@test.example", "password": PASSWORD})
    header = response.headers["Set-Cookie"]
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    production = create_app(
        {**config_for_tests("sqlite://"), "APP_ENV": "production", "SESSION_COOKIE_SECURE": True}
    )
    assert production.config["SESSION_COOKIE_SECURE"] is True


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    from app.config import ConfigError, load_config

    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config()


def test_login_is_throttled_per_account_and_client(database_url, users):
    """The per-e-mail count is per (e-mail, client) since #27: the guesses of one address
    use up that address's count only; the same account from another address still signs
    in (the account-wide lock-out lives in the database, see tests/web/test_lockout.py)."""
    app = create_app(
        {
            **config_for_tests(database_url),
            "RATELIMIT_ENABLED": True,
            "LOGIN_RATE_LIMIT": "3 per minute",
        }
    )
    with app.app_context():
        client = app.test_client()
        codes = [
            client.post(
                "/login", data={"email": "viewer@test.example", "password": "wrong password here"}
            ).status_code
            for _ in range(4)
        ]
        assert codes == [401, 401, 401, 429]
        other = app.test_client()
        allowed = other.post(
            "/login",
            data={"email": "viewer@test.example", "password": PASSWORD},
            environ_base={"REMOTE_ADDR": "10.9.9.9"},
        )
        assert allowed.status_code == 302  # same account from another address
        db.session.remove()
        db.engine.dispose()


def test_overlong_passwords_are_refused_before_hashing(client, users, monkeypatch):
    calls = []
    import app.logins as logins

    real = logins.check_password_hash
    monkeypatch.setattr(logins, "check_password_hash", lambda *a: calls.append(a) or real(*a))
    response = client.post("/login", data={"email": "viewer@test.example", "password": "x" * 129})
    assert response.status_code == 401
    assert calls == []


def test_security_headers(client, login):
    login("viewer")
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in response.headers
    page = response.get_data(as_text=True)
    assert "<script>" not in page.replace('<script src="/static/app.js" defer></script>', "")
    production = create_app({**config_for_tests("sqlite://"), "APP_ENV": "production"})
    with production.test_request_context():
        assert "Strict-Transport-Security" in production.test_client().get("/login").headers


def test_error_answers_never_show_a_traceback(tmp_path):
    # an app of its own (a small upload limit, CSRF on, a route that fails) on a SQLite file
    app = create_app(
        {
            **config_for_tests(f"sqlite:///{tmp_path}/errors.db"),
            "MAX_BODY_BYTES": 1024,
            "WTF_CSRF_ENABLED": True,
        }
    )

    def boom():
        raise RuntimeError("secret internals")

    boom.required_role = "viewer"
    app.add_url_rule("/boom", "boom", boom)
    app.add_url_rule("/api/v1/boom", "api_boom", boom)
    with app.app_context():
        client = app.test_client()
        upgrade()
        viewer = create_user("viewer@test.example", "viewer", PASSWORD)
        coordinator = create_user("coordinator@test.example", "coordinator", PASSWORD)
        bearer = {"Authorization": f"Bearer {issue_token(viewer)}"}
        coord = {"Authorization": f"Bearer {issue_token(coordinator)}"}
        db.session.commit()
        service = ServiceFactory()
        cases = [
            (client.post("/login", data={}), 400, "html"),  # no CSRF token
            (client.get("/api/v1/services"), 401, "json"),
            (
                client.post("/api/v1/organizations", json={"name": "Nope"}, headers=bearer),
                403,
                "json",
            ),
            (client.get("/api/v1/services/987654", headers=bearer), 404, "json"),
            (client.delete("/api/v1/categories", headers=bearer), 405, "json"),
            (
                client.patch(f"/api/v1/services/{service.id}", json={"version": 99}, headers=coord),
                409,
                "json",
            ),
            (
                client.post(
                    "/api/v1/organizations",
                    data="x" * 5000,
                    headers=coord,
                    content_type="application/json",
                ),
                413,
                "json",
            ),
            (client.get("/api/v1/services?age=-3", headers=bearer), 422, "json"),
            (client.get("/api/v1/boom", headers=bearer), 500, "json"),
        ]
        for response, code, kind in cases:
            body = response.get_data(as_text=True)
            assert response.status_code == code, (code, body[:200])
            assert "Traceback" not in body
            assert "secret internals" not in body
            if kind == "json":
                assert set(response.get_json()) >= {"code", "status", "message"}
                assert response.get_json()["code"] == code
            else:
                assert "<html" in body
        db.session.remove()
        db.engine.dispose()


def test_xss_corpus_is_escaped_in_pages_pdfs_and_csv(client, login):
    org = OrganizationFactory(name=XSS[0], description=XSS[1])
    for i, payload in enumerate(XSS):
        ServiceFactory(
            name=f"S{i} {payload}",
            description=payload,
            organization=org,
            handoff_notes=payload,
            eligibility_notes=payload,
        )
    login("coordinator")
    for url in (
        "/",
        f"/organizations/{org.id}",
        "/sheets?category=food",
        "/sheets/directory",
        "/organizations",
    ):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in page, url
        assert "<img src=x onerror" not in page, url
        assert "<svg/onload" not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url
    service = db.session.scalar(select(Service).where(Service.name.like("S0%")))
    detail = client.get(f"/services/{service.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in detail
    pdf = client.get("/sheets/directory.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "<script>alert(1)</script>" in text  # printed as text, never run
    csv_text = client.get("/sheets/directory.csv").get_data(as_text=True)
    assert "<script>alert(1)</script>" in csv_text
    bad_site = client.post(
        f"/organizations/{org.id}/edit",
        data={
            "name": "Fine name",
            "kind": "ngo",
            "scope": "local",
            "status": "active",
            "mou_status": "none",
            "website": "javascript:alert(1)",
            "version": org.version,
        },
    )
    assert bad_site.status_code == 422


def test_audit_log_is_append_only_and_keeps_secrets_out(client, login, caplog):
    caplog.set_level(logging.INFO)
    login("case_manager")
    service = ServiceFactory()
    client.post(
        f"/services/{service.id}/feedback",
        data={
            "text": "kind words about the night nurse",
            "outcome": "helpful",
            "channel": "survey",
        },
    )
    event = db.session.scalars(select(AuditEvent)).first()
    event.detail = "tampered"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.scalars(select(AuditEvent)).first())
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    everything = " ".join(
        str((e.changes, e.detail)) for e in db.session.scalars(select(AuditEvent))
    )
    assert "night nurse" not in everything
    assert PASSWORD not in everything
    assert "night nurse" not in caplog.text
    assert PASSWORD not in caplog.text
    assert db.session.scalar(select(FeedbackNote)).text.startswith("kind words")


def test_admin_audit_page_filters(client, login):
    login("admin")
    ServiceFactory(name="Audited")
    page = client.get("/admin/audit?action=login").get_data(as_text=True)
    assert "admin@test.example" in page
    assert client.get("/admin/audit?object_type=services&action=create").status_code == 200


def test_no_silent_overwrite_under_concurrent_edits(app, users):
    """200 pairs of editors read the same version and save at once: one wins, the other is
    told (409); the stored name is always the winner's."""
    service = ServiceFactory(name="start")
    secret = issue_token(users["coordinator"])
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    silent = 0
    for pair in range(200):
        db.session.expire_all()
        version = db.session.get(Service, service.id).version
        results = {}
        barrier = threading.Barrier(2)

        def edit(who: str, version=version, pair=pair, barrier=barrier, results=results):
            client = app.test_client()
            barrier.wait()
            response = client.patch(
                f"/api/v1/services/{service.id}",
                json={"name": f"{who}-{pair}", "version": version},
                headers=headers,
            )
            results[who] = response.status_code

        threads = [threading.Thread(target=edit, args=(who,)) for who in ("a", "b")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results.values()) == [200, 409], results
        db.session.expire_all()
        stored = db.session.get(Service, service.id).name
        winners = [who for who, code in results.items() if code == 200]
        if len(winners) != 1 or stored != f"{winners[0]}-{pair}":
            silent += 1
    assert silent == 0


def test_user_admin_pages(client, login, users):
    login("admin")
    response = client.post(
        "/admin/users", data={"email": "new@test.example", "role": "viewer", "password": "short"}
    )
    assert response.status_code == 422
    assert "at least 12" in response.get_data(as_text=True)
    ok = client.post(
        "/admin/users",
        data={"email": "new@test.example", "role": "viewer", "password": "a long enough password"},
    )
    assert ok.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "new@test.example"))
    client.post(f"/admin/users/{user.id}", data={"action": "role", "role": "coordinator"})
    db.session.expire_all()
    assert db.session.get(User, user.id).role == "coordinator"
    refused = client.post(
        f"/admin/users/{users['admin'].id}", data={"action": "deactivate"}, follow_redirects=True
    )
    assert "cannot deactivate yourself" in refused.get_data(as_text=True)


def test_text_with_a_nul_byte_is_refused_naming_the_field(client, token, login):
    """PostgreSQL cannot store NUL in text: refused before parsing, on every database."""
    headers = token("coordinator")
    answer = client.post(
        "/api/v1/organizations", json={"name": "Good\x00name", "kind": "ngo"}, headers=headers
    )
    assert answer.status_code == 422
    assert list(answer.get_json()["errors"]) == ["name"]
    nested = client.post(
        "/api/v1/organizations",
        json={"name": "Fine", "phones": [{"number": "312\x00"}]},
        headers=headers,
    )
    assert list(nested.get_json()["errors"]) == ["phones.0.number"]
    query = client.get("/api/v1/services?q=shel%00ter", headers=headers)
    assert query.status_code == 422
    assert "q" in query.get_json()["errors"]
    login("coordinator")
    page = client.post("/organizations/new", data={"name": "Form\x00name"})
    assert page.status_code == 400
    assert "name: Contains a NUL character" in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Organization)) == 0


@pytest.mark.parametrize(
    "path",
    [
        "/api/hsds/services/%00",
        "/api/hsds/service_at_locations/a%00b",
        "/api/hsds/organizations/%00",
        "/api/hsds/taxonomies/%00",
        "/api/hsds/taxonomy_terms/%00",
        "/partner/%00",
        "/api/hsds/services/%ED%A0%80",  # a lone surrogate's bytes
    ],
)
def test_text_no_record_can_have_in_a_path_is_not_found(client, token, path):
    """An id with a NUL byte names no record: 404 before a database sees it (PostgreSQL
    refused the lookup with an error, a 500)."""
    answer = client.get(path, headers=token("viewer"))
    assert answer.status_code == 404
