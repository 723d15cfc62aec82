"""The retention policy's purge (``flask --app wsgi purge``): what it drops, what it keeps,
one audit entry per step, and a second run that finds nothing more (Issue #30)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, OutboxMessage
from directory import geo
from directory.derived import GeocodeCache

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def _outbox(created_at: datetime, subject: str) -> None:
    db.session.add(
        OutboxMessage(
            created_at=created_at.replace(tzinfo=None),
            sender="directory@test.example",
            recipient="partner@test.example",
            subject=subject,
            text_body="Your link: http://example.test/partner/secret-token",
        )
    )


def test_purge_counts_and_audits_each_step_and_is_safe_to_rerun(app):
    app.config.update(GEOCODE_CACHE_DAYS=30, OUTBOX_RETENTION_DAYS=30)
    with time_machine.travel(NOW - timedelta(days=31), tick=False):
        geo.geocode("60601")
    with time_machine.travel(NOW - timedelta(days=29), tick=False):
        geo.geocode("Joliet, IL")
    _outbox(NOW - timedelta(days=31), "old")
    _outbox(NOW - timedelta(days=2), "new")
    db.session.commit()

    with time_machine.travel(NOW, tick=False):
        first = app.test_cli_runner().invoke(args=["purge"])
        second = app.test_cli_runner().invoke(args=["purge"])
    assert first.exit_code == 0, first.output
    assert "geocode_cache: 1 removed" in first.output
    assert "mail_outbox: 1 removed" in first.output
    assert "geocode_cache: 0 removed" in second.output
    assert "mail_outbox: 0 removed" in second.output
    assert "referrals: 0 removed" in first.output
    assert "jobs: 0 removed" in first.output  # the referral loop's step, nothing closed
    kept = db.session.scalars(select(GeocodeCache.query)).all()
    assert kept == ["joliet, il"]
    assert db.session.scalars(select(OutboxMessage.subject)).all() == ["new"]
    entries = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "purge").order_by(AuditEvent.id)
    ).all()
    assert [(e.object_type, e.actor) for e in entries[:2]] == [
        ("geocode_cache", "command purge"),
        ("jobs", "command purge"),
    ]
    assert entries[0].detail.startswith("1 removed")
    # one entry per step and run: four steps (geocode cache, jobs, outbox, referrals), two
    # runs; the referrals step also writes its own detailed entry (referrals and consents)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 4 * 2 + 2


def test_a_failing_step_is_audited_and_the_others_still_run(app, monkeypatch):
    """A broken step must not keep client content past its time: it is rolled back,
    audited as failed, the command says so (exit 1), and every other step runs."""
    from app import retention

    def broken(session, now):
        raise RuntimeError("disk full")

    monkeypatch.setitem(retention._STEPS, "a_broken", retention.Step("a_broken", "x", broken))
    _outbox(NOW - timedelta(days=31), "old")
    db.session.commit()
    with time_machine.travel(NOW, tick=False):
        result = app.test_cli_runner().invoke(args=["purge"])
    assert result.exit_code == 1
    assert "a_broken: failed (RuntimeError: disk full)" in result.output
    assert "mail_outbox: 1 removed" in result.output  # after the broken one, in name order
    failed = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "a_broken")
    ).all()
    assert [(e.action, e.outcome) for e in failed] == [("purge", "failed")]
