"""Hours as partners write them (#28), in English, Spanish and French; expected spans worked
out by hand."""

from __future__ import annotations

import pytest

from directory import written_hours

WEEKDAYS_8_20 = [
    {"weekday": d, "opens": "08:00", "closes": "20:00"} for d in ("Mon", "Tue", "Wed", "Thu", "Fri")
]


@pytest.mark.parametrize(
    "text",
    [
        "Lun-Vie 8:00-20:00",
        "lundi–vendredi 8h–20h",
        "de lunes a viernes de 8 a 20 h",
        "Mon-Fri 08:00-20:00",
        "Monday to Friday 8am to 8pm",
        "du lundi au vendredi, 8 h - 20 h",
        "LUN. - VIE. 8.00-20.00",
    ],
)
def test_monday_to_friday_eight_to_eight_in_three_languages(text):
    assert written_hours.parse(text) == WEEKDAYS_8_20


def test_lists_split_days_and_closed_days():
    spans = written_hours.parse("lun., mar. et jeu. 8h30-12h, 14h-18h; sáb 10-14; dom cerrado")
    assert spans == [
        {"weekday": d, "opens": o, "closes": c}
        for o, c in (("08:30", "12:00"), ("14:00", "18:00"))
        for d in ("Mon", "Tue", "Thu")
    ] + [{"weekday": "Sat", "opens": "10:00", "closes": "14:00"}]


def test_a_range_over_the_weekend_and_midnight_words():
    assert written_hours.parse("Fri-Sun 6pm-midnight") == [
        {"weekday": d, "opens": "18:00", "closes": "24:00"} for d in ("Fri", "Sat", "Sun")
    ]


def test_the_week_written_back_reads_again():
    spans = [(0, 540, 1020), (1, 540, 1020), (5, 600, 840), (6, None, None)]
    assert written_hours.week_text(False, spans, "es") == (
        "Lun-Mar 09:00-17:00; Sáb 10:00-14:00; Dom (horas no indicadas)"
    )
    assert written_hours.week_text(False, spans, "fr").startswith("lun-mar 09:00-17:00")
    assert written_hours.parse(written_hours.week_text(False, spans, "es")) == [
        {"weekday": "Mon", "opens": "09:00", "closes": "17:00"},
        {"weekday": "Tue", "opens": "09:00", "closes": "17:00"},
        {"weekday": "Sat", "opens": "10:00", "closes": "14:00"},
        {"weekday": "Sun"},
    ]


@pytest.mark.parametrize(
    "text", ["Lunedi 8-20", "Mon-Fri 8", "Mon-Fri 25:00-26:00", "Mon-Fri", "soon 9-5"]
)
def test_what_cannot_be_read_is_refused_naming_the_part(app, text):
    with app.test_request_context(), pytest.raises(written_hours.UnreadableHours) as refused:
        written_hours.parse(text)
    assert text.split(";")[0] in refused.value.message
