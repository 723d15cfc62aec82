"""The assessment JSON API (coordinators and admins)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select

from app import clock
from app.auth import requires
from app.extensions import db
from assessment import instruments, rounds, suggestions
from assessment.instruments import Instrument
from assessment.models import AssessmentRound, Facility, PlanGoal, Response
from assessment.schemas import (
    AssessmentInSchema,
    FacilityInSchema,
    FacilitySchema,
    GoalInSchema,
    GoalPatchSchema,
    GoalSchema,
    GoalSuggestionsSchema,
    InstrumentSchema,
    ResponseSchema,
    ScoresArgs,
    ScoresSchema,
)
from directory.errors import NotFound, found

blp = Blueprint("assessment_api", __name__, description="Facility assessments")
blueprints = [blp]


def instrument_dump(instrument: Instrument) -> dict[str, Any]:
    return {
        "code": instrument.code,
        "title": instrument.title,
        "source": instrument.source,
        "answer_values": list(instrument.answer_values),
        "rating_values": list(instrument.rating_values),
        "maximum": instrument.grand_maximum,
        "sections": [
            {
                "code": s.code,
                "title": s.title,
                "maximum": instrument.maximum(s),
                "printed_maximum": s.printed_maximum,
                "rating_question": s.rating_question,
                "guidance": s.guidance,
                "items": list(s.items),
            }
            for s in instrument.sections
        ],
    }


def _facility(facility_id: int) -> Facility:
    facility = db.session.get(Facility, facility_id)
    if facility is None:
        raise NotFound(message="No such facility.")
    return facility


@blp.route("/instruments")
class Instruments(MethodView):
    @requires("coordinator")
    @blp.response(200, InstrumentSchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """Both instruments with sections, items and maxima computed from the items."""
        return [instrument_dump(i) for i in instruments.all_instruments().values()]


@blp.route("/instruments/<code>")
class InstrumentByCode(MethodView):
    @requires("coordinator")
    @blp.response(200, InstrumentSchema)
    def get(self, code: str) -> dict[str, Any]:
        """One instrument."""
        instrument = instruments.get(code)
        if instrument is None:
            raise NotFound(message="No such instrument.")
        return instrument_dump(instrument)


@blp.route("/facilities")
class Facilities(MethodView):
    @requires("coordinator")
    @blp.response(200, FacilitySchema(many=True))
    def get(self) -> Sequence[Facility]:
        """Facilities that assess themselves or are assessed by the network."""
        return db.session.scalars(select(Facility).order_by(Facility.id)).all()

    @requires("coordinator")
    @blp.arguments(FacilityInSchema)
    @blp.response(201, FacilitySchema)
    def post(self, data: dict[str, Any]) -> Facility:
        """Make a directory organization a facility, or add one for the purpose."""
        facility = rounds.create_facility(db.session, data)
        db.session.commit()
        return facility


@blp.route("/facilities/<int:facility_id>")
class FacilityById(MethodView):
    @requires("coordinator")
    @blp.response(200, FacilitySchema)
    def get(self, facility_id: int) -> Facility:
        """One facility with its rounds."""
        return _facility(facility_id)


@blp.route("/facilities/<int:facility_id>/assessments")
class Assessments(MethodView):
    @requires("coordinator")
    @blp.arguments(AssessmentInSchema)
    @blp.response(201, ResponseSchema)
    def post(self, data: dict[str, Any], facility_id: int) -> Response:
        """One respondent's answers, added to the facility's open round of the instrument."""
        facility = _facility(facility_id)
        round_ = rounds.open_round(
            db.session,
            facility,
            instruments.of(data["instrument"]),  # the schema allows only the CODES
            current_user,
            clock.today(),
        )
        response = rounds.save_response(db.session, round_, data, current_user)
        db.session.commit()
        return response


@blp.route("/facilities/<int:facility_id>/scores")
class Scores(MethodView):
    @requires("coordinator")
    @blp.arguments(ScoresArgs, location="query")
    @blp.response(200, ScoresSchema)
    def get(self, args: dict[str, Any], facility_id: int) -> dict[str, Any]:
        """Per section: score, maximum, percent; for the service assessment also the share
        of YES among applicable items and the mean domain rating with its count."""
        facility = _facility(facility_id)
        if args.get("round"):
            round_ = db.session.get(AssessmentRound, args["round"])
            if round_ is None or round_.facility_id != facility.id:
                raise NotFound(message="No such round for this facility.")
        else:
            round_ = rounds.latest_round(db.session, facility, args["instrument"])
        if round_ is None:
            return {
                "facility_id": facility.id,
                "round_id": None,
                "instrument": args["instrument"],
                "respondents": 0,
                "sections": [],
                "total": None,
            }
        result = rounds.results(round_)
        return {
            "facility_id": facility.id,
            "round_id": round_.id,
            "instrument": round_.instrument,
            "respondents": result["respondents"],
            "sections": result["sections"],
            "total": result["total"],
        }


@blp.route("/rounds/<int:round_id>/goals")
class Goals(MethodView):
    @requires("coordinator")
    @blp.response(200, GoalSchema(many=True))
    def get(self, round_id: int) -> list[PlanGoal]:
        """The improvement plan of a round."""
        round_ = found(db.session.get(AssessmentRound, round_id))
        return [entry["goal"] for entry in rounds.plan(round_)]

    @requires("coordinator")
    @blp.arguments(GoalInSchema)
    @blp.response(201, GoalSchema)
    def post(self, data: dict[str, Any], round_id: int) -> PlanGoal:
        """Add a goal at a horizon (10 days ... 1 year), tied to a section."""
        round_ = found(db.session.get(AssessmentRound, round_id))
        goal = rounds.add_goal(db.session, round_, data, clock.today())
        db.session.commit()
        return goal


@blp.route("/rounds/<int:round_id>/suggested-goals")
class SuggestedGoals(MethodView):
    @requires("coordinator")
    @blp.response(200, GoalSuggestionsSchema)
    def get(self, round_id: int) -> dict[str, Any]:
        """Goals proposed for the three weakest sections without a goal (N/A and unanswered
        items never count as weak), each with the toolkit's Section III guidance. Accept one
        by POSTing it to the round's goals."""
        round_ = found(db.session.get(AssessmentRound, round_id))
        suggested = suggestions.for_round(db.session, round_)
        return {
            "round_id": round_.id,
            "source_round_id": suggested["source"].id if suggested["source"] else None,
            "suggestions": suggested["suggestions"],
        }


@blp.route("/goals/<int:goal_id>")
class GoalById(MethodView):
    @requires("coordinator")
    @blp.arguments(GoalPatchSchema)
    @blp.response(200, GoalSchema)
    def patch(self, data: dict[str, Any], goal_id: int) -> PlanGoal:
        """Change a goal's status."""
        goal = found(db.session.get(PlanGoal, goal_id))
        rounds.set_goal_status(db.session, goal, data["status"])
        db.session.commit()
        return goal
