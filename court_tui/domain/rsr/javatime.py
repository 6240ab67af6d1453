"""Whole years and whole months between dates, counted as java.time counts them.

The published model was written against java.time, and ages and months feed the score
directly, so a birthday on 29 February or a month ending on the 31st must be counted the
same way here or the score differs by a year of age.
"""

from __future__ import annotations

from datetime import date


def _proleptic_month(day: date) -> int:
    return day.year * 12 + day.month - 1


def _truncated_division(numerator: int, denominator: int) -> int:
    # Java's integer division rounds towards zero; Python's // rounds down.
    quotient = abs(numerator) // abs(denominator)
    return quotient if (numerator >= 0) == (denominator >= 0) else -quotient


def chrono_months(start: date, end: date) -> int:
    """Whole months from START to END, as `ChronoUnit.MONTHS.between(start, end)`."""
    packed_start = _proleptic_month(start) * 32 + start.day
    packed_end = _proleptic_month(end) * 32 + end.day
    return _truncated_division(packed_end - packed_start, 32)


def period_years(start: date, end: date) -> int:
    """The years part of `Period.between(start, end)`: an age in whole years."""
    total_months = _proleptic_month(end) - _proleptic_month(start)
    days = end.day - start.day
    if total_months > 0 and days < 0:
        total_months -= 1
    elif total_months < 0 and days > 0:
        total_months += 1
    return _truncated_division(total_months, 12)
