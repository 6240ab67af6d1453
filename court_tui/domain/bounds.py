"""The bounds every case keeps, wherever it comes from: typed in, imported from a file or
pulled from the central store. One bad value is refused here, with a reason in words,
before any rule, deadline or store column has to cope with it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import AfterValidator, Field

# The central store keeps a case's revision in a PostgreSQL integer (int4).
MAX_REVISION = 2_147_483_647
# The highest revision the central store takes from a laptop: well below its column's
# limit, leaving room for every save that follows (its migration 0003 holds the same
# figure, as a migration must not change once applied).
MAX_SYNCED_REVISION = 1_000_000_000

# Dates of birth reach back to 1900; hearings, checks and follow-ups stay well short of
# the date arithmetic's end (year 9999).
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)
DATE_RANGE_WORDS = "from 1 January 1900 to 31 December 2199"

# Past anything honest (a long report answer is a few thousand characters) and short of
# what a laptop, the sync or a supervisor's list would choke on.
MAX_TEXT_LENGTH = 100_000
MAX_ENTRIES = 1_000  # entries in any one list or mapping of a case
MAX_NESTING = 8  # a case is four levels deep; a case file may add a few
MAX_NUMBER = 10**15  # whole and decimal numbers stay exact as floats up to 2**53
MAX_CASE_FILE_BYTES = 10 * 1024 * 1024


# Control characters other than tab, line and page breaks (which text pasted from a
# document may hold): in a name or an answer they could only move, recolour or clear the
# terminal that shows them, and PostgreSQL cannot keep NUL in text.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# What makes a text unfit, in one search: a control character or a lone surrogate.
_UNFIT = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


class OutOfBounds(ValueError):
    """A value past one of the case's bounds; the message says which and why."""


def _where(path: tuple[str, ...]) -> str:
    return ".".join(safe_text(part) for part in path) or "the case"


def safe_text(text: str) -> str:
    """TEXT as it can be printed in a message: a character that is not valid Unicode (a
    lone surrogate) or that would move or colour the terminal (a control character) is
    shown as its escape, such as \\ud800 or \\x1b."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def fit_text(text: str) -> str:
    """TEXT as a case can keep it, for text the officer typed or pasted: without control
    characters other than tab, line and page breaks, or lone surrogates (which a paste
    can carry but no case may hold, so a saved case always reads back), and cut at the
    longest text a case may hold."""
    if len(text) <= MAX_TEXT_LENGTH and not _UNFIT.search(text):
        return text
    return _UNFIT.sub("", text)[:MAX_TEXT_LENGTH]


def has_lone_surrogate(text: str) -> bool:
    """Whether TEXT holds a lone surrogate, which no UTF-8 file or database can keep."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _text_problem(text: str) -> str | None:
    if len(text) > MAX_TEXT_LENGTH:
        return f"is {len(text):,} characters long; the most a text can hold is {MAX_TEXT_LENGTH:,}"
    if has_lone_surrogate(text):
        code = next(ord(ch) for ch in text if 0xD800 <= ord(ch) <= 0xDFFF)
        return (
            "holds a character that is not valid Unicode (a lone surrogate, "
            f"\\u{code:04x}); retype that text"
        )
    if control := _CONTROL.search(text):
        return f"holds a control character ({ascii(control.group())[1:-1]}); retype that text"
    return None


def check_case_data(data: object) -> None:
    """Refuse DATA, a case as read from JSON (nested dicts, lists, text, numbers), when any
    text, number, list or nesting is past the bounds; raises OutOfBounds saying where."""
    found = _problem(data, 0)
    if found is not None:
        path, problem = found
        raise OutOfBounds(f"{_where(tuple(reversed(path)))} {problem}")


def _problem(value: object, depth: int) -> tuple[list[str], str] | None:
    """The first problem in VALUE, with its path (innermost part first), or None.

    Read on every case the store or the sync parses, so the common case is kept cheap:
    one pattern search a text, and a path built only on the way back from a problem.
    Recursion stops at MAX_NESTING, so hostile nesting cannot exhaust the stack.
    """
    if isinstance(value, str):
        if len(value) > MAX_TEXT_LENGTH or _UNFIT.search(value):
            return [], str(_text_problem(value))
        return None
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            check_number(value, "it")
        except OutOfBounds as exc:
            return [], str(exc).removeprefix("it ")
        return None
    items: Iterable[tuple[str, object]]
    if isinstance(value, Mapping):
        items = value.items()
    elif isinstance(value, list | tuple):
        items = ((str(index), item) for index, item in enumerate(value))
    else:
        return None  # an already validated part (a model, a date) on assignment
    if depth >= MAX_NESTING:
        return [], "is nested too deeply"
    if len(value) > MAX_ENTRIES:
        return [], (f"has {len(value):,} entries; the most a case can hold is {MAX_ENTRIES:,}")
    for key, item in items:
        if isinstance(key, str) and (len(key) > MAX_TEXT_LENGTH or _UNFIT.search(key)):
            return [], f"has a name that {_text_problem(key)}"
        found = _problem(item, depth + 1)
        if found is not None:
            found[0].append(key)
            return found
    return None


def check_number(value: float, where: str) -> None:
    """Refuse VALUE (named WHERE) when it is not a finite number within ±MAX_NUMBER."""
    if isinstance(value, float) and value != value:  # NaN
        raise OutOfBounds(f"{where} is not a number (NaN)")
    if abs(value) > MAX_NUMBER:
        raise OutOfBounds(f"{where} is out of range: a number must be within ±10^15")


def date_in_bounds(day: date) -> bool:
    """Whether DAY lies within the dates a case may hold."""
    return EARLIEST_DATE <= day <= LATEST_DATE


def _bounded_date(day: date) -> date:
    if not date_in_bounds(day):
        raise OutOfBounds(f"{day.isoformat()} is out of range: a date must be {DATE_RANGE_WORDS}")
    return day


def _bounded_moment(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise OutOfBounds(
            f"{moment.isoformat()} has no time zone: write times in UTC, like 2026-03-02T10:15:00Z"
        )
    if not date_in_bounds(moment.astimezone(UTC).date()):
        raise OutOfBounds(
            f"{moment.isoformat()} is out of range: a time must be {DATE_RANGE_WORDS}"
        )
    return moment


def check_revision(revision: int) -> int:
    """REVISION when a case may hold it: 0 up to MAX_REVISION; raises OutOfBounds."""
    if not 0 <= revision <= MAX_REVISION:
        raise OutOfBounds(
            f"revision {revision:,} is out of range: a revision must be from 0 to {MAX_REVISION:,}"
        )
    return revision


def next_revision(revision: int) -> int:
    """The revision a save of a copy at REVISION gets; raises OutOfBounds when none is left."""
    if revision >= MAX_REVISION:
        raise OutOfBounds(
            f"This case is at revision {revision:,}, the last the central store can keep: "
            "it cannot be saved again. Export it and import it as a new case."
        )
    return revision + 1


BoundedDate = Annotated[date, AfterValidator(_bounded_date)]
"""A date within EARLIEST_DATE..LATEST_DATE."""

BoundedMoment = Annotated[datetime, AfterValidator(_bounded_moment)]
"""A moment with its time zone, within the dates a case may hold."""

Revision = Annotated[
    int,
    Field(json_schema_extra={"minimum": 0, "maximum": MAX_REVISION}),
    AfterValidator(check_revision),
]
"""A case's revision: 0 up to MAX_REVISION."""
