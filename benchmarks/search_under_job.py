"""Search latency with and without a large HSDS import running as a job (issue #27).

Run: ``.venv/bin/python benchmarks/search_under_job.py [--services 10000] [--clients 4]
[--seconds 30]`` (``DATABASE_URL`` unset: SQLite files in a scratch folder; set it to an
EMPTY PostgreSQL database to measure that instead; ``QUEUE_URL`` as ``make run`` takes it).

1. generates a directory of ``--services`` services (``generate.py``, seed 2) to search,
   and a second one (seed 1) exported as an HSDS package with the app's own exporter;
2. starts ``scripts/serve.sh`` as ``make run`` does (gunicorn with 2 workers and the job
   worker with 2 threads, the same queue), warms it for 5 s;
3. measures searches (``search.py``'s fixed mix, ``--clients`` concurrent clients over
   loopback) for ``--seconds`` with no job: p50/p95/p99;
4. uploads the package (``POST /api/v1/hsds/imports``) and measures the same searches
   from the moment the worker takes the job until it ends; prints the job's time.

The load clients share the machine's cores with the server and the worker, and the figures
depend on the machine's other load: the load average is printed with them.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import search as bench  # noqa: E402

WARM_UP_SECONDS = 5


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _run(args: list[str], env: dict) -> None:
    subprocess.run(  # noqa: S603 - our own scripts
        [sys.executable, *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def _package(folder: Path, services: int) -> bytes:
    """An HSDS package (zipped) of ``services`` generated services (seed 1)."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'source.db'}"}
    env.pop("QUEUE_URL", None)
    _run(["benchmarks/generate.py", "--services", str(services), "--seed", "1"], env)
    _run(["-m", "flask", "--app", "wsgi", "hsds", "export", str(folder / "package")], env)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for path in sorted((folder / "package").iterdir()):
            zf.write(path, path.name)
    return buffer.getvalue()


def _token(env: dict) -> str:
    """An admin's API token in the served database (an admin may import)."""
    code = (
        "from app import create_app\n"
        "from app.users import create_user, issue_token\n"
        "from app.extensions import db\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    user = create_user('bench-admin@example.org', 'admin',"
        " 'copper lantern orchard ferry 93')\n"
        "    print(issue_token(user))\n"
        "    db.session.commit()\n"
    )
    out = subprocess.run(  # noqa: S603 - our own code
        [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return out.stdout.decode().split()[-1]


def _request(port: int, method: str, path: str, token: str, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(
            method, path, body=body, headers={"Authorization": f"Bearer {token}", **(headers or {})}
        )
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _upload(port: int, token: str, package: bytes) -> int:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="bench.zip"\r\nContent-Type: application/zip\r\n\r\n'
        ).encode()
        + package
        + f"\r\n--{boundary}--\r\n".encode()
    )
    status, answer = _request(
        port,
        "POST",
        "/api/v1/hsds/imports",
        token,
        body,
        {"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    if status != 202:
        sys.exit(f"the import was not accepted: {status} {answer[:300]!r}")
    return json.loads(answer)["id"]


def _job(port: int, token: str, job_id: int) -> dict:
    status, answer = _request(port, "GET", f"/api/v1/jobs/{job_id}", token)
    return json.loads(answer) if status == 200 else {"status": f"http {status}"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=10000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {
            **os.environ,
            "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'served.db'}",
            "QUEUE_URL": os.environ.get("QUEUE_URL") or f"sqlite:///{folder / 'queue.db'}",
            "JOBS_DIR": str(folder / "jobs"),
            "PROMETHEUS_MULTIPROC_DIR": str(folder / "metrics"),
            "BIN": str(Path(sys.executable).parent),
            "LOG_FORMAT": "json",
        }
        started = time.perf_counter()
        _run(["benchmarks/generate.py", "--services", str(args.services), "--seed", "2"], env)
        package = _package(folder, args.services)
        token = _token(env)
        print(
            f"services={args.services} (served) + package of {args.services} "
            f"({len(package) / 2**20:.1f} MB) made in {time.perf_counter() - started:.0f} s",
            flush=True,
        )
        port = bench.free_port()
        env["PORT"] = str(port)
        log = (folder / "serve.log").open("wb")
        server = subprocess.Popen(  # noqa: S603 - our own script
            ["bash", "scripts/serve.sh"], cwd=ROOT, env=env, stdout=log, stderr=log
        )
        try:
            for _ in range(300):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.2)
            mix = bench.search_mix(1000, 7)
            bench.drive(port, mix[::-1], token, WARM_UP_SECONDS, args.clients)
            idle, errors, _wall = bench.drive(port, mix, token, args.seconds, args.clients)
            print(bench.summary("no job      ", idle) + f" errors={errors} load={_load()}")
            job_id = _upload(port, token, package)
            queued = time.perf_counter()
            while _job(port, token, job_id)["status"] == "queued":
                time.sleep(0.1)
            taken = time.perf_counter()
            busy: list[float] = []
            busy_errors = [0]
            done = threading.Event()

            def watch() -> None:
                while _job(port, token, job_id)["status"] == "running":
                    time.sleep(0.5)
                done.set()

            watcher = threading.Thread(target=watch)
            watcher.start()
            while not done.is_set():
                times, errors, _wall = bench.drive(port, mix, token, 2, args.clients)
                busy.extend(times)
                busy_errors[0] += errors
            watcher.join()
            state = _job(port, token, job_id)
            finished = time.perf_counter()
            print(bench.summary("import job  ", busy) + f" errors={busy_errors[0]} load={_load()}")
            print(
                f"import job {job_id}: {state['status']}, waited {taken - queued:.1f} s, "
                f"ran {finished - taken:.1f} s, services stored: "
                f"{(state.get('result') or {}).get('services')}"
            )
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=120)
            log.close()


if __name__ == "__main__":
    main()
