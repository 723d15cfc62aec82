"""``make run``'s server (scripts/serve.sh): one command runs gunicorn and the job worker;
the worker takes jobs, ``/metrics`` adds up the gunicorn workers' counts, and stopping the
command stops both."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from app import jobs
from app.extensions import db
from tests.conftest import _free_port, queue_url, use_queue, wait_for_job

ROOT = Path(__file__).resolve().parents[1]


def _get(port: int, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_one_command_serves_and_runs_jobs_and_stops_both(app, users, database_url, tmp_path):
    port = _free_port()
    with queue_url(tmp_path) as url:
        use_queue(app, url)
        env = {
            **os.environ,
            "BIN": str(Path(sys.executable).parent),
            "PORT": str(port),
            "WEB_WORKERS": "2",
            "JOB_WORKERS": "1",
            "DATABASE_URL": database_url,
            "QUEUE_URL": url,
            "JOBS_DIR": app.config["JOBS_DIR"],
            "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
            "SECRET_KEY": "serve-test-secret-key",
        }
        proc = subprocess.Popen(  # noqa: S603 - our own script
            ["bash", "scripts/serve.sh"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    status, body = _get(port, "/health")
                    break
                except OSError:
                    assert time.monotonic() < deadline, "the server did not start"
                    time.sleep(0.2)
            assert status == 200, body
            children = _children(proc.pid)
            assert len(children) == 2  # gunicorn's master and the worker
            job = jobs.submit(db.session, "hsds_export", {}, users["admin"])
            db.session.commit()
            assert wait_for_job(job.id)["status"] == "done"
            for _ in range(3):
                _get(port, "/health")
            status, metrics = _get(port, "/metrics")
            assert status == 200
            health = [
                line
                for line in metrics.splitlines()
                if line.startswith("directory_http_requests_total{")
                and 'route="/health"' in line
                and 'status="200"' in line
            ]
            # 4 or more: every gunicorn worker's count, added up
            assert len(health) == 1
            assert float(health[0].rsplit(" ", 1)[1]) >= 4
        finally:
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=60)
        assert code in (0, 143, -15)
        deadline = time.monotonic() + 30
        while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(_alive(pid) for pid in children)
        app.extensions["jobs"].storage.close()
