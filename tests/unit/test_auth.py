"""``app/auth.py``, ``app/logins.py`` and ``app/users.py`` with little around them: one app
per module on SQLite (tables made by ``create_all``), test routes of its own behind the
real gate, sessions set directly in the cookie. Default-deny, roles, ``PUBLIC_WHEN``, the
idle timeout, session versions, tokens, the lock-out figures, ``safe_next`` and the audited
user actions; fast enough to run against every mutant (``scripts/mutation.py``). Expected
values worked out by hand."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from flask import Blueprint
from flask.views import MethodView
from sqlalchemy import select

from app import auth, create_app, logins, users
from app.config import config_for_tests
from app.extensions import db
from app.models import ApiToken, AuditEvent, LoginThrottle, User, utcnow

OPEN = {"on": False}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('auth') / 'auth.db'}"
    app = create_app(config_for_tests(url))

    pages = Blueprint("t_pages", __name__)

    @pages.get("/t/undeclared")
    def undeclared():
        return "undeclared"

    @pages.get("/t/viewer")
    @auth.requires("viewer")
    def viewer_page():
        return "viewer page"

    @pages.get("/t/coordinator")
    @auth.requires("coordinator")
    def coordinator_page():
        return "coordinator page"

    class Thing(MethodView):
        @auth.requires("viewer")
        def get(self):
            return "got"

        @auth.requires("admin")
        def post(self):
            return "posted"

        def put(self):
            return "put"

    pages.add_url_rule("/t/thing", view_func=Thing.as_view("thing"))

    api = Blueprint("t_api", __name__, url_prefix="/api/t")

    @api.get("/viewer")
    @auth.requires("viewer")
    def api_viewer():
        return {"ok": True}

    feed = Blueprint("t_feed", __name__)

    @feed.get("/t/feed")
    @auth.requires("coordinator")
    def feed_page():
        return "feed"

    for bp in (pages, api, feed):
        app.register_blueprint(bp)
    auth.PUBLIC_WHEN["t_feed"] = lambda: OPEN["on"]
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
    del auth.PUBLIC_WHEN["t_feed"]


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app
        db.session.rollback()
        db.session.remove()


_n = iter(range(10**6))


def make_user(role="viewer", active=True):
    user = User(
        email=f"u{next(_n)}@t.example",
        role=role,
        password_hash=users.hash_password("right password 123"),
        active=active,
    )
    db.session.add(user)
    db.session.commit()
    return user


def signed_in(app, user, last_seen=None):
    """A test client whose session cookie holds ``user`` (as ``start_session`` leaves it)."""
    client = app.test_client()
    with client.session_transaction() as s:
        s["_user_id"] = user.get_id()
        s["_fresh"] = True
        s["last_seen"] = int(time.time()) if last_seen is None else last_seen
    return client


# --- declaring roles --------------------------------------------------------------------


def test_requires_records_the_role_and_refuses_unknown_ones():
    def view():
        return None

    assert auth.requires("coordinator")(view) is view
    assert view.required_role == "coordinator"
    with pytest.raises(ValueError, match="unknown role 'boss'"):
        auth.requires("boss")


def test_required_role_of_functions_and_method_views(ctx):
    views = ctx.view_functions
    assert auth.required_role(views["t_pages.viewer_page"], "GET") == "viewer"
    assert auth.required_role(views["t_pages.undeclared"], "GET") is None
    thing = views["t_pages.thing"]
    assert auth.required_role(thing, "GET") == "viewer"
    assert auth.required_role(thing, "HEAD") == "viewer"  # HEAD is a GET
    assert auth.required_role(thing, "POST") == "admin"
    assert auth.required_role(thing, "PUT") is None
    assert auth.required_role(thing, "DELETE") is None


# --- the gate ---------------------------------------------------------------------------


def test_anonymous_pages_go_to_the_login_with_next(ctx):
    response = ctx.test_client().get("/t/viewer?q=a")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/t/viewer?q%3Da"
    response = ctx.test_client().get("/t/viewer")
    assert response.headers["Location"] == "/login?next=/t/viewer"


def test_anonymous_api_gets_401(ctx):
    assert ctx.test_client().get("/api/t/viewer").status_code == 401


def test_public_endpoints_are_open(ctx):
    assert auth.PUBLIC_ENDPOINTS >= {"auth.login", "static", "health"}
    assert ctx.test_client().get("/login").status_code == 200
    assert ctx.test_client().get("/nowhere").status_code == 404  # no endpoint: a plain 404


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        ("viewer", "/t/viewer", 200),
        ("viewer", "/t/coordinator", 403),
        ("case_manager", "/t/coordinator", 403),
        ("coordinator", "/t/coordinator", 200),
        ("admin", "/t/coordinator", 200),
        ("admin", "/t/undeclared", 403),  # default-deny: no declared role, nobody
        ("viewer", "/api/t/viewer", 200),
    ],
)
def test_roles(ctx, role, path, status):
    assert signed_in(ctx, make_user(role)).get(path).status_code == status


def test_method_view_roles_per_method(ctx):
    viewer = signed_in(ctx, make_user("viewer"))
    assert viewer.get("/t/thing").status_code == 200
    assert viewer.head("/t/thing").status_code == 200
    assert viewer.post("/t/thing").status_code == 403
    admin = signed_in(ctx, make_user("admin"))
    assert admin.post("/t/thing").status_code == 200
    assert admin.put("/t/thing").status_code == 403


def test_public_when_opens_a_blueprint_only_while_its_condition_holds(ctx):
    OPEN["on"] = True
    try:
        assert ctx.test_client().get("/t/feed").status_code == 200
    finally:
        OPEN["on"] = False
    assert ctx.test_client().get("/t/feed").status_code == 302
    assert signed_in(ctx, make_user("viewer")).get("/t/feed").status_code == 403


def test_idle_session_ends(ctx):
    user = make_user("viewer")
    idle = ctx.config["IDLE_TIMEOUT_SECONDS"]
    assert idle == 30 * 60
    stale = signed_in(ctx, user, last_seen=int(time.time()) - idle - 5)
    assert stale.get("/t/viewer").status_code == 302
    with stale.session_transaction() as s:
        assert "_user_id" not in s
        assert "last_seen" not in s


def test_active_session_is_kept_and_its_clock_moves(ctx):
    user = make_user("viewer")
    idle = ctx.config["IDLE_TIMEOUT_SECONDS"]
    client = signed_in(ctx, user, last_seen=int(time.time()) - idle + 30)
    before = int(time.time())
    assert client.get("/t/viewer").status_code == 200
    with client.session_transaction() as s:
        assert before <= s["last_seen"] <= int(time.time())


def test_session_without_a_clock_starts_one(ctx):
    client = signed_in(ctx, make_user("viewer"), last_seen=0)
    assert client.get("/t/viewer").status_code == 200
    with client.session_transaction() as s:
        assert s["last_seen"] >= int(time.time()) - 1


def test_a_token_request_keeps_no_session_clock(ctx):
    user = make_user("viewer")
    secret = users.issue_token(user)
    db.session.commit()
    client = ctx.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/t/viewer", headers=headers).status_code == 200
    with client.session_transaction() as s:
        assert "last_seen" not in s
    # a token is no key to the pages
    assert client.get("/t/viewer", headers=headers).status_code == 302


# --- who the cookie or the token is -----------------------------------------------------


def test_load_user_only_for_the_current_session_version(ctx):
    user = make_user("viewer")
    assert auth.load_user(f"{user.id}:{user.session_version}") is user
    assert auth.load_user(f"{user.id}:{user.session_version + 1}") is None
    assert auth.load_user(f"{user.id}") is None
    assert auth.load_user("x:1") is None
    assert auth.load_user("999999:1") is None
    user.active = False
    db.session.commit()
    assert auth.load_user(f"{user.id}:{user.session_version}") is None


def test_token_rules(ctx):
    user = make_user("viewer")
    secret = users.issue_token(user)
    db.session.commit()
    client = ctx.test_client()
    assert (
        client.get("/api/t/viewer", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 200
    )
    assert (
        client.get("/api/t/viewer", headers={"Authorization": f"Bearer  {secret} "}).status_code
        == 200
    )
    assert (
        client.get("/api/t/viewer", headers={"Authorization": f"Token {secret}"}).status_code == 401
    )
    assert client.get("/api/t/viewer", headers={"Authorization": "Bearer nope"}).status_code == 401
    users.revoke_tokens(user)
    db.session.commit()
    assert (
        client.get("/api/t/viewer", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 401
    )


def test_token_of_an_inactive_user_is_refused(ctx):
    user = make_user("viewer")
    secret = users.issue_token(user)
    user.active = False
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    assert ctx.test_client().get("/api/t/viewer", headers=headers).status_code == 401


# --- user administration ----------------------------------------------------------------


def entries(user):
    query = select(AuditEvent).where(AuditEvent.parent == f"users:{user.id}")
    return [(e.action, e.changes) for e in db.session.scalars(query.order_by(AuditEvent.id))]


def test_issue_token_is_audited(ctx):
    user = make_user("viewer")
    secret = users.issue_token(user)
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert token.token_hash == ApiToken.hash(secret)
    event = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "token issue", AuditEvent.parent == f"users:{user.id}"
        )
    )
    assert (event.object_type, event.object_id) == ("api_tokens", str(token.id))
    assert (event.detail, event.parent) == (user.email, f"users:{user.id}")
    assert event.changes == {"token": [None, token.id]}


def test_change_role_ends_sessions_and_tokens(ctx):
    user = make_user("viewer")
    users.issue_token(user)
    users.issue_token(user)
    db.session.commit()
    ids = [t.id for t in user.tokens]
    version = user.session_version
    users.change_role(user, "coordinator")
    assert user.role == "coordinator"
    assert user.session_version == version + 1
    assert all(t.revoked for t in user.tokens)
    assert entries(user)[-1] == (
        "user role",
        {"role": ["viewer", "coordinator"], "tokens_revoked": ids},
    )
    with pytest.raises(users.AuthError, match="Unknown role 'boss'"):
        users.change_role(user, "boss")


def test_end_sessions_lists_only_tokens_it_revoked(ctx):
    user = make_user("viewer")
    users.issue_token(user)
    users.issue_token(user)
    db.session.commit()
    first, second = user.tokens
    first.revoked = True
    assert users.end_sessions(user) == [second.id]
    assert users.end_sessions(user) == []


def test_deactivate_and_reactivate(ctx):
    admin = make_user("admin")
    user = make_user("viewer")
    with pytest.raises(users.AuthError, match="yourself"):
        users.deactivate(admin, by=admin)
    users.deactivate(user, by=admin)
    assert user.active is False
    users.reactivate(user)
    assert user.active is True
    assert entries(user) == [
        ("user deactivate", {"active": [True, False], "tokens_revoked": []}),
        ("user activate", {"active": [False, True]}),
    ]
    users.deactivate(user)  # by the CLI
    assert user.active is False


def test_revoke_tokens_keeps_sessions(ctx):
    user = make_user("viewer")
    users.issue_token(user)
    db.session.commit()
    version = user.session_version
    (token,) = user.tokens
    assert users.revoke_tokens(user) == [token.id]
    assert token.revoked is True
    assert user.session_version == version
    assert entries(user)[-1] == ("token revoke", {"tokens_revoked": [token.id]})
    assert users.revoke_tokens(user) == []


def test_set_password_ends_sessions_and_is_audited(ctx):
    user = make_user("viewer")
    users.issue_token(user)
    db.session.commit()
    version = user.session_version
    users.set_password(user, "a much longer new passphrase 42")
    assert logins.authenticate(user.email, "a much longer new passphrase 42") is user
    assert user.session_version == version + 1
    assert entries(user)[-1][0] == "user password"
    assert entries(user)[-1][1]["password"] == "(changed)"


# --- logins and the lock-out -------------------------------------------------------------


def test_authenticate(ctx):
    user = make_user("viewer")
    assert logins.authenticate(user.email, "right password 123") is user
    assert logins.authenticate(f"  {user.email.upper()} ", "right password 123") is user
    assert logins.authenticate(user.email, "wrong password 123") is None
    assert logins.authenticate("nobody@t.example", "right password 123") is None
    assert logins.authenticate(user.email, "x" * 10_000) is None
    user.active = False
    db.session.commit()
    assert logins.authenticate(user.email, "right password 123") is None


def test_lock_out_after_five_failures_doubling(ctx):
    user = make_user("viewer")
    seen = []
    for _ in range(7):
        attempt = logins.attempt_login(user.email, "wrong password")
        assert attempt.user is None
        assert attempt.account is user
        seen.append(attempt.locked_for)
        # let the next failure through the lock to see the count go on
        db.session.execute(LoginThrottle.__table__.update().values(locked_until=None))
    assert seen == [0, 0, 0, 0, 60, 120, 240]


def test_locked_email_refuses_even_the_right_password(ctx):
    user = make_user("viewer")
    for _ in range(5):
        logins.attempt_login(user.email, "wrong password")
    attempt = logins.attempt_login(user.email, "right password 123")
    assert attempt.user is None
    assert attempt.account is user
    assert 59 <= attempt.locked_for <= 60


def test_success_clears_the_failures(ctx):
    user = make_user("viewer")
    for _ in range(4):
        logins.attempt_login(user.email, "wrong password")
    attempt = logins.attempt_login(user.email, "right password 123")
    assert (attempt.user, attempt.account, attempt.locked_for) == (user, user, 0)
    assert logins.attempt_login(user.email, "wrong password").locked_for == 0


def test_lock_out_is_capped_and_a_quiet_day_starts_afresh(ctx):
    user = make_user("viewer")
    key = logins.throttle_key(user.email)
    db.session.add(
        LoginThrottle(key=key, failures=40, last_failure_at=utcnow() - timedelta(hours=1))
    )
    assert logins.attempt_login(user.email, "wrong").locked_for == 3600
    db.session.execute(
        LoginThrottle.__table__.update().values(
            locked_until=None, last_failure_at=utcnow() - timedelta(days=1, minutes=1)
        )
    )
    assert logins.attempt_login(user.email, "wrong").locked_for == 0
    assert db.session.scalar(select(LoginThrottle.failures).where(LoginThrottle.key == key)) == 1


def test_throttle_key_and_seconds(ctx):
    key = logins.throttle_key("a@t.example")
    assert len(key) == 64
    assert key == logins.throttle_key("a@t.example") != logins.throttle_key("b@t.example")
    assert "a@t.example" not in key
    assert logins._seconds(timedelta(seconds=0.2)) == 1
    assert logins._seconds(timedelta(seconds=59.5)) == 60
    assert logins._seconds(timedelta(seconds=60)) == 60
    assert logins._seconds(timedelta(0)) == 1


# --- where to go after the login ----------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/services/3?q=a", "/services/3?q=a"),
        ("/", "/"),
        (None, "/"),
        ("", "/"),
        ("//evil.example/x", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("services/3", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_safe_next(ctx, target, safe):
    with ctx.test_request_context():
        home = ctx.url_for("directory.search")
        assert auth.safe_next(target) == (home if safe == "/" and target != "/" else safe)
