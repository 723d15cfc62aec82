"""The directory's commands: ``flask --app wsgi directory ...``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.extensions import db
from directory import search

directory_cli = AppGroup("directory", help="Directory maintenance.")


@directory_cli.command("reindex")
def reindex() -> None:
    """Rebuild the keyword search index (after a bulk load that bypassed the app)."""
    count = search.rebuild_index(db.session)
    db.session.commit()
    click.echo(f"Re-indexed {count} services.")


@directory_cli.command("stale")
def stale() -> None:
    """Print the review queue: services to verify or re-evaluate, oldest first."""
    from datetime import date

    from directory import freshness

    queue = freshness.review_queue(db.session, date.today())
    for item in queue:
        verified = item.service.last_verified.isoformat() if item.service.last_verified else "never"
        click.echo(
            f"{item.service.id}\t{verified}\t{item.service.organization.name} / "
            f"{item.service.name}\t{'; '.join(item.reasons)}"
        )
    click.echo(f"{len(queue)} services to review.", err=True)
