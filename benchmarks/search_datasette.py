"""Side-by-side search benchmark: the directory's search API against Datasette serving the
same SQLite file, over loopback, on three kinds of search (keywords, near a point, a
category).

Run (SQLite only: Datasette serves SQLite files)::

    python3 -m venv /tmp/datasette-venv && /tmp/datasette-venv/bin/pip install datasette==0.65.5
    export DATABASE_URL=sqlite:////tmp/bench10k.db   # filled by benchmarks/generate.py
    .venv/bin/python benchmarks/search_datasette.py --datasette /tmp/datasette-venv/bin/datasette

Datasette lives in a venv of its own, never in the project's. Both servers run one process
on 127.0.0.1 (gunicorn with one sync worker; Datasette's uvicorn, with the file opened
immutable), each warmed first, and one client sends the same searches to both, alternating
request by request so that both see the same machine. Prints p50/p95 per kind and server.

What is compared, honestly: Datasette answers the bare SQL a reader would write against
``search_entries`` / ``search_fts`` (a page of 20 and the total, as JSON). The directory's
answer does more for the same question: stemming and need-word synonyms in the keyword
query, relevance blended with distance, services serving everywhere within a radius, hours
and "open now", phones, AAAQ ratings, feedback and referral summaries, visibility rules for
confidential places, access control. The gap is the price of that work plus Flask.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from search import drive_paths, free_port, percentile, start_gunicorn  # noqa: E402
from sqlalchemy import select, text  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import User  # noqa: E402
from app.users import create_user, issue_token  # noqa: E402

POINTS = [
    (41.8781, -87.6298),  # Chicago
    (29.7604, -95.3698),  # Houston
    (34.0522, -118.2437),  # Los Angeles
    (40.7128, -74.0060),  # New York
    (33.4484, -112.0740),  # Phoenix
    (39.7392, -104.9903),  # Denver
]
WORDS = ["counseling", "legal", "housing", "food", "crisis", "shelter", "clinic", "medical"]
RADIUS_KM = 25

KEYWORDS_SQL = """
select (select count(*) from search_fts where search_fts match :q) as total,
       e.service_id, e.name
from (select rowid, rank from search_fts where search_fts match :q order by rank limit 20) f
join search_entries e on e.service_id = f.rowid
group by e.service_id order by min(f.rank)
"""
NEAR_SQL = """
with near as (
  select service_id, name,
         ((lat - :lat) * (lat - :lat) + ((lon - :lon) * :coslat) * ((lon - :lon) * :coslat))
           * 12364.0 as d2
  from search_entries
  where lat between :lat - :dlat and :lat + :dlat and lon between :lon - :dlon and :lon + :dlon
)
select (select count(*) from near where d2 <= :r2) as total, service_id, name, d2
from near where d2 <= :r2 order by d2 limit 20
"""
CATEGORY_SQL = """
select (select count(*) from search_entries where category = :c) as total, service_id, name
from search_entries where category = :c order by name, service_id limit 20
"""


def mix(n: int, seed: int, categories: list[str]) -> list[tuple[str, dict, str, dict]]:
    """``n`` searches per kind: (kind, the API's query, Datasette's SQL, its parameters)."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        word = rng.choice(WORDS)
        out.append(("keywords", {"q": word, "sort": "relevance"}, KEYWORDS_SQL, {"q": word}))
        lat, lon = rng.choice(POINTS)
        coslat = math.cos(math.radians(lat))
        dlat = RADIUS_KM / 111.195
        sql_params = {
            "lat": lat,
            "lon": lon,
            "coslat": coslat,
            "dlat": dlat,
            "dlon": dlat / coslat,
            "r2": RADIUS_KM * RADIUS_KM,
        }
        api = {"lat": lat, "lon": lon, "radius_km": RADIUS_KM}
        out.append(("near a point", api, NEAR_SQL, sql_params))
        code = rng.choice(categories)
        out.append(("category", {"category": code}, CATEGORY_SQL, {"c": code}))
    return out


def start_datasette(binary: str, path: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    proc = subprocess.Popen(  # noqa: S603 - Datasette on loopback, read-only
        [
            binary,
            "serve",
            "-i",
            path,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--setting",
            "sql_time_limit_ms",
            "10000",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(150):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.2)
    return proc, port


def timed_get(conn: http.client.HTTPConnection, url: str, headers: dict) -> tuple[float, dict]:
    start = time.perf_counter()
    conn.request("GET", url, headers=headers)
    response = conn.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status != 200:
        raise RuntimeError(f"{url}: HTTP {response.status} {body[:200]!r}")
    return elapsed, json.loads(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasette", default=os.environ.get("DATASETTE", "datasette"))
    parser.add_argument("--searches", type=int, default=200, help="per kind")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--throughput",
        action="store_true",
        help="requests a second with --clients connections, --workers app workers, per kind "
        "and for the mix, --rounds rounds of --seconds each, servers interleaved",
    )
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("sqlite:///"):
        sys.exit("DATABASE_URL must name a SQLite file (Datasette serves SQLite).")
    path = url.removeprefix("sqlite:///")
    app = create_app({"RATELIMIT_ENABLED": False})
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "bench@example.org"))
        if user is None:
            user = create_user("bench@example.org", "viewer", "copper lantern orchard ferry 93")
        token = issue_token(user)
        db.session.commit()
        categories = list(
            db.session.scalars(
                text("SELECT DISTINCT category FROM search_entries WHERE category IS NOT NULL")
            )
        )
    searches = mix(args.searches, args.seed, sorted(categories))
    if args.throughput:
        throughput(args, path, token, searches)
        return
    ours, our_port = start_gunicorn(1)
    theirs, their_port = start_datasette(args.datasette, path)
    times: dict[tuple[str, str], list[float]] = {}
    totals: dict[tuple[str, str], list[int]] = {}
    try:
        a = http.client.HTTPConnection("127.0.0.1", our_port, timeout=60)
        b = http.client.HTTPConnection("127.0.0.1", their_port, timeout=60)
        auth = {"Authorization": f"Bearer {token}"}
        for warm_up in (True, False):
            for kind, api, sql, params in searches[:30] if warm_up else searches:
                t1, answer = timed_get(a, "/api/v1/services?" + urlencode(api), auth)
                query = urlencode({"sql": sql, **params, "_shape": "objects"})
                t2, rows = timed_get(b, f"/{Path(path).stem}.json?{query}", {})
                if warm_up:
                    continue
                times.setdefault((kind, "directory"), []).append(t1)
                times.setdefault((kind, "datasette"), []).append(t2)
                totals.setdefault((kind, "directory"), []).append(answer["total"])
                first = rows["rows"][0]["total"] if rows["rows"] else 0
                totals.setdefault((kind, "datasette"), []).append(first)
        a.close()
        b.close()
    finally:
        for proc in (ours, theirs):
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
    print(f"database: {path}; {args.searches} searches per kind, one client, alternating")
    print("| kind | server | p50 | p95 | mean total |")
    print("| --- | --- | --- | --- | --- |")
    for (kind, server), values in times.items():
        mean_total = sum(totals[kind, server]) / len(totals[kind, server])
        print(
            f"| {kind} | {server} | {percentile(values, 50):.1f} ms "
            f"| {percentile(values, 95):.1f} ms | {mean_total:.0f} |"
        )


def throughput(args: argparse.Namespace, path: str, token: str, searches: list) -> None:
    """Requests a second, app (``--workers`` gunicorn workers, as ``make run``) against
    Datasette, each kind alone and the mix, in ``--rounds`` rounds whose server order
    alternates (both see the same machine); each figure is the median of the rounds."""
    ours, our_port = start_gunicorn(args.workers)
    theirs, their_port = start_datasette(args.datasette, path)
    auth = {"Authorization": f"Bearer {token}"}
    kinds = sorted({kind for kind, *_ in searches}) + ["mix"]

    def paths(kind: str) -> tuple[list[str], list[str]]:
        chosen = [s for s in searches if kind in ("mix", s[0])]
        app = ["/api/v1/services?" + urlencode(api) for _, api, _, _ in chosen]
        sql = [
            f"/{Path(path).stem}.json?" + urlencode({"sql": q, **p, "_shape": "objects"})
            for _, _, q, p in chosen
        ]
        return app, sql

    rates: dict[tuple[str, str], list[float]] = {}
    p50s: dict[tuple[str, str], list[float]] = {}
    try:
        for kind in kinds:  # warm both: imports, caches, compiled statements
            app, sql = paths(kind)
            drive_paths(our_port, app, auth, 2, args.clients)
            drive_paths(their_port, sql, {}, 2, args.clients)
        for round_ in range(args.rounds):
            for kind in kinds:
                app, sql = paths(kind)
                runs = [("directory", our_port, app, auth), ("datasette", their_port, sql, {})]
                for server, port, urls, headers in runs[:: 1 if round_ % 2 == 0 else -1]:
                    latencies, errors, wall = drive_paths(
                        port, urls, headers, args.seconds, args.clients
                    )
                    if errors:
                        raise RuntimeError(f"{server} {kind}: {errors} errors")
                    rates.setdefault((kind, server), []).append(len(latencies) / wall)
                    p50s.setdefault((kind, server), []).append(percentile(latencies, 50))
    finally:
        for proc in (ours, theirs):
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
    print(
        f"database: {path}; app: {args.workers} gunicorn workers; {args.clients} connections; "
        f"{args.rounds} rounds of {args.seconds:.0f} s per kind and server, interleaved; "
        f"load {'/'.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print("| kind | directory req/s | Datasette req/s | ratio | directory p50 | Datasette p50 |")
    print("| --- | --- | --- | --- | --- | --- |")
    for kind in kinds:
        ours_, theirs_ = (
            sorted(rates[kind, server])[len(rates[kind, server]) // 2]
            for server in ("directory", "datasette")
        )
        p_ours, p_theirs = (
            sorted(p50s[kind, server])[len(p50s[kind, server]) // 2]
            for server in ("directory", "datasette")
        )
        print(
            f"| {kind} | {ours_:.0f} | {theirs_:.0f} | {ours_ / theirs_:.2f}x "
            f"| {p_ours:.1f} ms | {p_theirs:.1f} ms |"
        )


if __name__ == "__main__":
    main()
