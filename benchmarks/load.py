"""Load test: 50 simulated staff (search, view, refer, rate, print) against gunicorn on
loopback for 5 minutes; prints requests, p50/p95/p99, errors, and checks that every write
the server acknowledged is in the database.

Run: ``.venv/bin/python benchmarks/load.py [--users 50] [--seconds 300] [--workers 2]``
With ``DATABASE_URL`` unset it builds a throw-away SQLite database with the demo directory;
with it set, the database must be migrated (``flask --app wsgi db upgrade``) and filled
(``seed demo`` or ``benchmarks/generate.py``).

Each user logs in through the login form from an address of its own in 127.0.0.0/8 (as
separate workstations would, so login throttling sees separate clients), pauses 0.5–2 s
between actions like a person reading, and uses pages for reading and printing and the API
(with its own token) for writes. Everything goes to 127.0.0.1 only and stops by itself.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import User  # noqa: E402
from app.users import create_user, issue_token  # noqa: E402
from benchmarks.search import percentile, start_gunicorn, worker_peaks  # noqa: E402
from directory import seeding, taxonomy  # noqa: E402
from directory.aaaq_records import AaaqRating  # noqa: E402
from directory.models import Service  # noqa: E402
from directory.referrals.models import Referral  # noqa: E402

PASSWORD = "load test password 1"  # noqa: S105 - throw-away users of a load test
PLACES = ["Chicago", "60601", "Houston", "Denver", "New York", "Seattle"]
LANGS = ["es", "fr", "ar", "zh", "vi", "ru", "ti"]
ROLES = ["case_manager"] * 5 + ["coordinator"] * 3 + ["viewer"] * 2  # of every 10 users


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    times: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    referrals: dict[int, str] = field(default_factory=dict)  # id → case reference
    ratings: dict[int, str] = field(default_factory=dict)  # id → note

    def add(self, action: str, ms: float, error: str | None = None) -> None:
        with self.lock:
            self.times.setdefault(action, []).append(ms)
            if error:
                self.errors.append(f"{action}: {error}")


class Browser:
    """One workstation: its own source address, its session cookie, its API token."""

    def __init__(self, port: int, source: str, token: str):
        self.port, self.source, self.token = port, source, token
        self.cookie = ""

    def request(self, method: str, path: str, body=None, headers=None, api=False):
        """One request on a new connection (a person pauses longer than keep-alive lasts)."""
        headers = dict(headers or {})
        if api:
            headers["Authorization"] = f"Bearer {self.token}"
        elif self.cookie:
            headers["Cookie"] = self.cookie
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=60, source_address=(self.source, 0)
        )
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("session="):
                self.cookie = value.split(";", 1)[0]
        return response.status, response.getheader("Location"), data

    def log_in(self, email: str) -> None:
        status, _, page = self.request("GET", "/login")
        token = re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()
        form = urlencode({"csrf_token": token, "email": email, "password": PASSWORD})
        status, location, _ = self.request(
            "POST", "/login", form, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        if status != 302:
            raise RuntimeError(f"login of {email} answered {status}")


def prepare(users: int) -> tuple[list[tuple[str, str, str]], list[int]]:
    """Users (email, role, token) and the ids of active services to act on."""
    app = create_app({"RATELIMIT_ENABLED": False})
    with app.app_context():
        if db.session.scalar(select(Service.id).limit(1)) is None:
            seeding.load_demo(db.session)
        made = []
        for i in range(users):
            role = ROLES[i % len(ROLES)]
            email = f"load{i:02d}@example.org"
            user = db.session.scalar(select(User).where(User.email == email))
            if user is None:
                user = create_user(email, role, PASSWORD)
            made.append((email, role, issue_token(user)))
        db.session.commit()
        ids = list(
            db.session.scalars(
                select(Service.id).where(Service.status == "active").order_by(Service.id)
            )
        )
        db.engine.dispose()
    return made, ids


def simulate(
    browser: Browser, role: str, ids: list[int], seed: int, deadline: float, tally: Tally
) -> None:
    rng = random.Random(seed)
    categories = list(taxonomy.categories())
    refs = 0
    while time.monotonic() < deadline:
        roll = rng.random()
        sid = rng.choice(ids)
        if roll < 0.45:
            action, method, path, body, api = (
                "search",
                "GET",
                "/?"
                + urlencode(
                    {
                        "category": rng.choice(categories),
                        "near": rng.choice(PLACES),
                        "radius_km": rng.choice([25, 50, 100]),
                        **({"language": rng.choice(LANGS)} if rng.random() < 0.3 else {}),
                    }
                ),
                None,
                False,
            )
        elif roll < 0.75:
            action, method, path, body, api = "view", "GET", f"/services/{sid}", None, False
        elif roll < 0.82:
            action, method, path, body, api = (
                "print",
                "GET",
                "/sheets/directory.pdf?"
                + urlencode({"category": rng.choice(["shelters", "health", "hotlines", "legal"])}),
                None,
                False,
            )
        elif role == "case_manager":
            refs += 1
            reference = f"LT-{seed}-{refs}"
            action, method, path, api = "refer", "POST", "/api/v1/referrals", True
            body = {
                "service_id": sid,
                "case_reference": reference,
                "handoff": "warm_call",
                "consent": True,
            }
        elif role == "coordinator":
            note = f"load {seed}-{rng.randrange(10**9)}"
            action, method, path, api = "rate", "POST", f"/api/v1/services/{sid}/ratings", True
            body = {
                "availability": rng.choice([1, 2, 3, None]),
                "accessibility": rng.choice([1, 2, 3]),
                "acceptability": rng.choice([1, 2, 3]),
                "quality": rng.choice([1, 2, 3]),
                "note": note,
            }
        else:
            action, method, path, body, api = "search", "GET", "/?q=shelter", None, False
        headers = {"Content-Type": "application/json"} if body else {}
        start = time.perf_counter()
        error = None
        try:
            status, _, data = browser.request(
                method, path, json.dumps(body) if body else None, headers, api=api
            )
            expected = 201 if method == "POST" else 200
            if status != expected:
                error = f"{status} on {method} {path}"
            elif action == "refer":
                with tally.lock:
                    tally.referrals[json.loads(data)["id"]] = body["case_reference"]
            elif action == "rate":
                with tally.lock:
                    tally.ratings[json.loads(data)["id"]] = body["note"]
        except (OSError, http.client.HTTPException) as exc:
            error = f"{type(exc).__name__} on {method} {path}"
        tally.add(action, (time.perf_counter() - start) * 1000, error)
        time.sleep(rng.uniform(0.5, 2.0))


def lost_writes(tally: Tally) -> int:
    """Acknowledged writes missing from the database (or changed)."""
    app = create_app({"RATELIMIT_ENABLED": False})
    with app.app_context():
        found_refs = dict(
            db.session.execute(
                select(Referral.id, Referral.case_reference).where(
                    Referral.id.in_(list(tally.referrals))
                )
            ).all()
        )
        found_ratings = dict(
            db.session.execute(
                select(AaaqRating.id, AaaqRating.note).where(AaaqRating.id.in_(list(tally.ratings)))
            ).all()
        )
        db.engine.dispose()
    lost = [i for i, ref in tally.referrals.items() if found_refs.get(i) != ref]
    lost += [i for i, note in tally.ratings.items() if found_ratings.get(i) != note]
    return len(lost)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    scratch = None
    if not os.environ.get("DATABASE_URL"):
        scratch = tempfile.mkdtemp(prefix="load-")
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/load.db"
        subprocess.run(  # noqa: S603 - our own CLI
            [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    users, ids = prepare(args.users)
    server, port = start_gunicorn(args.workers, threads=4)
    tally = Tally()
    try:
        browsers = []
        for i, (email, _role, token) in enumerate(users):
            browser = Browser(port, f"127.0.{1 + i // 250}.{2 + i % 250}", token)
            browser.log_in(email)
            browsers.append(browser)
        print(
            f"database: {os.environ['DATABASE_URL'].split('@')[-1]} services={len(ids)} "
            f"users={len(users)} seconds={args.seconds:.0f} workers={args.workers}"
        )
        deadline = time.monotonic() + args.seconds
        threads = [
            threading.Thread(
                target=simulate, args=(b, users[i][1], ids, i, deadline, tally), daemon=True
            )
            for i, b in enumerate(browsers)
        ]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=args.seconds + 120)
        wall = time.perf_counter() - started
        peaks = worker_peaks(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    every = [ms for times in tally.times.values() for ms in times]
    print(f"requests={len(every)} rps={len(every) / wall:.1f} errors={len(tally.errors)}")
    for action, times in sorted(tally.times.items()):
        print(
            f"  {action:7s} n={len(times):5d} p50={percentile(times, 50):6.0f}ms "
            f"p95={percentile(times, 95):6.0f}ms p99={percentile(times, 99):6.0f}ms"
        )
    print(
        f"all     p50={percentile(every, 50):.0f}ms p95={percentile(every, 95):.0f}ms "
        f"p99={percentile(every, 99):.0f}ms"
    )
    for error in tally.errors[:10]:
        print("  error:", error)
    lost = lost_writes(tally)
    print(
        f"acknowledged writes: {len(tally.referrals)} referrals, {len(tally.ratings)} ratings; "
        f"lost={lost}"
    )
    print("worker peak memory: " + ", ".join(f"{kb / 1024:.0f} MB" for kb in peaks))
    ok = not tally.errors and lost == 0 and percentile(every, 95) <= 500
    print("target (0 errors, 0 lost writes, p95 <= 500 ms): " + ("met" if ok else "NOT met"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
