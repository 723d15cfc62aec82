"""Geometry of the SVG bar charts on the results pages (no JavaScript, no score math in
templates): one horizontal bar per section, its length the section's percent."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from assessment.scoring import SectionResult

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 260
BAR_WIDTH = 300


@dataclass
class Bar:
    label: str
    percent: float | None
    y: int
    width: float
    rating: float | None = None

    @property
    def text(self) -> str:
        return "no answers" if self.percent is None else f"{self.percent:.0f}%"


def bars(results: Iterable[SectionResult]) -> dict[str, Any]:
    """Results in display order → bars and the chart's size."""
    out = []
    for i, r in enumerate(results):
        width = 0 if r.percent is None else BAR_WIDTH * r.percent / 100
        out.append(
            Bar(f"{r.code} · {r.title}", r.percent, i * (BAR_HEIGHT + GAP), width, r.rating_mean)
        )
    return {
        "bars": out,
        "height": len(out) * (BAR_HEIGHT + GAP),
        "label_width": LABEL_WIDTH,
        "bar_width": BAR_WIDTH,
        "bar_height": BAR_HEIGHT,
        "width": LABEL_WIDTH + BAR_WIDTH + 110,  # room for "aucune réponse"
    }
