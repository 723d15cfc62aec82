"""``flask --app wsgi hsds export DIR`` and ``hsds import DIR [--mapping FILE]``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import g
from flask.cli import AppGroup

from app.extensions import db
from directory.hsds import export as hsds_export
from directory.hsds import load, package

hsds_cli = AppGroup("hsds", help="Open Referral HSDS 3.0 data packages.")


@hsds_cli.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def export(folder: Path) -> None:
    """Write the directory as an HSDS 3.0 tabular data package (withheld addresses
    left out)."""
    counts = hsds_export.export_package(db.session, folder)
    click.echo(f"Exported to {folder}: " + ", ".join(f"{n} {t}" for t, n in counts.items() if n))


def _data_lines(path: Path) -> int:
    with path.open(encoding="utf-8-sig") as fh:
        return max(0, sum(1 for _ in fh) - 1)


@hsds_cli.command("import")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV of term,category for packages without this product's categories.",
)
def import_(folder: Path, mapping: Path | None) -> None:
    """Validate every row, then import all of it in one transaction, or nothing."""
    g.audit_actor = "hsds import"
    try:
        package.ensure_package(folder)
        total = sum(_data_lines(p) for p in folder.glob("*.csv"))
        with click.progressbar(length=total, label="Checking rows", file=None) as bar:
            counts = load.import_package(
                db.session, folder, mapping=package.read_mapping(mapping), progress=bar.update
            )
        db.session.commit()
    except package.NotAPackage as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    except package.ImportRejected as exc:
        db.session.rollback()
        for problem in exc.problems:
            click.echo(problem, err=True)
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"Imported {counts['services']} services, {counts['organizations']} "
        f"organizations, {counts['locations']} locations ({counts['created']} created, "
        f"{counts['updated']} updated)."
    )
