"""What the server keeps, and for how long: the retention policy's purge steps.

Each domain package registers the steps for what it keeps (``register``): a name, what it
drops, and a function ``(session, now) -> rows removed``. ``purge`` runs every step in one
transaction per step and writes one audit entry per step (``purge``, the step's name, how
many rows went), so a purge is itself on the record. ``flask --app wsgi purge`` runs it; run
it daily from a timer (docs/operators.md). Re-running is safe: a step removes only what is
past its limit, and removes it once.

The shell's own step: the mail outbox (messages hold partner links; kept
``OUTBOX_RETENTION_DAYS``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete

from app import audit
from app.extensions import DbSession, rowcount
from app.models import OutboxMessage


@dataclass(frozen=True)
class Step:
    name: str
    what: str
    run: Callable[[DbSession, datetime], int]


_STEPS: dict[str, Step] = {}


def register(name: str, what: str, run: Callable[[DbSession, datetime], int]) -> None:
    """Add (or replace, on a second app in the same process) a purge step."""
    _STEPS[name] = Step(name, what, run)


def steps() -> list[Step]:
    return [_STEPS[name] for name in sorted(_STEPS)]


def days(setting: str) -> timedelta:
    """A retention setting (whole days, at least 1) as a duration."""
    return timedelta(days=max(1, int(current_app.config[setting])))


def purge(session: DbSession, now: datetime) -> dict[str, int | str]:
    """Run every step; returns rows removed per step, or why a step failed. Each step is
    committed with its audit entry; a step that fails is rolled back, audited as failed and
    the next runs anyway (a broken step must not keep client content past its time)."""
    removed: dict[str, int | str] = {}
    for step in steps():
        try:
            count = step.run(session, now)
        except Exception as exc:  # noqa: BLE001 - any failure: said, audited, the rest run
            session.rollback()
            why = f"{type(exc).__name__}: {exc}"[:300]
            audit.record(session, "purge", step.name, outcome="failed", detail=why)
            session.commit()
            removed[step.name] = f"failed ({why})"
            continue
        audit.record(session, "purge", step.name, detail=f"{count} removed: {step.what}")
        session.commit()
        removed[step.name] = count
    return removed


def _outbox(session: DbSession, now: datetime) -> int:
    limit = now - days("OUTBOX_RETENTION_DAYS")
    result = session.execute(delete(OutboxMessage).where(OutboxMessage.created_at < limit))
    return rowcount(result)


def _jobs(session: DbSession, now: datetime) -> int:
    from app import jobs

    return jobs.purge_finished(session, days("JOB_RETENTION_DAYS").days)


register("mail_outbox", "messages older than OUTBOX_RETENTION_DAYS", _outbox)
register("jobs", "finished jobs and their files older than JOB_RETENTION_DAYS", _jobs)
