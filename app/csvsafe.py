"""The one rule for CSV a spreadsheet may open: every data cell quoted, and no cell, or
piece of a cell, that a spreadsheet would run as a formula.

A cell is dangerous when its first character, or the first character after a separator
inside it (``;``, ``,``, tab, newline or carriage return, with any spaces between), is
``=``, ``+``, ``-``, ``@``, tab or carriage return (OWASP "CSV injection": a spreadsheet
that splits the cell again, e.g. "Text to columns" on ``;``, would see a formula there).
The guard escapes each dangerous piece with a leading apostrophe, the text otherwise kept:
``=1+1`` becomes ``'=1+1`` and ``Pantry;=1+1`` becomes ``Pantry;'=1+1``.

The header row (the fixed column names, never user data) is written unquoted, so readers
that match it as text keep working; every row after it is quoted with ``csv.QUOTE_ALL``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SEPARATORS = (";", ",", "\t", "\n", "\r")
# a dangerous character at the start, or after a separator and any spaces
_DANGER = re.compile(r"(^|[;,\t\n\r] *)(?=[=+\-@\t\r])")


def guard(value) -> str:
    """``value`` as text no spreadsheet runs as a formula (see the module's rule)."""
    text = "" if value is None else str(value)
    return _DANGER.sub(lambda m: m.group(1) + "'", text)


class Writer:
    """``csv.writer`` with the rule: ``header`` plain, every ``row`` guarded and quoted."""

    def __init__(self, out):
        self._plain = csv.writer(out)
        self._quoted = csv.writer(out, quoting=csv.QUOTE_ALL)

    def header(self, names: Iterable[str]) -> None:
        self._plain.writerow(list(names))

    def row(self, cells: Iterable) -> None:
        self._quoted.writerow([guard(c) for c in cells])

    def blank(self) -> None:
        self._plain.writerow([])
