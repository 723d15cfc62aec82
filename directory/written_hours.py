"""A week's opening hours as people write them, in English, Spanish or French, read into the
spans the directory stores; and a week written back in the reader's language.

"Mon-Fri 9:00-17:00; Sat 10-14", "Lun-Vie 8:00-20:00", "de lunes a viernes de 8 a 20 h",
"lundi–vendredi 8h–20h", "lun., mar. et jeu. 8h30-12h, 14h-18h", "Mon to Fri 9am to 5pm"
all read. A part of the week is a day or a range or list of days, then one or more
windows; parts are separated by ";" or a new line. Anything this cannot read is refused
with the part named, never guessed.

Kept apart from ``directory.hours`` (the stored spans and their one-time parser): this is
the partner's free text only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from flask_babel import gettext as _

from directory.models import WEEKDAYS

_DAY_WORDS = {
    0: "monday mon mo lunes lun lu lundi",
    1: "tuesday tue tues tu martes mar ma mardi",
    2: "wednesday wed we miercoles mie mi mercredi mer me",
    3: "thursday thu thur thurs th jueves jue ju jeudi jeu je",
    4: "friday fri fr viernes vie vi vendredi ven ve",
    5: "saturday sat sa sabado sab samedi sam",
    6: "sunday sun su domingo dom do dimanche dim di",
}
DAYS = {word: day for day, words in _DAY_WORDS.items() for word in words.split()}
_FILLER = {"de", "du", "from", "le", "les", "el", "los", "las", "the", "on", "every"}
_RANGE = (
    r"\s*(?:-|\bto\b|\bthrough\b|\bthru\b|\buntil\b|\ba\b|\bal\b|\bhasta\b|\bau\b"
    r"|\bjusqu'?au\b)\s*"
)
_LIST = r"\s*(?:,|&|\band\b|\by\b|\bet\b)\s*"
_CLOSED = re.compile(r"\b(closed|cerrado|ferme|fermee)\b")
_NOT_GIVEN = re.compile(
    r"times not given|horas no indicadas|horario no indicado|horaires non indiques"
)
_TIME = re.compile(
    r"(?<![\d:])(\d{1,2})(?:\s*(?::|\.|h)\s*(\d{2}))?\s*(h\b|hs\b|hrs\b)?\s*(a\.?\s?m\.?|p\.?\s?m\.?)?"
)
_WORD_TIMES = {
    "noon": "12:00",
    "mediodia": "12:00",
    "midi": "12:00",
    "midnight": "24:00",
    "medianoche": "24:00",
    "minuit": "24:00",
}
SHORT_DAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "es": ("Lun", "Mar", "Mié", "Jue", "Vie", "Sáb", "Dom"),
    "fr": ("lun", "mar", "mer", "jeu", "ven", "sam", "dim"),
}


class UnreadableHours(ValueError):
    """The text names no day, or a time this cannot read; ``message`` says which part."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def plain(text: str) -> str:
    """Lower case, accents and typographic dashes removed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[\u2010-\u2015\u2212]", "-", text)


def parse(text: str) -> list[dict]:
    """The partner's week → ``[{"weekday": "Mon", "opens": "08:00", "closes": "20:00"}]``
    (no times: open that day, times not given); a day marked closed has no span."""
    spans: list[dict] = []
    for raw in filter(None, (p.strip() for p in re.split(r"[;\n]", text))):
        part = plain(raw)
        for word, time in _WORD_TIMES.items():
            part = re.sub(rf"\b{word}\b", time, part)
        first_digit = re.search(r"\d", part)
        days_text = part[: first_digit.start()] if first_digit else part
        times_text = part[first_digit.start() :] if first_digit else ""
        days = _days(_NOT_GIVEN.sub("", _CLOSED.sub("", days_text)), raw)
        if _CLOSED.search(part):
            continue
        if not times_text:
            if _NOT_GIVEN.search(part) or "(" in part:
                spans += [{"weekday": WEEKDAYS[d]} for d in days]
                continue
            raise UnreadableHours(_("“%(part)s”: give the opening times.", part=raw))
        for opens, closes in _windows(times_text, raw):
            spans += [{"weekday": WEEKDAYS[d], "opens": opens, "closes": closes} for d in days]
    return spans


def _days(text: str, raw: str) -> list[int]:
    """'lun-vie', 'mon, wed and fri', 'de lunes a viernes' → weekday numbers."""
    words = re.sub(r"[.:()]", " ", text)
    words = " ".join(w for w in words.split() if w not in _FILLER)
    words = re.sub(_RANGE, "-", words)
    found: list[int] = []
    for item in filter(None, (i.strip() for i in re.split(_LIST, words))):
        ends = [e.strip() for e in item.split("-")]
        if not all(e in DAYS for e in ends) or len(ends) > 2:
            raise UnreadableHours(
                _(
                    "“%(part)s”: no day we recognise (write e.g. Mon-Fri, lunes a viernes, "
                    "lundi–vendredi).",
                    part=raw,
                )
            )
        start = DAYS[ends[0]]
        end = DAYS[ends[-1]]
        day = start
        while True:
            if day not in found:
                found.append(day)
            if day == end:
                break
            day = (day + 1) % 7
    if not found:
        raise UnreadableHours(
            _(
                "“%(part)s”: no day we recognise (write e.g. Mon-Fri, lunes a viernes, "
                "lundi–vendredi).",
                part=raw,
            )
        )
    return found


def _windows(text: str, raw: str) -> list[tuple[str, str]]:
    """'8:00-20:00', '8 a 20 h', '8h30-12h, 14h-18h', '9am to 5pm' → (opens, closes)."""
    times = []
    for m in _TIME.finditer(text):
        hour, minute, _h, meridiem = m.groups()
        h, mins = int(hour), int(minute or 0)
        if meridiem:
            pm = meridiem.startswith("p")
            if h > 12 or h == 0:
                raise UnreadableHours(_("“%(part)s”: a time we cannot read.", part=raw))
            h = (h % 12) + (12 if pm else 0)
        if h > 24 or mins > 59 or (h == 24 and mins):
            raise UnreadableHours(_("“%(part)s”: a time we cannot read.", part=raw))
        times.append(f"{h:02d}:{mins:02d}")
    leftover = _TIME.sub(" ", text)
    leftover = re.sub(r"\b(a|al|to|until|hasta|au|de|des|from|las|y|et|and|h)\b", " ", leftover)
    if re.search(r"[a-z0-9]", re.sub(r"[-,&/]", " ", leftover)) or not times or len(times) % 2:
        raise UnreadableHours(
            _(
                "“%(part)s”: write each opening as two times, e.g. 08:00-20:00 or 8h-20h.",
                part=raw,
            )
        )
    pairs = list(zip(times[::2], times[1::2], strict=True))
    return [("00:00" if o == "24:00" else o, c) for o, c in pairs]


def week_text(
    open_24_7: bool, spans: Iterable[tuple[int, int | None, int | None]], lang: str
) -> str:
    """A week as a partner edits it, in ``lang``: '24/7', or 'Lun-Vie 09:00-17:00; Sáb
    10:00-14:00'; a span without times says so in words. ``parse`` reads it back."""
    if open_24_7:
        return "24/7"
    names = SHORT_DAYS.get(lang, SHORT_DAYS["en"])
    not_given = {
        "en": "(times not given)",
        "es": "(horas no indicadas)",
        "fr": "(horaires non indiqués)",
    }.get(lang, "(times not given)")
    by_day: dict[int, list[str]] = {}
    for weekday, opens, closes in spans:
        text = not_given if opens is None or closes is None else f"{_hhmm(opens)}-{_hhmm(closes)}"
        by_day.setdefault(weekday, []).append(text)
    runs: list[list] = []
    for day in sorted(by_day):
        text = ", ".join(by_day[day])
        if runs and runs[-1][1] == day - 1 and runs[-1][2] == text:
            runs[-1][1] = day
        else:
            runs.append([day, day, text])
    return "; ".join(f"{names[a]}{'' if a == b else '-' + names[b]} {text}" for a, b, text in runs)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
