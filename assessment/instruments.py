"""The two instruments, loaded from ``seeds/instruments/*.yaml`` and validated loudly.

An instrument is data: sections (domains or competencies) of items, a scale, and for the
ICMEC service assessment the conditional "IF YES" children, the domain rating question and
the Section III guidance. Maxima are computed from the items, never taken from print.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

SEEDS = Path(__file__).resolve().parent.parent / "seeds" / "instruments"
SERVICE = "icmec-service-assessment"
SELF = "core-competencies-self-assessment"
CODES = (SERVICE, SELF)
ITEM_CODE = re.compile(r"^(?P<section>[a-z0-9]+)\.(?P<n>\d{2})$")


class InstrumentError(ValueError):
    """An instrument file is malformed; the message names the file and the problem."""


@dataclass(frozen=True)
class Item:
    code: str
    text: str
    section: str
    stem: str | None = None
    subheading: str | None = None
    parent: str | None = None
    asked_if: str | None = None  # "yes" / "no": asked only when the parent got this answer
    evidence: str | None = None


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    items: tuple[Item, ...]
    rating_question: str | None = None
    guidance: str | None = None
    guidance_domain: str | None = None
    printed_maximum: int | None = None
    directory_link: str | None = None


@dataclass(frozen=True)
class Instrument:
    code: str
    title: str
    source: str
    kind: str  # "yes_no" (service assessment) or "scored" (0-3 self-assessment)
    answer_values: tuple
    answer_labels: dict
    sections: tuple[Section, ...]
    rating_values: tuple = ()
    evidence: dict = field(default_factory=dict)
    notes: str = ""

    @property
    def items(self) -> dict[str, Item]:
        return {i.code: i for s in self.sections for i in s.items}

    def section(self, code: str) -> Section | None:
        return next((s for s in self.sections if s.code == code), None)

    @property
    def top_value(self) -> int:
        """The most an item scores: 3 on the 0-3 scale; 1 (a YES) on the service tool."""
        return 3 if self.kind == "scored" else 1

    def maximum(self, section: Section) -> int:
        """A section's maximum, computed from its items."""
        return self.top_value * len(section.items)

    @property
    def grand_maximum(self) -> int:
        return sum(self.maximum(s) for s in self.sections)

    @property
    def rated_sections(self) -> list[Section]:
        return [s for s in self.sections if s.rating_question]


def _load(path: Path) -> Instrument:
    data = yaml.safe_load(path.read_text())
    where = path.name
    scale = [entry["value"] for entry in data["answer_scale"]]
    kind = "yes_no" if scale == ["yes", "no", "na"] else "scored"
    if kind == "scored" and scale != [0, 1, 2, 3]:
        raise InstrumentError(f"{where}: unknown answer scale {scale}")
    rating_values = tuple(e["value"] for e in data.get("rating_scale", []))
    if rating_values and rating_values != (1, 2, 3, 4, 5, None):
        raise InstrumentError(f"{where}: unknown rating scale {rating_values}")
    seen: set[str] = set()
    sections = []
    for s in data["sections"]:
        items = []
        for n, raw in enumerate(s["items"], start=1):
            code = raw["code"]
            m = ITEM_CODE.match(code)
            if not m or m.group("section") != s["code"] or int(m.group("n")) != n:
                raise InstrumentError(f"{where}: item {code} should be {s['code']}.{n:02d}")
            if code in seen:
                raise InstrumentError(f"{where}: duplicate item code {code}")
            if raw.get("parent"):
                if raw["parent"] not in seen:
                    raise InstrumentError(
                        f"{where}: {code}'s parent {raw['parent']} must come first"
                    )
                if raw.get("asked_if") not in ("yes", "no"):
                    raise InstrumentError(f"{where}: {code} needs asked_if yes or no")
            if not raw.get("text"):
                raise InstrumentError(f"{where}: item {code} has no text")
            seen.add(code)
            items.append(
                Item(
                    code=code,
                    text=raw["text"],
                    section=s["code"],
                    stem=raw.get("stem"),
                    subheading=raw.get("subheading"),
                    parent=raw.get("parent"),
                    asked_if=raw.get("asked_if"),
                    evidence=raw.get("evidence"),
                )
            )
        sections.append(
            Section(
                code=s["code"],
                title=s["title"],
                items=tuple(items),
                rating_question=s.get("rating_question"),
                guidance=s.get("guidance"),
                guidance_domain=s.get("guidance_domain"),
                printed_maximum=s.get("printed_maximum"),
                directory_link=s.get("directory_link"),
            )
        )
    codes = [s.code for s in sections]
    if len(set(codes)) != len(codes):
        raise InstrumentError(f"{where}: duplicate section codes")
    return Instrument(
        code=data["code"],
        title=data["title"],
        source=data["source"],
        kind=kind,
        answer_values=tuple(scale),
        answer_labels={e["value"]: e["label"] for e in data["answer_scale"]},
        sections=tuple(sections),
        rating_values=rating_values,
        evidence=data.get("evidence", {}),
    )


@cache
def all_instruments() -> dict[str, Instrument]:
    """Both instruments by code (validated once per process)."""
    found = {}
    for code in CODES:
        instrument = _load(SEEDS / f"{code}.yaml")
        if instrument.code != code:
            raise InstrumentError(f"{code}.yaml declares code {instrument.code}")
        found[code] = instrument
    return found


def get(code: str) -> Instrument | None:
    """The instrument of a code a person gave (a form, a URL): None if there is none."""
    return all_instruments().get(code)


def of(code: str) -> Instrument:
    """The instrument of a code the database or this code holds (a round's ``instrument``,
    always one of ``CODES``): another is a broken row, a KeyError."""
    return all_instruments()[code]


@cache
def _guidance_file() -> dict:
    return yaml.safe_load((SEEDS / "icmec-guidance.yaml").read_text())


def guidance() -> dict[str, dict]:
    """Section III guidance text per ICMEC domain."""
    return _guidance_file()["guidance"]


def guidance_source(domain: str) -> str:
    """Where a domain's guidance is quoted from: the toolkit's section and the lines of the
    source document's text (``seeds/instruments/icmec-guidance.yaml``)."""
    data = _guidance_file()
    lines = data["guidance"][domain].get("lines")
    where = f"{data['source']} ({data['source_file']}, lines {lines})" if lines else data["source"]
    return " ".join(where.split())


def guidance_for(instrument: Instrument, section_code: str) -> dict | None:
    """The Section III guidance matching a section (competencies point at a domain)."""
    section = instrument.section(section_code)
    if section is None:
        return None
    domain = section_code if instrument.code == SERVICE else section.guidance_domain
    if not domain:
        return None
    text = guidance().get(domain)
    if not text:
        return None
    service_section = of(SERVICE).section(domain)
    heading = service_section.guidance if service_section else None
    return {
        "domain": domain,
        "heading": heading,
        "text": text["text"],
        "source": guidance_source(domain),
    }
