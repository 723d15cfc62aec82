"""Dates and times on pages follow the reader's locale and the directory's time zone."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app import create_app
from app.config import config_for_tests
from app.dates import day_tag, format_day, format_moment, user_locale


@pytest.fixture(scope="module")
def chicago_app(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('dates') / 'x.db'}"
    return create_app({**config_for_tests(url), "DIRECTORY_TIMEZONE": "America/Chicago"})


@pytest.mark.parametrize(
    ("header", "locale", "winter", "summer"),
    [
        ("en-GB,en;q=0.8", "en_GB", "21 Nov 2026, 07:00:00 CST", "1 Jul 2026, 08:00:00 CDT"),
        ("fr-CA, fr;q=0.5", "fr_CA", "21 nov. 2026, 07 h 00 min 00 s CST", None),
        ("*", "en_US", "Nov 21, 2026, 7:00:00\u202fAM CST", None),
    ],
)
def test_moments_in_directory_zone_and_reader_locale(chicago_app, header, locale, winter, summer):
    with chicago_app.test_request_context(headers={"Accept-Language": header}):
        assert user_locale() == locale
        # stored naive UTC: 13:00 UTC is 07:00 in Chicago in November, 08:00 in July
        assert format_moment(datetime(2026, 11, 21, 13, 0)) == winter
        if summer:
            assert format_moment(datetime(2026, 7, 1, 13, 0)) == summer


def test_day_tag_is_escaped_markup_with_iso_attribute(chicago_app):
    with chicago_app.test_request_context(headers={"Accept-Language": "es"}):
        assert format_day(date(2026, 3, 9)) == "9 mar 2026"
        assert str(day_tag(date(2026, 3, 9))) == '<time datetime="2026-03-09">9 mar 2026</time>'
        # an explicit locale (a printed sheet's language) wins over the browser's
        assert format_day(date(2026, 3, 9), "fr") == "9 mars 2026"
        assert day_tag(None) == ""
