"""Dates and times as officers read them: one spelling for each, in England and Wales time.

Lists, exports, the handover and the review all show dates through these, so a date reads
the same wherever it appears. Working days are counted in `deadlines`.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Officers and supervisors read times in England and Wales, whatever the laptop says.
LOCAL_ZONE = "Europe/London"


@cache
def _local_zone() -> ZoneInfo | None:
    try:
        return ZoneInfo(LOCAL_ZONE)
    except ZoneInfoNotFoundError:
        return None


def to_local(moment: datetime) -> datetime:
    """MOMENT in England and Wales time (a moment without a zone is taken as local already;
    without the zone database it stays as it is)."""
    zone = _local_zone()
    return moment.astimezone(zone) if moment.tzinfo and zone is not None else moment


def describe_date(day: date) -> str:
    """DAY in words with its weekday, as echoed back to the officer: 'Saturday 14 March 2026'."""
    return f"{weekday(day)} {day.day} {day:%B %Y}"


def short_date(day: date | None, today: date) -> str:
    """DAY with its weekday, short: 'Fri 27 Feb' (with the year when not TODAY's)."""
    if day is None:
        return "No date"
    text = weekday_and_day(day)
    return text if day.year == today.year else f"{text} {day.year}"


def weekday_and_day(day: date) -> str:
    """DAY's short weekday, day and month, where the year goes without saying: 'Fri 27 Feb'."""
    return f"{day:%a} {day_and_month(day)}"


def day_and_month(day: date) -> str:
    """DAY's day and short month, for a narrow column: '27 Feb'."""
    return f"{day.day} {day:%b}"


def weekday(day: date) -> str:
    """DAY's weekday: 'Friday'."""
    return f"{day:%A}"


def describe_time(moment: datetime) -> str:
    """MOMENT's time of day on the 24-hour clock: '14:30'."""
    return f"{moment:%H:%M}"


def describe_moment(moment: datetime) -> str:
    """MOMENT as a weekday, date and time in England and Wales ('... UTC' when the zone
    database is missing and the time cannot be made local)."""
    local = to_local(moment)
    zone = " UTC" if _local_zone() is None and moment.tzinfo else ""
    return f"{describe_date(local.date())} at {describe_time(local)}{zone}"


def describe_recent(moment: datetime, today: date) -> str:
    """MOMENT in England and Wales time, short: '14:30' when on TODAY, else '27 Feb 14:30'."""
    local = to_local(moment)
    if local.date() == today:
        return describe_time(local)
    return f"{day_and_month(local.date())} {describe_time(local)}"
