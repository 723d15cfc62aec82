"""Update requests to many partners at once: ``directory request-updates`` (cron) and the
``request_updates`` job. One run at a time across every host (``app.locks``), each
partner's request committed on its own (one partner's missing e-mail does not stop the
others), reminders first. With ``MAIL_SERVER`` each message is its own ``mail`` job, so
the run never waits on the SMTP server."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from app import clock, jobs, locks
from app.extensions import DbSession
from directory.errors import DomainError
from directory.partners import requests as partner_requests

LOCK = "request-updates"


@dataclass
class Outcome:
    sent: int = 0
    reminders: int = 0
    failed: int = 0
    skipped: bool = False  # another host held the lock
    lines: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "sent": self.sent,
            "reminders": self.reminders,
            "failed": self.failed,
            "skipped": self.skipped,
        }


def request_updates(
    session: DbSession,
    *,
    due_only: bool,
    dry_run: bool = False,
    echo: Callable[[str], None] = lambda line: None,
    progress: Callable[[float], None] = lambda fraction: None,
) -> Outcome:
    """Send the reminders due and a request to every partner (``due_only``: those due for
    verification and without a request waiting), unless another run holds the lock."""
    out = Outcome()
    with locks.run_once(LOCK) as mine:
        if not mine:
            out.skipped = True
            return out
        now = clock.now()
        reminders = partner_requests.reminders_due(session, now)
        orgs = partner_requests.due_organizations(session, clock.today(), now, due_only=due_only)
        total = max(1, len(reminders) + len(orgs))
        for i, r in enumerate(reminders):
            echo(f"remind\t{r.organization.id}\t{r.organization.name}\t{r.sent_to}")
            if not dry_run:
                partner_requests.remind(session, r, now)
                session.commit()
                out.reminders += 1
            progress((i + 1) / total)
        for i, org in enumerate(orgs, start=len(reminders)):
            echo(f"request\t{org.id}\t{org.name}\t{org.email}")
            if dry_run:
                out.sent += 1
                continue
            try:
                partner_requests.send(session, org, now, None)
                session.commit()
                out.sent += 1
            except DomainError as exc:
                session.rollback()
                out.failed += 1
                out.lines.append(f"{org.id}\t{org.name}: {exc.message}")
            progress((i + 1) / total)
        if dry_run:
            out.reminders = len(reminders)
    return out


@jobs.handler("request_updates")
def run(run: jobs.Run) -> dict:
    """The ``request_updates`` job (``directory request-updates --queue``)."""
    outcome = request_updates(
        jobs.db.session, due_only=bool(run.params.get("due")), progress=run.progress
    )
    return {**outcome.as_dict(), "problems": outcome.lines}
