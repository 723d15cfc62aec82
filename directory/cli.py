"""The directory's commands: ``flask --app wsgi directory ...`` and ``hsds ...``, and its
part of ``seed demo``."""

from __future__ import annotations

import click
from flask import g
from flask.cli import AppGroup

from app import clock
from app.extensions import db
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
def request_updates(due: bool, dry_run: bool) -> None:
    """E-mail update requests to partners (all, or those due), and reminders for requests
    unanswered after 14 days. A partner with a request still waiting is skipped by --due."""
    from directory.errors import DomainError
    from directory.partners import requests as partner_requests

    g.audit_actor = "command request-updates"
    now = clock.now()
    reminders = partner_requests.reminders_due(db.session, now)
    orgs = partner_requests.due_organizations(db.session, clock.today(), now, due_only=due)
    sent = failed = 0
    for r in reminders:
        click.echo(f"remind\t{r.organization.id}\t{r.organization.name}\t{r.sent_to}")
        if not dry_run:
            partner_requests.remind(db.session, r, now)
            db.session.commit()
    for org in orgs:
        click.echo(f"request\t{org.id}\t{org.name}\t{org.email}")
        if dry_run:
            continue
        try:
            partner_requests.send(db.session, org, now, None)
            db.session.commit()
            sent += 1
        except DomainError as exc:
            db.session.rollback()
            failed += 1
            click.echo(f"  not sent: {exc.message}", err=True)
    verb = "would be sent" if dry_run else "sent"
    click.echo(
        f"{len(orgs) if dry_run else sent} update request(s) and {len(reminders)} reminder(s) "
        f"{verb}; {failed} failed.",
        err=True,
    )


def seed_demo(session, if_empty: bool) -> list[str] | None:
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
    from directory.referrals import loop

    g.audit_actor = "command referrals expire"
    count = loop.expire_due(db.session, clock.now())
    db.session.commit()
    click.echo(f"{count} referral(s) expired.")


@referrals_cli.command("purge")
def referrals_purge() -> None:
    """Remove the content of sent referrals closed more than REFERRAL_RETENTION_DAYS ago,
    keeping only their de-identified steps (state, time, partner, category)."""
    from directory.referrals import loop

    g.audit_actor = "command referrals purge"
    count = loop.purge_closed_referrals(db.session, clock.now())
    db.session.commit()
    click.echo(f"{count} closed referral(s) purged.")


def register(app) -> None:
    from directory.hsds.cli import hsds_cli

    app.cli.add_command(directory_cli)
    app.cli.add_command(referrals_cli)
    app.cli.add_command(hsds_cli)
    app.extensions.setdefault("seeders", []).insert(0, seed_demo)
