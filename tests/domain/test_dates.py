"""Dates and times in words: one spelling wherever they are shown."""

from __future__ import annotations

from datetime import UTC, date, datetime

from court_tui.domain.dates import (
    describe_date,
    describe_moment,
    describe_time,
    short_date,
    to_local,
    weekday,
)

MONDAY = date(2026, 3, 2)


def test_short_date_has_the_weekday_and_the_year_only_when_it_differs() -> None:
    assert short_date(date(2026, 2, 27), MONDAY) == "Fri 27 Feb"
    assert short_date(date(2025, 12, 31), MONDAY) == "Wed 31 Dec 2025"
    assert short_date(None, MONDAY) == "No date"


def test_a_date_in_full_has_its_weekday() -> None:
    assert describe_date(date(2026, 3, 14)) == "Saturday 14 March 2026"
    assert weekday(date(2026, 3, 14)) == "Saturday"


def test_times_are_read_in_england_and_wales() -> None:
    summer = datetime(2026, 7, 1, 13, 5, tzinfo=UTC)
    assert describe_time(to_local(summer)) == "14:05"
    assert describe_moment(summer) == "Wednesday 1 July 2026 at 14:05"
    winter = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
    assert describe_moment(winter) == "Monday 5 January 2026 at 09:30"


def test_a_moment_without_a_zone_is_taken_as_local() -> None:
    assert to_local(datetime(2026, 7, 1, 13, 5)) == datetime(2026, 7, 1, 13, 5)
