"""The printed and shared words of the directory in each language: the label catalogue
(``seeds/sheet-labels.yaml``: English, Spanish, French; adding a language is adding a
block there) that sheets, the wallet card, share texts and templates read.

On the ground floor, so that a share text (``catalog``) and a printed sheet (``sheets``)
read the same words without one feature importing the other."""

from __future__ import annotations

import re
from functools import cache
from types import SimpleNamespace

import yaml

from directory import hours, taxonomy
from directory.models import Service
from directory.taxonomy import SEEDS

UNCATEGORIZED = ("uncategorized", "Other services")


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
        code: (chosen.get("groups") or {}).get(code, label)
        for code, label in [*((g.code, g.label) for g in taxonomy.groups()), UNCATEGORIZED]
    }
    merged["lang"] = lang if lang in catalogue() else "en"  # names in the sheet's language
    merged["categories"] = {
        c: (chosen.get("categories") or {}).get(c, cat.label)
        for c, cat in taxonomy.categories().items()
    }
    return merged


def hours_text(service: Service | SimpleNamespace, lab: dict) -> str:
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
