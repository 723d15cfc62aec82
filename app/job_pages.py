"""A job as its owner sees it: ``/jobs/<id>`` (a page that refreshes itself while the job
runs, then shows its report or download link; no script needed), ``/jobs/<id>/download``
(the file it made) and ``GET /api/v1/jobs/{id}``. Only the job's owner and admins see a
job; anyone else gets 404 (the id tells nothing)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, send_file
from flask.typing import ResponseReturnValue
from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_smorest import Blueprint as ApiBlueprint
from marshmallow import Schema, fields

from app import jobs
from app.auth import requires
from app.extensions import db
from app.models import Job

bp = Blueprint("jobs", __name__)
blp = ApiBlueprint("jobs_api", __name__, description="Jobs: long work run by the worker")

KIND_LABELS = {
    "hsds_import": _l("HSDS import"),
    "hsds_export": _l("HSDS export"),
    "sheet_pdf": _l("Directory sheet (PDF)"),
    "request_updates": _l("Update requests to partners"),
    "mail": _l("E-mail"),
}
STATUS_LABELS = {
    "queued": _l("waiting for the worker"),
    "running": _l("running"),
    "done": _l("done"),
    "failed": _l("failed"),
}


class JobSchema(Schema):
    id = fields.Integer(dump_only=True)
    kind = fields.String(dump_only=True)
    status = fields.String(
        dump_only=True, metadata={"enum": ["queued", "running", "done", "failed"]}
    )
    progress = fields.Integer(
        dump_only=True, allow_none=True, metadata={"description": "percent, null: unknown"}
    )
    result = fields.Raw(dump_only=True, allow_none=True)
    error = fields.String(dump_only=True, allow_none=True)
    url = fields.String(dump_only=True, metadata={"description": "the job's page"})
    download = fields.String(dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)
    finished_at = fields.DateTime(dump_only=True, allow_none=True)


def visible_job(job_id: int) -> Job:
    """The job, when the current user may see it; else 404."""
    job = db.session.get(Job, job_id)
    if job is None or not jobs.may_see(current_user, job):
        # the shell's "not found" (it imports no domain package, so not
        # directory.errors.NotFound, which is answered the same way)
        abort(404)
    return job


def job_answer(job: Job) -> dict:
    """The job's state with its page's address and, when it made a file, the download's."""
    from flask import url_for

    answer = jobs.state(job)
    answer["url"] = url_for("jobs.job_page", job_id=job.id)
    answer["download"] = (
        url_for("jobs.job_download", job_id=job.id) if jobs.output_file(job) else None
    )
    return answer


@bp.route("/jobs/<int:job_id>")
@requires("viewer")
def job_page(job_id: int) -> ResponseReturnValue:
    job = visible_job(job_id)
    return render_template(
        "job.html",
        job=job_answer(job),
        kind=KIND_LABELS.get(job.kind, job.kind),
        status=STATUS_LABELS[job.status],
    )


@bp.route("/jobs/<int:job_id>/download")
@requires("viewer")
def job_download(job_id: int) -> ResponseReturnValue:
    job = visible_job(job_id)
    path = jobs.output_file(job)
    if path is None:
        abort(404)
    return send_file(
        path,
        mimetype=(job.result or {}).get("mimetype") or "application/octet-stream",
        as_attachment=True,
        download_name=path.name,
    )


@blp.route("/jobs/<int:job_id>")
class JobResource(MethodView):
    @requires("viewer")
    @blp.response(200, JobSchema)
    def get(self, job_id: int) -> dict:
        """A job's status, progress (percent), result and error (its owner or an admin)."""
        return job_answer(visible_job(job_id))
