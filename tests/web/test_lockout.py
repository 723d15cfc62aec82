"""The lock-out locks the attacker out, not the user (issue #27): anyone who knows an e-mail
used to keep that account locked (five wrong passwords, doubling to an hour, the right
password refused, no unlock). Now failures lock the (account, client) pair; the account's own
lock (failures from many clients) refuses only clients the account never signed in from;
an admin can unlock; known, unknown and locked e-mails get the same answer in the same time.
"""

from __future__ import annotations

import statistics
import time

import pytest
from sqlalchemy import func, select

from app import create_app
from app.config import config_for_tests
from app.extensions import db
from app.models import AuditEvent, LoginThrottle
from app.users import create_user
from tests.conftest import PASSWORD

WRONG = "not the password at all"


def _client(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _login(client, email: str, password: str):
    return client.post("/login", data={"email": email, "password": password})


def _attack(app, email: str, addresses: int = 5, each: int = 6) -> None:
    """``each`` wrong passwords from each of ``addresses`` addresses (a small botnet)."""
    for n in range(addresses):
        attacker = _client(app, f"203.0.113.{n + 1}")
        for _ in range(each):
            _login(attacker, email, WRONG)


def test_the_attacker_is_locked_out_and_the_user_signs_in(app, users):
    email = users["viewer"].email
    user = _client(app, "198.51.100.7")
    assert _login(user, email, PASSWORD).status_code == 302  # the user's own browser
    user.post("/logout")
    _attack(app, email)
    # the attacker's address is locked out of the account, even with the right password
    attacker = _client(app, "203.0.113.1")
    assert _login(attacker, email, PASSWORD).status_code == 429
    # the account's own lock holds for a browser that never signed in to it ...
    stranger = _client(app, "192.0.2.50")
    assert _login(stranger, email, PASSWORD).status_code == 429
    # ... but the user's browser (its signed device cookie) signs in with the right password
    assert _login(user, email, PASSWORD).status_code == 302
    assert user.get("/").status_code == 200


def test_the_device_cookie_is_signed_and_per_account(app, users):
    email = users["viewer"].email
    user = _client(app, "198.51.100.7")
    assert _login(user, email, PASSWORD).status_code == 302
    cookie = user.get_cookie("device")
    assert cookie is not None
    assert cookie.http_only
    user.post("/logout")
    _attack(app, email)
    # a forged cookie (the value changed) counts for nothing
    forger = _client(app, "192.0.2.60")
    forger.set_cookie("device", cookie.value[:-2] + ("AA" if cookie.value[-2:] != "AA" else "BB"))
    assert _login(forger, email, PASSWORD).status_code == 429
    # the device is known to the viewer's account only: another locked account refuses it
    _attack(app, users["coordinator"].email)
    assert _login(user, users["coordinator"].email, PASSWORD).status_code == 429


def test_an_admin_unlocks_from_the_users_page(app, users, login, client):
    email = users["viewer"].email
    _attack(app, email)
    stranger = _client(app, "192.0.2.50")
    assert _login(stranger, email, PASSWORD).status_code == 429
    login("admin")
    response = client.post(f"/admin/users/{users['viewer'].id}", data={"action": "unlock"})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(LoginThrottle)) == 0
    entry = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user unlock")).one()
    assert entry.actor == users["admin"].email
    # the account's row and 4 addresses' (the account locked at the 20th failure, so the
    # fifth address's guesses were refused uncounted)
    assert entry.changes == {"throttles_cleared": 5}
    assert _login(stranger, email, PASSWORD).status_code == 302
    page = client.get("/admin/users").get_data(as_text=True)
    assert "Unlock logins" in page


def test_the_cli_unlocks(app, users):
    email = users["viewer"].email
    _attack(app, email)
    result = app.test_cli_runner().invoke(args=["users", "unlock", email.upper()])
    assert result.exit_code == 0, result.output
    assert "5 lock-out record(s) cleared" in result.output
    assert _login(_client(app, "192.0.2.50"), email, PASSWORD).status_code == 302
    unknown = app.test_cli_runner().invoke(args=["users", "unlock", "nobody@test.example"])
    assert unknown.exit_code != 0


def test_a_password_reset_by_an_admin_unlocks(app, users):
    _attack(app, users["viewer"].email)
    runner = app.test_cli_runner()
    new = "another long passphrase of words 77"
    result = runner.invoke(args=["users", "password", users["viewer"].email, "--password", new])
    assert result.exit_code == 0, result.output
    assert _login(_client(app, "192.0.2.50"), users["viewer"].email, new).status_code == 302


def test_known_unknown_and_locked_emails_get_the_same_answer(app, users):
    answers = {}
    for email in (users["viewer"].email, "nobody@test.example"):
        _attack(app, email, addresses=1, each=5)
        answer = _login(_client(app, "203.0.113.1"), email, WRONG)
        answers[email] = (
            answer.status_code,
            answer.headers.get("Retry-After"),
            answer.get_data(as_text=True).replace(email, "E"),
        )
    assert answers[users["viewer"].email] == answers["nobody@test.example"]
    assert answers["nobody@test.example"][0] == 429


def test_the_per_email_limit_counts_per_client(database_url):
    """Flask-Limiter's per-e-mail count is per (e-mail, client): an attacker using it up
    leaves the user's own count untouched (it was one count per e-mail, shared by all)."""
    app = create_app(
        {
            **config_for_tests(database_url),
            "RATELIMIT_ENABLED": True,
            "LOGIN_RATE_LIMIT": "3 per minute",
            "LOGIN_ADDRESS_RATE_LIMIT": "100 per minute",
        }
    )
    with app.app_context():
        create_user("limited@test.example", "viewer", PASSWORD)
        db.session.commit()
        attacker = _client(app, "203.0.113.1")
        codes = [_login(attacker, "limited@test.example", WRONG).status_code for _ in range(4)]
        assert codes == [401, 401, 401, 429]
        user = _client(app, "198.51.100.7")
        assert _login(user, "limited@test.example", PASSWORD).status_code == 302
        db.session.remove()
        db.engine.dispose()


@pytest.mark.serial
def test_locked_logins_take_the_time_of_a_hash(database_url):
    """A locked e-mail still costs a full password hash (scrypt, as in production): within
    20 % of a wrong password for an unlocked account (16 ms against 74 ms before)."""
    app = create_app({**config_for_tests(database_url), "PASSWORD_HASH_METHOD": "scrypt"})
    with app.app_context():
        for email in ("locked@test.example", "open@test.example"):
            create_user(email, "viewer", PASSWORD)
        db.session.commit()
        attacker = _client(app, "203.0.113.1")
        for _ in range(5):
            _login(attacker, "locked@test.example", WRONG)
        locked, wrong = [], []
        for i in range(12):  # interleaved, so a slower moment of the machine hits both
            for client, email, times in (
                (attacker, "locked@test.example", locked),
                (_client(app, f"198.51.100.{i + 1}"), "open@test.example", wrong),
            ):
                start = time.perf_counter()
                status = _login(client, email, WRONG).status_code
                times.append(time.perf_counter() - start)
                assert status == (429 if times is locked else 401)
        m_locked, m_wrong = statistics.median(locked), statistics.median(wrong)
        print(f"login medians: locked {m_locked * 1000:.1f} ms, wrong {m_wrong * 1000:.1f} ms")
        assert abs(m_locked - m_wrong) <= 0.2 * m_wrong, (m_locked, m_wrong)
        assert m_locked > 0.005
        db.session.remove()
        db.engine.dispose()
