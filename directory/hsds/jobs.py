"""HSDS import and export as jobs (``app.jobs``): the upload page, ``POST
/api/v1/hsds/imports`` and the export download start one and answer at once; the worker
unpacks, checks and imports (or writes the zip) and the job keeps the report or the file.

The uploaded zip (and mapping file) wait in the job's input folder until the job ends,
then are removed; the export's zip stays in its output folder for download.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path, PurePosixPath
from typing import IO

from flask import current_app

from app import jobs
from app.extensions import DbSession, db
from app.models import User
from directory.hsds import export
from directory.hsds.importing import check, load, package, source

PACKAGE = "package.zip"
MAPPING = "mapping.csv"
EXPORT = "hsds-package.zip"


def start_import(
    session: DbSession,
    upload: IO[bytes],
    *,
    filename: str,
    mapping: IO[bytes] | None = None,
    skip_invalid: bool = False,
    deactivate: bool = True,
    source_name: str | None = None,
    owner: User | None = None,
) -> jobs.Job:
    """Keep the uploaded package (a file-like ``upload``) and an optional mapping file in a
    new job's input folder and submit the job (enqueued when the caller commits)."""
    job = jobs.submit(
        session,
        "hsds_import",
        {
            "name": Path(filename).stem[:100] or "package",
            "mapping": mapping is not None,
            "skip_invalid": skip_invalid,
            "deactivate": deactivate,
            "source": source_name,
        },
        owner,
    )
    folder = jobs.input_folder(job)
    _save(upload, folder / PACKAGE)
    if mapping is not None:
        _save(mapping, folder / MAPPING)
    # unpacked and checked now (quick: no row is read), so a damaged, encrypted, oversized or
    # climbing archive is refused at once, naming the uploaded file and the member; the
    # caller rolls back and no job is left behind
    try:
        with (folder / PACKAGE).open("rb") as fh:
            source.unpack_zip(
                fh,
                folder / "package",
                label=PurePosixPath(filename.replace("\\", "/")).name or "The package",
                **source.zip_limits(current_app.config),
            )
    except source.NotAPackage:
        shutil.rmtree(jobs.folder_of(job.id), ignore_errors=True)
        raise
    return job


def _save(upload: IO[bytes], target: Path) -> None:
    """Copy an upload to ``target`` in 1 MB pieces (never whole in memory)."""
    with target.open("wb") as out:
        while chunk := upload.read(2**20):
            out.write(chunk)


@jobs.handler("hsds_import")
def run_import(run: jobs.Run) -> dict:
    """Unpack, check and import the kept package; the report is the result. A rejected
    package fails the job with every problem in its result (nothing imported)."""
    p = run.params
    folder = run.folder / jobs.INPUT_DIR / "package"
    try:
        if not folder.is_dir():  # unpacked when the job was started (``start_import``)
            with run.input(PACKAGE).open("rb") as fh:
                source.unpack_zip(fh, folder, **source.zip_limits(current_app.config))
        mapping = check.read_mapping(run.input(MAPPING) if p.get("mapping") else None)
        src = source.open_source(folder, label="The uploaded package", name=p.get("name"))
        total = max(1, sum(max(0, f.read_bytes().count(b"\n") - 1) for f in src.files.values()))
        read = 0

        def progress(lines: int) -> None:
            nonlocal read
            read += lines
            run.progress(read, 2 * total)  # checking the rows is the first half

        report = load.import_package(
            db.session,
            src,
            mapping=mapping,
            progress=progress,
            skip_invalid=bool(p.get("skip_invalid")),
            deactivate=bool(p.get("deactivate", True)),
            source=p.get("source"),
        )
    except package.ImportRejected as exc:
        raise jobs.JobFailed(str(exc), {"problems": exc.problems}) from exc
    except package.NotAPackage as exc:
        raise jobs.JobFailed(str(exc)) from exc
    return {**report.as_dict(), "evidence": report.evidence}


def start_export(session: DbSession, owner: User | None) -> jobs.Job:
    """Submit an export of the whole directory (enqueued when the caller commits)."""
    return jobs.submit(session, "hsds_export", {}, owner)


@jobs.handler("hsds_export")
def run_export(run: jobs.Run) -> dict:
    """Write the HSDS package (withheld addresses left out) as a zip to download."""
    target = run.output(EXPORT)
    tmp = run.folder / "export"
    counts = export.export_package(db.session, tmp)
    run.progress(0.9)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(tmp.iterdir()):
            zf.write(path, path.name)
    for path in tmp.iterdir():
        path.unlink()
    tmp.rmdir()
    db.session.rollback()  # a read: nothing to commit
    return {
        "file": EXPORT,
        "mimetype": "application/zip",
        "size": target.stat().st_size,
        "tables": {t: n for t, n in counts.items() if n},
    }
