"""``POST /api/v1/hsds/imports`` (coordinators): upload an HSDS package (multipart
``file``, optional ``mapping``, ``skip_invalid``, ``no_deactivate``, ``source``); the
import runs as a job and the answer is ``202 {id, status, url}``, ``url`` the job's API
address (``GET /api/v1/jobs/{id}``: status, progress, then the report or the problems)."""

from __future__ import annotations

from typing import Any

from flask import request, url_for
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import abort
from marshmallow import Schema, fields

from app.auth import requires
from app.bodies import LARGE_BODY_ENDPOINTS
from app.config import TRUTHY
from app.extensions import db
from directory.blueprint import blp
from directory.hsds import jobs as hsds_jobs


class ImportStartedSchema(Schema):
    id = fields.Integer(dump_only=True)
    status = fields.String(dump_only=True)
    url = fields.String(dump_only=True, metadata={"description": "GET it for the job's state"})


def _flag(name: str) -> bool:
    return (request.form.get(name) or "").strip().lower() in TRUTHY


@blp.route("/hsds/imports")
class HsdsImports(MethodView):
    """The package upload: a large body (up to MAX_CONTENT_LENGTH) from a coordinator."""

    @requires("coordinator")
    @blp.response(202, ImportStartedSchema)
    def post(self) -> dict[str, Any]:
        """Start importing an uploaded HSDS package (a zip) as a job."""
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            abort(422, errors={"file": ["Send the package's zip as the multipart field 'file'."]})
        # abort raised above (flask_smorest has no type hints to say it never returns)
        assert upload is not None
        assert upload.filename
        mapping = request.files.get("mapping")
        source = (request.form.get("source") or "").strip() or None
        if source is not None and len(source) > 100:
            abort(422, errors={"source": ["At most 100 characters."]})
        job = hsds_jobs.start_import(
            db.session,
            upload.stream,
            filename=upload.filename,
            mapping=mapping.stream if mapping is not None and mapping.filename else None,
            skip_invalid=_flag("skip_invalid"),
            deactivate=not _flag("no_deactivate"),
            source_name=source,
            owner=current_user,
        )
        db.session.commit()
        db.session.refresh(job)  # immediate mode (tests): it may have run already
        return {
            "id": job.id,
            "status": job.status,
            "url": url_for("jobs_api.JobResource", job_id=job.id),
        }


LARGE_BODY_ENDPOINTS.add(f"{blp.name}.HsdsImports")
