"""marshmallow schemas of the assessment API, and of the respondent's form (one section
per page)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from app.params import parse_whole
from assessment.instruments import CODES, Section
from assessment.models import GOAL_STATUSES, HORIZONS, RESPONDENT_ROLES
from directory.fields import one_of, record_id


class AnswerValue(fields.Field[str | int | None]):
    """'yes' / 'no' / 'na' (service assessment) or 0-3 (self-assessment); the instrument
    decides which (checked by ``rounds.validate``)."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> str | int | None:
        if isinstance(value, bool) or not isinstance(value, str | int) and value is not None:
            raise ValidationError("Must be yes, no, na or a whole number 0-3.")
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        return value.strip().lower() if isinstance(value, str) else value


class RatingValue(fields.Field[int | None]):
    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> int | None:
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise ValidationError("Must be 1 to 5, or null for N/A.")
        try:
            return int(value)
        except (TypeError, ValueError) as exc:
            raise ValidationError("Must be 1 to 5, or null for N/A.") from exc


class AssessmentInSchema(Schema):
    """One respondent's answers (``submit: false`` keeps them as a draft, not counted)."""

    class Meta:
        unknown = EXCLUDE

    instrument = fields.String(required=True, validate=one_of(CODES))
    respondent_role = fields.String(required=True, validate=one_of(RESPONDENT_ROLES))
    answers = fields.Dict(
        keys=fields.String(), values=AnswerValue(allow_none=True), load_default=dict
    )
    ratings = fields.Dict(
        keys=fields.String(), values=RatingValue(allow_none=True), load_default=dict
    )
    submit = fields.Boolean(load_default=True)


class FacilityInSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    organization_id = record_id()
    name = fields.String(validate=validate.Length(min=2, max=200))
    kind = fields.String(
        load_default="ngo", validate=one_of(("government", "ngo", "private", "international"))
    )
    notes = fields.String(allow_none=True, validate=validate.Length(max=2000))

    @validates_schema
    def _one(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not data.get("organization_id") and not data.get("name"):
            raise ValidationError(
                "Give organization_id, or a name for a new organization.", "organization_id"
            )


class RoundRefSchema(Schema):
    id = fields.Integer()
    instrument = fields.String()
    title = fields.String()
    started_on = fields.Date()
    status = fields.String()
    respondents = fields.Function(lambda r: sum(1 for x in r.responses if x.status == "submitted"))


class FacilitySchema(Schema):
    id = fields.Integer()
    organization_id = fields.Integer()
    name = fields.String()
    notes = fields.String(allow_none=True)
    rounds = fields.List(fields.Nested(RoundRefSchema))


class ResponseSchema(Schema):
    id = fields.Integer()
    round_id = fields.Integer()
    respondent_role = fields.String()
    status = fields.String()
    answers = fields.Dict()
    ratings = fields.Dict()


class ScoresArgs(Schema):
    class Meta:
        unknown = EXCLUDE

    instrument = fields.String(required=True, validate=one_of(CODES))
    round = record_id()


class SectionScoreSchema(Schema):
    code = fields.String()
    title = fields.String()
    score = fields.Float()
    maximum = fields.Float(metadata={"description": "Over answered (applicable) items"})
    maximum_all = fields.Integer(metadata={"description": "Over all items"})
    percent = fields.Float(allow_none=True)
    answered = fields.Integer()
    yes_share = fields.Float(allow_none=True, metadata={"description": "Service assessment"})
    applicable = fields.Function(lambda r: r.yes + r.no)
    rating_mean = fields.Float(allow_none=True)
    ratings_count = fields.Integer()
    spread = fields.Float(allow_none=True)
    respondents = fields.Integer()


class ScoresSchema(Schema):
    facility_id = fields.Integer()
    round_id = fields.Integer(allow_none=True)
    instrument = fields.String()
    respondents = fields.Integer()
    sections = fields.List(fields.Nested(SectionScoreSchema))
    total = fields.Nested(SectionScoreSchema, allow_none=True)


class ItemSchema(Schema):
    code = fields.String()
    text = fields.String()
    stem = fields.String(allow_none=True)
    subheading = fields.String(allow_none=True)
    parent = fields.String(allow_none=True)
    asked_if = fields.String(allow_none=True)


class SectionSchema(Schema):
    code = fields.String()
    title = fields.String()
    maximum = fields.Integer()
    printed_maximum = fields.Integer(allow_none=True)
    rating_question = fields.String(allow_none=True)
    guidance = fields.String(allow_none=True)
    items = fields.List(fields.Nested(ItemSchema))


class InstrumentSchema(Schema):
    code = fields.String()
    title = fields.String()
    source = fields.String()
    answer_values = fields.List(fields.Raw())
    rating_values = fields.List(fields.Raw())
    maximum = fields.Integer()
    sections = fields.List(fields.Nested(SectionSchema))


class GoalInSchema(Schema):
    horizon = fields.String(required=True, validate=one_of(HORIZONS))
    section = fields.String(required=True)
    text = fields.String(required=True, validate=validate.Length(min=3, max=2000))
    due_on = fields.Date()
    status = fields.String(validate=one_of(GOAL_STATUSES))


class GoalPatchSchema(Schema):
    status = fields.String(required=True, validate=one_of(GOAL_STATUSES))


class GoalSchema(Schema):
    id = fields.Integer()
    round_id = fields.Integer()
    horizon = fields.String()
    section = fields.String()
    text = fields.String()
    status = fields.String()
    due_on = fields.Date()


class WeakItemSchema(Schema):
    code = fields.Function(lambda pair: pair[1].code)
    text = fields.Function(lambda pair: pair[1].text)
    respondents = fields.Function(
        lambda pair: pair[0],
        metadata={"description": "How many answered NO (or never/occasionally)"},
    )


class SectionGuidanceSchema(Schema):
    domain = fields.String()
    heading = fields.String()
    source = fields.String()
    text = fields.String()


class GoalSuggestionSchema(Schema):
    section = fields.Function(lambda s: s.section.code)
    title = fields.Function(lambda s: s.section.title)
    percent = fields.Float()
    rating_mean = fields.Float(allow_none=True)
    horizon = fields.String(metadata={"description": "Proposed horizon"})
    text = fields.String(metadata={"description": "Proposed goal text"})
    weak_items = fields.List(fields.Nested(WeakItemSchema))
    guidance = fields.Nested(SectionGuidanceSchema, allow_none=True)


class GoalSuggestionsSchema(Schema):
    round_id = fields.Integer()
    source_round_id = fields.Integer(
        allow_none=True,
        metadata={"description": "The round whose results the suggestions come from"},
    )
    suggestions = fields.List(fields.Nested(GoalSuggestionSchema))


class FormAnswer(fields.Field[str | int | None]):
    """An answer as the respondent's form sends it: blank is None; a number (the
    self-assessment's 0-3) a whole number from 0, its range checked by the instrument;
    words (yes/no/na) go to the instrument as they are (``rounds.validate``)."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> str | int | None:
        text = str(value)
        if not text.strip().lstrip("-").isdigit():
            return text or None
        return _whole(text)


class FormRating(fields.Field[int | None]):
    """A section's rating as the form sends it: blank is None, else a whole number from 0
    (1-5 checked by ``rounds.validate``)."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> int | None:
        return _whole(value)


def _whole(value: object) -> int | None:
    try:
        return parse_whole(value, minimum=0)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


class SectionFormSchema(Schema):
    """One page of the respondent's form: ``answer-<item>`` for each of the section's
    items, ``rating-<section>`` when it asks for one, the button pressed (``action``: next,
    back, later, submit), a section link (``goto``) and "submit with blanks"
    (``confirm_unanswered``). Loads as ``{answers, ratings, action, goto, confirm}``; a
    field left out is blank. Errors are keyed by the form's field names."""

    class Meta:
        unknown = EXCLUDE

    action = fields.String(load_default="next")
    goto = fields.String(load_default=None)
    confirm_unanswered = fields.String(load_default="")

    @classmethod
    def for_section(cls, section: Section) -> SectionFormSchema:
        """The schema of ``section``'s page (a field per question, named by position: a
        dot in a name would nest; ``data_key`` is the form's name, ``metadata`` the code)."""
        questions: dict[str, fields.Field] = {
            f"answer{n}": FormAnswer(
                data_key=f"answer-{item.code}", load_default=None, metadata={"answer": item.code}
            )
            for n, item in enumerate(section.items)
        }
        if section.rating_question:
            questions["rating"] = FormRating(
                data_key=f"rating-{section.code}",
                load_default=None,
                metadata={"rating": section.code},
            )
        # cast: from_dict makes a subclass of cls; the stubs say only Schema
        made = cast(
            type[SectionFormSchema],
            cls.from_dict(questions, name=f"Section{section.code}FormSchema"),
        )
        return made()

    @post_load
    def _by_code(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        def by(kind: str) -> dict[str, Any]:
            return {
                f.metadata[kind]: data[name]
                for name, f in self.load_fields.items()
                if kind in f.metadata
            }

        return {
            "answers": by("answer"),
            "ratings": by("rating"),
            "action": data["action"],
            "goto": data["goto"],
            "confirm": bool(data["confirm_unanswered"]),
        }
