"""The directory's commands: ``flask --app wsgi directory ...`` and ``hsds ...``, and its
part of ``seed demo``."""

from __future__ import annotations

import click
from flask import Flask, g
from flask.cli import AppGroup

from app import clock
from app.extensions import DbSession, db
from directory import seeding
from directory.catalog import review
from directory.search import index

directory_cli = AppGroup("directory", help="Directory maintenance.")


@directory_cli.command("reindex")
def reindex() -> None:
    """Rebuild the keyword search index (after a bulk load that bypassed the app)."""
    count = index.rebuild_index(db.session)
    db.session.commit()
    click.echo(f"Re-indexed {count} services.")


@directory_cli.command("stale")
def stale() -> None:
    """Print the review queue: services to verify or re-evaluate, oldest first."""
    queue = review.review_queue(db.session, clock.today())
    for item in queue:
        verified = item.service.last_verified.isoformat() if item.service.last_verified else "never"
        click.echo(
            f"{item.service.id}\t{verified}\t{item.service.organization.name} / "
            f"{item.service.name}\t{'; '.join(item.reasons)}"
        )
    click.echo(f"{len(queue)} services to review.", err=True)


@directory_cli.command("request-updates")
@click.option(
    "--due", is_flag=True, help="Only partners with a service not verified for 11 months."
)
@click.option("--dry-run", is_flag=True, help="List who would get mail; send nothing.")
@click.option("--queue", "queued", is_flag=True, help="Hand the run to the worker (a job).")
def request_updates(due: bool, dry_run: bool, queued: bool) -> None:
    """E-mail update requests to partners (all, or those due), and reminders for requests
    unanswered after 14 days. A partner with a request still waiting is skipped by --due.
    Runs once however many hosts start it at the same time (the others skip)."""
    from app import jobs
    from directory.partners import bulk

    g.audit_actor = "command request-updates"
    if queued:
        job = jobs.submit(db.session, "request_updates", {"due": due})
        db.session.commit()
        click.echo(f"Queued as job {job.id}.")
        return
    outcome = bulk.request_updates(db.session, due_only=due, dry_run=dry_run, echo=click.echo)
    if outcome.skipped:
        click.echo("request-updates is already running on another host; skipped.", err=True)
        return
    for line in outcome.lines:
        click.echo(f"  not sent: {line}", err=True)
    verb = "would be sent" if dry_run else "sent"
    click.echo(
        f"{outcome.sent} update request(s) and {outcome.reminders} reminder(s) "
        f"{verb}; {outcome.failed} failed.",
        err=True,
    )


def seed_demo(session: DbSession, if_empty: bool) -> list[str] | None:
    """``seed demo``'s directory part: the demo directory and the international
    organizations; None when ``if_empty`` and the directory has data (nothing loaded)."""
    if if_empty and seeding.directory_has_data(session):
        return None
    counts = seeding.load_demo(session)
    # documents made before a change to the search words (seeds/search-terms.yaml) too
    index.rebuild_index(session)
    return [
        f"Demo directory: {counts['organizations']} organizations, "
        f"{counts['services']} services ({counts['created']} new records)."
    ]


referrals_cli = AppGroup("referrals", help="The referral loop: expiry and purge.")


@referrals_cli.command("expire")
def referrals_expire() -> None:
    """Expire sent referrals no one answered within REFERRAL_RESPONSE_DAYS business days,
    and tell their senders. Safe to run on several hosts at once (each referral expires
    and is notified once)."""
    from directory.referrals import expiry

    g.audit_actor = "command referrals expire"
    count = expiry.expire_due(db.session, clock.now())
    db.session.commit()
    click.echo(f"{count} referral(s) expired.")


@referrals_cli.command("purge")
def referrals_purge() -> None:
    """Remove the content of sent referrals closed more than REFERRAL_RETENTION_DAYS ago,
    keeping only their de-identified steps (state, time, partner, category)."""
    from directory.referrals import expiry

    g.audit_actor = "command referrals purge"
    count = expiry.purge_closed_referrals(db.session, clock.now())
    db.session.commit()
    click.echo(f"{count} closed referral(s) purged.")


def register(app: Flask) -> None:
    from directory.hsds.cli import hsds_cli

    app.cli.add_command(directory_cli)
    app.cli.add_command(referrals_cli)
    app.cli.add_command(hsds_cli)
    app.extensions.setdefault("seeders", []).insert(0, seed_demo)
