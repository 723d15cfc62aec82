"""One clock for the whole app: the moment now (UTC) and what "today" means.

Today is the calendar date in ``DIRECTORY_TIMEZONE`` (the network's own zone), everywhere
a date is stamped or compared: verified on, follow-up due, rated on, 12-month windows,
assessment rounds. A server running in UTC would otherwise stamp tomorrow's date on an
evening in Chicago.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def now() -> datetime:
    """The moment now, timezone-aware UTC."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in ``DIRECTORY_TIMEZONE``."""
    return now().astimezone(ZoneInfo(current_app.config["DIRECTORY_TIMEZONE"])).date()


def today_at(moment: datetime) -> date:
    """The date of ``moment`` (UTC) in ``DIRECTORY_TIMEZONE``."""
    return moment.astimezone(ZoneInfo(current_app.config["DIRECTORY_TIMEZONE"])).date()
