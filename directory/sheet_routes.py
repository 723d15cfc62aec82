"""Sheet pages: the builder, the print-ready sheet, its PDF and CSV, the wallet card."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError
from sqlalchemy import select

from app.auth import requires
from app.extensions import db
from app.pdf import pdf_response
from directory import bp, geo, search, sheets
from directory.models import CardEntry, Service
from directory.routes import _non_blank_args
from directory.schemas import SearchArgs

STATIC = Path(__file__).resolve().parent.parent / "app" / "static"


def _sheet():
    """The sheet the query string asks for, or (None, errors)."""
    lang = request.args.get("lang", "en")
    if lang not in sheets.languages_available():
        lang = "en"
    paper = request.args.get("paper", "a4")
    paper = paper if paper in sheets.PAPERS else "a4"
    try:
        args = SearchArgs().load(_non_blank_args())
        filters = search.filters_from_args(args)
    except ValidationError as exc:
        return None, exc.messages
    except geo.UnknownPlace as exc:
        return None, {"near": [str(exc)]}
    sheet = sheets.build(
        db.session,
        filters,
        lang=lang,
        paper=paper,
        facility=current_app.config["FACILITY_NAME"],
        now_utc=datetime.now(UTC),
    )
    return sheet, {}


def _query(**changes) -> dict:
    params = request.args.to_dict(flat=False)
    params.update({k: [v] for k, v in changes.items()})
    return params


def _valid_sheet():
    """The asked-for sheet; a bad query is a 422 naming each field and its problem."""
    sheet, errors = _sheet()
    if errors:
        abort(
            422, description="; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in errors.items())
        )
    return sheet


@bp.route("/sheets")
@requires("viewer")
def sheet_builder():
    """Choose groups, filters, language, paper, full or discreet; preview; download."""
    sheet, errors = _sheet()
    return render_template(
        "directory/sheet_builder.html",
        sheet=sheet,
        errors=errors,
        args=request.args,
        langs=sheets.languages_available(),
        query=_query,
    ), (422 if errors else 200)


@bp.route("/sheets/directory")
@requires("viewer")
def sheet_html():
    sheet = _valid_sheet()
    return render_template(
        "directory/sheet.html", sheet=sheet, inline_css=None, pdf=False, query=_query
    )


@bp.route("/sheets/directory.pdf")
@requires("viewer")
def sheet_pdf():
    sheet = _valid_sheet()
    html = render_template(
        "directory/sheet.html",
        sheet=sheet,
        pdf=True,
        inline_css=(STATIC / "sheet.css").read_text(),
        query=_query,
    )
    return pdf_response(html, "directory.pdf", download=True)


@bp.route("/sheets/directory.csv")
@requires("viewer")
def sheet_csv():
    sheet = _valid_sheet()
    return Response(
        sheets.to_csv(sheet),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=directory.csv"},
    )


@bp.route("/sheets/card")
@requires("viewer")
def card_page():
    lang = request.args.get("lang", "en")
    entries = db.session.scalars(select(CardEntry).order_by(CardEntry.position)).all()
    return render_template(
        "directory/card_page.html",
        entries=entries,
        lines=sheets.card_lines(db.session, lang),
        lang=lang,
        langs=sheets.languages_available(),
        max=sheets.CARD_MAX_SERVICES,
    )


@bp.route("/sheets/card", methods=["POST"])
@requires("coordinator")
def card_entry_save():
    service = db.session.get(Service, request.form.get("service_id", type=int) or 0)
    if service is None:
        flash("Choose a service by its number (shown on its page).", "error")
        return redirect(url_for("directory.card_page"))
    if request.form.get("remove"):
        entry = db.session.scalar(select(CardEntry).where(CardEntry.service_id == service.id))
        if entry:
            db.session.delete(entry)
            db.session.commit()
        flash("Removed from the card.", "success")
        return redirect(url_for("directory.card_page"))
    try:
        sheets.set_card_entry(
            db.session,
            service,
            request.form.get("label", ""),
            request.form.get("position", type=int) or 0,
            bool(request.form.get("allow_sensitive")),
        )
        db.session.commit()
        flash("Card updated.", "success")
    except sheets.LabelNotNeutral as exc:
        db.session.rollback()
        flash(str(exc), "error")
    return redirect(url_for("directory.card_page"))


@bp.route("/sheets/card.pdf")
@requires("viewer")
def card_pdf():
    lang = request.args.get("lang", "en")
    lang = lang if lang in sheets.languages_available() else "en"
    paper = request.args.get("paper", "a4")
    paper = paper if paper in sheets.PAPERS else "a4"
    html = render_template(
        "directory/card.html",
        lines=sheets.card_lines(db.session, lang),
        labels=sheets.labels(lang),
        paper=sheets.PAPERS[paper],
        copies=10 if paper == "a4" else 8,
    )
    return pdf_response(html, "card.pdf", download=True)
