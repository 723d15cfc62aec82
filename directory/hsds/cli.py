"""``flask --app wsgi hsds export DIR`` and
``hsds import PATH [--mapping FILE] [--skip-invalid] [--no-deactivate] [--source NAME]``."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click
from flask import current_app, g
from flask.cli import AppGroup

from app import audit
from app.extensions import db
from directory.hsds import export as hsds_export
from directory.hsds.importing import check, load, package, source

hsds_cli = AppGroup("hsds", help="Open Referral HSDS 3.0 data packages.")


@hsds_cli.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def export(folder: Path) -> None:
    """Write the directory as an HSDS 3.0 tabular data package (withheld addresses
    left out)."""
    g.audit_actor = "cli"
    counts = hsds_export.export_package(db.session, folder)
    audit.export_read(db.session, "hsds package", f"to {folder}")
    click.echo(f"Exported to {folder}: " + ", ".join(f"{n} {t}" for t, n in counts.items() if n))


def _data_lines(src: source.Source) -> int:
    return sum(max(0, p.read_bytes().count(b"\n") - 1) for p in src.files.values())


@hsds_cli.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV of term,category for packages without this product's categories.",
)
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Commit the valid records and list each rejected row (default: all or nothing).",
)
@click.option(
    "--no-deactivate",
    is_flag=True,
    help="Keep records of this source that the package no longer holds (default: deactivate).",
)
@click.option(
    "--source",
    "source_name",
    help="The source's key (default: the datapackage name, else the folder or zip name).",
)
def import_(
    path: Path,
    mapping: Path | None,
    skip_invalid: bool,
    no_deactivate: bool,
    source_name: str | None,
) -> None:
    """Check every row of a folder or .zip (HSDS 3.x or 1.x), then import it in one
    transaction: all of it or nothing, or with --skip-invalid the valid records."""
    g.audit_actor = "hsds import"
    with tempfile.TemporaryDirectory() as tmp:
        try:
            folder = path
            if path.is_file() and path.suffix.lower() == ".zip":
                folder = Path(tmp) / "package"
                with path.open("rb") as fh:
                    limits = source.zip_limits(current_app.config)
                    source.unpack_zip(fh, folder, label=path.name, **limits)
            src = source.open_source(folder, label=str(path), name=path.stem)
            total = _data_lines(src)
            with click.progressbar(length=total, label="Checking rows", file=None) as bar:
                report = load.import_package(
                    db.session,
                    src,
                    mapping=check.read_mapping(mapping),
                    progress=bar.update,
                    skip_invalid=skip_invalid,
                    deactivate=not no_deactivate,
                    source=source_name,
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
    for line in report.lines():
        click.echo(line)
