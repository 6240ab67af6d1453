"""Working days in England and Wales, and the deadlines that run from sentence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache, lru_cache
from typing import Any

from court_tui.domain.dates import describe_date


@cache
def _bank_holidays(year: int) -> Any:
    # England and Wales share one set of bank holidays; the library calls it subdiv ENG.
    # Imported here: it takes a tenth of a second, which the case list does not need.
    import holidays

    return holidays.country_holidays("GB", subdiv="ENG", years=year)


def is_bank_holiday(day: date) -> bool:
    """Whether DAY is a bank holiday in England and Wales."""
    return day in _bank_holidays(day.year)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a bank holiday in England and Wales."""
    return day.weekday() < 5 and not is_bank_holiday(day)


# Kept: every assessment (and every save's status word) asks the same few dates again.
@lru_cache(maxsize=4096)
def add_working_days(start: date, days: int) -> date:
    """The date DAYS working days after START (START itself is day 0); before START when
    DAYS is negative."""
    step = timedelta(days=1 if days >= 0 else -1)
    current = start
    counted = 0
    while counted < abs(days):
        current += step
        if is_working_day(current):
            counted += 1
    return current


@cache
def _weekday_bank_holidays(year: int) -> tuple[date, ...]:
    day, found = date(year, 1, 1), []
    while day.year == year:
        if day.weekday() < 5 and is_bank_holiday(day):
            found.append(day)
        day += timedelta(days=1)
    return tuple(found)


@lru_cache(maxsize=4096)
def working_days_between(start: date, end: date) -> int:
    """Working days after START up to and including END (negative when END is earlier),
    in time that does not grow with the gap: a list can hold a check forgotten years ago."""
    if end < start:
        return -working_days_between(end, start)
    weeks, rest = divmod((end - start).days, 7)
    count = weeks * 5 + sum((start.weekday() + step) % 7 < 5 for step in range(1, rest + 1))
    for year in range(start.year, end.year + 1):
        count -= sum(start < day <= end for day in _weekday_bank_holidays(year))
    return count


class DeadlineStatus(StrEnum):
    """Where a deadline stands on a given day."""

    MET = "met"
    LATE = "late"
    DUE = "due"
    OVERDUE = "overdue"


STATUS_WORDS = {
    DeadlineStatus.MET: "Met",
    DeadlineStatus.LATE: "Met late",
    DeadlineStatus.DUE: "Due",
    DeadlineStatus.OVERDUE: "Overdue",
}


@dataclass(frozen=True)
class Deadline:
    """One thing that must be done by a date."""

    id: str
    what: str
    due: date
    status: DeadlineStatus
    done_on: date | None = None
    note: str = ""

    def describe(self, today: date) -> str:
        """The deadline in plain words, for lists and the check command."""
        words = f"{self.what}: by {describe_date(self.due)} - {STATUS_WORDS[self.status]}"
        if self.status is DeadlineStatus.OVERDUE:
            late = working_days_between(self.due, today)
            if late > 0:
                words += f" by {late} working day{'s' if late != 1 else ''}"
        if self.note:
            words += f" ({self.note})"
        return words


def deadline_status(due: date, done: bool, done_on: date | None, today: date) -> DeadlineStatus:
    """The status of a deadline due on DUE, on TODAY."""
    if done:
        if done_on is not None and done_on > due:
            return DeadlineStatus.LATE
        return DeadlineStatus.MET
    return DeadlineStatus.OVERDUE if today > due else DeadlineStatus.DUE


RSR_WORKING_DAYS = 1
CLEAR_APPOINTMENT_WORKING_DAYS = 1
FULL_ROSH_WORKING_DAYS = 2
FIRST_APPOINTMENT_WORKING_DAYS = 5
FIRST_APPOINTMENT_TOO_LONG_WORKING_DAYS = 10
