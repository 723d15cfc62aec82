"""Printable directory sheets (the toolkit's Section V template), the discreet wallet card,
and the CSV export of the same selection.

A sheet is the search's selection grouped in the template's order, each group a table
with that group's columns. Confidential locations print a phone only, for every role.
Labels come from ``seeds/sheet-labels.yaml`` (English, Spanish, French; adding a language
is adding a block there); service data prints as entered.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

import yaml
from babel.dates import format_date
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory import hours, languages, search, taxonomy
from directory.models import CardEntry, Service
from directory.present import readable_phone
from directory.taxonomy import SEEDS

MAX_ROWS = 5000
PAPERS = {"a4": "A4", "letter": "letter"}
CARD_MAX_SERVICES = 6
CARD_MAX_HOTLINES = 4


@cache
def catalogue() -> dict:
    return yaml.safe_load((SEEDS / "sheet-labels.yaml").read_text())


def languages_available() -> dict[str, str]:
    """Sheet languages: code → its own name."""
    return {
        code: block["language_name"]
        for code, block in catalogue().items()
        if isinstance(block, dict) and "language_name" in block
    }


def labels(lang: str) -> dict:
    """The labels of a language, English filling any gap."""
    base = catalogue()["en"]
    chosen = catalogue().get(lang) or {}
    merged = {**base, **{k: v for k, v in chosen.items() if v}}
    for key in ("columns",):
        merged[key] = {**base[key], **(chosen.get(key) or {})}
    merged["groups"] = {
        g.code: (chosen.get("groups") or {}).get(g.code, g.label) for g in taxonomy.groups()
    }
    merged["categories"] = {
        c: (chosen.get("categories") or {}).get(c, cat.label)
        for c, cat in taxonomy.categories().items()
    }
    return merged


def hours_text(service: Service, lab: dict) -> str:
    if service.open_24_7:
        return lab["open_24_7"]
    if not service.hours:
        return lab["hours_not_listed"]
    english = hours.summary(service)
    for en_day, local in zip(
        ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), lab["days"], strict=True
    ):
        english = re.sub(rf"\b{en_day}\b", local, english)
    return english


@dataclass
class Row:
    service: Service
    category_label: str
    phones: list[str]
    address: str | None
    confidential: bool
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

    @property
    def count(self) -> int:
        return sum(len(g.rows) for g in self.groups)

    @property
    def estimated_pages(self) -> int:
        """About how many pages: rows of about 2 lines, group headings of 3."""
        lines = 6 + sum(3 + 2 * len(g.rows) for g in self.groups)
        per_page = 52 if self.paper == "letter" else 56
        return max(1, math.ceil(lines / per_page))


def selection(session: Session, filters: search.Filters, now_utc: datetime) -> list[Service]:
    """Every service the filters select (no paging), for sheets and exports."""
    return search.search(session, filters, page=1, per_page=MAX_ROWS, now_utc=now_utc).items


def build(
    session: Session,
    filters: search.Filters,
    *,
    lang: str,
    paper: str,
    facility: str,
    now_utc: datetime,
) -> Sheet:
    """The sheet: selected services grouped in the template's order."""
    lab = labels(lang)
    chosen = [hit.service for hit in selection(session, filters, now_utc)]
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
    printed = format_date(now_utc.date(), format="long", locale=lang)
    return Sheet(groups, lab, lang, paper, printed, facility)


def row(s: Service, lab: dict) -> Row:
    loc = s.location
    confidential = bool(loc and loc.confidential)
    address = None
    if loc and not confidential:
        address = ", ".join(p for p in (loc.address_1, loc.city, loc.region, loc.postal_code) if p)
    phones = [readable_phone(p.number) for p in s.phones]
    if s.handoff_phone and not phones:
        phones = [readable_phone(s.handoff_phone)]
    return Row(
        service=s,
        category_label=lab["categories"].get(s.category, s.category),
        phones=phones,
        address=address,
        confidential=confidential,
        hours=hours_text(s, lab),
        length_of_stay=s.length_of_stay,
        languages=", ".join(languages.name(c) for c in s.language_list),
        website=s.organization.website,
        verified=s.last_verified,
    )


# --- CSV ----------------------------------------------------------------------------------

CSV_COLUMNS = [
    "service_id",
    "organization_id",
    "location_id",
    "group",
    "category",
    "type",
    "name",
    "organization",
    "phones",
    "address",
    "city",
    "region",
    "postal_code",
    "confidential_location",
    "hours",
    "length_of_stay",
    "languages",
    "website",
    "last_verified",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP: prefix with ')."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(sheet: Sheet) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for group in sheet.groups:
        for r in group.rows:
            s, loc = r.service, r.service.location
            writer.writerow(
                [
                    safe_cell(v)
                    for v in (
                        s.id,
                        s.organization_id,
                        loc.id if loc and not r.confidential else "",
                        group.code,
                        s.category,
                        r.category_label,
                        s.name,
                        s.organization.name,
                        "; ".join(r.phones),
                        r.address or "",
                        loc.city if loc else "",
                        loc.region if loc else "",
                        "" if r.confidential or not loc else loc.postal_code,
                        "yes" if r.confidential else "no",
                        r.hours,
                        r.length_of_stay or "",
                        r.languages,
                        r.website or "",
                        r.verified.isoformat() if r.verified else "",
                    )
                ]
            )
    return out.getvalue()


# --- the wallet card ------------------------------------------------------------------------


class LabelNotNeutral(ValueError):
    """A card label would reveal what the card is for."""


def forbidden_in(text: str) -> list[str]:
    words = catalogue()["card_forbidden_words"]
    low = text.lower()
    return [w for w in words if w in low]


def set_card_entry(
    session: Session, service: Service, label: str, position: int, allow_sensitive: bool
) -> CardEntry:
    label = label.strip()
    if not label:
        raise LabelNotNeutral("Give the service a neutral label.")
    if (bad := forbidden_in(label)) and not allow_sensitive:
        raise LabelNotNeutral(
            f"The label contains {', '.join(bad)}: a card found in a pocket must not say what "
            "it is for. Choose a neutral label, or tick the override if this label is safe."
        )
    entry = session.scalar(select(CardEntry).where(CardEntry.service_id == service.id))
    if entry is None:
        count = len(session.scalars(select(CardEntry.id)).all())
        if count >= CARD_MAX_SERVICES:
            raise LabelNotNeutral(f"The card holds at most {CARD_MAX_SERVICES} chosen services.")
        entry = CardEntry(service_id=service.id)
        session.add(entry)
    entry.label, entry.position, entry.allow_sensitive = label, position, allow_sensitive
    session.flush()
    return entry


@dataclass
class CardLine:
    label: str
    phone: str
    hours: str


def card_lines(session: Session, lang: str) -> list[CardLine]:
    """Hotlines (neutral default labels) then the chosen services, each with phone and hours.
    Nothing else: no organization names, no addresses, no categories."""
    lab = labels(lang)
    defaults = catalogue()["card_hotline_labels"]
    entries = session.scalars(select(CardEntry).order_by(CardEntry.position, CardEntry.id)).all()
    chosen = {e.service_id: e for e in entries}
    hotline_codes = [c for c in taxonomy.categories() if c.startswith("hotline.")]
    hotlines = session.scalars(
        select(Service).where(Service.category.in_(hotline_codes), Service.status == "active")
    ).all()
    hotlines.sort(key=lambda s: (hotline_codes.index(s.category), s.name))
    lines, seen_categories = [], set()
    for s in hotlines:
        if s.id in chosen or s.category in seen_categories or not s.phones:
            continue
        seen_categories.add(s.category)
        label = defaults.get(s.category, {}).get(lang) or defaults.get(s.category, {}).get("en")
        lines.append(CardLine(label, readable_phone(s.phones[0].number), hours_text(s, lab)))
        if len(lines) >= CARD_MAX_HOTLINES:
            break
    for e in entries:
        s = e.service
        if s.status != "active":
            continue
        number = s.phones[0].number if s.phones else s.handoff_phone
        if number:
            lines.append(CardLine(e.label, readable_phone(number), hours_text(s, lab)))
    return lines
