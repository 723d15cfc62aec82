"""Assessment rounds: facilities, respondents' answers (drafts and submissions), results,
improvement plans, comparisons over time and the network roll-up."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import audit
from app.extensions import DbSession
from app.models import User, utcnow
from assessment import scoring
from assessment.instruments import Instrument, Item, guidance_for, of
from assessment.models import GOAL_STATUSES, HORIZONS, AssessmentRound, Facility, PlanGoal, Response
from directory.errors import DomainError, Invalid
from directory.models import Organization

HORIZON_DAYS = {"10_days": 10, "1_month": 30, "3_months": 91, "6_months": 182, "1_year": 365}


class InvalidAnswers(Invalid):
    """Answers break the instrument's rules; ``errors`` names each bad key (answers and
    ratings by item or section code, one level down). Uncaught, it is the API's 422
    "Invalid answers." naming them."""

    def __init__(self, errors: dict):
        super().__init__(errors, "Invalid answers.")

    def by_code(self) -> dict:
        """The messages by item or section code (answers and ratings merged), as the form
        shows them beside each question."""
        flat: dict = {}
        for key, group in self.errors.items():
            flat.update(group if isinstance(group, dict) else {key: group})
        return flat


def create_facility(session: DbSession, data: dict) -> Facility:
    """A facility for an existing organization, or for a new one added for the purpose."""
    if data.get("organization_id"):
        org = session.get(Organization, data["organization_id"])
        if org is None:
            raise InvalidAnswers({"organization_id": ["No such organization."]})
        existing = session.scalar(select(Facility).where(Facility.organization_id == org.id))
        if existing:
            return existing
    else:
        org = Organization(name=data["name"], kind=data.get("kind", "ngo"), scope="local")
        session.add(org)
    facility = Facility(organization=org, notes=data.get("notes"))
    session.add(facility)
    session.flush()
    return facility


def open_round(
    session: DbSession,
    facility: Facility,
    instrument: Instrument,
    user: User,
    today: date,
    title: str | None = None,
) -> AssessmentRound:
    """The facility's open round of this instrument, or a new one."""
    current = session.scalar(
        select(AssessmentRound)
        .where(
            AssessmentRound.facility_id == facility.id,
            AssessmentRound.instrument == instrument.code,
            AssessmentRound.status == "open",
        )
        .order_by(AssessmentRound.id.desc())
    )
    if current and not title:
        return current
    new = AssessmentRound(
        facility_id=facility.id,
        instrument=instrument.code,
        title=title or f"{instrument.title} {today.isoformat()}",
        started_on=today,
        status="open",
        created_by_id=user.id,
    )
    session.add(new)
    session.flush()
    return new


def close_round(session: DbSession, round_: AssessmentRound, today: date) -> None:
    round_.status = "closed"
    round_.closed_on = today
    session.flush()


def validate(instrument: Instrument, answers: dict, ratings: dict) -> None:
    """Raise ``InvalidAnswers`` naming every unknown code, out-of-scale value, answer to a
    child that is not asked, and rating outside 1-5."""
    items = instrument.items
    bad_answers: dict[str, list[str]] = {}
    for code, value in answers.items():
        item = items.get(code)
        if item is None:
            bad_answers[code] = ["Unknown item code."]
        elif value is not None and value not in instrument.answer_values:
            allowed = ", ".join(str(v) for v in instrument.answer_values)
            bad_answers[code] = [f"Must be one of: {allowed}."]
        elif value is not None and not scoring.applicable(item, answers):
            parent = answers.get(item.parent)
            bad_answers[code] = [
                f"Asked only if {item.parent} is {str(item.asked_if).upper()}"
                f" (it is {str(parent).upper() if parent else 'unanswered'})."
            ]
    bad_ratings: dict[str, list[str]] = {}
    rated = {s.code for s in instrument.rated_sections}
    for code, value in ratings.items():
        if code not in rated:
            bad_ratings[code] = ["Unknown or unrated section code."]
        elif value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5
        ):
            bad_ratings[code] = ["Must be 1 to 5, or null for N/A (don't know)."]
    errors = {}
    if bad_answers:
        errors["answers"] = bad_answers
    if bad_ratings:
        errors["ratings"] = bad_ratings
    if errors:
        raise InvalidAnswers(errors)


def save_response(
    session: DbSession,
    round_: AssessmentRound,
    data: dict,
    user: User,
    *,
    response: Response | None = None,
) -> Response:
    """Create or continue one respondent's answers; ``submit`` makes it count."""
    instrument = of(round_.instrument)
    if round_.status != "open":
        raise InvalidAnswers({"round": ["This round is closed."]})
    answers = dict(response.answers if response else {})
    answers.update(data.get("answers") or {})
    ratings_ = dict(response.ratings if response else {})
    ratings_.update(data.get("ratings") or {})
    # a parent changed to NO drops its IF YES children answered earlier (and vice versa)
    answers = {k: v for k, v in answers.items() if v is not None}
    for code, item in instrument.items.items():
        if code in answers and item.parent and code not in (data.get("answers") or {}):
            if not scoring.applicable(item, answers):
                del answers[code]
    validate(instrument, answers, ratings_)
    if response is None:
        response = Response(
            round_id=round_.id, respondent_role=data["respondent_role"], entered_by_id=user.id
        )
        session.add(response)
    elif response.status == "submitted" and not (
        data.get("amend") and response.entered_by_id == user.id
    ):
        # a respondent may edit their own submitted answer while the round is open (it
        # still counts once); nobody else changes it
        raise InvalidAnswers({"status": ["This response was submitted; it can no longer change."]})
    response.answers = answers
    response.ratings = ratings_
    if data.get("respondent_role"):
        response.respondent_role = data["respondent_role"]
    if data.get("submit"):
        if not answers:  # a blank response is no respondent: it would count as one
            raise InvalidAnswers({"answers": ["Answer at least one question before submitting."]})
        response.status = "submitted"
        response.submitted_at = utcnow()
    session.flush()
    return response


class AlreadyAnswered(DomainError):
    """The user already has a response in this round: a second one would count them twice."""

    status = 409

    def __init__(self, response: Response):
        super().__init__(message=f"already answered: response {response.id}")
        self.response = response


def own_response(session: DbSession, round_: AssessmentRound, user: User) -> Response | None:
    """``user``'s own response to ``round_`` through the respondent link (draft or
    submitted), if any: one respondent, one response."""
    return session.scalar(
        select(Response)
        .where(Response.round_id == round_.id, Response.entered_by_id == user.id)
        .order_by(Response.id.desc())
        .limit(1)
    )


def start_response(session: DbSession, round_: AssessmentRound, role: str, user: User) -> Response:
    """Begin ``user``'s response to ``round_``. A second response by the same user (a
    repeated "Start", a replayed form, a script) is refused and audited, never counted:
    ``AlreadyAnswered`` carries the response they may continue or edit instead."""
    existing = own_response(session, round_, user)
    if existing is not None:
        audit.record(
            session,
            "refuse",
            "assessment_responses",
            existing.id,
            outcome="refused",
            detail=f"a second response to round {round_.id} by the same user",
        )
        raise AlreadyAnswered(existing)
    return save_response(session, round_, {"respondent_role": role}, user)


def unanswered(instrument: Instrument, answers: dict) -> list[Item]:
    """The items still asked (their parent's answer calls for them) that have no answer, in
    document order: what a respondent confirms leaving blank before submitting."""
    return [
        item
        for item in instrument.items.values()
        if item.code not in answers and scoring.applicable(item, answers)
    ]


def submitted(round_: AssessmentRound) -> list[tuple[dict, dict]]:
    return [(r.answers, r.ratings) for r in round_.responses if r.status == "submitted"]


def results(round_: AssessmentRound) -> dict:
    """Everything the results page, the API and the report show for a round."""
    instrument = of(round_.instrument)
    responses = submitted(round_)
    collated = scoring.collate(instrument, responses)
    stats = scoring.item_stats(instrument, responses)
    scored = [c for c in collated if c.maximum_all]
    return {
        "instrument": instrument,
        "round": round_,
        "respondents": len(responses),
        "drafts": sum(1 for r in round_.responses if r.status == "draft"),
        "roles": sorted({r.respondent_role for r in round_.responses if r.status == "submitted"}),
        "sections": collated,
        "weakest": scoring.weakest_first(scored),
        "total": scoring.grand_total(scored, instrument),
        "weak_items": scoring.weakest_items(instrument, stats),
        "strong_items": scoring.strongest_items(instrument, stats),
        "disputed": scoring.most_disputed(stats),
        "stats": stats,
    }


def latest_round(
    session: DbSession, facility: Facility, instrument_code: str
) -> AssessmentRound | None:
    """The newest round of an instrument with at least one submitted response."""
    rounds = session.scalars(
        select(AssessmentRound)
        .where(
            AssessmentRound.facility_id == facility.id,
            AssessmentRound.instrument == instrument_code,
        )
        .options(selectinload(AssessmentRound.responses))
        .order_by(AssessmentRound.started_on.desc(), AssessmentRound.id.desc())
    ).all()
    return next((r for r in rounds if submitted(r)), None)


def comparison(session: DbSession, facility: Facility, instrument_code: str) -> dict:
    """A facility's rounds of one instrument side by side, with the change per section."""
    instrument = of(instrument_code)
    rounds = [
        r
        for r in session.scalars(
            select(AssessmentRound)
            .where(
                AssessmentRound.facility_id == facility.id,
                AssessmentRound.instrument == instrument_code,
            )
            .options(selectinload(AssessmentRound.responses))
            .order_by(AssessmentRound.started_on, AssessmentRound.id)
        )
        if submitted(r)
    ]
    columns = [{r.code: r for r in scoring.collate(instrument, submitted(rd))} for rd in rounds]
    rows = []
    for section in instrument.sections:
        if not instrument.maximum(section):
            continue
        percents = [col[section.code].percent for col in columns]
        last, before = (percents[-1], percents[-2]) if len(percents) > 1 else (None, None)
        change = round(last - before, 1) if last is not None and before is not None else None
        rows.append(
            {
                "section": section,
                "percents": percents,
                "change": change,
                "ratings": [col[section.code].rating_mean for col in columns],
            }
        )
    return {"instrument": instrument, "rounds": rounds, "rows": rows}


def network(session: DbSession, instrument_code: str) -> dict:
    """The latest round of every facility, per section, and the network's mean."""
    instrument = of(instrument_code)
    facilities = session.scalars(
        select(Facility).options(selectinload(Facility.organization)).order_by(Facility.id)
    ).all()
    rows = []
    columns: list[dict[str, scoring.SectionResult]] = []  # each row's "sections"
    for facility in facilities:
        latest = latest_round(session, facility, instrument_code)
        if latest is None:
            continue
        collated = {c.code: c for c in scoring.collate(instrument, submitted(latest))}
        rows.append({"facility": facility, "round": latest, "sections": collated})
        columns.append(collated)
    means = {}
    for section in instrument.sections:
        percents = [p for col in columns if (p := col[section.code].percent) is not None]
        ratings_ = [m for col in columns if (m := col[section.code].rating_mean) is not None]
        means[section.code] = {
            "percent": round(sum(percents) / len(percents), 1) if percents else None,
            "rating": round(sum(ratings_) / len(ratings_), 2) if ratings_ else None,
            "facilities": len(percents),
        }
    return {"instrument": instrument, "rows": rows, "means": means}


def add_goal(session: DbSession, round_: AssessmentRound, data: dict, today: date) -> PlanGoal:
    instrument = of(round_.instrument)
    errors = {}
    if instrument.section(data["section"]) is None:
        errors["section"] = [
            f"Unknown section; use one of: {', '.join(s.code for s in instrument.sections)}."
        ]
    if data["horizon"] not in HORIZONS:
        errors["horizon"] = [f"Must be one of: {', '.join(HORIZONS)}."]
    if errors:
        raise InvalidAnswers(errors)
    goal = PlanGoal(
        round_id=round_.id,
        horizon=data["horizon"],
        section=data["section"],
        text=data["text"].strip(),
        status=data.get("status", "not_started"),
        due_on=data.get("due_on") or today + timedelta(days=HORIZON_DAYS[data["horizon"]]),
    )
    session.add(goal)
    session.flush()
    return goal


def set_goal_status(session: DbSession, goal: PlanGoal, status: str) -> None:
    goal.status = status
    session.flush()


def plan(round_: AssessmentRound) -> list[dict]:
    """Goals by horizon (10 days first), each with its section's Section III guidance.
    Suggestions the coordinator dismissed (status ``dismissed``) are not goals."""
    instrument = of(round_.instrument)
    order = {h: i for i, h in enumerate(HORIZONS)}
    goals = sorted(
        (g for g in round_.goals if g.status in GOAL_STATUSES),
        key=lambda g: (order[g.horizon], g.id),
    )
    return [
        {
            "goal": g,
            "section": instrument.section(g.section),
            "guidance": guidance_for(instrument, g.section),
        }
        for g in goals
    ]
