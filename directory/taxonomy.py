"""The Section V taxonomy of directory categories, loaded once from ``seeds/taxonomy.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    group: str


@dataclass(frozen=True)
class Group:
    code: str
    label: str
    columns: tuple[str, ...]
    categories: tuple[Category, ...]


class TaxonomyError(ValueError):
    """The taxonomy file is malformed."""


@cache
def groups() -> tuple[Group, ...]:
    """The groups in the template's order, each with its categories and columns."""
    data = yaml.safe_load((SEEDS / "taxonomy.yaml").read_text())
    out, seen = [], set()
    for g in data["groups"]:
        cats = tuple(Category(c["code"], c["label"], g["code"]) for c in g["categories"])
        for c in cats:
            if c.code in seen:
                raise TaxonomyError(f"duplicate category code {c.code}")
            seen.add(c.code)
        out.append(Group(g["code"], g["label"], tuple(g["columns"]), cats))
    return tuple(out)


@cache
def categories() -> dict[str, Category]:
    """Every category by code, in template order."""
    return {c.code: c for g in groups() for c in g.categories}


def group(code: str) -> Group | None:
    return next((g for g in groups() if g.code == code), None)


def expand(codes: list[str]) -> tuple[list[str], list[str]]:
    """Category or group codes → (category codes, unknown codes)."""
    found, unknown = [], []
    for code in codes:
        if code in categories():
            found.append(code)
        elif (g := group(code)) is not None:
            found.extend(c.code for c in g.categories)
        else:
            unknown.append(code)
    return list(dict.fromkeys(found)), unknown
