"""The coordinators' HSDS page: download the package as a zip, upload one to import."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from flask import Response, flash, render_template, request

from app.auth import requires
from app.extensions import db
from directory import bp, hsds

MAX_UPLOAD = 200 * 1024 * 1024


@bp.route("/hsds")
@requires("coordinator")
def hsds_page():
    return render_template("directory/hsds.html", problems=None, result=None)


@bp.route("/hsds/export.zip")
@requires("coordinator")
def hsds_export():
    with tempfile.TemporaryDirectory() as tmp:
        hsds.export_package(db.session, Path(tmp))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(Path(tmp).iterdir()):
                zf.write(path, path.name)
    return Response(
        buffer.getvalue(),
        mimetype="application/zip",
        headers={"Content-Disposition": "attachment; filename=hsds-package.zip"},
    )


@bp.route("/hsds/import", methods=["POST"])
@requires("coordinator")
def hsds_import():
    upload = request.files.get("package")
    problems, result = None, None
    if upload is None or not upload.filename:
        problems = ["package: choose the zip file of an HSDS package."]
    else:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "package"
            try:
                with zipfile.ZipFile(upload.stream) as zf:
                    names = [n for n in zf.namelist() if not n.endswith("/")]
                    for name in names:
                        base = Path(name).name
                        if base.endswith((".csv", ".json")) and "/" not in base:
                            folder.mkdir(exist_ok=True)
                            (folder / base).write_bytes(zf.read(name))
                mapping = None
                if (m := request.files.get("mapping")) and m.filename:
                    mapping_path = Path(tmp) / "mapping.csv"
                    m.save(mapping_path)
                    mapping = hsds.read_mapping(mapping_path)
                result = hsds.import_package(db.session, folder, mapping=mapping)
                db.session.commit()
                flash(f"Imported {result['services']} services from the package.", "success")
            except zipfile.BadZipFile:
                problems = ["package: not a zip file."]
            except hsds.NotAPackage as exc:
                db.session.rollback()
                problems = [str(exc)]
            except hsds.ImportRejected as exc:
                db.session.rollback()
                problems = exc.problems

    return render_template("directory/hsds.html", problems=problems, result=result), (
        422 if problems else 200
    )
