"""The discreet wallet card: hotlines under neutral labels and the services a coordinator
chose, each with phone and hours; nothing that says what the card is for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

from sqlalchemy import select

from app.extensions import DbSession
from directory import taxonomy
from directory.catalog.present import readable_phone
from directory.errors import Invalid
from directory.models import CardEntry, Service
from directory.sheets.sheet import catalogue, hours_text, labels

CARD_MAX_SERVICES = 6
CARD_MAX_HOTLINES = 4


def _refuse(message: str) -> NoReturn:
    """A card label that cannot be saved (it would say what the card is for)."""
    raise Invalid({"label": [message]}, message)


def forbidden_in(text: str) -> list[str]:
    words = catalogue()["card_forbidden_words"]
    low = text.lower()
    return [w for w in words if w in low]


def set_card_entry(
    session: DbSession, service: Service, label: str, position: int, allow_sensitive: bool
) -> CardEntry:
    label = label.strip()
    if not label:
        _refuse("Give the service a neutral label.")
    if (bad := forbidden_in(label)) and not allow_sensitive:
        _refuse(
            f"The label contains {', '.join(bad)}: a card found in a pocket must not say what "
            "it is for. Choose a neutral label, or tick the override if this label is safe."
        )
    entry = session.scalar(select(CardEntry).where(CardEntry.service_id == service.id))
    if entry is None:
        count = len(session.scalars(select(CardEntry.id)).all())
        if count >= CARD_MAX_SERVICES:
            _refuse(f"The card holds at most {CARD_MAX_SERVICES} chosen services.")
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


LABEL_STYLES = ("names", "words")


def card_lines(session: DbSession, lang: str, style: str = "names") -> list[CardLine]:
    """Hotlines under the labels of ``style`` (first names or everyday words, chosen per
    print) then the chosen services under their own labels, each with phone and hours.
    Nothing else: no organization names, no addresses, no categories."""
    lab = labels(lang)
    styles = catalogue()["card_label_styles"][style if style in LABEL_STYLES else "names"]
    neutral = styles.get(lang) or styles["en"]
    entries = session.scalars(select(CardEntry).order_by(CardEntry.position, CardEntry.id)).all()
    chosen = {e.service_id: e for e in entries}
    hotline_codes = [c for c in taxonomy.categories() if c.startswith("hotline.")]
    rank = {code: i for i, code in enumerate(hotline_codes)}  # each hotline's is one of them
    hotlines = sorted(
        session.scalars(
            select(Service).where(Service.category.in_(hotline_codes), Service.status == "active")
        ).all(),
        key=lambda s: (rank.get(s.category or "", len(rank)), s.name),
    )
    lines: list[CardLine] = []
    seen_categories: set[str | None] = set()
    for s in hotlines:
        if s.id in chosen or s.category in seen_categories or not s.phones:
            continue
        seen_categories.add(s.category)
        label = neutral[len(lines) % len(neutral)]
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


def remove_card_entry(session: DbSession, service: Service) -> None:
    """Take a service off the card (nothing to do when it is not on it)."""
    entry = session.scalar(select(CardEntry).where(CardEntry.service_id == service.id))
    if entry:
        session.delete(entry)
        session.flush()


def pickable_services(session: DbSession) -> list[Service]:
    """Active services with a number to call, by name: the card's service picker."""
    services = session.scalars(
        select(Service).where(Service.status == "active").order_by(Service.name)
    ).all()
    return [s for s in services if s.phones or s.handoff_phone]
