"""`flask scheduler` (the container's and systemd's alternative to cron): each periodic
command runs, its outcome said; a failing one never stops the others."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent


def test_scheduler_once_runs_every_periodic_command(app):
    result = app.test_cli_runner().invoke(args=["scheduler", "--once"])
    assert result.exit_code == 0, result.output
    for line in ("referrals expire", "directory request-updates --due", "purge"):
        assert f"scheduler: {line}: ok" in result.output
    # the purge ran for real: its steps are on the record, by the purge command
    purged = db.session.scalars(
        select(AuditEvent.object_type).where(AuditEvent.action == "purge")
    ).all()
    assert "mail_outbox" in purged
