"""Long work runs as jobs on the real queue (#27): the SQLite Huey file on SQLite runs,
Redis on PostgreSQL runs, consumed by a worker started by the ``real_queue`` fixture (two
threads) — one test per kind of job through it: HSDS import (page and API), HSDS export,
a large sheet's PDF, bulk update requests and an e-mail."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import jobs
from app import mail as mailer
from app.extensions import db
from app.models import AuditEvent, Job, OutboxMessage
from app.users import create_user, issue_token
from directory import seeding
from directory.models import Organization, Service
from tests.conftest import PASSWORD, wait_for_job
from tests.factories import ServiceFactory
from tests.mailserver import smtp_server

ROOT = Path(__file__).resolve().parents[2]
SERVICES = 40


@pytest.fixture(scope="session")
def hsds_package(tmp_path_factory) -> bytes:
    """A zipped HSDS package of 40 generated services (benchmarks/generate.py into a
    scratch SQLite database, then the app's own exporter)."""
    folder = tmp_path_factory.mktemp("package")
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"sqlite:///{folder / 'source.db'}",
        "SECRET_KEY": "package-maker",
    }
    python = sys.executable
    subprocess.run(
        [python, "benchmarks/generate.py", "--services", str(SERVICES), "--second-places", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    out = folder / "package"
    subprocess.run(
        [python, "-m", "flask", "--app", "wsgi", "hsds", "export", str(out)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for path in sorted(out.iterdir()):
            zf.write(path, path.name)
    return buffer.getvalue()


def _count(model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def _job_id(location: str) -> int:
    return int(re.fullmatch(r"/jobs/(\d+)", location).group(1))


def test_an_import_from_the_page_runs_on_the_worker(app, client, login, hsds_package, real_queue):
    user = login("coordinator")
    started = client.post(
        "/hsds/import",
        data={"package": (io.BytesIO(hsds_package), "region.zip")},
        content_type="multipart/form-data",
    )
    assert started.status_code == 303
    job_id = _job_id(started.headers["Location"])
    state = wait_for_job(job_id)
    assert (state["kind"], state["status"], state["progress"]) == ("hsds_import", "done", 100)
    assert state["result"]["services"] == SERVICES
    assert _count(Service) == SERVICES
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert 'data-status="done"' in page
    assert f"Imported {SERVICES} services" in page
    assert 'http-equiv="refresh"' not in page  # it stops refreshing when done
    # the upload was kept for the job only
    assert not (Path(app.config["JOBS_DIR"]) / str(job_id) / "in").exists()
    # the records are the coordinator's change, made on their behalf by the worker
    actors = db.session.scalars(
        select(AuditEvent.user_id).where(AuditEvent.object_type == "services")
    ).all()
    assert actors
    assert set(actors) == {user.id}
    assert real_queue in ("sqlite", "redis")


def test_the_api_answers_202_and_only_the_owner_and_admins_see_the_job(
    app, client, users, token, hsds_package, real_queue
):
    coordinator = token("coordinator")
    started = client.post(
        "/api/v1/hsds/imports",
        data={"file": (io.BytesIO(hsds_package), "region.zip"), "skip_invalid": "true"},
        content_type="multipart/form-data",
        headers=coordinator,
    )
    assert started.status_code == 202
    body = started.get_json()
    assert set(body) == {"id", "status", "url"}
    assert body["status"] in ("queued", "running", "done")
    assert body["url"] == f"/api/v1/jobs/{body['id']}"
    wait_for_job(body["id"])
    answer = client.get(body["url"], headers=coordinator).get_json()
    assert answer["status"] == "done"
    assert answer["error"] is None
    assert answer["result"]["services"] == SERVICES
    assert answer["result"]["tables"]["services"]["stored"] == SERVICES
    assert client.get(body["url"], headers=token("admin")).status_code == 200
    other = create_user("other-coordinator@test.example", "coordinator", PASSWORD)
    db.session.commit()
    stranger = {"Authorization": f"Bearer {issue_token(other)}"}
    db.session.commit()
    assert client.get(body["url"], headers=stranger).status_code == 404
    assert client.get(body["url"], headers=token("viewer")).status_code == 404
    assert client.get(body["url"]).status_code == 401
    # a viewer may not start one; a missing file is named
    refused = client.post("/api/v1/hsds/imports", data={}, headers=token("viewer"))
    assert refused.status_code == 403
    missing = client.post("/api/v1/hsds/imports", data={}, headers=coordinator)
    assert missing.status_code == 422
    assert "file" in missing.get_json()["errors"]


def test_a_file_that_is_no_zip_is_refused_at_once_and_leaves_no_job(client, token, real_queue):
    """The archive is unpacked and checked when the import is asked for (no row is read):
    a file that is no zip answers 422 naming it, and no job is left queued."""
    headers = token("coordinator")
    started = client.post(
        "/api/v1/hsds/imports",
        data={"file": (io.BytesIO(b"not a zip at all"), "p.zip")},
        content_type="multipart/form-data",
        headers=headers,
    )
    assert started.status_code == 422
    assert "p.zip is not a zip file" in str(started.get_json())
    assert _count(Job) == 0
    assert _count(Service) == 0


def test_the_export_is_a_job_with_a_download(client, login, users, real_queue):
    seeding.load_demo(db.session)
    db.session.commit()
    login("coordinator")
    started = client.post("/hsds/export")
    job_id = _job_id(started.headers["Location"])
    state = wait_for_job(job_id)
    assert state["status"] == "done"
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert f'href="/jobs/{job_id}/download"' in page
    download = client.get(f"/jobs/{job_id}/download")
    data = download.get_data()
    download.close()
    assert download.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert {"datapackage.json", "services.csv", "organizations.csv"} <= set(names)
    # another coordinator's job is not theirs to download
    login("viewer")
    assert client.get(f"/jobs/{job_id}/download").status_code == 404
    assert client.get(f"/jobs/{job_id}").status_code == 404


def test_a_large_sheet_pdf_is_made_by_the_worker(app, client, login, users, real_queue):
    for i in range(6):
        ServiceFactory(name=f"Pantry number {i}", category="food")
    ServiceFactory(name="Night shelter", category="shelter.adults_other")
    db.session.commit()
    app.config["SHEET_JOB_MIN_SERVICES"] = 5
    login("viewer")
    started = client.get("/sheets/directory.pdf?category=food&lang=es")
    assert started.status_code == 303
    job_id = _job_id(started.headers["Location"])
    state = wait_for_job(job_id)
    assert state["status"] == "done", state["error"]
    assert state["result"]["services"] == 6  # the filter was kept: food only
    download = client.get(f"/jobs/{job_id}/download")
    data = download.get_data()
    download.close()
    assert data.startswith(b"%PDF")
    # a sheet below the threshold is still made at once
    small = client.get("/sheets/directory.pdf?category=shelters")
    assert small.mimetype == "application/pdf"


def test_a_large_csv_is_written_whole_by_the_worker_no_cap(
    app, client, login, users, real_queue, monkeypatch
):
    """#28: no silent cap. Over ``CSV_JOB_MIN_SERVICES`` the CSV is a job that writes every
    selected service, read a page at a time (``export.BATCH`` 2 here: 7 pantries, 4 pages)."""
    from directory.sheets import export

    for i in range(7):
        ServiceFactory(name=f"Pantry number {i}", category="food")
    ServiceFactory(name="Night shelter", category="shelter.adults_other")
    db.session.commit()
    app.config["CSV_JOB_MIN_SERVICES"] = 3
    monkeypatch.setattr(export, "BATCH", 2)  # the worker's threads read the module's value
    login("viewer")
    started = client.get("/sheets/directory.csv?category=food")
    assert started.status_code == 303
    job_id = _job_id(started.headers["Location"])
    state = wait_for_job(job_id)
    assert state["status"] == "done", state["error"]
    assert state["result"]["services"] == 7
    download = client.get(f"/jobs/{job_id}/download")
    text = download.get_data(as_text=True)
    download.close()
    assert text.startswith("\ufeffservice_id,")  # the BOM: accents open right in Excel
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert sorted(r["name"] for r in rows) == [f"Pantry number {i}" for i in range(7)]
    assert {r["group"] for r in rows} == {"food"}
    # at or under the threshold, the CSV comes at once
    small = client.get("/sheets/directory.csv?category=shelters")
    assert small.mimetype == "text/csv"
    assert small.get_data(as_text=True).count("Night shelter") == 1


def _partners(n: int) -> list[Organization]:
    made = [ServiceFactory().organization for _ in range(n)]
    for i, org in enumerate(made):
        org.email = f"partner{i}@example.org"
    db.session.commit()
    return made


def test_bulk_update_requests_run_as_a_job(app, users, real_queue):
    _partners(3)
    result = app.test_cli_runner().invoke(args=["directory", "request-updates", "--due", "--queue"])
    assert result.exit_code == 0, result.output
    job_id = int(re.search(r"Queued as job (\d+)", result.output).group(1))
    state = wait_for_job(job_id)
    assert state["status"] == "done"
    assert (state["result"]["sent"], state["result"]["failed"]) == (3, 0)
    recipients = db.session.scalars(select(OutboxMessage.recipient)).all()
    assert sorted(recipients) == [f"partner{i}@example.org" for i in range(3)]


def test_an_email_is_a_job_sent_by_the_worker(app, client, token, users, real_queue):
    org = _partners(1)[0]
    with smtp_server(app) as inbox:
        sent = client.post(
            f"/api/v1/organizations/{org.id}/update-requests", headers=token("coordinator")
        )
        assert sent.status_code == 201
        job = db.session.scalars(select(Job).where(Job.kind == "mail")).one()
        state = wait_for_job(job.id)
        assert state["status"] == "done"
        assert len(inbox.messages) == 1
        assert inbox.messages[0]["To"] == "partner0@example.org"
    db.session.refresh(job)
    assert job.params is None  # its copy of the message (with the partner's link) is gone


def test_a_rolled_back_change_sends_no_mail(app, users, real_queue):
    app.config["MAIL_SERVER"] = "127.0.0.1"
    try:
        mailer.send(db.session, mailer.Mail(to="x@example.org", subject="s", text="t"))
        db.session.rollback()
        db.session.add(Organization(name="Unrelated", kind="ngo", scope="local"))
        db.session.commit()  # a later commit does not send the forgotten one either
    finally:
        app.config["MAIL_SERVER"] = None
    assert _count(Job) == 0
    assert jobs.depth() == 0


def test_a_job_failing_unexpectedly_says_so_without_details(app, users, real_queue):
    @jobs.handler("test_boom")
    def boom(run):
        raise RuntimeError("secret internals")

    try:
        job = jobs.submit(db.session, "test_boom", {}, users["admin"])
        db.session.commit()
        state = wait_for_job(job.id)
    finally:
        jobs.KINDS.pop("test_boom")
    assert state["status"] == "failed"
    assert state["error"] == "The job failed on an unexpected error."
