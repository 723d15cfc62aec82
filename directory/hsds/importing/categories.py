"""Which Section V category a package's taxonomy terms give a service: a mapping file's
lines (by term id, code, name or code prefix, through parent terms) first, then the
default 211 HSIS (AIRS/211 LA) mapping shipped in ``seeds/hsds/airs-section-v.csv`` for
codes of that shape."""

from __future__ import annotations

import csv
import re
from functools import cache

from directory import taxonomy

TERM_SEPARATORS = re.compile(r"[-.]")
# a 211 HSIS (AIRS/211 LA) code: two capitals, then levels like -1800, .2000, -620, .50
AIRS_CODE = re.compile(r"[A-Z]{2}(-\d{4}(\.\d{4}(-\d{3}(\.\d{2})?)?)?)?")


@cache
def airs_mapping() -> dict[str, str]:
    """The default mapping of 211 HSIS codes to Section V categories, shipped in
    ``seeds/hsds/airs-section-v.csv`` with the source of each line (docs/hsds.md)."""
    with (taxonomy.SEEDS / "hsds" / "airs-section-v.csv").open(newline="", encoding="utf-8") as fh:
        return {row["term"].strip().lower(): row["category"] for row in csv.DictReader(fh)}


def airs_terms(terms: dict) -> dict:
    """``terms`` as ``airs_category`` reads them: only codes of the 211 HSIS shape, so
    another vocabulary's ``BD`` or ``101-01`` never takes a category from the default."""
    return {
        tid: (code if code and AIRS_CODE.fullmatch(code) else None, None, parent)
        for tid, (code, _name, parent) in terms.items()
    }


def airs_category(term_id: str | None, airs: dict) -> str | None:
    """The default mapping's category for a term filed under a 211 HSIS code (or under a
    parent that is); ``airs``: the package's terms through ``airs_terms``. A mapping file
    given with the import goes first."""
    return map_term(airs_mapping(), term_id, airs)


def map_term(mapping: dict[str, str], term_id: str | None, terms: dict) -> str | None:
    """The Section V category a mapping file gives a taxonomy term: by its id, code or name;
    else by a prefix of its code (one AIRS line ``BD`` covers ``BD-1800.2000``, the longest
    prefix given wins); else through its parent terms."""
    seen = set()
    while term_id and term_id not in seen:
        seen.add(term_id)
        code, name, parent = terms.get(term_id, (None, None, None))
        for key in (term_id, code, name):
            if key and key.lower() in mapping:
                return mapping[key.lower()]
        if code:
            cuts = [m.start() for m in TERM_SEPARATORS.finditer(code)]
            for cut in reversed(cuts):
                if (prefix := code[:cut].lower()) in mapping:
                    return mapping[prefix]
        term_id = parent
    return None
