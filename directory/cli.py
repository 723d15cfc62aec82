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
