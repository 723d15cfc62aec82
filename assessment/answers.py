"""A respondent's page of answers: who may still change a response, what a press of the
form's buttons saves, and where it leads (the next or previous section, a section link,
"finish later", submit, or the list of blanks to confirm before submitting).

The page (``pages.answer``) parses the form (``schemas.SectionFormSchema``), calls
``save_section`` and turns its ``Saved`` into a flash and a redirect; nothing here
commits or knows about HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from app.extensions import DbSession
from app.models import User
from assessment import rounds
from assessment.instruments import Item, Section, of
from assessment.models import Response
from directory.errors import DomainError

SUBMITTED, AMENDED, LATER, MOVED, CONFIRM = "submitted", "amended", "later", "moved", "confirm"


class AlreadySubmitted(DomainError):
    """The response was submitted and this user may not change it (only its respondent
    may, while the round is open)."""

    status = 409

    def __init__(self) -> None:
        super().__init__(message=_("This response was submitted already."))


@dataclass
class Saved:
    """What a save came to: ``outcome`` (SUBMITTED, AMENDED, LATER, MOVED to ``target``,
    or CONFIRM: nothing submitted, the ``unanswered`` items listed to confirm first)."""

    outcome: str
    target: str | None = None
    unanswered: list[Item] = field(default_factory=list)


def amending(response: Response, user: User) -> bool:
    """``user`` is changing their own submitted answers (allowed while the round is open;
    they still count once)."""
    return response.status == "submitted" and response.entered_by_id == user.id


def may_change(response: Response, user: User) -> None:
    """Raise ``AlreadySubmitted`` unless ``response`` is a draft or ``user``'s own
    submitted answers."""
    if response.status != "draft" and not amending(response, user):
        raise AlreadySubmitted()


def save_section(
    session: DbSession, response: Response, section: Section, form: dict, user: User
) -> Saved:
    """Save one section's answers (``form`` as ``SectionFormSchema`` loads it) and say
    where that leads. Submitting with questions still blank saves without submitting and
    lists them (CONFIRM), unless the respondent confirmed. Raises ``AlreadySubmitted``, or
    ``rounds.InvalidAnswers`` naming each bad answer (nothing is saved then)."""
    may_change(response, user)
    instrument = of(response.round.instrument)
    codes = [s.code for s in instrument.sections]
    action = "goto" if form["goto"] in codes else form["action"]
    given = {k: v for k, v in form["answers"].items() if v is not None}
    submit = action == "submit" and (
        form["confirm"] or not rounds.unanswered(instrument, {**response.answers, **given})
    )
    amend = amending(response, user)
    rounds.save_response(
        session,
        response.round,
        {"answers": form["answers"], "ratings": form["ratings"], "submit": submit, "amend": amend},
        user,
        response=response,
    )
    if action == "submit":
        if not submit:
            return Saved(CONFIRM, unanswered=rounds.unanswered(instrument, response.answers))
        return Saved(AMENDED if amend else SUBMITTED)
    if action == "later":
        return Saved(LATER)
    if action == "goto":
        return Saved(MOVED, target=form["goto"])
    index = codes.index(section.code)
    step = 1 if action == "next" else -1  # any other button goes back
    return Saved(MOVED, target=codes[min(max(index + step, 0), len(codes) - 1)])
