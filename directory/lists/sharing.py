"""A list shared with a client: each service's discreet share (``catalog.share``, the one
set of discreet rules), one after another. The list's own name never goes into it (a name
such as "Shelters north" would tell what the paper is)."""

from __future__ import annotations

from datetime import datetime

from app.extensions import DbSession
from app.models import User
from directory.catalog import present, share
from directory.lists import saved as lists
from directory.models import SavedList


def _entries(session: DbSession, saved: SavedList, user: User, now: datetime) -> list[tuple]:
    """(service, its item as ``user`` may see it) for each service of the list."""
    chosen = lists.services(session, saved, user)
    return list(zip(chosen, present.items(session, chosen, user, now), strict=True))


def share_text(
    session: DbSession, saved: SavedList, user: User, now: datetime, *, lang: str | None = None
) -> str:
    """The text to paste into a message: each service's discreet share text, a blank line
    between them."""
    lang = share.lang_of(lang)
    return "\n\n".join(
        share.share_text(service, item, discreet=True, lang=lang)
        for service, item in _entries(session, saved, user, now)
    )


def handout(
    session: DbSession, saved: SavedList, user: User, now: datetime, *, lang: str | None = None
) -> dict:
    """What the list's client handout shows: each service's discreet handout."""
    lang = share.lang_of(lang)
    return {
        "lang": lang,
        "labels": share.labels(lang),
        "entries": [
            share.handout(service, item, discreet=True, lang=lang)
            for service, item in _entries(session, saved, user, now)
        ],
    }
