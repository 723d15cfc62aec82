"""Weekly hours: parsing, display, and the open/closed rule including overnight spans."""

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from directory import hours
from directory.models import Service, ServiceHours


def service(*spans, open_24_7=False):
    s = Service(open_24_7=open_24_7)
    s.hours = [ServiceHours(weekday=d, opens=o, closes=c) for d, o, c in spans]
    return s


def test_parse_and_format_time():
    assert hours.parse_time("09:30") == 570
    assert hours.parse_time("0:05") == 5
    assert hours.parse_time("24:00") == 1440
    for bad in ("9am", "25:00", "24:30", "12:60", ""):
        with pytest.raises(hours.BadTime):
            hours.parse_time(bad)
    assert hours.format_time(570) == "09:30"


def test_parse_week():
    spans = hours.parse_week("Mon-Wed 09:00-17:00; Sat 10:00-12:00,13:00-15:00")
    assert [(s["weekday"], s["opens"], s["closes"]) for s in spans] == [
        ("Mon", "09:00", "17:00"),
        ("Tue", "09:00", "17:00"),
        ("Wed", "09:00", "17:00"),
        ("Sat", "10:00", "12:00"),
        ("Sat", "13:00", "15:00"),
    ]


def test_summary_groups_equal_days():
    s = service(*[(d, 540, 1020) for d in range(5)], (5, 600, 840))
    assert hours.summary(s) == "Mon–Fri 09:00–17:00; Sat 10:00–14:00"
    assert hours.summary(service(open_24_7=True)) == "Open 24/7"
    assert hours.summary(service()) == "Hours not listed"


def test_overnight_span_belongs_to_two_days():
    s = service((4, 22 * 60, 6 * 60))  # Friday 22:00 – Saturday 06:00
    assert hours.is_open(s, 4, 21 * 60 + 59) is False
    assert hours.is_open(s, 4, 22 * 60) is True
    assert hours.is_open(s, 5, 5 * 60 + 59) is True
    assert hours.is_open(s, 5, 6 * 60) is False
    sunday_night = service((6, 23 * 60, 2 * 60))
    assert hours.is_open(sunday_night, 0, 60) is True  # Monday 01:00 after Sunday's span


def test_unknown_hours_are_none_and_24_7_always_open():
    assert hours.is_open(service(), 0, 600) is None
    assert hours.is_open(service(open_24_7=True), 3, 0) is True


def test_local_moment_uses_the_zone():
    moment = datetime(2026, 7, 1, 3, 30, tzinfo=UTC)  # Wednesday
    assert hours.local_moment(moment, "America/Chicago") == (1, 22 * 60 + 30)  # Tue 22:30
    assert hours.local_moment(moment, "Asia/Kolkata") == (2, 9 * 60)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 6), st.integers(0, 1439), st.integers(1, 1440))
def test_a_span_is_open_for_exactly_its_length_each_week(day, opens, closes):
    """Property: whatever the span (same-day or overnight), the minutes it is open over a
    week equal its length, so no minute is lost or counted twice across midnight."""
    s = service((day, opens, closes))
    length = (closes - opens) % 1440 or 1440
    open_minutes = sum(1 for d in range(7) for m in range(1440) if hours.is_open(s, d, m))
    assert open_minutes == length


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(0, 1439), st.integers(1, 1440)), max_size=4),
    st.booleans(),
)
def test_week_hours_slots_agree_with_is_open_every_minute(spans, open_24_7):
    """Property: an OPEN slot is open every minute of its hour, CLOSED no minute,
    PART_OPEN some but not all, by the exact rule search falls back on, overnight and
    Sunday-into-Monday spans included."""
    s = service(*spans, open_24_7=open_24_7)
    week = hours.week_hours(open_24_7, spans)
    assert len(week) == hours.WEEK_SLOTS
    for slot in range(hours.WEEK_SLOTS):
        day, hour = divmod(slot, 24)
        open_minutes = sum(bool(hours.is_open(s, day, hour * 60 + m)) for m in range(60))
        expected = {60: hours.OPEN, 0: hours.CLOSED}.get(open_minutes, hours.PART_OPEN)
        assert week[slot : slot + 1] == expected


def test_week_hours_of_a_working_week():
    week = hours.week_hours(False, [(d, 8 * 60 + 30, 17 * 60) for d in range(5)])
    monday = week[:24]
    assert monday == b"0" * 8 + b"2" + b"1" * 8 + b"0" * 7
    assert week[5 * 24 :] == b"0" * 48  # weekend closed
    assert hours.week_hours(False, []) == b"0" * 168  # hours unknown: never "open now"
    sunday_night = hours.week_hours(False, [(6, 23 * 60, 2 * 60)])
    assert sunday_night[-1:] + sunday_night[:3] == b"1110"  # Sun 23:00 – Mon 02:00


def test_a_day_whose_times_are_not_given_is_unknown_never_open():
    """A schedule row with only text ("10:00am-11:00am AND 6:45pm") for Tuesday."""
    s = service((0, 540, 1020), (1, None, None))
    assert hours.is_open(s, 0, 600) is True
    assert hours.is_open(s, 0, 1080) is False
    assert hours.is_open(s, 1, 180) is None  # 3 a.m. Tuesday: unknown, not open
    assert hours.is_open(s, 2, 600) is False
    week = hours.week_hours(False, [(0, 540, 1020), (1, None, None)])
    assert week[24 + 3 : 24 + 4] == hours.CLOSED  # open-now search does not list it
    assert hours.summary(s) == "Mon 09:00–17:00; Tue times not given (see notes)"


def test_a_week_read_again_is_the_same_week_and_its_own_part_byte():
    from directory.hours import OPEN, PART_OPEN, PART_OPEN_THERE, week_hours

    monday_nine_to_five_thirty = [(0, 9 * 60, 17 * 60 + 30)]
    here = week_hours(False, monday_nine_to_five_thirty)
    there = week_hours(False, monday_nine_to_five_thirty, part=PART_OPEN_THERE)
    assert here == week_hours(False, list(monday_nine_to_five_thirty))  # read again
    assert here[9:17] == OPEN * 8
    assert here[17:18] == PART_OPEN
    assert here[8:9] == b"0"
    assert there[17:18] == PART_OPEN_THERE  # not the first call's part byte
    assert here[24 + 9 : 24 + 10] == b"0"  # Tuesday closed
