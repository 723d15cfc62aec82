"""The coordinators' HSDS page: download the package as a zip, upload one to import (in the
reader's language; the rows' own problems are named as the checks word them)."""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePosixPath

from flask import Response, current_app, flash, render_template, request
from flask_babel import gettext as _

from app import audit
from app.auth import requires
from app.bodies import large_body
from app.extensions import db
from directory import bp
from directory.hsds import export, load, package, source


@bp.route("/hsds")
@requires("coordinator")
def hsds_page():
    return render_template("directory/hsds.html", problems=None, result=None)


@bp.route("/hsds/export.zip")
@requires("coordinator")
def hsds_export():
    body = export.export_zip(db.session)
    audit.export_read(db.session, "hsds package", f"{len(body)} bytes (zip)")
    return Response(
        body,
        mimetype="application/zip",
        headers={"Content-Disposition": "attachment; filename=hsds-package.zip"},
    )


@bp.route("/hsds/import", methods=["POST"])
@requires("coordinator")
@large_body
def hsds_import():
    upload = request.files.get("package")
    problems, result = None, None
    if upload is None or not upload.filename:
        problems = [_("package: choose the zip file of an HSDS package.")]
    else:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "package"
            try:
                source.unpack_zip(
                    upload.stream,
                    folder,
                    label=PurePosixPath(upload.filename.replace("\\", "/")).name,
                    **source.zip_limits(current_app.config),
                )
                mapping = None
                if (m := request.files.get("mapping")) and m.filename:
                    mapping_path = Path(tmp) / "mapping.csv"
                    m.save(mapping_path)
                    mapping = package.read_mapping(mapping_path)
                src = source.open_source(
                    folder, label="The uploaded package", name=Path(upload.filename).stem
                )
                result = load.import_package(
                    db.session,
                    src,
                    mapping=mapping,
                    skip_invalid=bool(request.form.get("skip_invalid")),
                    deactivate=not request.form.get("no_deactivate"),
                    source=(request.form.get("source") or "").strip() or None,
                )
                db.session.commit()
                flash(
                    _("Imported %(count)s services from the package.", count=result["services"]),
                    "success",
                )
            except package.ImportRejected as exc:
                db.session.rollback()
                problems = exc.problems
            except package.NotAPackage as exc:
                db.session.rollback()
                problems = [str(exc)]

    return render_template("directory/hsds.html", problems=problems, result=result), (
        422 if problems else 200
    )
