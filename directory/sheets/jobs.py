"""A large directory sheet's PDF as a job (``app.jobs``): rendering hundreds of services
takes WeasyPrint minutes, so ``/sheets/directory.pdf`` for a sheet of
``SHEET_JOB_MIN_SERVICES`` services or more starts a ``sheet_pdf`` job and answers with
its page; the worker renders the same sheet (same filters, language and paper, seen as the
requesting user sees it) to a file to download."""

from __future__ import annotations

from flask import current_app, request
from flask_login import login_user
from sqlalchemy.orm import Session

from app import jobs
from app.i18n import ui_language
from app.models import User
from app.pdf import render_pdf

PDF = "directory.pdf"


def start(session: Session, owner: User) -> jobs.Job:
    """Submit the PDF of the sheet the current request asks for."""
    query = [[k, v] for k, values in request.args.lists() for v in values]
    return jobs.submit(session, "sheet_pdf", {"query": query, "ui": ui_language()}, owner)


@jobs.handler("sheet_pdf")
def run(run: jobs.Run) -> dict:
    """Render the sheet in a request built from the kept query, as its owner."""
    from directory.sheets import pages

    owner = run.job.owner_id and jobs.db.session.get(User, run.job.owner_id)
    if not owner or not owner.active:
        raise jobs.JobFailed("The account that asked for this sheet is no longer active.")
    query = [tuple(pair) for pair in run.params.get("query", [])]
    headers = {"Accept-Language": run.params.get("ui") or "en"}
    app = current_app._get_current_object()
    with app.test_request_context("/sheets/directory.pdf", query_string=query, headers=headers):
        login_user(owner)
        built = pages.valid_sheet()
        run.progress(0.3)
        data = render_pdf(pages.pdf_html(built))
    run.output(PDF).write_bytes(data)
    jobs.db.session.rollback()  # a read: nothing to commit
    return {"file": PDF, "mimetype": "application/pdf", "size": len(data), "services": built.count}
