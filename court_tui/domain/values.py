"""Reading answer values: dates as officers type them, numbers, CRN, PNC, times."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from court_tui.domain.bounds import MAX_NUMBER, date_in_bounds

# Other layers read dates in words from here too; the spelling is the dates module's.
from court_tui.domain.dates import describe_date as describe_date
from court_tui.domain.deadlines import add_working_days

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2}|\d{4}))?$")
_WORD_DATE = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?(?:\s+(\d{2}|\d{4}))?$")
_OFFSET = re.compile(r"^([+-])\s*(\d{1,4})$")
_CRN = re.compile(r"^[A-Z]\d{6}$")
_PNC = re.compile(r"^(\d{2}|\d{4})/(\d{1,7})([A-Z])$")
_OFFENCE_CODE = re.compile(r"^\d{5}$")
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_PNC_CHECK_LETTERS = "ZABCDEFGHJKLMNPQRTUVWXY"


def _iso_day(value: object) -> date | None:
    if not isinstance(value, str) or not _ISO_DATE.match(value.strip()):
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def parse_iso_date(value: object) -> date | None:
    """VALUE as a date when it is an ISO date string (YYYY-MM-DD) of a real day within the
    dates a case may hold (bounds.EARLIEST_DATE to LATEST_DATE)."""
    day = _iso_day(value)
    return day if day is not None and date_in_bounds(day) else None


def is_date_out_of_bounds(value: object) -> bool:
    """Whether VALUE is an ISO date of a real day outside the dates a case may hold."""
    day = _iso_day(value)
    return day is not None and not date_in_bounds(day)


def _year(text: str | None, today: date) -> int:
    if text is None:
        return today.year
    if len(text) == 2:
        return 2000 + int(text) if int(text) <= today.year % 100 + 10 else 1900 + int(text)
    return int(text)


def _nearest(day: int, month: int, today: date, past: bool) -> date:
    # "5/1" typed on 28 December means next week, not last January; for a date that must
    # be in the past ("1/12" typed on 3 December as an offence date) it means the latest
    # such day not after today.
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if past:
        candidates = [candidate for candidate in candidates if candidate <= today]
    if not candidates:
        raise ValueError("no such day")
    return min(candidates, key=lambda day_: abs((day_ - today).days))


def _cleaned(text: str) -> str:
    return " ".join(text.strip().lower().replace(",", " ").split())


def parse_date_input(text: str, today: date, *, past: bool = False) -> date | None:
    """A date as an officer types it: 'today' (or 't'), 'tomorrow', '+3' (three working
    days in England and Wales), '14/3', '14 Mar 2026'. A day and month with no year is the
    nearest such day, or with PAST (a date that must not be in the future) the latest
    such day not after TODAY.

    Returns None when TEXT is not a real date within the dates a case may hold; the caller
    keeps TEXT as typed.
    """
    day = _typed_date(text, today, past)
    return day if day is not None and date_in_bounds(day) else None


def _typed_date(text: str, today: date, past: bool) -> date | None:
    cleaned = _cleaned(text)
    if not cleaned:
        return None
    if cleaned in ("today", "t"):
        return today
    if cleaned == "tomorrow":
        return today + timedelta(days=1)
    if cleaned == "yesterday":
        return today - timedelta(days=1)
    try:
        if offset := _OFFSET.match(cleaned):
            days = int(offset.group(2))
            return add_working_days(today, days if offset.group(1) == "+" else -days)
        if iso := parse_iso_date(cleaned):
            return iso
        if numeric := _NUMERIC_DATE.match(cleaned):
            day, month = int(numeric.group(1)), int(numeric.group(2))
            if numeric.group(3) is None:
                return _nearest(day, month, today, past)
            return date(_year(numeric.group(3), today), month, day)
        if worded := _WORD_DATE.match(cleaned):
            named_month = _MONTHS.get(worded.group(2))
            if named_month is None:
                return None
            if worded.group(3) is None:
                return _nearest(int(worded.group(1)), named_month, today, past)
            return date(_year(worded.group(3), today), named_month, int(worded.group(1)))
    except (ValueError, OverflowError):
        return None
    return None


def date_echo(text: str, today: date, *, past: bool = False) -> str:
    """What a typed date means, echoed under the field: '= Tuesday 7 April 2026', with
    ', 3 working days' when it was typed as an offset; empty when TEXT is not a date.
    PAST is as for `parse_date_input`."""
    day = parse_date_input(text, today, past=past) if text.strip() else None
    if day is None:
        return ""
    echo = f"= {describe_date(day)}"
    if offset := _OFFSET.match(_cleaned(text)):
        days = int(offset.group(2))
        echo += f", {days} working day{'' if days == 1 else 's'}"
        if offset.group(1) == "-":
            echo += " before today"
    return echo


def require_choice(what: str, value: str, choices: Sequence[str]) -> None:
    """Refuse VALUE unless it is one of CHOICES, saying which WHAT would do:
    "Unknown format 'doc' (use one of pdf, txt, md, json)"."""
    if value not in choices:
        raise ValueError(f"Unknown {what} '{value}' (use one of {', '.join(choices)})")


def parse_number(value: object) -> Decimal | None:
    """VALUE as a finite decimal number within ±bounds.MAX_NUMBER, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        value = repr(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() and abs(number) <= MAX_NUMBER else None


def decimal_places(number: Decimal) -> int:
    """How many decimal places NUMBER was written with."""
    exponent = number.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def is_crn(text: str) -> bool:
    """Whether TEXT is an nDelius case reference number: one letter and six digits."""
    return bool(_CRN.match(text.strip().upper()))


def normal_crn(text: str) -> str:
    """TEXT as nDelius writes a CRN (trimmed, the letter upper case) when it is one; text
    that is not a CRN is left as typed, for its error to quote."""
    return text.strip().upper() if is_crn(text) else text


def pnc_parts(text: str) -> tuple[str, str, str] | None:
    """TEXT split into year, serial and check letter when it has the shape of a PNC number."""
    match = _PNC.match(text.strip().upper())
    if match is None:
        return None
    return match.group(1), match.group(2), match.group(3)


def pnc_check_letter(year: str, serial: str) -> str:
    """The check letter the PNC gives a year and serial number."""
    number = int(year[-2:] + serial.zfill(7))
    return _PNC_CHECK_LETTERS[number % 23]


def is_offence_code(text: str) -> bool:
    """Whether TEXT has the shape of a Home Office offence code: five digits."""
    return bool(_OFFENCE_CODE.match(text.strip()))


def is_time(text: str) -> bool:
    """Whether TEXT is a 24-hour time such as 14:30."""
    return bool(_TIME.match(text.strip()))
