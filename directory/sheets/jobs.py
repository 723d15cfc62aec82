"""A large directory sheet's PDF, and a large selection's CSV, as jobs (``app.jobs``):
rendering hundreds of services takes WeasyPrint minutes, so ``/sheets/directory.pdf`` for
a sheet of ``SHEET_JOB_MIN_SERVICES`` services or more starts a ``sheet_pdf`` job and
answers with its page; ``/sheets/directory.csv`` over ``CSV_JOB_MIN_SERVICES`` starts a
``sheet_csv`` job that writes every selected service (no cap). The worker makes the same
file (same filters, language and paper, seen as the requesting user sees it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, request
from flask_login import login_user

from app import audit, clock, jobs
from app.extensions import DbSession
from app.i18n import ui_language
from app.models import User
from app.pdf import render_pdf

PDF = "directory.pdf"
CSV = "directory.csv"
PDF_JOB, CSV_JOB = "sheet_pdf", "sheet_csv"


def start(session: DbSession, owner: User, kind: str = PDF_JOB) -> jobs.Job:
    """Submit the PDF (or CSV) of the sheet the current request asks for."""
    query = [[k, v] for k, values in request.args.lists() for v in values]
    return jobs.submit(session, kind, {"query": query, "ui": ui_language()}, owner)


@contextmanager
def as_owner(run: jobs.Run, path: str) -> Iterator[None]:
    """A request built from the kept query, its owner logged in (seeing what they see)."""
    owner = run.job.owner_id and jobs.db.session.get(User, run.job.owner_id)
    if not owner or not owner.active:
        raise jobs.JobFailed("The account that asked for this sheet is no longer active.")
    query = [tuple(pair) for pair in run.params.get("query", [])]
    headers = {"Accept-Language": run.params.get("ui") or "en"}
    # ignore: flask types current_app as the Flask it stands for, not the proxy it is
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with app.test_request_context(path, query_string=query, headers=headers):
        login_user(owner)
        yield


@jobs.handler(CSV_JOB)
def run_csv(run: jobs.Run) -> dict:
    """Write every selected service to the CSV file, a page at a time."""
    from directory.sheets import export, pages

    with as_owner(run, "/sheets/directory.csv"):
        filters = pages.valid_filters()
        with run.output(CSV).open("w", encoding="utf-8", newline="") as fh:
            count = export.write_all(
                fh,
                jobs.db.session,
                filters,
                lang=pages.sheet_language(),
                now_utc=clock.now(),
                progress=run.progress,
            )
        audit.export_read(jobs.db.session, "directory sheet", f"csv: {count} services")
        jobs.db.session.commit()
    size = run.output(CSV).stat().st_size
    return {"file": CSV, "mimetype": "text/csv", "size": size, "services": count}


@jobs.handler(PDF_JOB)
def run(run: jobs.Run) -> dict:
    """Render the sheet in a request built from the kept query, as its owner."""
    from directory.sheets import pages

    with as_owner(run, "/sheets/directory.pdf"):
        built = pages.valid_sheet()
        run.progress(0.3)
        data = render_pdf(pages.pdf_html(built))
    run.output(PDF).write_bytes(data)
    jobs.db.session.rollback()  # a read: nothing to commit
    return {"file": PDF, "mimetype": "application/pdf", "size": len(data), "services": built.count}
