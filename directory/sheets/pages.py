"""Sheet pages: the builder, the print-ready sheet, its PDF and CSV, the wallet card."""

from __future__ import annotations

from collections.abc import Container
from pathlib import Path
from typing import Any, NoReturn

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import ValidationError
from sqlalchemy import select

from app import audit, clock, params
from app.auth import requires
from app.extensions import db
from app.forms import flat_errors
from app.i18n import default_paper, ui_language
from app.pdf import page_count, pdf_response
from directory.blueprint import bp
from directory.errors import DomainError, NotFound
from directory.models import CardEntry, Service
from directory.search.filters import Filters
from directory.search.schemas import SearchArgs, filters_from_args, non_blank
from directory.sheets import card, export, sheet
from directory.sheets import jobs as sheet_jobs

STATIC = Path(__file__).resolve().parents[2] / "app" / "static"


def _choice(name: str, choices: Container[str], default: str) -> str:
    """A query parameter among ``choices``; a sheet's language defaults to the page's."""
    value = request.args.get(name, default)
    return value if value in choices else default


def sheet_language() -> str:
    return _choice("lang", sheet.languages_available(), ui_language())


def _filters() -> tuple[Filters | None, dict[str, list[str]]]:
    """The search filters of the query string, or (None, errors)."""
    messages: dict[str, Any] | list[Any]
    try:
        return filters_from_args(SearchArgs().load(non_blank(request.args))), {}
    except ValidationError as exc:
        messages = exc.messages
    except DomainError as exc:
        messages = exc.errors
    errors: dict[str, list[str]] = {}
    for key, said in flat_errors(messages).items():  # "category.0" is the field "category"
        errors.setdefault(key.split(".")[0], []).extend(said)
    return None, errors


def valid_filters() -> Filters:
    """The query string's filters; a bad query is a 422 naming each field."""
    filters, errors = _filters()
    if errors or filters is None:  # no filters come with errors
        _refuse(errors)
    return filters


def _refuse(errors: dict[str, list[str]]) -> NoReturn:
    abort(422, description="; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in errors.items()))


def _sheet(limit: int | None = None) -> tuple[sheet.Sheet | None, dict[str, list[str]]]:
    """The sheet the query string asks for (at most ``limit`` rows), or (None, errors);
    ``list``: a saved list's services in its order instead of a search's (404 when the
    user may not read that list)."""
    list_id = params.record_id("list", request.args, required=False)
    if list_id is not None:
        built = sheet.build_list(
            db.session,
            list_id,
            current_user,
            lang=_choice("lang", sheet.languages_available(), ui_language()),
            paper=_choice("paper", sheet.PAPERS, default_paper()),
            facility=current_app.config["FACILITY_NAME"],
            now_utc=clock.now(),
        )
        if built is None:
            raise NotFound()
        return built, {}
    filters, errors = _filters()
    if errors or filters is None:  # no filters come with errors
        return None, errors
    built = sheet.build(
        db.session,
        filters,
        lang=sheet_language(),
        paper=_choice("paper", sheet.PAPERS, default_paper()),
        facility=current_app.config["FACILITY_NAME"],
        now_utc=clock.now(),
        limit=limit or sheet.MAX_ROWS,
    )
    return built, {}


def _query(**changes: str) -> dict[str, list[str]]:
    params = request.args.to_dict(flat=False)
    params.update({k: [v] for k, v in changes.items()})
    return params


def valid_sheet(limit: int | None = None) -> sheet.Sheet:
    """The asked-for sheet; a bad query is a 422 naming each field and its problem."""
    built, errors = _sheet(limit)
    if errors or built is None:  # no sheet comes with errors
        _refuse(errors)
    return built


@bp.route("/sheets")
@requires("viewer")
def sheet_builder() -> ResponseReturnValue:
    """Choose groups, filters, language, paper, full or discreet; preview; download."""
    built, errors = _sheet()
    # counting a large sheet's pages is rendering it: minutes, so not on this page
    large = built is not None and built.count >= current_app.config["SHEET_JOB_MIN_SERVICES"]
    pages = None if large else (page_count(pdf_html(built)) if built and built.count else 0)
    return render_template(
        "directory/sheet_builder.html",
        sheet=built,
        pages=pages,
        errors=errors,
        args=request.args,
        langs=sheet.languages_available(),
        default_paper=default_paper(),
        max_rows=sheet.MAX_ROWS,
        query=_query,
    ), (422 if errors else 200)


@bp.route("/sheets/directory")
@requires("viewer")
def sheet_html() -> ResponseReturnValue:
    return render_template(
        "directory/sheet.html", sheet=valid_sheet(), inline_css=None, pdf=False, query=_query
    )


@bp.route("/sheets/directory.pdf")
@requires("viewer")
def sheet_pdf() -> ResponseReturnValue:
    """The sheet as a PDF; a large one (``SHEET_JOB_MIN_SERVICES``) is made by a job and
    the answer is the job's page, which offers the file when it is ready."""
    built = valid_sheet()
    if built.count >= current_app.config["SHEET_JOB_MIN_SERVICES"]:
        job = sheet_jobs.start(db.session, current_user)
        db.session.commit()
        return redirect(url_for("jobs.job_page", job_id=job.id), 303)
    audit.export_read(db.session, "directory sheet", f"pdf: {built.count} services")
    return pdf_response(pdf_html(built), "directory.pdf", download=True)


def pdf_html(built: sheet.Sheet) -> str:
    return render_template(
        "directory/sheet.html",
        sheet=built,
        pdf=True,
        inline_css=(STATIC / "sheet.css").read_text(),
        query=_query,
    )


@bp.route("/sheets/directory.csv")
@requires("viewer")
def sheet_csv() -> ResponseReturnValue:
    """The selection as CSV; more than ``CSV_JOB_MIN_SERVICES`` services are written by a
    job, every one of them (no cap), and the answer is the job's page."""
    built = valid_sheet(current_app.config["CSV_JOB_MIN_SERVICES"])
    if built.left_out:
        job = sheet_jobs.start(db.session, current_user, sheet_jobs.CSV_JOB)
        db.session.commit()
        return redirect(url_for("jobs.job_page", job_id=job.id), 303)
    audit.export_read(db.session, "directory sheet", f"csv: {built.count} services")
    return Response(
        export.to_csv(built),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=directory.csv"},
    )


@bp.route("/sheets/card")
@requires("viewer")
def card_page() -> ResponseReturnValue:
    lang = _choice("lang", sheet.languages_available(), ui_language())
    style = _choice("labels", card.LABEL_STYLES, "names")
    entries = db.session.scalars(select(CardEntry).order_by(CardEntry.position)).all()
    return render_template(
        "directory/card_page.html",
        entries=entries,
        lines=card.card_lines(db.session, lang, style),
        lang=lang,
        style=style,
        langs=sheet.languages_available(),
        papers=sheet.PAPERS,
        default_paper=default_paper(),
        pickable=card.pickable_services(db.session),
        max=card.CARD_MAX_SERVICES,
    )


@bp.route("/sheets/card", methods=["POST"])
@requires("coordinator")
def card_entry_save() -> ResponseReturnValue:
    service_id = params.record_id("service_id", request.form, required=False)
    service = db.session.get(Service, service_id) if service_id else None
    if service is None:
        flash(_("Choose a service by its number (shown on its page)."), "error")
        return redirect(url_for("directory.card_page"))
    if request.form.get("remove"):
        card.remove_card_entry(db.session, service)
        db.session.commit()
        flash(_("Removed from the card."), "success")
        return redirect(url_for("directory.card_page"))
    try:
        card.set_card_entry(
            db.session,
            service,
            request.form.get("label", ""),
            params.whole_number("position", request.form, default=0, minimum=0, maximum=999),
            bool(request.form.get("allow_sensitive")),
        )
        db.session.commit()
        flash(_("Card updated."), "success")
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    return redirect(url_for("directory.card_page"))


@bp.route("/sheets/card.pdf")
@requires("viewer")
def card_pdf() -> ResponseReturnValue:
    lang = _choice("lang", sheet.languages_available(), ui_language())
    paper = _choice("paper", sheet.PAPERS, default_paper())
    style = _choice("labels", card.LABEL_STYLES, "names")
    html = render_template(
        "directory/card.html",
        lines=card.card_lines(db.session, lang, style),
        labels=sheet.labels(lang),
        paper=sheet.PAPERS[paper],
        copies=10 if paper == "a4" else 8,
    )
    return pdf_response(html, "card.pdf", download=True)
