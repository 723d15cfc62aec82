"""The one rule for CSV a spreadsheet may open: every data cell quoted, and no cell, or
piece of a cell, that a spreadsheet would run as a formula.

A cell is dangerous when its first character, or the first character after a separator
inside it (``;``, ``,``, tab, newline or carriage return, with any spaces between), is
``=``, ``+``, ``-``, ``@``, tab or carriage return (OWASP "CSV injection": a spreadsheet
that splits the cell again, e.g. "Text to columns" on ``;``, would see a formula there).
The guard escapes each dangerous piece with a leading apostrophe, the text otherwise kept:
``=1+1`` becomes ``'=1+1`` and ``Pantry;=1+1`` becomes ``Pantry;'=1+1``.

A cell that is only telephone numbers (``+1 312-555-0101; (312) 555-0102 ext. 4``: digits,
spaces, ``+ - . ( )``, an extension, ``;`` between numbers) is left as written: it holds no
function name or reference, so nothing to run, and an apostrophe would corrupt the number
people dial or copy.

The header row (the fixed column names, never user data) is written unquoted, so readers
that match it as text keep working; every row after it is quoted with ``csv.QUOTE_ALL``.
Files start with a UTF-8 byte-order mark (``BOM``) so a spreadsheet reads "Intérprete" as
written, not as Latin-1.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import TextIO

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# one number: an optional +, then digits with spaces, - . ( ) between (7 digits at least),
# an optional extension; several joined by "; "
_ONE_PHONE = r"\+?\(?\d[\d ().\-]{5,}\d(?: ?(?:ext\.?|x) ?\d{1,6})?"
_PHONES = re.compile(rf"{_ONE_PHONE}(?:; ?{_ONE_PHONE})*")
SEPARATORS = (";", ",", "\t", "\n", "\r")
# a dangerous character at the start, or after a separator and any spaces
_DANGER = re.compile(r"(^|[;,\t\n\r] *)(?=[=+\-@\t\r])")


def guard(value: object) -> str:
    """``value`` as text no spreadsheet runs as a formula (see the module's rule)."""
    text = "" if value is None else str(value)
    if _PHONES.fullmatch(text) and sum(ch.isdigit() for ch in text) >= 7:
        return text
    return _DANGER.sub(lambda m: m.group(1) + "'", text)


class Writer:
    """``csv.writer`` with the rule: ``header`` plain (after the byte-order mark), every
    ``row`` guarded and quoted."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._plain = csv.writer(out)
        self._quoted = csv.writer(out, quoting=csv.QUOTE_ALL)
        self._started = False

    def header(self, names: Iterable[str]) -> None:
        if not self._started:
            self._out.write(BOM)
            self._started = True
        self._plain.writerow(list(names))

    def row(self, cells: Iterable) -> None:
        self._quoted.writerow([guard(c) for c in cells])

    def blank(self) -> None:
        self._plain.writerow([])
