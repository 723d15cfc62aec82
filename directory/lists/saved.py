"""Saved lists: create, read, rename, share, reorder, delete; what a list may hold.

A list belongs to its owner. Shared, every other account of this installation reads it
(the installation is one facility; users belong to no finer team), and only its owner
changes it. A list someone may not read does not exist for them (``NotFound``, never a
403); a reader who is not the owner is refused changes (``Forbidden``). Which lists and
which of their services a user may read is ``visibility``'s rule. A list's name is checked
for client identifiers like every free text ("Maria Lopez follow-up" is refused). Changes
are audited by the models' audit listener (names, shared flag, items and positions).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.extensions import DbSession
from app.models import User
from directory import identifiers, visibility
from directory.errors import Forbidden, Invalid, NotFound
from directory.models import SavedList, SavedListItem, Service

MAX_SERVICES = 200
"""The most services a list holds (a clinic's hand-out, not a second directory)."""
MAX_NAME = 120
MAX_LISTS = 100
"""The most lists one person keeps (shared lists are shown to everyone: no flood)."""


def check_name(name: str | None) -> str:
    """A list's name, trimmed; refused (naming ``name``) when empty, too long, or looking
    like it identifies a person (a client's name, a birth date, a phone...)."""
    name = " ".join((name or "").split())
    if not name:
        raise Invalid({"name": [_("Give the list a name.")]})
    if len(name) > MAX_NAME:
        raise Invalid({"name": [_("At most %(n)s characters.", n=MAX_NAME)]})
    identifiers.check_label("name", name)
    return name


def check_service_ids(
    session: DbSession, service_ids: list[int], kept: Iterable[int] = ()
) -> list[int]:
    """The ids in order, duplicates dropped (the first kept); refused (naming
    ``service_ids``) past ``MAX_SERVICES`` or when one is not a service a list may hold
    (``kept``: ids the list holds already, not checked again: one made inactive since
    stays, hidden, and does not stop the list from changing)."""
    ids = list(dict.fromkeys(service_ids))
    if len(ids) > MAX_SERVICES:
        raise Invalid({"service_ids": [_("A list holds at most %(n)s services.", n=MAX_SERVICES)]})
    new = [i for i in ids if i not in set(kept)]
    if not new:
        return ids
    found = set(
        session.scalars(
            select(Service.id).where(Service.id.in_(new), visibility.listable_services())
        )
    )
    if missing := [i for i in new if i not in found]:
        shown = ", ".join(str(i) for i in missing[:10])
        raise Invalid({"service_ids": [_("No such active service: %(ids)s.", ids=shown)]})
    return ids


def readable(session: DbSession, user: User) -> list[SavedList]:
    """The lists ``user`` may read: their own first (newest change first), then the ones
    others shared, with how many services each shows this user."""
    stmt = (
        select(SavedList)
        .where(visibility.readable_lists(user))
        .order_by((SavedList.owner_id != user.id), SavedList.updated_at.desc(), SavedList.id)
    )
    return list(session.scalars(stmt))


def own(session: DbSession, user: User) -> list[SavedList]:
    """The user's own lists, by name (the "Save to list" choices)."""
    stmt = select(SavedList).where(SavedList.owner_id == user.id)
    return list(session.scalars(stmt.order_by(func.lower(SavedList.name), SavedList.id)))


def get(session: DbSession, list_id: int, user: User) -> SavedList:
    """A list ``user`` may read; ``NotFound`` otherwise (a private list of someone else's
    is not said to exist)."""
    saved = session.scalar(
        select(SavedList).where(SavedList.id == list_id, visibility.readable_lists(user))
    )
    if saved is None:
        raise NotFound(message=_("No list with id %(id)s.", id=list_id))
    return saved


def get_own(session: DbSession, list_id: int, user: User) -> SavedList:
    """A list ``user`` may change: ``NotFound`` if they may not read it, ``Forbidden`` if
    they read it (shared) but do not own it."""
    saved = get(session, list_id, user)
    if saved.owner_id != user.id:
        raise Forbidden(message=_("Only the list's owner may change it."))
    return saved


def service_ids(session: DbSession, saved: SavedList, user: User) -> list[int]:
    """The ids of the list's services ``user`` may read, in the list's order."""
    return [s.id for s in services(session, saved, user)]


def services(session: DbSession, saved: SavedList, user: User) -> list[Service]:
    """The list's services ``user`` may read, in the list's order (a service made inactive
    since it was saved is not shown; it comes back if it is made active again)."""
    return list(session.scalars(visibility.list_services(saved.id, user)))


def create(session: DbSession, data: dict, user: User, now: datetime) -> SavedList:
    """A new list (``data``: ``name``, ``service_ids``, ``shared``). Not committed."""
    name = check_name(data.get("name"))
    kept = select(func.count()).where(SavedList.owner_id == user.id)
    if (session.scalar(kept) or 0) >= MAX_LISTS:
        raise Invalid({"name": [_("You keep %(n)s lists already: delete one first.", n=MAX_LISTS)]})
    ids = check_service_ids(session, data.get("service_ids") or [])
    saved = SavedList(
        owner_id=user.id,
        name=name,
        shared=bool(data.get("shared", False)),
        created_at=now,
        updated_at=now,
    )
    session.add(saved)
    session.flush()
    _set_items(session, saved, ids)
    return saved


def update(session: DbSession, saved: SavedList, data: dict, now: datetime) -> SavedList:
    """Change the name, the shared flag and/or the services (the whole list, in its new
    order). Not committed."""
    if "name" in data:
        saved.name = check_name(data["name"])
    if "shared" in data and data["shared"] is not None:
        saved.shared = bool(data["shared"])
    if "service_ids" in data and data["service_ids"] is not None:
        held = [item.service_id for item in saved.items]
        ids = check_service_ids(session, data["service_ids"], kept=held)
        # what the list holds but nobody may read now (made inactive) is kept at the end,
        # hidden: the reader never had it to send back, and it returns if made active again
        shown = set(
            session.scalars(
                select(Service.id).where(Service.id.in_(held), visibility.listable_services())
            )
        )
        ids += [i for i in held if i not in shown and i not in ids]
        _set_items(session, saved, ids)
    saved.updated_at = now
    session.flush()
    return saved


def delete(session: DbSession, saved: SavedList) -> None:
    """Delete the list and its items. Not committed."""
    session.delete(saved)
    session.flush()


def add(session: DbSession, saved: SavedList, service_id: int, now: datetime) -> bool:
    """Put a service at the end of the list; False when it is already on it."""
    ids = [item.service_id for item in saved.items]
    if service_id in ids:
        return False
    update(session, saved, {"service_ids": [*ids, service_id]}, now)
    return True


def save_to(
    session: DbSession,
    user: User,
    service_id: int,
    now: datetime,
    *,
    list_id: int | None = None,
    new_name: str | None = None,
) -> tuple[SavedList, bool]:
    """Save a service to a new list named ``new_name`` (one of theirs with that name,
    whatever its case, if they have it), else to their list ``list_id``: the list, and
    whether the service was added (False: it was already there)."""
    if list_id is None and not (new_name or "").strip():
        raise Invalid({"list_id": [_("Choose a list or give a new list a name.")]})
    check_service_ids(session, [service_id])
    if not (new_name or "").strip():
        assert list_id is not None  # said above: one or the other
        saved = get_own(session, list_id, user)
    else:
        name = check_name(new_name)
        same = next((s for s in own(session, user) if s.name.lower() == name.lower()), None)
        saved = same if same is not None else create(session, {"name": name}, user, now)
    return saved, add(session, saved, service_id, now)


def move(session: DbSession, saved: SavedList, service_id: int, step: int, now: datetime) -> None:
    """Move a service one place up (``step`` -1) or down (+1); nothing at either end."""
    ids = [item.service_id for item in saved.items]
    if service_id not in ids:
        raise NotFound(message=_("That service is not on this list."))
    i = ids.index(service_id)
    j = i + step
    if 0 <= j < len(ids):
        ids[i], ids[j] = ids[j], ids[i]
        _set_items(session, saved, ids)
        saved.updated_at = now
        session.flush()


def remove(session: DbSession, saved: SavedList, service_id: int, now: datetime) -> None:
    """Take a service off the list."""
    ids = [item.service_id for item in saved.items]
    if service_id not in ids:
        raise NotFound(message=_("That service is not on this list."))
    _set_items(session, saved, [i for i in ids if i != service_id])
    saved.updated_at = now
    session.flush()


def _set_items(session: DbSession, saved: SavedList, ids: list[int]) -> None:
    """Make the list hold exactly ``ids`` in that order (items kept where they stay, so
    the audit log says what moved, was added or taken off)."""
    by_service = {item.service_id: item for item in saved.items}
    for item in list(saved.items):
        if item.service_id not in ids:
            saved.items.remove(item)
    for position, sid in enumerate(ids):
        held = by_service.get(sid)
        if held is None:
            saved.items.append(SavedListItem(service_id=sid, position=position))
        elif held.position != position:
            held.position = position
    saved.items.sort(key=lambda item: item.position)
    session.flush()


def owner_label(saved: SavedList) -> str:
    """The owner as a reader is shown them: the name part of their e-mail address."""
    return saved.owner.email.split("@", 1)[0]


def view(session: DbSession, saved: SavedList, user: User) -> dict:
    """A list as ``user`` reads it (the API's answer)."""
    return {
        "id": saved.id,
        "name": saved.name,
        "service_ids": service_ids(session, saved, user),
        "shared": saved.shared,
        "owner": owner_label(saved),
        "mine": saved.owner_id == user.id,
        "created_at": saved.created_at,
        "updated_at": saved.updated_at,
    }
