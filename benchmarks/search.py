"""Search benchmark: a fixed, seeded mix of realistic searches against the database named
by ``DATABASE_URL`` (fill it first with ``benchmarks/generate.py``).

Run: ``DATABASE_URL=... .venv/bin/python benchmarks/search.py [--searches 1000]
[--seconds 30] [--clients 8] [--workers 2] [--skip-http]``

(a) in-process through the Flask test client, the full request path including JSON, and
    the same SQL statements each request sent replayed on a raw DB-API connection;
(b) over loopback against gunicorn (2 workers) with 8 concurrent clients for 30 s, after
    5 s of warm-up searches (a fresh worker builds its gazetteer index and statements).
Prints p50/p95/p99 latency, requests per second, errors, peak memory per worker, and for
the same searches the time of the bare SQL alone and the ratio of the two.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, func, select  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import User  # noqa: E402
from app.users import create_user, issue_token  # noqa: E402
from directory import taxonomy  # noqa: E402
from directory.models import Service  # noqa: E402

PLACES = [
    "Chicago",
    "Houston",
    "Los Angeles",
    "New York",
    "Phoenix",
    "Denver",
    "Atlanta",
    "Seattle",
    "Miami",
    "Boston",
    "60601",
    "77002",
    "10001",
    "85004",
    "30303",
]
WORDS = [
    "counseling",
    "legal",
    "housing",
    "food",
    "crisis",
    "advocacy",
    "medical",
    "interpretation",
    "case management",
    "outreach",
    "shelter",
    "clinic",
]
LANGS = ["es", "es", "zh", "vi", "ar", "fr", "ht", "ko", "ti", "uk"]
KINDS = (
    "category alone",
    "category + language + radius",
    "keywords",
    "open now near a place",
    "eligibility",
    "category near a place",
)
"""The kinds of the mix, in the order ``search_mix`` cycles through them (i % 6)."""
WARM_UP_SECONDS = 5
"""Searches sent to fresh gunicorn workers before the measured run."""


def search_mix(n: int, seed: int) -> list[dict]:
    """A fixed mix: category alone; category + language + radius; keywords; open now;
    eligibility combinations; pages 1-3."""
    rng = random.Random(seed)
    groups = [g.code for g in taxonomy.groups()]
    codes = list(taxonomy.categories())
    mix = []
    for i in range(n):
        kind = i % 6
        if kind == 0:
            params = {"category": rng.choice(groups + codes)}
        elif kind == 1:
            params = {
                "category": rng.choice(groups),
                "language": rng.choice(LANGS),
                "near": rng.choice(PLACES),
                "radius_km": rng.choice((10, 25, 50)),
            }
        elif kind == 2:
            params = {"q": rng.choice(WORDS)}
        elif kind == 3:
            params = {
                "open_now": "true",
                "category": rng.choice(groups),
                "near": rng.choice(PLACES),
                "radius_km": 50,
            }
        elif kind == 4:
            params = {
                "age": rng.choice((15, 17, 30, 45)),
                "gender": rng.choice(("female", "male", "transgender")),
                "undocumented_ok": "true",
                "no_id_required": "true",
                "free": rng.choice(("true", "false")),
                "category": rng.choice(groups),
            }
        else:
            params = {"category": rng.choice(groups), "near": rng.choice(PLACES)}
        params["page"] = rng.choice((1, 1, 1, 2, 3))
        mix.append(params)
    return mix


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    low, high = int(k), min(int(k) + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (k - low)


def summary(label: str, times_ms: list[float]) -> str:
    return (
        f"{label}: n={len(times_ms)} p50={percentile(times_ms, 50):.1f}ms "
        f"p95={percentile(times_ms, 95):.1f}ms p99={percentile(times_ms, 99):.1f}ms "
        f"mean={statistics.fmean(times_ms):.1f}ms"
    )


def bare_sql_ms(raw, statements: list[tuple[str, object]]) -> float:
    """The same SQL statements a request sent, with the same parameters, replayed on a raw
    DB-API connection: the database's own time, without SQLAlchemy, Flask or JSON."""
    cursor = raw.cursor()
    start = time.perf_counter()
    for statement, parameters in statements:
        cursor.execute(statement, parameters)
        if cursor.description is not None:  # not for a write (a place's first geocoding)
            cursor.fetchall()
    elapsed = (time.perf_counter() - start) * 1000
    cursor.close()
    raw.rollback()
    return elapsed


def in_process(app, mix: list[dict], token: str) -> None:
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    for params in mix[:20]:  # warm caches (geocoder, statements)
        client.get("/api/v1/services", query_string=params, headers=headers)
    sent: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        sent.append((statement, parameters))

    raw = db.engine.raw_connection()
    request_ms, sql_ms, errors = [], [], 0
    for params in mix:
        sent.clear()
        event.listen(db.engine, "before_cursor_execute", capture)
        start = time.perf_counter()
        response = client.get("/api/v1/services", query_string=params, headers=headers)
        request_ms.append((time.perf_counter() - start) * 1000)
        event.remove(db.engine, "before_cursor_execute", capture)
        if response.status_code != 200:
            errors += 1
        sql_ms.append(bare_sql_ms(raw, list(sent)))
    raw.close()
    print(summary("in-process request", request_ms) + f" errors={errors}")
    for k, name in enumerate(KINDS):
        print("  " + summary(f"{name:30}", request_ms[k :: len(KINDS)]))
    print(summary("bare SQL          ", sql_ms))
    print(
        f"request / bare SQL ratio: p50 {percentile(request_ms, 50) / percentile(sql_ms, 50):.2f}"
        f"  p95 {percentile(request_ms, 95) / percentile(sql_ms, 95):.2f}"
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def worker_peaks(master_pid: int) -> list[int]:
    """Peak resident memory (VmHWM, kB) of each gunicorn worker."""
    peaks = []
    for child in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split():
        status = Path(f"/proc/{child}/status").read_text()
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]))
    return peaks


def workers_cpu_seconds(master_pid: int) -> float:
    """CPU time (user + system) the gunicorn workers have used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for child in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split():
        fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def start_gunicorn(workers: int, threads: int = 1) -> tuple[subprocess.Popen, int]:
    """gunicorn serving the app on a free port of 127.0.0.1, once it accepts connections."""
    port = free_port()
    proc = subprocess.Popen(  # noqa: S603 - our own server on loopback
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        cwd=ROOT,
    )
    for _ in range(150):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.2)
    return proc, port


def drive(port: int, mix: list[dict], token: str, seconds: float, clients: int):
    """``clients`` threads, each on its own connection (reopened when the server closes it),
    sending searches of the mix for ``seconds``; returns the latencies (ms), the errors and
    the wall time."""
    paths = ["/api/v1/services?" + urlencode(params) for params in mix]
    return drive_paths(port, paths, {"Authorization": f"Bearer {token}"}, seconds, clients)


def drive_paths(port: int, paths: list[str], headers: dict, seconds: float, clients: int):
    """``drive`` over any list of GET paths (another server's, in the side-by-side run)."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i = index
        while time.monotonic() < deadline:
            path = paths[i % len(paths)]
            i += clients
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(elapsed)
                errors[0] += 0 if ok else 1
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors[0], time.perf_counter() - started


def over_http(mix: list[dict], token: str, seconds: float, clients: int, workers: int) -> None:
    proc, port = start_gunicorn(workers)
    try:
        # warm the workers as long-lived ones are: the gazetteer index, compiled statements
        # and imports are built on a worker's first searches, seconds of CPU not to be
        # spread over the measured requests
        drive(port, mix[::-1], token, WARM_UP_SECONDS, clients)
        cpu_before = workers_cpu_seconds(proc.pid)
        latencies, errors, wall = drive(port, mix, token, seconds, clients)
        cpu_ms = (workers_cpu_seconds(proc.pid) - cpu_before) * 1000 / max(1, len(latencies))
        peaks = worker_peaks(proc.pid)
        print(
            summary(f"gunicorn {workers} workers, {clients} clients", latencies)
            + f" rps={len(latencies) / wall:.0f} errors={errors}"
        )
        print("worker peak memory: " + ", ".join(f"{kb / 1024:.0f} MB" for kb in peaks))
        print(f"worker CPU per request: {cpu_ms:.1f} ms (the load clients share the same cores)")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--searches", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-http", action="store_true")
    args = parser.parse_args()
    app = create_app({"RATELIMIT_ENABLED": False})
    with app.app_context():
        services = db.session.scalar(select(func.count()).select_from(Service))
        print(f"database: {db.engine.url.render_as_string(hide_password=True)} services={services}")
        user = db.session.scalar(select(User).where(User.email == "bench@example.org"))
        if user is None:
            user = create_user("bench@example.org", "viewer", "copper lantern orchard ferry 93")
        token = issue_token(user)
        db.session.commit()
        mix = search_mix(args.searches, args.seed)
        in_process(app, mix, token)
    if not args.skip_http:
        over_http(mix, token, args.seconds, args.clients, args.workers)


if __name__ == "__main__":
    main()
