"""Catalog pages: service and organization pages, ratings, feedback, capacity, the review
queue, and the coordinator's forms. Thin: parse with a schema, call a service, render."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from marshmallow import Schema, ValidationError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from app import clock, params
from app.auth import requires
from app.dates import format_day
from app.extensions import db
from app.forms import flat_errors, form_to_data
from app.i18n import _l
from app.pdf import pdf_response
from directory import hours, identifiers, visibility
from directory.aaaq_records import AAAQ_DIMENSIONS, FeedbackNote
from directory.blueprint import bp
from directory.catalog import feedback, forms, present, quick, ratings, records, share
from directory.catalog.schemas import (
    OrganizationInSchema,
    ServiceInSchema,
)
from directory.catalog.upkeep_schemas import (
    CapacityInSchema,
    FeedbackInSchema,
    RatingInSchema,
)
from directory.errors import DomainError, IdentifiersFound, NotFound, Stale, found
from directory.models import Organization, Service
from directory.referrals import figures

T = TypeVar("T")
# url_for's own keywords (_external and the like) are typed; a query parameter named like a
# Python keyword goes in through a dict of Any
FROM_REVIEW: dict[str, Any] = {"from": "review"}
EDIT_CONFLICT = _l(
    "Someone else changed this record while you were editing. Your changes are below, not "
    "saved; open the record again to see theirs, then re-apply yours."
)


def load_form(schema: Schema, form: MultiDict[str, str]) -> tuple[Any, dict[str, Any]]:
    """A small posted form → (data, errors keyed by field)."""
    data, origin = form_to_data(form, schema)
    try:
        return schema.load(data), {}
    except ValidationError as exc:
        return None, flat_errors(exc.messages, origin)


class FormErrors(dict):
    """A form's errors by field, with ``marked``: for each field refused for holding client
    identifiers, what was typed cut into pieces with the identifying spans and their reasons
    (``identifiers.highlight``), which ``field_errors`` in _macros.html shows."""

    def __init__(self, errors: dict, marked: dict | None = None):
        super().__init__(errors)
        self.marked = marked or {}


def form_errors(
    exc: DomainError | StaleDataError, stale_message: str = EDIT_CONFLICT
) -> dict[str, Any]:
    """A refused save's errors for the form: the domain error's fields (with the marked
    spans when identifiers were found), or the conflict."""
    db.session.rollback()
    if isinstance(exc, Stale | StaleDataError):
        return {"_schema": [str(stale_message)]}
    # a service's English message (the API's language) in the page's language
    return FormErrors(flat_errors(exc.errors), identifiers.marks_for(exc))


def confirm(message: str, service_id: int, section: str) -> Response:
    """Back to the service page at ``section`` (its anchor), the confirmation shown inside
    that section, where the user acted, not at the top of a long page."""
    flash(message, f"success:{section}")
    return redirect(url_for("directory.service_page", service_id=service_id) + f"#{section}")


@bp.route("/services/<int:service_id>")
@requires("viewer")
def service_page(service_id: int) -> ResponseReturnValue:
    service = found(db.session.get(Service, service_id))
    return _render_service(service)


def _render_service(
    service: Service, *, status: int = 200, **refused: dict[str, Any]
) -> tuple[str, int]:
    """The service page; ``refused`` carries a refused form's input and errors back to it."""
    notes, observed = None, {}
    if current_user.has_role("case_manager"):
        notes = feedback.notes(db.session, service.id, current_user, limit=20)
        observed = feedback.observation_counts(db.session, service.id, clock.today())
    ratings_history = ratings.history(db.session, service.id, current_user)
    db.session.commit()  # the audited reads
    history = None
    if current_user.has_role("coordinator"):
        history = records.change_history(db.session, "services", service.id, limit=50)
    item = present.one(db.session, service, current_user, clock.now())
    discreet = request.args.get("share") != "plain"  # plain: one deliberate click away
    lang = share.lang_of(request.args.get("share_lang"))
    payload = share.qr_payload(service, item, discreet=discreet, lang=lang)
    return render_template(
        "directory/service.html",
        service=service,
        item=item,
        share=share.share_text(service, item, discreet=discreet, lang=lang),
        share_discreet=discreet,
        share_lang=lang,
        share_langs=share.LANGS,
        qr=share.qr_svg(payload),
        ratings_history=ratings_history,
        notes=notes,
        observed=observed,
        history=history,
        forms=refused,
        stale_before=present.stale_limit(clock.today()),
    ), status


@bp.route("/services/<int:service_id>/handout.pdf")
@requires("viewer")
def service_handout(service_id: int) -> ResponseReturnValue:
    """A one-page handout for the client: discreet unless ``discreet=false``."""
    service = found(db.session.get(Service, service_id))
    item = present.one(db.session, service, current_user, clock.now())
    discreet = request.args.get("discreet", "true").lower() not in ("false", "0", "no")
    page = share.handout(service, item, discreet=discreet, lang=request.args.get("lang"))
    html = render_template("directory/handout.html", h=page)
    name = f"contact-{service.id}.pdf" if discreet else f"service-{service.id}.pdf"
    return pdf_response(html, name)


@bp.route("/services/<int:service_id>/ratings", methods=["POST"])
@requires("coordinator")
def service_rate(service_id: int) -> ResponseReturnValue:
    service = found(db.session.get(Service, service_id))
    form: dict[str, str | None] = {
        k: v for k, v in request.form.items() if k != "csrf_token" and v != ""
    }
    for dim in AAAQ_DIMENSIONS:  # the form's "N/A" choice is an empty value: null
        form.setdefault(dim, None)
    errors: dict[str, Any] = {}
    try:
        data = RatingInSchema().load(form)
        ratings.rate_service(db.session, service, data, current_user, clock.today())
        db.session.commit()
        return confirm(_("AAAQ rating saved."), service.id, "aaaq")
    except ValidationError as exc:
        errors = flat_errors(exc.messages)
    except DomainError as exc:
        errors = form_errors(exc)
    return _render_service(service, status=422, rating={"form": request.form, "errors": errors})


@bp.route("/services/<int:service_id>/feedback", methods=["POST"])
@requires("case_manager")
def service_feedback(service_id: int) -> ResponseReturnValue:
    service = found(db.session.get(Service, service_id))
    data, errors = load_form(FeedbackInSchema(), request.form)
    if not errors:
        try:
            feedback.add_note(db.session, service, data, current_user, clock.today())
            db.session.commit()
            return confirm(_("Feedback note saved."), service.id, "feedback")
        except IdentifiersFound as exc:
            errors = form_errors(exc)
    return _render_service(service, status=422, feedback={"form": request.form, "errors": errors})


@bp.route("/feedback/<int:note_id>/hide", methods=["POST"])
@requires("coordinator")
def feedback_hide(note_id: int) -> ResponseReturnValue:
    note = found(db.session.get(FeedbackNote, note_id))
    try:
        feedback.hide(db.session, note, current_user, request.form.get("reason") or None)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("directory.service_page", service_id=note.service_id) + "#feedback")
    db.session.commit()
    return confirm(
        _("Note hidden from case managers (kept in the record)."), note.service_id, "feedback"
    )


@bp.route("/services/<int:service_id>/capacity", methods=["POST"])
@requires("coordinator")
def service_capacity(service_id: int) -> ResponseReturnValue:
    service = found(db.session.get(Service, service_id))
    data, errors = load_form(CapacityInSchema(), request.form)
    if not errors:
        records.update_capacity(db.session, service, data, clock.now())
        db.session.commit()
        return confirm(_("Capacity updated."), service.id, "capacity")
    return _render_service(service, status=422, capacity={"form": request.form, "errors": errors})


@bp.route("/organizations")
@requires("viewer")
def organizations_page() -> ResponseReturnValue:
    q = request.args.get("q", "").strip()
    rows, total = records.organizations(db.session, q or None, None, 1, 500)
    return render_template("directory/organizations.html", organizations=rows, total=total, q=q)


@bp.route("/organizations/<int:org_id>")
@requires("viewer")
def organization_page(org_id: int) -> ResponseReturnValue:
    org = found(db.session.get(Organization, org_id))
    items = present.items(db.session, org.services, current_user, clock.now())
    places = [visibility.place(loc, current_user) for loc in org.locations]
    since = datetime.combine(clock.today() - timedelta(days=365), datetime.min.time())
    loop_rows = figures.loop_funnel(db.session, "partner", since, org_id=org.id)
    return render_template(
        "directory/organization.html",
        org=org,
        items=items,
        places=places,
        loop_figures=loop_rows[0] if loop_rows else None,
    )


# --- coordinator forms ----------------------------------------------------------------------


def _save(
    schema: Schema, form: MultiDict[str, str], apply: Callable[[Any], T]
) -> tuple[T | None, dict[str, Any]]:
    """Validate a posted form with ``schema`` and ``apply`` it; errors keyed by field name."""
    data, origin = form_to_data(form, schema)
    try:
        result = apply(schema.load(data))
        db.session.commit()
        return result, {}
    except ValidationError as exc:
        db.session.rollback()
        return None, flat_errors(exc.messages, origin)
    except (DomainError, StaleDataError) as exc:
        return None, form_errors(exc)


def _form_page(template: str, status_errors: dict[str, Any], **context: object) -> tuple[str, int]:
    return render_template(template, errors=status_errors, **context), (
        422 if status_errors else 200
    )


@bp.route("/organizations/new", methods=["GET", "POST"])
@requires("coordinator")
def organization_new() -> ResponseReturnValue:
    errors: dict[str, Any] = {}
    if request.method == "POST":
        org, errors = _save(
            OrganizationInSchema(),
            request.form,
            lambda d: records.create_organization(db.session, d),
        )
        if org:
            flash(_("Organization “%(name)s” added.", name=org.name), "success")
            return redirect(url_for("directory.organization_page", org_id=org.id))
    return _form_page("directory/organization_form.html", errors, org=None, form=request.form)


@bp.route("/organizations/<int:org_id>/edit", methods=["GET", "POST"])
@requires("coordinator")
def organization_edit(org_id: int) -> ResponseReturnValue:
    org = found(db.session.get(Organization, org_id))
    errors: dict[str, Any] = {}
    if request.method == "POST":
        saved, errors = _save(
            OrganizationInSchema(),
            request.form,
            lambda d: records.update_organization(db.session, org, d),
        )
        if saved:
            flash(_("Organization saved."), "success")
            return redirect(url_for("directory.organization_page", org_id=org.id))
    form = request.form if request.method == "POST" else forms.organization_form(org)
    return _form_page("directory/organization_form.html", errors, org=org, form=form)


@bp.route("/services/new", methods=["GET", "POST"])
@requires("coordinator")
def service_new() -> ResponseReturnValue:
    org = db.session.get(Organization, params.record_id("organization_id"))
    if org is None:
        raise NotFound()
    errors: dict[str, Any] = {}
    if request.method == "POST":
        service, errors = _save(
            ServiceInSchema(), request.form, lambda d: records.create_service(db.session, d)
        )
        if service:
            flash(_("Service “%(name)s” added.", name=service.name), "success")
            return redirect(url_for("directory.service_page", service_id=service.id))
    form = request.form if request.method == "POST" else {"organization_id": org.id}
    return _form_page(
        "directory/service_form.html",
        errors,
        service=None,
        org=org,
        form=form,
        form_list=forms.form_list(form),
    )


@bp.route("/services/<int:service_id>/edit", methods=["GET", "POST"])
@requires("coordinator")
def service_edit(service_id: int) -> ResponseReturnValue:
    service = found(db.session.get(Service, service_id))
    errors: dict[str, Any] = {}
    if request.method == "POST":
        verify = bool(request.form.get("and_verify"))

        def apply(data: dict[str, Any]) -> Service:
            records.update_service(db.session, service, data)
            if verify:  # the coordinator checked every field with the partner
                records.verify_service(db.session, service, current_user, clock.today())
            return service

        saved, errors = _save(ServiceInSchema(), request.form, apply)
        if saved:
            flash(
                _("Service saved and marked verified today.") if verify else _("Service saved."),
                "success",
            )
            if request.args.get("from") == "review":
                return redirect(url_for("directory.review_page") + "#queue")
            return redirect(url_for("directory.service_page", service_id=service.id))
    form = request.form if request.method == "POST" else forms.service_form(service)
    return _form_page(
        "directory/service_form.html",
        errors,
        service=service,
        org=service.organization,
        form=form,
        form_list=forms.form_list(form),
    )


@bp.route("/services/<int:service_id>/quick", methods=["GET", "POST"])
@requires("coordinator")
def service_quick(service_id: int) -> ResponseReturnValue:
    """The quick edit: the fields that change most, one page, "save and mark verified →
    next in queue"; the full form one click away."""
    service = found(db.session.get(Service, service_id))
    from_review = request.args.get("from") == "review"
    errors: dict[str, Any] = {}
    if request.method == "POST":
        action = request.form.get("action", "save")
        try:
            quick.save(db.session, service, request.form, clock.now())
            if action in ("verify", "verify_next"):
                quick.verify(db.session, service, current_user, clock.today())
            db.session.commit()
        except (DomainError, StaleDataError) as exc:
            errors = form_errors(exc)
        if not errors:
            if action == "verify_next":
                upcoming = quick.next_in_queue(db.session, clock.today(), service)
                saved = _("“%(name)s” saved and marked verified today.", name=service.name)
                if upcoming is None:
                    flash(saved + " " + _("The review queue is empty."), "success")
                    return redirect(url_for("directory.review_page"))
                flash(saved + " " + _("Next in the queue:"), "success")
                return redirect(
                    url_for("directory.service_quick", service_id=upcoming.id, **FROM_REVIEW)
                )
            flash(
                _("Service saved and marked verified today.")
                if action == "verify"
                else _("Service saved."),
                "success",
            )
            if from_review:
                return redirect(url_for("directory.review_page") + "#queue")
            return redirect(url_for("directory.service_page", service_id=service.id))
    form = request.form if request.method == "POST" else quick.quick_form(service)
    return render_template(
        "directory/service_quick.html",
        service=service,
        form=form,
        errors=errors,
        hour_rows=quick.hour_rows(form),
        phone_rows=quick.phone_rows(form),
        hours_line=hours.summary(service),
        form_list=forms.form_list(form),
        from_review=from_review,
    ), (422 if errors else 200)


@bp.route("/services/<int:service_id>/verify", methods=["POST"])
@requires("coordinator")
def service_verify(service_id: int) -> ResponseReturnValue:
    service = found(db.session.get(Service, service_id))
    today = clock.today()
    records.verify_service(db.session, service, current_user, today)
    db.session.commit()
    message = _("Marked verified today (%(date)s).", date=format_day(today))
    if request.form.get("back") == "review":  # one click per unchanged row of the queue
        flash(message, "success")
        return redirect(url_for("directory.review_page") + "#queue")
    return confirm(message, service.id, "record")


@bp.route("/services/<int:service_id>/status", methods=["POST"])
@requires("coordinator")
def service_status(service_id: int) -> ResponseReturnValue:
    service = found(db.session.get(Service, service_id))
    status = "inactive" if request.form.get("status") == "inactive" else "active"
    if status == "inactive" and request.form.get("confirmed") != "1":
        return _confirm_page(
            _("Deactivate “%(name)s”?", name=service.name),
            _("It will no longer appear in search, sheets or exports. You can reactivate it."),
            _("Deactivate the service"),
            url_for("directory.service_status", service_id=service.id),
            url_for("directory.service_page", service_id=service.id) + "#record",
        )
    records.set_status(db.session, service, status)
    db.session.commit()
    return confirm(
        _("Service deactivated: it no longer appears in search.")
        if status == "inactive"
        else _("Service reactivated."),
        service.id,
        "record",
    )


@bp.route("/organizations/<int:org_id>/status", methods=["POST"])
@requires("coordinator")
def organization_status(org_id: int) -> ResponseReturnValue:
    org = found(db.session.get(Organization, org_id))
    status = "inactive" if request.form.get("status") == "inactive" else "active"
    if status == "inactive" and request.form.get("confirmed") != "1":
        count = sum(1 for s in org.services if s.status == "active")
        return _confirm_page(
            _("Deactivate “%(name)s”?", name=org.name),
            ngettext(
                "Its %(num)s active service will no longer appear in search, sheets or "
                "exports. You can reactivate it.",
                "Its %(num)s active services will no longer appear in search, sheets or "
                "exports. You can reactivate it.",
                count,
            ),
            _("Deactivate the organization"),
            url_for("directory.organization_status", org_id=org.id),
            url_for("directory.organization_page", org_id=org.id),
        )
    records.set_status(db.session, org, status)
    db.session.commit()
    flash(
        _("Organization deactivated.") if status == "inactive" else _("Organization reactivated."),
        "success",
    )
    return redirect(url_for("directory.organization_page", org_id=org.id))


def _confirm_page(title: str, explanation: str, label: str, action: str, cancel: str) -> str:
    """A destructive action asks first: the same POST again with ``confirmed=1``."""
    return render_template(
        "directory/confirm.html",
        title=title,
        explanation=explanation,
        confirm_label=label,
        action=action,
        cancel=cancel,
        fields={"status": "inactive"},
    )
