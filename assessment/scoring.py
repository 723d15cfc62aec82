"""Scoring, as pure functions over an instrument and answer sets (no database).

Self-assessment (0-3 per item): a section's score is the sum over answered items; its
maximum is 3 x the answered items (and 3 x all items); percent = score / answered maximum.
Collated across respondents: each item's mean over those who answered it; a section's
score is the sum of its item means, out of 3 x the items anyone answered.

Service assessment (YES/NO/N/A per item, 1-5 per domain): a domain's score is the share
of YES among applicable answers: NO counts against, N/A and unanswered items are left out,
and so are "IF YES" children of a NO parent (and "IF NO" children of a YES parent).
Collated across respondents: YES answers over applicable answers of all respondents, the
mean domain rating (N/A excluded) with the number of ratings, and the spread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import fmean, pstdev

from assessment.instruments import Instrument, Item


@dataclass
class SectionResult:
    code: str
    title: str
    score: float = 0
    maximum: float = 0  # over answered (applicable) items
    maximum_all: int = 0  # over all items
    answered: int = 0
    items: int = 0
    yes: int = 0
    no: int = 0
    na: int = 0
    rating_mean: float | None = None
    ratings_count: int = 0
    rating_spread: float | None = None
    spread: float | None = None  # disagreement between respondents (std. dev. of percents)
    respondents: int = 0

    @property
    def percent(self) -> float | None:
        return round(100 * self.score / self.maximum, 1) if self.maximum else None

    @property
    def yes_share(self) -> float | None:
        applicable = self.yes + self.no
        return self.yes / applicable if applicable else None


def applicable(item: Item, answers: dict) -> bool:
    """Whether an item is asked, given its parent's answer."""
    if item.parent is None:
        return True
    return answers.get(item.parent) == item.asked_if


def respondent_scores(
    instrument: Instrument, answers: dict, ratings: dict | None = None
) -> list[SectionResult]:
    """One respondent's results per section."""
    ratings = ratings or {}
    out = []
    for section in instrument.sections:
        r = SectionResult(
            section.code,
            section.title,
            items=len(section.items),
            maximum_all=instrument.maximum(section),
            respondents=1,
        )
        for item in section.items:
            value = answers.get(item.code)
            if value is None or not applicable(item, answers):
                continue
            if instrument.kind == "scored":
                r.score += value
                r.maximum += 3
                r.answered += 1
            elif value == "na":
                r.na += 1
            else:
                r.answered += 1
                r.maximum += 1
                r.yes += value == "yes"
                r.no += value == "no"
                r.score += value == "yes"
        rating = ratings.get(section.code)
        if rating is not None:
            r.rating_mean, r.ratings_count = float(rating), 1
        out.append(r)
    return out


def grand_total(results: list[SectionResult], instrument: Instrument) -> SectionResult:
    total = SectionResult(
        "total", "Total", maximum_all=instrument.grand_maximum, items=len(instrument.items)
    )
    for r in results:
        total.score += r.score
        total.maximum += r.maximum
        total.answered += r.answered
        total.yes, total.no, total.na = total.yes + r.yes, total.no + r.no, total.na + r.na
    total.respondents = max((r.respondents for r in results), default=0)
    return total


def collate(instrument: Instrument, responses: list[tuple[dict, dict]]) -> list[SectionResult]:
    """Several respondents' (answers, ratings) → collated results per section."""
    per_respondent = [respondent_scores(instrument, a, r) for a, r in responses]
    out = []
    for index, section in enumerate(instrument.sections):
        mine = [results[index] for results in per_respondent]
        c = SectionResult(
            section.code,
            section.title,
            items=len(section.items),
            maximum_all=instrument.maximum(section),
            respondents=len(responses),
        )
        if instrument.kind == "scored":
            for item in section.items:
                values = [a[item.code] for a, _ in responses if a.get(item.code) is not None]
                if values:
                    c.score += fmean(values)
                    c.maximum += 3
                    c.answered += 1
            c.score = round(c.score, 4)
        else:
            for r in mine:
                c.yes, c.no, c.na = c.yes + r.yes, c.no + r.no, c.na + r.na
            c.score, c.maximum, c.answered = c.yes, c.yes + c.no, c.yes + c.no
        rated = [float(rt[section.code]) for _, rt in responses if rt.get(section.code) is not None]
        if rated:
            c.rating_mean = round(fmean(rated), 2)
            c.ratings_count = len(rated)
            c.rating_spread = max(rated) - min(rated)
        percents = [r.percent for r in mine if r.percent is not None]
        c.spread = round(pstdev(percents), 1) if len(percents) > 1 else None
        out.append(c)
    return out


@dataclass
class ItemStat:
    item: Item
    counts: dict = field(default_factory=dict)  # answer value → respondents
    mean: float | None = None
    spread: float | None = None


def item_stats(instrument: Instrument, responses: list[tuple[dict, dict]]) -> list[ItemStat]:
    """Per item: how many gave each answer, the mean (0-3 scale), the spread."""
    stats = []
    for item in instrument.items.values():
        values = [
            a[item.code]
            for a, _ in responses
            if a.get(item.code) is not None and applicable(item, a)
        ]
        counts = {v: values.count(v) for v in instrument.answer_values}
        stat = ItemStat(item, counts)
        numeric = (
            values
            if instrument.kind == "scored"
            else [1 if v == "yes" else 0 for v in values if v != "na"]
        )
        if numeric:
            stat.mean = fmean(numeric)
            stat.spread = pstdev(numeric) if len(numeric) > 1 else 0.0
        stats.append(stat)
    return stats


def weakest_items(
    instrument: Instrument, stats: list[ItemStat], limit: int = 10
) -> list[tuple[int, ItemStat]]:
    """Items most often marked NO (service) or never/occasionally (self-assessment)."""
    low = ("no",) if instrument.kind == "yes_no" else (0, 1)
    ranked = [(sum(s.counts.get(v, 0) for v in low), s) for s in stats]
    ranked = [(n, s) for n, s in ranked if n]
    ranked.sort(key=lambda pair: (-pair[0], pair[1].item.code))
    return ranked[:limit]


def strongest_items(
    instrument: Instrument, stats: list[ItemStat], limit: int = 10
) -> list[tuple[int, ItemStat]]:
    """Items most often marked YES (service) or often/always ("share your skills")."""
    high = ("yes",) if instrument.kind == "yes_no" else (2, 3)
    ranked = [(sum(s.counts.get(v, 0) for v in high), s) for s in stats]
    ranked = [(n, s) for n, s in ranked if n]
    ranked.sort(key=lambda pair: (-pair[0], pair[1].item.code))
    return ranked[:limit]


def most_disputed(stats: list[ItemStat], limit: int = 5) -> list[ItemStat]:
    """Items where respondents disagree most (highest spread, above zero)."""
    disputed = [s for s in stats if s.spread]
    disputed.sort(key=lambda s: (-(s.spread or 0.0), s.item.code))
    return disputed[:limit]


def weakest_first(results: list[SectionResult]) -> list[SectionResult]:
    """Sections by percent, lowest first; sections with no answers last."""
    return sorted(results, key=lambda r: (r.percent is None, r.percent or 0, r.code))
