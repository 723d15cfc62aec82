"""The coordinators' HSDS page: start an export (a zip to download) or an import of an
uploaded package; both run as jobs (``directory.hsds.jobs``) and the answer is the job's
page, which shows progress and then the report or the download link."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app import audit
from app.auth import requires
from app.bodies import large_body
from app.extensions import db
from directory.blueprint import bp
from directory.hsds import jobs as hsds_jobs
from directory.hsds.importing.source import NotAPackage


@bp.route("/hsds")
@requires("coordinator")
def hsds_page() -> ResponseReturnValue:
    return render_template("directory/hsds.html", problems=None, result=None)


@bp.route("/hsds/export.zip")
@bp.route("/hsds/export", methods=["POST"])
@requires("coordinator")
def hsds_export() -> ResponseReturnValue:
    """Start writing the package (a job); its page shows the download link when ready."""
    job = hsds_jobs.start_export(db.session, current_user)
    audit.record(db.session, "export", "hsds package", detail=f"job {job.id}")
    db.session.commit()
    return redirect(url_for("jobs.job_page", job_id=job.id), 303)


@bp.route("/hsds/import", methods=["POST"])
@requires("coordinator")
@large_body
def hsds_import() -> ResponseReturnValue:
    """Keep the upload and start the import (a job); the job's page shows the report."""
    upload = request.files.get("package")
    if upload is None or not upload.filename:
        problems = [_("package: choose the zip file of an HSDS package.")]
        return render_template("directory/hsds.html", problems=problems, result=None), 422
    mapping = request.files.get("mapping")
    try:
        job = hsds_jobs.start_import(
            db.session,
            upload.stream,
            filename=upload.filename,
            mapping=mapping.stream if mapping is not None and mapping.filename else None,
            skip_invalid=bool(request.form.get("skip_invalid")),
            deactivate=not request.form.get("no_deactivate"),
            source_name=(request.form.get("source") or "").strip() or None,
            owner=current_user,
        )
    except NotAPackage as exc:
        db.session.rollback()
        return render_template("directory/hsds.html", problems=[str(exc)], result=None), 422
    db.session.commit()
    return redirect(url_for("jobs.job_page", job_id=job.id), 303)
