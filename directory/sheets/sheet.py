"""Printable directory sheets (the toolkit's Section V template), the discreet wallet card,
and the CSV export of the same selection: the printed sheet.

A sheet is the search's selection grouped in the template's order, each group a table
with that group's columns. A withheld address prints as a phone only, for every role
(``visibility.printed_address``).
Labels come from ``seeds/sheet-labels.yaml`` (English, Spanish, French; adding a language
is adding a block there); service data prints as entered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from types import SimpleNamespace

from babel.dates import format_date
from sqlalchemy import select

from app.extensions import DbSession
from directory import languages, taxonomy, visibility
from directory.catalog.present import readable_phone
from directory.labels import (  # noqa: F401  (the sheet's labels, re-exported)
    UNCATEGORIZED,
    catalogue,
    hours_text,
    labels,
    languages_available,
)
from directory.models import SavedList, Service
from directory.search import query
from directory.search.filters import Filters

MAX_ROWS = 5000  # a printed sheet's rows; the builder says how many it left out
UNCATEGORIZED_COLUMNS = ("name", "language", "contact", "hours")
LIST_COLUMNS = ("type", "name", "contact", "hours")
PAPERS = {"a4": "A4", "letter": "letter"}
CARD_MAX_SERVICES = 6
CARD_MAX_HOTLINES = 4


@dataclass
class Row:
    service: Service | SimpleNamespace  # or a search hit's record, read like one
    category_label: str
    phones: list[str]
    address: str | None
    withheld: bool
    hours: str
    length_of_stay: str | None
    languages: str
    website: str | None
    verified: date | None


@dataclass
class Group:
    code: str
    label: str
    columns: tuple[str, ...]
    rows: list[Row] = field(default_factory=list)


@dataclass
class Sheet:
    groups: list[Group]
    labels: dict
    lang: str
    paper: str
    printed: str
    facility: str
    left_out: int = 0  # services the row limit kept out: said, never silent

    @property
    def count(self) -> int:
        return sum(len(g.rows) for g in self.groups)


def selection(
    session: DbSession, filters: Filters, now_utc: datetime, limit: int = MAX_ROWS
) -> tuple[list, int]:
    """The services the filters select, up to ``limit``, for sheets and exports, and how
    many the limit left out (the caller says so: nothing is dropped silently)."""
    page = query.search(session, filters, page=1, per_page=limit, now_utc=now_utc, explain=False)
    return page.items, max(0, page.total - len(page.items))


def build(
    session: DbSession,
    filters: Filters,
    *,
    lang: str,
    paper: str,
    facility: str,
    now_utc: datetime,
    limit: int | None = None,
) -> Sheet:
    """The sheet: selected services grouped in the template's order (at most ``limit``;
    ``left_out`` counts the rest)."""
    lab = labels(lang)
    hits, left_out = selection(session, filters, now_utc, limit or MAX_ROWS)
    chosen = [hit.service for hit in hits]
    by_category: dict[str, list[Service]] = {}
    for s in chosen:
        by_category.setdefault(s.category, []).append(s)
    groups = []
    for g in taxonomy.groups():
        group = Group(g.code, lab["groups"][g.code], g.columns)
        for c in g.categories:
            for s in sorted(by_category.get(c.code, []), key=lambda s: s.name.lower()):
                group.rows.append(row(s, lab))
        if group.rows:
            groups.append(group)
    known = {c.code for g in taxonomy.groups() for c in g.categories}
    # uncategorized, or under a code the taxonomy does not know: printed last, never left out
    rest = [s for code, some in by_category.items() if code not in known for s in some]
    if rest:
        group = Group(UNCATEGORIZED[0], lab["groups"][UNCATEGORIZED[0]], UNCATEGORIZED_COLUMNS)
        group.rows = [row(s, lab) for s in sorted(rest, key=lambda s: s.name.lower())]
        groups.append(group)
    printed = format_date(now_utc.date(), format="long", locale=lang)
    return Sheet(groups, lab, lang, paper, printed, facility, left_out)


def build_list(
    session: DbSession,
    list_id: int,
    user: visibility.Viewer,
    *,
    lang: str,
    paper: str,
    facility: str,
    now_utc: datetime,
) -> Sheet | None:
    """The sheet of a saved list: exactly its services ``user`` may read, in the list's
    order, one table headed by the list's name; None when ``user`` may not read the list
    (``visibility.readable_lists``)."""
    saved = session.scalar(
        select(SavedList).where(SavedList.id == list_id, visibility.readable_lists(user))
    )
    if saved is None:
        return None
    lab = labels(lang)
    chosen = session.scalars(visibility.list_services(list_id, user))
    group = Group("list", saved.name, LIST_COLUMNS, [row(s, lab) for s in chosen])
    printed = format_date(now_utc.date(), format="long", locale=lang)
    return Sheet([group] if group.rows else [], lab, lang, paper, printed, facility)


def row(s: Service | SimpleNamespace, lab: dict) -> Row:
    """One service's row; ``s`` a Service or a search hit's record read like one."""
    loc = s.location
    phones = [readable_phone(p.number) for p in s.phones]
    if s.handoff_phone and not phones:
        phones = [readable_phone(s.handoff_phone)]
    return Row(
        service=s,
        category_label=lab["categories"].get(s.category, s.category or ""),
        phones=phones,
        address=visibility.printed_address(loc),
        withheld=visibility.is_withheld(loc),
        hours=hours_text(s, lab),
        length_of_stay=s.length_of_stay,
        languages=languages.display_list(s.language_list, lab.get("lang", "en")),
        website=s.organization.website,
        verified=s.last_verified,
    )
