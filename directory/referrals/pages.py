"""Referral pages: refer (hand-off contact first, consent required; optionally send it to
the partner's inbox), my follow-ups, one referral's follow-up and loop (cancel, withdraw
consent, the printable consent receipt), and the network figures with their CSV."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app import audit, clock, params
from app.auth import requires
from app.dates import format_day
from app.extensions import db
from app.i18n import LANGUAGES
from app.pdf import pdf_response
from directory.blueprint import bp
from directory.catalog import present
from directory.catalog.pages import form_errors, load_form
from directory.errors import DomainError, NotFound
from directory.models import Service
from directory.referrals import disclosure, figures, handoff, loop, sending
from directory.referrals.schemas import ReferralInSchema, ReferralPatchSchema


@bp.route("/referrals/new", methods=["GET", "POST"])
@requires("case_manager")
def referral_new() -> ResponseReturnValue:
    """Refer: the hand-off contact, phone, hours and open-now at the top; consent required."""
    service = db.session.get(Service, params.record_id("service_id"))
    if service is None:
        raise NotFound()
    errors: dict[str, Any] = {}
    form: Mapping[str, str | None] = request.form
    today = clock.today()
    if request.method == "POST":
        # every problem at once: the hand-off is checked with the others (``handoff.create``)
        data, errors = load_form(ReferralInSchema(partial=("handoff",)), request.form)
        if not errors:
            try:
                referral = handoff.create(db.session, data, current_user, today, clock.now())
                db.session.commit()
                if referral.loop_state:
                    flash(
                        _(
                            "Referral sent. Give the client the arrival code %(code)s.",
                            code=referral.arrival_code,
                        ),
                        "success",
                    )
                else:
                    flash(
                        _(
                            "Referral recorded. Follow up on %(date)s.",
                            date=format_day(referral.follow_up_on),
                        ),
                        "success",
                    )
                return redirect(url_for("directory.referral_page", referral_id=referral.id))
            except DomainError as exc:
                errors = form_errors(exc)
    else:
        form = {
            "follow_up_on": (today + timedelta(days=handoff.DEFAULT_FOLLOW_UP_DAYS)).isoformat(),
            "need": service.category,  # no hand-off chosen for the user: none happened yet
        }
    return render_template(
        "directory/referral_form.html",
        service=service,
        item=present.one(db.session, service, current_user, clock.now()),
        form=form,
        errors=errors,
    ), (422 if errors else 200)


@bp.route("/referrals")
@requires("case_manager")
def referrals_page() -> ResponseReturnValue:
    """My follow-ups: due and overdue first (coordinators see everyone's)."""
    today = clock.today()
    due = handoff.listing(db.session, current_user, due=True, today=today)
    others = [
        r for r in handoff.listing(db.session, current_user, due=False, today=today) if r not in due
    ]
    db.session.commit()
    return render_template("directory/referrals.html", due=due, others=others, today=today)


@bp.route("/referrals/<int:referral_id>", methods=["GET", "POST"])
@requires("case_manager")
def referral_page(referral_id: int) -> ResponseReturnValue:
    referral = handoff.get(db.session, referral_id, current_user)
    handoff.mark_seen(referral, current_user)
    errors: dict[str, Any] = {}
    form = request.form
    if request.method == "POST":
        data, errors = load_form(ReferralPatchSchema(), request.form)
        if not errors:
            try:
                handoff.update(db.session, referral, data, clock.today(), clock.now())
                db.session.commit()
                flash(_("Follow-up saved."), "success")
                return redirect(url_for("directory.referral_page", referral_id=referral.id))
            except DomainError as exc:
                errors = form_errors(exc, "Someone else updated this referral; reload it.")
    db.session.commit()
    return render_template(
        "directory/referral.html",
        referral=referral,
        loop=disclosure.sender_view(referral),
        form=form,
        errors=errors,
    ), (422 if errors else 200)


@bp.route("/referrals/<int:referral_id>/cancel", methods=["POST"])
@requires("case_manager")
def referral_cancel(referral_id: int) -> ResponseReturnValue:
    """The sender cancels a sent referral (the partner sees it cancelled)."""
    referral = handoff.get(db.session, referral_id, current_user)
    try:
        loop.sender_set(db.session, referral, "cancelled", clock.now(), request.form.get("reason"))
        db.session.commit()
        flash(_("Referral cancelled."), "success")
    except DomainError as exc:
        db.session.rollback()
        flash(_("Not done: %(reason)s", reason=exc.message), "error")
    return redirect(url_for("directory.referral_page", referral_id=referral_id))


@bp.route("/referrals/<int:referral_id>/revoke-consent", methods=["POST"])
@requires("case_manager")
def referral_revoke_consent(referral_id: int) -> ResponseReturnValue:
    """The client withdrew consent for this partner: open referrals cancelled, content
    purged at once."""
    referral = handoff.get(db.session, referral_id, current_user)
    try:
        sending.revoke_consent(db.session, referral, clock.now())
        db.session.commit()
        flash(
            _("Consent withdrawn: open referrals cancelled and their content removed."), "success"
        )
    except DomainError as exc:
        db.session.rollback()
        flash(_("Not done: %(reason)s", reason=exc.message), "error")
    return redirect(url_for("directory.referral_page", referral_id=referral_id))


def _receipt(referral_id: int, lang: str, *, pdf: bool) -> str:
    referral = handoff.get(db.session, referral_id, current_user)
    if referral.loop_state is None or referral.consent_record is None:
        raise NotFound()
    with force_locale(lang):
        html = render_template(
            "directory/consent_receipt.html",
            referral=referral,
            consent=referral.consent_record,
            lang=lang,
            pdf=pdf,
        )
    db.session.commit()
    return html


def _receipt_lang() -> str:
    lang = request.args.get("lang", "")
    return lang if lang in LANGUAGES else (get_locale().language if get_locale() else "en")


@bp.route("/referrals/<int:referral_id>/consent-receipt")
@requires("case_manager")
def referral_consent_receipt(referral_id: int) -> ResponseReturnValue:
    """The one-page consent receipt to print and give the client (``lang`` en, es, fr)."""
    return _receipt(referral_id, _receipt_lang(), pdf=False)


@bp.route("/referrals/<int:referral_id>/consent-receipt.pdf")
@requires("case_manager")
def referral_consent_receipt_pdf(referral_id: int) -> ResponseReturnValue:
    """The consent receipt as a one-page PDF (WeasyPrint, like the sheets)."""
    return pdf_response(
        _receipt(referral_id, _receipt_lang(), pdf=True), "consent-receipt.pdf", download=True
    )


def _figures_since() -> date:
    return (clock.today().replace(day=1) - timedelta(days=31 * 11)).replace(day=1)


@bp.route("/referrals/figures")
@requires("coordinator")
def referral_figures() -> ResponseReturnValue:
    return render_template(
        "directory/figures.html", figures=figures.figures(db.session, _figures_since())
    )


@bp.route("/referrals/figures.csv")
@requires("coordinator")
def referral_figures_csv() -> ResponseReturnValue:
    """De-identified figures as CSV: month, group, referrals, closed, connected, rate."""
    body = figures.figures_csv(figures.figures(db.session, _figures_since()))
    audit.export_read(db.session, "referral figures", "csv")
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=referral-figures.csv"},
    )
