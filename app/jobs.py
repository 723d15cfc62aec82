"""The task queue: long work (imports, exports, large sheets, bulk update requests,
e-mails) runs as a *job* in a worker process, never inside a web request.

The engine is Huey (an existing, small queue): a SQLite file in ``instance/`` by default
(``instance/queue.db``: nothing to install), Redis when ``QUEUE_URL`` or ``REDIS_URL`` is a
``redis://`` URL (several app servers and workers share it), and ``immediate`` (each job
runs at once, in the caller's process: unit tests). ``flask --app wsgi worker`` consumes it;
``make run`` starts one beside gunicorn.

What a job is and did lives in the database (``app.models.Job``: kind, status, progress,
result, error, owner, times), so a page or ``GET /api/v1/jobs/{id}`` reads it like any
record; only the job's id travels through the queue (no e-mail text, link or file there).
A job is enqueued when the transaction that created it commits (nothing runs for work that
was rolled back: an e-mail about a change that did not happen). While it runs, its progress
is kept in the queue's own store (a write to the database would wait on the job's own
transaction on SQLite) and copied to the record when it ends.

Each package registers what a kind does with ``@handler("kind")``: a function taking a
``Run`` and returning the result (a JSON-able dict) or raising ``JobFailed`` with a message
for the user. Files a job needs (an upload) or makes (a download) live in
``JOBS_DIR/<id>/``: inputs are removed when the job finishes, outputs kept for download
until ``purge_finished`` drops old jobs.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g
from huey import MemoryHuey, RedisHuey, SqliteHuey
from huey.api import Huey
from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction

from app.extensions import DbSession, db
from app.models import Job, User, utcnow

log = logging.getLogger(__name__)

Handler = Callable[["Run"], dict | None]  # what a kind of job does: its result
KINDS: dict[str, Handler] = {}
"""What each kind of job does (filled by ``@handler``)."""

SECRET_PARAMS: set[str] = set()
"""Kinds whose params are erased when they finish (an e-mail's text holds a link)."""

INPUT_DIR = "in"
OUTPUT_DIR = "out"


class JobFailed(Exception):
    """The work cannot be done; ``message`` is for the user, ``result`` what there is to
    show (e.g. every problem of a rejected import)."""

    def __init__(self, message: str, result: dict | None = None):
        super().__init__(message)
        self.message = message
        self.result = result


def handler(kind: str, *, secret_params: bool = False) -> Callable[[Handler], Handler]:
    """Register ``func(run) -> result`` as what a ``kind`` job does."""

    def register(func: Handler) -> Handler:
        KINDS[kind] = func
        if secret_params:
            SECRET_PARAMS.add(kind)
        return func

    return register


@dataclass
class Run:
    """A running job as its handler sees it: the record, its folder and a progress hook."""

    job: Job
    folder: Path
    queue: Huey
    _last: float = field(default=0.0, repr=False)

    @property
    def params(self) -> dict:
        return self.job.params or {}

    def input(self, name: str) -> Path:
        return self.folder / INPUT_DIR / name

    def output(self, name: str) -> Path:
        out = self.folder / OUTPUT_DIR
        out.mkdir(parents=True, exist_ok=True)
        return out / name

    def progress(self, done: float, total: float | None = None) -> None:
        """Report how far the work is: ``done`` of ``total`` (or a fraction of 1); written
        at most twice a second."""
        fraction = done / total if total else done
        now = time.monotonic()
        if now - self._last < 0.5 and fraction < 1:
            return
        self._last = now
        percent = max(0, min(99, int(fraction * 100)))
        self.queue.put(_progress_key(self.job.id), percent)


# --- the queue --------------------------------------------------------------------


def make_queue(app: Flask) -> Huey:
    """The Huey instance ``QUEUE_URL`` names, with this app's one task registered."""
    url = app.config.get("QUEUE_URL") or ""
    name = app.config.get("QUEUE_NAME", "directory")
    if url == "immediate":
        queue: Huey = MemoryHuey(name, immediate=True, results=False)
    elif url.startswith(("redis://", "rediss://", "unix://")):
        queue = RedisHuey(name, url=url, results=False)
    else:
        path = url.removeprefix("sqlite:///")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        queue = SqliteHuey(name, filename=path, results=False, timeout=10)

    @queue.task(name="run_job")
    def run_job(job_id: int) -> None:
        with app.app_context():
            execute(job_id)

    app.extensions["jobs.task"] = run_job
    return queue


def init_app(app: Flask) -> None:
    """Attach the queue to ``app`` (``app.extensions["jobs"]``)."""
    app.extensions["jobs"] = make_queue(app)


def queue() -> Huey:
    return current_app.extensions["jobs"]


def queue_kind(app: Flask | None = None) -> str:
    """``sqlite``, ``redis`` or ``immediate``: which engine runs jobs (health, metrics)."""
    q = (app or current_app).extensions["jobs"]
    if q.immediate:
        return "immediate"
    return "redis" if isinstance(q, RedisHuey) else "sqlite"


def depth() -> int:
    """Jobs waiting in the queue (not yet taken by a worker)."""
    q = queue()
    return 0 if q.immediate else q.pending_count()


def ping() -> None:
    """Write then read a value in the queue's store; raises when the queue is down."""
    q = queue()
    q.put("health", time.time())
    if q.get("health", peek=True) is None:
        raise RuntimeError("the queue did not keep a value")


def jobs_dir() -> Path:
    return Path(current_app.config["JOBS_DIR"])


def folder_of(job_id: int) -> Path:
    return jobs_dir() / str(job_id)


# --- submitting -------------------------------------------------------------------


def submit(
    session: DbSession, kind: str, params: dict | None = None, owner: User | None = None
) -> Job:
    """Record a ``kind`` job (in the caller's transaction) and enqueue it when that
    transaction commits. Returns the job, with its id."""
    if kind not in KINDS:
        raise KeyError(f"no handler for jobs of kind {kind!r}")
    job = Job(kind=kind, status="queued", progress=0, params=params or {}, owner_id=_id(owner))
    session.add(job)
    session.flush()
    pending = session.info.setdefault("jobs.pending", [])
    # ignore: flask types current_app as the Flask it stands for, not the proxy it is
    pending.append((current_app._get_current_object(), job.id))  # type: ignore[attr-defined]
    return job


def input_folder(job: Job) -> Path:
    """Where a submitted job's input files go (created, private to the app's user)."""
    folder = folder_of(job.id) / INPUT_DIR
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def _id(user: User | None) -> int | None:
    return getattr(user, "id", None) if user is not None and user.is_authenticated else None


@event.listens_for(Session, "after_commit")
def _enqueue_committed(session: Session) -> None:
    """Jobs created in the transaction that just committed go to the queue."""
    pending = session.info.pop("jobs.pending", None)
    for app, job_id in pending or ():
        app.extensions["jobs.task"](job_id)


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    """Jobs of a transaction that rolled back never existed: nothing is enqueued."""
    if previous_transaction.parent is None:
        session.info.pop("jobs.pending", None)


# --- running ----------------------------------------------------------------------


def execute(job_id: int) -> None:
    """Run one job (the worker calls this with an app context): mark it running, call its
    handler, store the result or the error, remove its inputs, count it in the metrics."""
    session = db.session
    job = session.get(Job, job_id)
    if job is None or job.status not in ("queued", "running"):
        return  # gone (purged) or already finished: a duplicate delivery does nothing
    job.status, job.started_at, job.progress = "running", utcnow(), 0
    session.commit()
    owner = session.get(User, job.owner_id) if job.owner_id else None
    g.request_id = f"job-{job.id}"  # on every log line the job writes (app.logs)
    g.audit_actor = f"job {job.id} ({job.kind})"
    g.audit_user = (owner.id, owner.email) if owner else None
    g.job_owner = owner
    run = Run(job=job, folder=folder_of(job.id), queue=queue())
    started = time.monotonic()
    kind = job.kind
    try:
        result = KINDS[job.kind](run)
        session.commit()
        status, error = "done", None
    except JobFailed as exc:
        session.rollback()
        status, error, result = "failed", exc.message, exc.result
    except Exception:
        session.rollback()
        log.exception("job %s (%s) failed", job_id, job.kind)
        status, error, result = "failed", "The job failed on an unexpected error.", None
    job = session.get(Job, job_id)
    if job is not None:  # else purged while it ran: nothing left to record it on
        job.status, job.result, job.error = status, result, error
        job.progress = 100 if status == "done" else _progress(job_id)
        job.finished_at = utcnow()
        if job.kind in SECRET_PARAMS:
            job.params = None
        session.commit()
    queue().delete(_progress_key(job_id))
    shutil.rmtree(run.folder / INPUT_DIR, ignore_errors=True)
    log.info(
        "job finished",
        extra={
            "job": job_id,
            "kind": kind,
            "status": status,
            "duration_ms": round((time.monotonic() - started) * 1000),
        },
    )


def _progress_key(job_id: int) -> str:
    return f"progress:{job_id}"


def _progress(job_id: int) -> int | None:
    value = queue().get(_progress_key(job_id), peek=True)
    return int(value) if value is not None else None


def state(job: Job) -> dict:
    """``{id, kind, status, progress, result, error}``: what the API and the page show
    (a running job's progress read from the queue's store)."""
    progress = job.progress
    if job.status == "running":
        progress = _progress(job.id) or 0
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "progress": progress,
        "result": job.result,
        "error": job.error,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }


def may_see(user: Any, job: Job) -> bool:  # user: a Flask-Login user, anonymous too
    """A job is its owner's (and any admin's); a command's job only admins'."""
    if not user.is_authenticated:
        return False
    return user.has_role("admin") or (job.owner_id is not None and job.owner_id == user.id)


def output_file(job: Job) -> Path | None:
    """The file a finished job made for download, when it exists."""
    name = (job.result or {}).get("file")
    if job.status != "done" or not name:
        return None
    path = folder_of(job.id) / OUTPUT_DIR / Path(name).name
    return path if path.is_file() else None


def purge_finished(session: DbSession, older_than_days: int) -> int:
    """Drop finished jobs (and their files) older than ``older_than_days``; returns how
    many. For the ``purge`` command."""
    from datetime import timedelta

    cutoff = utcnow() - timedelta(days=older_than_days)
    old = session.scalars(
        select(Job).where(Job.status.in_(("done", "failed")), Job.finished_at < cutoff)
    ).all()
    for job in old:
        shutil.rmtree(folder_of(job.id), ignore_errors=True)
        session.delete(job)
    return len(old)


# --- the worker -------------------------------------------------------------------


def consumer(app: Flask, workers: int = 1, worker_type: str = "thread") -> Any:
    """A Huey consumer of ``app``'s queue (``flask worker``; tests start one in a thread)."""
    return app.extensions["jobs"].create_consumer(
        workers=workers, worker_type=worker_type, periodic=False, check_worker_health=True
    )


def recover_interrupted(session: DbSession) -> int:
    """Jobs left ``running`` by a worker that died are marked failed when a worker
    starts (their work was rolled back with the process); returns how many."""
    stuck = session.scalars(select(Job).where(Job.status == "running")).all()
    for job in stuck:
        job.status, job.finished_at = "failed", utcnow()
        job.error = "The worker stopped while this job ran; start it again."
    return len(stuck)
