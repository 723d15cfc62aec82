"""The directory's commands: ``flask --app wsgi directory ...`` and ``hsds ...``, and its
part of ``seed demo``."""

from __future__ import annotations

import click
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


def seed_demo(session, if_empty: bool) -> list[str] | None:
    """``seed demo``'s directory part: the demo directory and the international
    organizations; None when ``if_empty`` and the directory has data (nothing loaded)."""
    if if_empty and seeding.directory_has_data(session):
        return None
    counts = seeding.load_demo(session)
    return [
        f"Demo directory: {counts['organizations']} organizations, "
        f"{counts['services']} services ({counts['created']} new records)."
    ]


def register(app) -> None:
    from directory.hsds.cli import hsds_cli

    app.cli.add_command(directory_cli)
    app.cli.add_command(hsds_cli)
    app.extensions.setdefault("seeders", []).insert(0, seed_demo)
