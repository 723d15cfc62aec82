"""Suggested improvement-plan goals: the weakest sections of a round's results, each with
the items that pulled it down and the toolkit's Section III guidance for it.

A plan should not start empty. The suggestions come from the round's own results or, for a
round nobody has answered yet, from the facility's latest closed round of the same
instrument. A section is weak when its share of YES (service assessment) or its score
(self-assessment) is below full; sections whose answers are all N/A or missing have no
percent and are never suggested: unknown is not a low score. The coordinator accepts a
suggestion (it becomes a plan goal, its text edited or not) or dismisses it; a dismissed
suggestion is kept as a goal row with status ``dismissed`` (outside the plan and its
figures) so it is not proposed again, and can be brought back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import DbSession
from assessment import rounds, scoring
from assessment.instruments import Instrument, Item, Section, guidance_for, of
from assessment.models import AssessmentRound, PlanGoal
from directory.errors import NotFound

LIMIT = 3
"""How many goals are suggested at once (the weakest sections without a goal)."""
HORIZONS = ("10_days", "1_month", "3_months")
"""The horizon proposed for the weakest, second and third section: a first step soon."""
ITEMS_NAMED = 2
"""How many of a section's weakest items the proposed goal names."""
DISMISSED = "dismissed"


@dataclass
class Suggestion:
    section: Section
    percent: float
    rating_mean: float | None
    weak_items: list[tuple[int, Item]]
    horizon: str
    text: str
    guidance: dict | None
    respondents: int = 0


class UnknownSection(NotFound):
    """The section code is not one the round's instrument has (answered as any page that
    is not there)."""


def source_round(session: DbSession, round_: AssessmentRound) -> AssessmentRound | None:
    """The round whose results the suggestions come from: this one once it has submitted
    answers, else the facility's latest closed round of the instrument that has some."""
    if rounds.submitted(round_):
        return round_
    earlier = session.scalars(
        select(AssessmentRound)
        .where(
            AssessmentRound.facility_id == round_.facility_id,
            AssessmentRound.instrument == round_.instrument,
            AssessmentRound.status == "closed",
            AssessmentRound.id != round_.id,
        )
        .options(selectinload(AssessmentRound.responses))
        .order_by(AssessmentRound.closed_on.desc(), AssessmentRound.id.desc())
    ).all()
    return next((r for r in earlier if rounds.submitted(r)), None)


def weak_sections(sections: list[scoring.SectionResult]) -> list[scoring.SectionResult]:
    """Sections with a percent below 100, lowest first (then the lower mean rating, then
    document code). No percent (nothing applicable answered) is never weak."""
    weak = [s for s in sections if s.percent is not None and s.percent < 100]
    return sorted(
        weak,
        key=lambda s: (
            s.percent,
            s.rating_mean if s.rating_mean is not None else 6,
            s.code,
        ),
    )


def weak_items_of(
    instrument: Instrument, stats: list[scoring.ItemStat], section_code: str
) -> list[tuple[int, Item]]:
    """A section's items by how many respondents answered NO (or never/occasionally),
    most first; N/A and unanswered never count."""
    ranked = scoring.weakest_items(instrument, stats, limit=len(stats))
    return [(n, s.item) for n, s in ranked if s.item.section == section_code]


def proposed_text(section: Section, weak_items: list[tuple[int, Item]]) -> str:
    """The goal as first written: the section, and the items that pulled it down."""
    named = weak_items[:ITEMS_NAMED]
    if not named:
        return _("Raise the score of “%(section)s”.", section=section.title)
    items = "; ".join(f"{item.code} {item.text}" for _n, item in named)
    return _("Improve “%(section)s”, starting with: %(items)s", section=section.title, items=items)


def suggest(
    instrument: Instrument,
    result: dict,
    taken: set[str],
    limit: int = LIMIT,
) -> list[Suggestion]:
    """The ``limit`` weakest sections of ``result`` (``rounds.results``) that have no goal
    yet (``taken``: accepted or dismissed), each with its weakest items, a proposed goal
    and horizon, and the Section III guidance."""
    out: list[Suggestion] = []
    for s in weak_sections(result["sections"]):
        section = instrument.section(s.code)
        # weak sections have a percent, and a round's results are of its instrument's sections
        if s.code in taken or section is None or s.percent is None:
            continue
        items = weak_items_of(instrument, result["stats"], s.code)
        out.append(
            Suggestion(
                section=section,
                percent=s.percent,
                rating_mean=s.rating_mean,
                weak_items=items,
                horizon=HORIZONS[min(len(out), len(HORIZONS) - 1)],
                text=proposed_text(section, items),
                guidance=guidance_for(instrument, s.code),
                respondents=result["respondents"],
            )
        )
        if len(out) == limit:
            break
    return out


def for_round(session: DbSession, round_: AssessmentRound) -> dict:
    """What the round page shows above its plan: the suggestions, the round they come from,
    and the suggestions dismissed so far."""
    instrument = of(round_.instrument)
    taken = {g.section for g in round_.goals}
    source = source_round(session, round_)
    found = suggest(instrument, rounds.results(source), taken) if source else []
    dismissed = [
        {"goal": g, "section": instrument.section(g.section)}
        for g in round_.goals
        if g.status == DISMISSED
    ]
    return {"suggestions": found, "source": source, "dismissed": dismissed}


def dismiss(
    session: DbSession, round_: AssessmentRound, section_code: str, text: str, today: date
) -> PlanGoal:
    """Turn down the suggestion for a section: it is not proposed again for this round."""
    instrument = of(round_.instrument)
    section = instrument.section(section_code)
    if section is None:
        raise UnknownSection()
    existing = next((g for g in round_.goals if g.section == section_code), None)
    if existing is not None:  # accepted or dismissed already: nothing left to turn down
        return existing
    goal = PlanGoal(
        round_id=round_.id,
        horizon=HORIZONS[0],
        section=section_code,
        text=(text or "").strip()[:2000] or section.title,
        status=DISMISSED,
        due_on=today,
    )
    session.add(goal)
    session.flush()
    return goal


def restore(session: DbSession, goal: PlanGoal) -> None:
    """Bring a dismissed suggestion back (its row goes; the suggestion is computed again)."""
    if goal.status == DISMISSED:
        session.delete(goal)
        session.flush()
