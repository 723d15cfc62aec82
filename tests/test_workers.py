"""Several processes: two app servers sharing sessions and limits (issue #27), and serving
the next request after their PostgreSQL restarts; throttling
that holds across processes: the lock-out with two gunicorn workers
(kept in the database), and Flask-Limiter's counters shared by two app servers through
Redis (``RATELIMIT_STORAGE_URI``). Real servers on loopback; the test starts its own
``redis-server`` (Debian's, installed by ``scripts/system-deps.sh test``) and fails when it
is missing."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from flask_migrate import upgrade

from app import create_app
from app.config import config_for_tests
from app.extensions import db
from app.users import create_user
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[1]
WRONG = "not the password at all"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, proc: subprocess.Popen, what: str, path: str | None = "/health"):
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"{what} exited with {proc.returncode}")
        try:
            if path is None:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                return
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    return
            finally:
                conn.close()
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{what} did not start on port {port}")


@pytest.fixture
def redis_url():
    """A throw-away redis-server on a free port of 127.0.0.1, nothing saved to disk."""
    server = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not os.path.exists(server):
        pytest.fail("redis-server is not installed (bash scripts/system-deps.sh test)")
    port = free_port()
    proc = subprocess.Popen(  # noqa: S603 - our own server on loopback
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(port, proc, "redis-server", path=None)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def serve(database_url, tmp_path):
    """``serve(workers, **env)`` → (port, access log) of gunicorn serving ``wsgi:app`` on the
    test's database; every server is stopped at the end."""
    procs = []

    def start(workers: int, **env: str) -> tuple[int, Path]:
        port = free_port()
        log = tmp_path / f"access-{port}.log"
        environment = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "workers-test-secret-key",
            "APP_ENV": "development",
            "RATELIMIT_STORAGE_URI": "memory://",
            "TRUSTED_PROXIES": "0",
            **env,
        }
        proc = subprocess.Popen(  # noqa: S603 - our own server on loopback
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "--access-logfile",
                str(log),
                "--access-logformat",
                "%(p)s %(m)s %(U)s %(s)s",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=environment,
        )
        procs.append(proc)
        _wait_for(port, proc, "gunicorn")
        return port, log

    yield start
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def login(port: int, email: str, password: str) -> tuple[int, str]:
    """Log in through the real form (CSRF token and all) on fresh connections, as a browser
    would after a reload; (status, page)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/login", headers={"Connection": "close"})
    response = conn.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie", "").split(";", 1)[0]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    conn.close()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(
        "POST",
        "/login",
        body=urlencode({"email": email, "password": password, "csrf_token": token}),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Connection": "close",
        },
    )
    response = conn.getresponse()
    result = response.status, response.read().decode()
    conn.close()
    return result


def stall(port: int) -> socket.socket:
    """Keep one sync worker busy: a request whose headers have not ended yet."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    time.sleep(1)  # a worker has taken the connection and waits for the rest
    return sock


def release(sock: socket.socket) -> None:
    sock.sendall(b"Connection: close\r\n\r\n")
    while sock.recv(65536):
        pass
    sock.close()


def _pids(log: Path, status: int, skip: int = 0) -> set[str]:
    """The workers (process ids) that answered POST /login with ``status`` (after the first
    ``skip`` lines of the access log)."""
    found = set()
    for line in log.read_text().splitlines()[skip:]:
        pid, method, path, code = line.split()
        if method == "POST" and path == "/login" and code == str(status):
            found.add(pid)
    return found


def test_the_lockout_holds_whichever_worker_answers(serve, users):
    # Flask-Limiter's counters set out of the way: what holds here is the database's lock-out
    port, log = serve(
        2, LOGIN_RATE_LIMIT="1000 per minute", LOGIN_ADDRESS_RATE_LIMIT="1000 per minute"
    )
    codes = [login(port, "viewer@test.example", WRONG)[0] for _ in range(10)]
    assert codes == [401] * 4 + [429] * 6, codes
    # the right password, answered by each worker in turn: while one worker is kept busy
    # the other answers, then the other way round
    time.sleep(0.5)  # the access log is written after each answer
    before = len(log.read_text().splitlines())
    first = stall(port)
    answers = [login(port, "viewer@test.example", PASSWORD)]
    second = stall(port)  # taken by the worker that just answered: the first one is busy
    release(first)
    answers.append(login(port, "viewer@test.example", PASSWORD))
    release(second)
    assert [status for status, _ in answers] == [429, 429]
    assert all("even the right password is refused" in page for _, page in answers)
    time.sleep(0.5)  # the access log is written after each answer
    assert len(_pids(log, 429, skip=before)) == 2, log.read_text()  # both workers refused it
    # another account logs in from the same client meanwhile
    status, _ = login(port, "coordinator@test.example", PASSWORD)
    assert status == 302


def test_the_redis_backed_limit_is_shared_by_two_app_servers(serve, redis_url):
    import redis

    env = {
        "RATELIMIT_STORAGE_URI": redis_url,
        "LOGIN_RATE_LIMIT": "3 per minute",
        "LOGIN_ADDRESS_RATE_LIMIT": "1000 per minute",
    }
    first, _ = serve(1, **env)
    second, _ = serve(1, **env)
    email = "nobody@test.example"
    assert login(first, email, WRONG)[0] == 401
    assert login(first, email, WRONG)[0] == 401
    assert login(second, email, WRONG)[0] == 401
    # the second server has seen one failure itself, but the count is shared: 3 of 3
    assert login(second, email, WRONG)[0] == 429
    assert login(first, email, WRONG)[0] == 429
    store = redis.Redis.from_url(redis_url)
    try:
        keys = b" ".join(store.keys("*"))
        assert b"login:" in keys  # the counts are in Redis
        assert b"nobody" not in keys  # by an HMAC of the typed e-mail, not the text
    finally:
        store.close()
    # another account is not limited by it
    assert login(second, "someone-else@test.example", WRONG)[0] == 401


def _session_cookie(port: int, email: str, password: str) -> str:
    """Log in on ``port`` through the form; the ``session=…`` cookie the answer sets."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/login", headers={"Connection": "close"})
    response = conn.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie", "").split(";", 1)[0]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    conn.close()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(
        "POST",
        "/login",
        body=urlencode({"email": email, "password": password, "csrf_token": token}),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Connection": "close",
        },
    )
    response = conn.getresponse()
    response.read()
    assert response.status == 302
    cookies = [c.split(";", 1)[0] for c in response.msg.get_all("Set-Cookie")]
    conn.close()
    [session] = [c for c in cookies if c.startswith("session=")]
    return session


def _get(port: int, path: str, cookie: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Cookie": cookie, "Connection": "close"})
    response = conn.getresponse()
    result = response.status, response.getheader("Location") or response.read().decode()
    conn.close()
    return result


def test_two_app_servers_share_sessions_and_limits(serve, redis_url, users):
    """Two app servers (two gunicorn processes on loopback ports) on one PostgreSQL (or
    SQLite file) and one Redis, as behind a load balancer: a session begun on one is
    served by the other, a role check holds on both, and a login limit counted on one is
    spent on the other."""
    env = {
        "RATELIMIT_STORAGE_URI": redis_url,
        "LOGIN_RATE_LIMIT": "2 per minute",
        "LOGIN_ADDRESS_RATE_LIMIT": "1000 per minute",
    }
    first, _ = serve(1, **env)
    second, _ = serve(1, **env)
    anonymous = _get(second, "/", "")
    assert anonymous[0] == 302
    assert "/login" in anonymous[1]
    cookie = _session_cookie(first, "viewer@test.example", PASSWORD)
    status, page = _get(second, "/", cookie)
    assert status == 200
    assert "viewer@test.example" in page
    # the same session's role holds on the other server: a viewer is no admin there either
    assert _get(second, "/admin/users", cookie)[0] == 403
    # a limit spent on one server is spent on the other
    assert login(first, "coordinator@test.example", WRONG)[0] == 401
    assert login(second, "coordinator@test.example", WRONG)[0] == 401
    assert login(first, "coordinator@test.example", WRONG)[0] == 429
    assert login(second, "coordinator@test.example", WRONG)[0] == 429


@pytest.fixture
def own_postgresql():
    """A throw-away PostgreSQL cluster of this test's own (initdb, a free loopback port), so
    that it can be restarted without touching the suite's database: → (URL, restart);
    stopped and removed at the end. Debian's PostgreSQL, installed by
    ``scripts/system-deps.sh test``; as root, its commands run as the ``postgres`` user."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        pytest.fail("PostgreSQL is not installed (bash scripts/system-deps.sh test)")
    bindir = found[-1].parent
    folder = Path(tempfile.mkdtemp(prefix="pg-restart-"))
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    port = free_port()
    data = folder / "data"

    def run(*args, check: bool = True) -> None:
        subprocess.run([*as_pg, *map(str, args)], check=check, capture_output=True)  # noqa: S603

    # the server's output to its log: a pipe it held would keep ``run`` waiting
    ctl = (bindir / "pg_ctl", "-D", data, "-w", "-l", folder / "log")
    try:
        run(bindir / "initdb", "-D", data, "-A", "trust", "-U", "postgres")
        run(*ctl, "-o", f"-h 127.0.0.1 -p {port} -k {folder} -c fsync=off", "start")
        run(bindir / "createdb", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "directory")
        url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/directory"
        yield url, lambda: run(*ctl, "-m", "fast", "restart")
    finally:  # stopped whatever happened (a server not running: nothing to stop)
        run(*ctl, "-m", "immediate", "stop", check=False)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.own_database  # a PostgreSQL cluster it starts
def test_both_app_servers_answer_the_next_request_after_postgresql_restarts(serve, own_postgresql):
    """A database restart (an upgrade, a failover) ends every pooled connection of every app
    server; the next request on each is served (the pool tests a connection before use)."""
    url, restart = own_postgresql
    app = create_app(config_for_tests(url))
    with app.app_context():
        upgrade()
        create_user("viewer@test.example", "viewer", PASSWORD)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    first, _ = serve(1, DATABASE_URL=url)
    second, _ = serve(1, DATABASE_URL=url)
    cookie = _session_cookie(first, "viewer@test.example", PASSWORD)
    for port in (first, second):  # each server holds a pooled connection now
        assert _get(port, "/", cookie)[0] == 200
    restart()
    for port in (first, second):
        status, page = _get(port, "/", cookie)
        assert status == 200
        assert "viewer@test.example" in page
        health = json.loads(_get(port, "/health", "")[1])
        assert health["database"] == "ok"
