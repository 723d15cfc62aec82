"""Assessment pages: facilities and rounds, the respondent's form (one section per page,
saved as they go), results with chart and plan, comparisons, the network roll-up, and a
printable PDF report."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import clock, params
from app.auth import requires
from app.extensions import db
from app.forms import page_message
from app.i18n import LANGUAGES, ui_language
from app.links import shown_url
from app.pdf import pdf_response
from assessment import answers, bp, charts, evidence, instruments, rounds, suggestions
from assessment.models import (
    GOAL_STATUSES,
    HORIZONS,
    RESPONDENT_ROLES,
    AssessmentRound,
    Facility,
    PlanGoal,
    Response,
)
from assessment.schemas import GoalInSchema, SectionFormSchema
from directory.errors import NotFound, found
from directory.models import Organization


@bp.app_context_processor
def _assessment_globals() -> dict[str, tuple[str, ...]]:
    return {
        "respondent_roles": RESPONDENT_ROLES,
        "horizons": HORIZONS,
        "goal_statuses": GOAL_STATUSES,
    }


@bp.route("")
@requires("coordinator")
def index() -> ResponseReturnValue:
    facilities = db.session.scalars(
        select(Facility)
        .options(
            selectinload(Facility.organization),
            selectinload(Facility.rounds).selectinload(AssessmentRound.responses),
        )
        .order_by(Facility.id)
    ).all()
    taken = {f.organization_id for f in facilities}
    organizations = db.session.scalars(
        select(Organization).where(Organization.status == "active").order_by(Organization.name)
    ).all()
    return render_template(
        "assessment/index.html",
        facilities=facilities,
        organizations=[o for o in organizations if o.id not in taken],
        instruments=instruments.all_instruments(),
    )


@bp.route("/facilities", methods=["POST"])
@requires("coordinator")
def facility_new() -> ResponseReturnValue:
    data: dict[str, object] = {k: v for k, v in request.form.items() if v and k != "csrf_token"}
    if "organization_id" in data:
        data["organization_id"] = params.record_id("organization_id", request.form)
    if not data.get("organization_id") and len(request.form.get("name", "")) < 2:
        flash(_("Choose an organization, or give a name for a new one."), "error")
        return redirect(url_for("assessment.index"))
    try:
        facility = rounds.create_facility(db.session, data)
        db.session.commit()
    except rounds.InvalidAnswers as exc:
        db.session.rollback()
        flash(" ".join(" ".join(v) for v in exc.errors.values()), "error")
        return redirect(url_for("assessment.index"))
    flash(_("%(name)s is now a facility.", name=facility.name), "success")
    return redirect(url_for("assessment.index"))


@bp.route("/facilities/<int:facility_id>/rounds", methods=["POST"])
@requires("coordinator")
def round_new(facility_id: int) -> ResponseReturnValue:
    facility = found(db.session.get(Facility, facility_id))
    instrument = found(instruments.get(request.form.get("instrument", "")))
    title = request.form.get("title") or f"{instrument.title} {clock.today().isoformat()}"
    round_ = rounds.open_round(
        db.session, facility, instrument, current_user, clock.today(), title=title
    )
    db.session.commit()
    flash(_("Round started: share the respondent link with staff."), "success")
    return redirect(url_for("assessment.round_page", round_id=round_.id))


@bp.route("/rounds/<int:round_id>")
@requires("coordinator")
def round_page(round_id: int) -> ResponseReturnValue:
    round_ = found(db.session.get(AssessmentRound, round_id))
    result = rounds.results(round_)
    today = clock.today()
    d12 = None
    if round_.instrument == instruments.SERVICE:
        d12 = evidence.available_services(db.session, round_.facility.organization_id, today)
    return render_template(
        "assessment/results.html",
        r=result,
        round=round_,
        chart=charts.bars(result["weakest"]),
        plan=rounds.plan(round_),
        suggested=suggestions.for_round(db.session, round_),
        respondent_link=shown_url("assessment.start", round_id=round_.id),
        d12=d12,
        agencies=evidence.external_agencies(db.session, today),
    )


@bp.route("/rounds/<int:round_id>/close", methods=["POST"])
@requires("coordinator")
def round_close(round_id: int) -> ResponseReturnValue:
    round_ = found(db.session.get(AssessmentRound, round_id))
    if request.form.get("confirm") != "yes":  # irreversible: asked, never one stray click
        flash(_("The round is still open: tick “I want to close this round” to close it."), "error")
        return redirect(url_for("assessment.round_page", round_id=round_id))
    rounds.close_round(db.session, round_, clock.today())
    db.session.commit()
    flash(_("Round closed: no more answers are taken."), "success")
    return redirect(url_for("assessment.round_page", round_id=round_id))


@bp.route("/rounds/<int:round_id>/report.pdf")
@requires("coordinator")
def round_report(round_id: int) -> ResponseReturnValue:
    """The round's printable report, in the reader's language (``?lang=en|es|fr`` wins)."""
    round_ = found(db.session.get(AssessmentRound, round_id))
    lang = request.args.get("lang", "")
    lang = lang if lang in LANGUAGES else ui_language()
    result = rounds.results(round_)
    with force_locale(lang):
        html = render_template(
            "assessment/report.html",
            r=result,
            round=round_,
            lang=lang,
            chart=charts.bars(result["weakest"]),
            plan=rounds.plan(round_),
        )
    return pdf_response(html, f"assessment-round-{round_id}-{lang}.pdf")


@bp.route("/rounds/<int:round_id>/goals", methods=["POST"])
@requires("coordinator")
def goal_new(round_id: int) -> ResponseReturnValue:
    round_ = found(db.session.get(AssessmentRound, round_id))
    data = {k: request.form.get(k, "") for k in ("horizon", "section", "text")}
    if len(data["text"].strip()) < 3:
        flash(_("Describe the goal."), "error")
    else:
        try:
            data = GoalInSchema().load(data)  # the API's rules (its length) for the page too
            rounds.add_goal(db.session, round_, data, clock.today())
            db.session.commit()
            flash(_("Goal added to the plan."), "success")
        except (rounds.InvalidAnswers, ValidationError) as exc:
            db.session.rollback()
            problems = (
                exc.errors if isinstance(exc, rounds.InvalidAnswers) else exc.normalized_messages()
            )
            flash(" ".join(page_message(m) for v in problems.values() for m in v), "error")
    return redirect(url_for("assessment.round_page", round_id=round_id) + "#plan")


@bp.route("/rounds/<int:round_id>/suggestions/<section>/dismiss", methods=["POST"])
@requires("coordinator")
def suggestion_dismiss(round_id: int, section: str) -> ResponseReturnValue:
    """Turn down a suggested goal: it is not proposed again (it can be brought back)."""
    round_ = found(db.session.get(AssessmentRound, round_id))
    suggestions.dismiss(db.session, round_, section, request.form.get("text", ""), clock.today())
    db.session.commit()
    flash(_("Suggestion dismissed."), "success")
    return redirect(url_for("assessment.round_page", round_id=round_id) + "#plan")


@bp.route("/goals/<int:goal_id>/restore", methods=["POST"])
@requires("coordinator")
def suggestion_restore(goal_id: int) -> ResponseReturnValue:
    """Propose a dismissed suggestion again."""
    goal = found(db.session.get(PlanGoal, goal_id))
    round_id = goal.round_id
    suggestions.restore(db.session, goal)
    db.session.commit()
    return redirect(url_for("assessment.round_page", round_id=round_id) + "#suggested")


@bp.route("/goals/<int:goal_id>", methods=["POST"])
@requires("coordinator")
def goal_status(goal_id: int) -> ResponseReturnValue:
    goal = found(db.session.get(PlanGoal, goal_id))
    status = request.form.get("status")
    if status in GOAL_STATUSES:
        rounds.set_goal_status(db.session, goal, status)
        db.session.commit()
        flash(_("Goal updated."), "success")
    return redirect(url_for("assessment.round_page", round_id=goal.round_id) + "#plan")


@bp.route("/facilities/<int:facility_id>/compare")
@requires("coordinator")
def compare(facility_id: int) -> ResponseReturnValue:
    facility = found(db.session.get(Facility, facility_id))
    code = request.args.get("instrument", instruments.SERVICE)
    found(instruments.get(code))
    return render_template(
        "assessment/compare.html",
        facility=facility,
        c=rounds.comparison(db.session, facility, code),
    )


@bp.route("/network")
@requires("coordinator")
def network() -> ResponseReturnValue:
    code = request.args.get("instrument", instruments.SERVICE)
    found(instruments.get(code))
    return render_template(
        "assessment/network.html",
        n=rounds.network(db.session, code),
        instruments=instruments.all_instruments(),
    )


# --- respondents ----------------------------------------------------------------------------


@bp.route("/mine")
@requires("viewer")
def mine() -> ResponseReturnValue:
    """Rounds open for answers, and my drafts to finish."""
    open_rounds = db.session.scalars(
        select(AssessmentRound)
        .where(AssessmentRound.status == "open")
        .options(selectinload(AssessmentRound.facility).selectinload(Facility.organization))
        .order_by(AssessmentRound.id.desc())
    ).all()
    drafts = db.session.scalars(
        select(Response).where(
            Response.entered_by_id == current_user.id, Response.status == "draft"
        )
    ).all()
    just = params.record_id("submitted", required=False)
    submitted_round = db.session.get(AssessmentRound, just) if just else None
    return render_template(
        "assessment/mine.html",
        open_rounds=open_rounds,
        drafts=drafts,
        submitted_round=submitted_round,
    )


@bp.route("/rounds/<int:round_id>/respond", methods=["GET"])
@requires("viewer")
def start(round_id: int) -> ResponseReturnValue:
    """The respondent link a coordinator shares: the round, a role to choose, and Start
    (or Continue, for a draft already begun)."""
    round_ = found(db.session.get(AssessmentRound, round_id))
    mine = rounds.own_response(db.session, round_, current_user)
    draft = mine if mine is not None and mine.status == "draft" else None
    done = mine if mine is not None and mine.status == "submitted" else None
    first = instruments.of(round_.instrument).sections[0].code
    return render_template(
        "assessment/start.html", round=round_, draft=draft, done=done, first=first
    )


@bp.route("/rounds/<int:round_id>/respond", methods=["POST"])
@requires("viewer")
def respond(round_id: int) -> ResponseReturnValue:
    round_ = found(db.session.get(AssessmentRound, round_id))
    role = request.form.get("respondent_role")
    if role not in RESPONDENT_ROLES:
        flash(_("Choose your role."), "error")
        return redirect(url_for("assessment.mine"))
    first = instruments.of(round_.instrument).sections[0].code
    try:
        response = rounds.start_response(db.session, round_, role, current_user)
        db.session.commit()
    except rounds.AlreadyAnswered as exc:
        db.session.commit()  # the refusal's audit entry
        flash(
            _("You have already answered this round; you can change your answers here."),
            "warning",
        )
        return redirect(url_for("assessment.answer", response_id=exc.response.id, section=first))
    except rounds.InvalidAnswers as exc:
        db.session.rollback()
        flash(" ".join(" ".join(v) for v in exc.errors.values()), "error")
        return redirect(url_for("assessment.mine"))
    return redirect(url_for("assessment.answer", response_id=response.id, section=first))


def _own_response(response_id: int) -> Response:
    response = db.session.get(Response, response_id)
    if response is None or (
        response.entered_by_id != current_user.id and not current_user.has_role("coordinator")
    ):
        raise NotFound()
    return response


SAVED_MESSAGES = {
    answers.SUBMITTED: _l("Thank you: your answers are submitted."),
    answers.AMENDED: _l("Your changed answers are saved; they count once."),
    answers.LATER: _l("Saved. You can finish later from “Assessments to answer”."),
    answers.MOVED: _l("Your answers on this page are saved."),
}


@bp.route("/responses/<int:response_id>/<section>", methods=["GET", "POST"])
@requires("viewer")
def answer(response_id: int, section: str) -> ResponseReturnValue:
    """One section per page; every save keeps a draft; submit on the last page."""
    response = _own_response(response_id)
    instrument = instruments.of(response.round.instrument)
    current = found(instrument.section(section))
    errors: dict = {}
    saved = None
    if request.method == "POST":
        try:
            answers.may_change(response, current_user)
        except answers.AlreadySubmitted as exc:
            flash(exc.message, "error")
            return redirect(url_for("assessment.mine"))
        try:
            form = SectionFormSchema.for_section(current).load(request.form.to_dict())
        except ValidationError as exc:
            name, messages = next(iter(exc.normalized_messages().items()))
            params.refuse(name, messages[0])
        try:
            saved = answers.save_section(db.session, response, current, form, current_user)
            db.session.commit()
        except rounds.InvalidAnswers as exc:
            db.session.rollback()
            errors = exc.by_code()
        if saved is not None and saved.outcome != answers.CONFIRM:
            flash(str(SAVED_MESSAGES[saved.outcome]), "success")
            if saved.outcome == answers.MOVED:
                target = url_for("assessment.answer", response_id=response.id, section=saved.target)
            elif saved.outcome == answers.LATER:
                target = url_for("assessment.mine")
            else:
                target = url_for("assessment.mine", submitted=response.round_id)
            return redirect(target)
    beside = {
        item.code: evidence.for_item(db.session, item.evidence, clock.today())
        for item in current.items
        if item.evidence
    }
    d12 = None
    if current.directory_link == "available_services":
        d12 = evidence.available_services(
            db.session, response.round.facility.organization_id, clock.today()
        )
    codes = [s.code for s in instrument.sections]
    return render_template(
        "assessment/answer.html",
        response=response,
        unanswered=saved.unanswered if saved else None,  # asked before submitting
        instrument=instrument,
        section=current,
        index=codes.index(section),
        codes=codes,
        errors=errors,
        amending=answers.amending(response, current_user),
        beside=beside,
        d12=d12,
        answers={
            **response.answers,
            **(
                {k: v for k, v in request.form.items() if k.startswith("answer-")} if errors else {}
            ),
        },
    ), (422 if errors else 200)
