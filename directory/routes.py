"""Directory pages: search, service and organization pages, and the coordinator's forms.

Thin: parse with a schema, call ``search``/``records``, render a template.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError
from sqlalchemy.orm.exc import StaleDataError
from webargs.multidictproxy import MultiDictProxy

from app.auth import requires
from app.dates import format_day
from app.extensions import db
from app.forms import flat_errors, form_to_data
from directory import (
    bp,
    feedback,
    freshness,
    geo,
    hours,
    identifiers,
    languages,
    present,
    ratings,
    records,
    referrals,
    search,
    taxonomy,
)
from directory.models import (
    AAAQ_DIMENSIONS,
    CAPACITY_UNITS,
    CARE_TYPES,
    CHANNELS,
    COSTS,
    GENDERS,
    HANDOFFS,
    IMMIGRATION,
    MODALITIES,
    MOU_STATUSES,
    NOT_CONNECTED_REASONS,
    ORG_KINDS,
    OUTCOMES,
    PHONE_KINDS,
    RATING_BASES,
    REFERRAL_STATUSES,
    SCOPES,
    WEEKDAYS,
    FeedbackNote,
    Organization,
    Service,
)
from directory.schemas import (
    CapacityInSchema,
    FeedbackInSchema,
    OrganizationInSchema,
    RatingInSchema,
    ReferralInSchema,
    ReferralPatchSchema,
    SearchArgs,
    ServiceInSchema,
)

CHOICES = {
    "genders": GENDERS,
    "immigration": IMMIGRATION,
    "costs": COSTS,
    "modalities": MODALITIES,
    "care_types": CARE_TYPES,
    "phone_kinds": PHONE_KINDS,
    "org_kinds": ORG_KINDS,
    "scopes": SCOPES,
    "mou_statuses": MOU_STATUSES,
    "weekdays": WEEKDAYS,
    "aaaq_dimensions": AAAQ_DIMENSIONS,
    "rating_bases": RATING_BASES,
    "outcomes": OUTCOMES,
    "channels": CHANNELS,
    "capacity_units": CAPACITY_UNITS,
    "handoffs": HANDOFFS,
    "referral_statuses": REFERRAL_STATUSES,
    "not_connected_reasons": NOT_CONNECTED_REASONS,
}


def _now() -> datetime:
    return datetime.now(UTC)


@bp.app_template_filter("pair")
def _pair(value: str) -> tuple[str, str]:
    """'sliding_scale' → ('sliding_scale', 'Sliding scale') for select options."""
    return value, value.replace("_", " ").capitalize()


bp.add_app_template_filter(present.readable_phone, "phone")


@bp.app_context_processor
def _directory_globals():
    return {
        "taxonomy_groups": taxonomy.groups(),
        "categories": taxonomy.categories(),
        "language_name": languages.name,
        "common_languages": languages.COMMON,
        "choices": CHOICES,
    }


def _non_blank_args() -> MultiDictProxy:
    args = request.args.copy()
    for key in list(args):
        values = [v for v in args.getlist(key) if v.strip()]
        if values:
            args.setlist(key, values)
        else:
            del args[key]
    return MultiDictProxy(args, SearchArgs())


@bp.route("/", endpoint="search")
@requires("viewer")
def search_page():
    """Search with every filter; results as cards with phone, hours, languages, distance."""
    errors, page, args = {}, None, {}
    now = _now()
    try:
        args = SearchArgs().load(_non_blank_args())
        page = search.run(
            db.session,
            search.filters_from_args(args),
            page=args["page"],
            per_page=args["per_page"],
            now_utc=now,
        )
    except ValidationError as exc:
        errors = flat_errors(exc.messages)
    except geo.UnknownPlace as exc:
        errors = {"near": [str(exc)]}
    items = present.items(db.session, page.items, current_user, now) if page else []
    status = 422 if errors else 200
    return render_template(
        "directory/search.html",
        page=page,
        items=items,
        errors=errors,
        args=request.args,
        stale_before=_stale_before(),
    ), status


def _stale_before() -> date:
    return date.today() - timedelta(days=current_app.config["STALE_AFTER_DAYS"])


@bp.route("/services/<int:service_id>")
@requires("viewer")
def service_page(service_id: int):
    service = db.session.get(Service, service_id) or abort(404)
    return _render_service(service)


def _render_service(service: Service, *, status: int = 200, **forms):
    """The service page; ``forms`` carry a refused form's input and errors back to it."""
    now = _now()
    notes = None
    if current_user.has_role("case_manager"):
        notes = feedback.notes(db.session, service.id, current_user, limit=20)
        db.session.commit()
    history = None
    if current_user.has_role("coordinator"):
        history = records.change_history(db.session, "services", service.id, limit=50)
    item = present.one(db.session, service, current_user, now)
    return render_template(
        "directory/service.html",
        service=service,
        item=item,
        share=present.share_text(item),
        qr=present.qr_svg(item),
        ratings_history=ratings.history(db.session, service.id),
        notes=notes,
        history=history,
        forms=forms,
        stale_before=_stale_before(),
    ), status


def _load_form(schema, form):
    """A small posted form → (data, errors keyed by field)."""
    data, origin = form_to_data(form, schema)
    try:
        return schema.load(data), {}
    except ValidationError as exc:
        return None, flat_errors(exc.messages, origin)


@bp.route("/services/<int:service_id>/ratings", methods=["POST"])
@requires("coordinator")
def service_rate(service_id: int):
    service = db.session.get(Service, service_id) or abort(404)
    form = {k: v for k, v in request.form.items() if k != "csrf_token" and v != ""}
    for dim in AAAQ_DIMENSIONS:  # the form's "N/A" choice is an empty value: null
        form.setdefault(dim, None)
    data, errors = None, {}
    try:
        data = RatingInSchema().load(form)
    except ValidationError as exc:
        errors = flat_errors(exc.messages)
    if not errors:
        try:
            ratings.rate_service(db.session, service, data, current_user, date.today())
            db.session.commit()
            flash("AAAQ rating saved.", "success")
            return redirect(url_for("directory.service_page", service_id=service.id) + "#aaaq")
        except ratings.InvalidRating as exc:
            db.session.rollback()
            errors = exc.errors
    return _render_service(service, status=422, rating={"form": request.form, "errors": errors})


@bp.route("/services/<int:service_id>/feedback", methods=["POST"])
@requires("case_manager")
def service_feedback(service_id: int):
    service = db.session.get(Service, service_id) or abort(404)
    data, errors = _load_form(FeedbackInSchema(), request.form)
    marked = None
    if not errors:
        try:
            feedback.add_note(db.session, service, data, current_user, date.today())
            db.session.commit()
            flash("Feedback note saved.", "success")
            return redirect(url_for("directory.service_page", service_id=service.id) + "#feedback")
        except feedback.IdentifiersFound as exc:
            db.session.rollback()
            errors = exc.errors
            marked = identifiers.highlight(exc.text, exc.findings)
    return _render_service(
        service,
        status=422,
        feedback={"form": request.form, "errors": errors, "marked": marked},
    )


@bp.route("/feedback/<int:note_id>/hide", methods=["POST"])
@requires("coordinator")
def feedback_hide(note_id: int):
    note = db.session.get(FeedbackNote, note_id) or abort(404)
    feedback.hide(db.session, note, current_user, request.form.get("reason") or None)
    db.session.commit()
    flash("Note hidden from case managers (kept in the record).", "success")
    return redirect(url_for("directory.service_page", service_id=note.service_id) + "#feedback")


@bp.route("/services/<int:service_id>/capacity", methods=["POST"])
@requires("coordinator")
def service_capacity(service_id: int):
    service = db.session.get(Service, service_id) or abort(404)
    data, errors = _load_form(CapacityInSchema(), request.form)
    if not errors:
        records.update_capacity(db.session, service, data, _now())
        db.session.commit()
        flash("Capacity updated.", "success")
        return redirect(url_for("directory.service_page", service_id=service.id) + "#capacity")
    return _render_service(service, status=422, capacity={"form": request.form, "errors": errors})


@bp.route("/review")
@requires("coordinator")
def review_page():
    """The coordinator's review queue: records to verify or re-evaluate."""
    queue = freshness.review_queue(db.session, date.today())
    return render_template("directory/review.html", queue=queue)


@bp.route("/organizations")
@requires("viewer")
def organizations_page():
    q = request.args.get("q", "").strip()
    rows, total = records.organizations(db.session, q or None, None, 1, 500)
    return render_template("directory/organizations.html", organizations=rows, total=total, q=q)


@bp.route("/organizations/<int:org_id>")
@requires("viewer")
def organization_page(org_id: int):
    org = db.session.get(Organization, org_id) or abort(404)
    items = present.items(db.session, org.services, current_user, _now())
    places = [present.place(loc, current_user) for loc in org.locations]
    return render_template("directory/organization.html", org=org, items=items, places=places)


# --- coordinator forms ----------------------------------------------------------------------


def _save(schema, form, apply):
    """Validate a posted form with ``schema`` and ``apply`` it; errors keyed by field name."""
    data, origin = form_to_data(form, schema)
    try:
        loaded = schema.load(data)
        result = apply(loaded)
        db.session.commit()
        return result, {}
    except ValidationError as exc:
        db.session.rollback()
        return None, flat_errors(exc.messages, origin)
    except records.InvalidRecord as exc:
        db.session.rollback()
        return None, exc.errors
    except (records.StaleVersion, StaleDataError):
        db.session.rollback()
        return None, {
            "_schema": [
                "Someone else changed this record while you were editing. Your changes are "
                "below, not saved; open the record again to see theirs, then re-apply yours."
            ]
        }


@bp.route("/organizations/new", methods=["GET", "POST"])
@requires("coordinator")
def organization_new():
    errors = {}
    if request.method == "POST":
        org, errors = _save(
            OrganizationInSchema(),
            request.form,
            lambda d: records.create_organization(db.session, d),
        )
        if org:
            flash(f"Organization “{org.name}” added.", "success")
            return redirect(url_for("directory.organization_page", org_id=org.id))
    return render_template(
        "directory/organization_form.html", org=None, form=request.form, errors=errors
    ), (422 if errors else 200)


@bp.route("/organizations/<int:org_id>/edit", methods=["GET", "POST"])
@requires("coordinator")
def organization_edit(org_id: int):
    org = db.session.get(Organization, org_id) or abort(404)
    errors = {}
    if request.method == "POST":
        saved, errors = _save(
            OrganizationInSchema(),
            request.form,
            lambda d: records.update_organization(db.session, org, d),
        )
        if saved:
            flash("Organization saved.", "success")
            return redirect(url_for("directory.organization_page", org_id=org.id))
    form = request.form if request.method == "POST" else _org_form(org)
    return render_template("directory/organization_form.html", org=org, form=form, errors=errors), (
        422 if errors else 200
    )


def _org_form(org: Organization) -> dict:
    form = {
        k: ("" if v is None else v)
        for k, v in present.organization_item(org).items()
        if not isinstance(v, list)
    }
    for i, p in enumerate(org.phones):
        form.update(
            {
                f"phones.{i}.number": p.number,
                f"phones.{i}.kind": p.kind,
                f"phones.{i}.extension": p.extension or "",
                f"phones.{i}.label": p.label or "",
            }
        )
    return form


@bp.route("/services/new", methods=["GET", "POST"])
@requires("coordinator")
def service_new():
    org_id = request.values.get("organization_id", type=int)
    org = db.session.get(Organization, org_id) if org_id else None
    if org is None:
        abort(404)
    errors = {}
    if request.method == "POST":
        service, errors = _save(
            ServiceInSchema(), request.form, lambda d: records.create_service(db.session, d)
        )
        if service:
            flash(f"Service “{service.name}” added.", "success")
            return redirect(url_for("directory.service_page", service_id=service.id))
    form = request.form if request.method == "POST" else {"organization_id": org.id}
    return render_template(
        "directory/service_form.html",
        service=None,
        org=org,
        form=form,
        errors=errors,
        form_list=_form_list(form),
    ), (422 if errors else 200)


@bp.route("/services/<int:service_id>/edit", methods=["GET", "POST"])
@requires("coordinator")
def service_edit(service_id: int):
    service = db.session.get(Service, service_id) or abort(404)
    errors = {}
    if request.method == "POST":
        saved, errors = _save(
            ServiceInSchema(),
            request.form,
            lambda d: records.update_service(db.session, service, d),
        )
        if saved:
            flash("Service saved.", "success")
            return redirect(url_for("directory.service_page", service_id=service.id))
    form = request.form if request.method == "POST" else _service_form(service)
    return render_template(
        "directory/service_form.html",
        service=service,
        org=service.organization,
        form=form,
        errors=errors,
        form_list=_form_list(form),
    ), (422 if errors else 200)


def _form_list(form) -> callable:
    """Template helper: the values of a multi-valued field (checkbox groups)."""

    def values(name: str) -> list[str]:
        if hasattr(form, "getlist"):
            return form.getlist(name)
        value = form.get(name, [])
        return value.split() if isinstance(value, str) else list(value)

    return values


def _service_form(s: Service) -> dict:
    """A service as the edit form's field values."""
    form = {c.key: getattr(s, c.key) for c in Service.__table__.columns}
    form = {k: ("" if v is None else v) for k, v in form.items()}
    form["languages"] = s.language_list
    for i, span in enumerate(s.hours):
        form.update(
            {
                f"hours.{i}.weekday": WEEKDAYS[span.weekday],
                f"hours.{i}.opens": hours.format_time(span.opens),
                f"hours.{i}.closes": hours.format_time(span.closes),
            }
        )
    for i, p in enumerate(s.phones):
        form.update(
            {
                f"phones.{i}.number": p.number,
                f"phones.{i}.kind": p.kind,
                f"phones.{i}.extension": p.extension or "",
                f"phones.{i}.label": p.label or "",
            }
        )
    if s.location:
        for c in (
            "name",
            "address_1",
            "address_2",
            "city",
            "region",
            "postal_code",
            "country",
            "latitude",
            "longitude",
            "timezone",
            "confidential",
        ):
            value = getattr(s.location, c)
            form[f"location.{c}"] = "" if value is None else value
    return form


@bp.route("/services/<int:service_id>/verify", methods=["POST"])
@requires("coordinator")
def service_verify(service_id: int):
    service = db.session.get(Service, service_id) or abort(404)
    records.verify_service(db.session, service, current_user, date.today())
    db.session.commit()
    flash(f"Marked verified today ({format_day(date.today())}).", "success")
    return redirect(url_for("directory.service_page", service_id=service.id))


@bp.route("/services/<int:service_id>/status", methods=["POST"])
@requires("coordinator")
def service_status(service_id: int):
    service = db.session.get(Service, service_id) or abort(404)
    status = "inactive" if request.form.get("status") == "inactive" else "active"
    records.set_status(db.session, service, status)
    db.session.commit()
    flash(
        "Service deactivated: it no longer appears in search."
        if status == "inactive"
        else "Service reactivated.",
        "success",
    )
    return redirect(url_for("directory.service_page", service_id=service.id))


@bp.route("/organizations/<int:org_id>/status", methods=["POST"])
@requires("coordinator")
def organization_status(org_id: int):
    org = db.session.get(Organization, org_id) or abort(404)
    status = "inactive" if request.form.get("status") == "inactive" else "active"
    records.set_status(db.session, org, status)
    db.session.commit()
    flash(
        "Organization deactivated." if status == "inactive" else "Organization reactivated.",
        "success",
    )
    return redirect(url_for("directory.organization_page", org_id=org.id))


# --- referrals ----------------------------------------------------------------------------


@bp.route("/referrals/new", methods=["GET", "POST"])
@requires("case_manager")
def referral_new():
    """Refer: the hand-off contact, phone, hours and open-now at the top; consent required."""
    service = db.session.get(Service, request.values.get("service_id", type=int) or 0)
    if service is None:
        abort(404)
    errors, form = {}, request.form
    if request.method == "POST":
        data, errors = _load_form(ReferralInSchema(), request.form)
        if not errors:
            try:
                referral = referrals.create(db.session, data, current_user, date.today())
                db.session.commit()
                flash(
                    f"Referral recorded. Follow up on {format_day(referral.follow_up_on)}.",
                    "success",
                )
                return redirect(url_for("directory.referral_page", referral_id=referral.id))
            except referrals.InvalidReferral as exc:
                db.session.rollback()
                errors = exc.errors
    else:
        form = {
            "follow_up_on": (
                date.today() + timedelta(days=referrals.DEFAULT_FOLLOW_UP_DAYS)
            ).isoformat(),
            "need": service.category,
            "handoff": "warm_call",
        }
    return render_template(
        "directory/referral_form.html",
        service=service,
        item=present.one(db.session, service, current_user, _now()),
        form=form,
        errors=errors,
    ), (422 if errors else 200)


@bp.route("/referrals")
@requires("case_manager")
def referrals_page():
    """My follow-ups: due and overdue first (coordinators see everyone's)."""
    today = date.today()
    due = referrals.listing(db.session, current_user, due=True, today=today)
    others = [
        r
        for r in referrals.listing(db.session, current_user, due=False, today=today)
        if r not in due
    ]
    db.session.commit()
    return render_template("directory/referrals.html", due=due, others=others, today=today)


@bp.route("/referrals/<int:referral_id>", methods=["GET", "POST"])
@requires("case_manager")
def referral_page(referral_id: int):
    try:
        referral = referrals.get(db.session, referral_id, current_user)
    except referrals.NotYours:
        abort(404)
    errors, form = {}, request.form
    if request.method == "POST":
        data, errors = _load_form(ReferralPatchSchema(), request.form)
        if not errors:
            try:
                referrals.update(db.session, referral, data, date.today())
                db.session.commit()
                flash("Follow-up saved.", "success")
                return redirect(url_for("directory.referral_page", referral_id=referral.id))
            except referrals.InvalidReferral as exc:
                db.session.rollback()
                errors = exc.errors
            except (records.StaleVersion, StaleDataError):
                db.session.rollback()
                errors = {"_schema": ["Someone else updated this referral; reload it."]}
    db.session.commit()
    return render_template(
        "directory/referral.html", referral=referral, form=form, errors=errors
    ), (422 if errors else 200)


@bp.route("/referrals/figures")
@requires("coordinator")
def referral_figures():
    since = (date.today().replace(day=1) - timedelta(days=31 * 11)).replace(day=1)
    return render_template("directory/figures.html", figures=referrals.figures(db.session, since))


@bp.route("/referrals/figures.csv")
@requires("coordinator")
def referral_figures_csv():
    """De-identified figures as CSV: month, group, referrals, closed, connected, rate."""
    since = (date.today().replace(day=1) - timedelta(days=31 * 11)).replace(day=1)
    figures = referrals.figures(db.session, since)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["month", "group", "referrals", "closed", "connected", "connection_rate"])
    for row in figures["by_month"]:
        writer.writerow(
            [
                row["month"],
                row["group"],
                row["referrals"],
                row["closed"],
                row["connected"],
                row["connection_rate"],
            ]
        )
    writer.writerow([])
    writer.writerow(["unmet need: categories", "filters", "searches"])
    for row in figures["unmet"]:
        writer.writerow([row["categories"], row["filters"], row["searches"]])
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=referral-figures.csv"},
    )
