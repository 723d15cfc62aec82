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
