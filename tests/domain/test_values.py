"""Reading values as officers type them: dates, numbers, CRN and PNC numbers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from court_tui.domain.values import (
    date_echo,
    describe_date,
    is_crn,
    is_time,
    parse_date_input,
    parse_iso_date,
    parse_number,
    pnc_check_letter,
    pnc_parts,
)

MONDAY = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("today", date(2026, 3, 2)),
        ("Today ", date(2026, 3, 2)),
        ("t", date(2026, 3, 2)),
        ("T", date(2026, 3, 2)),
        ("tomorrow", date(2026, 3, 3)),
        ("yesterday", date(2026, 3, 1)),
        ("+3", date(2026, 3, 5)),
        ("+ 3", date(2026, 3, 5)),
        ("-2", date(2026, 2, 26)),
        ("14/3", date(2026, 3, 14)),
        ("14.3", date(2026, 3, 14)),
        ("14/3/2026", date(2026, 3, 14)),
        ("14/3/26", date(2026, 3, 14)),
        ("27/3/90", date(1990, 3, 27)),
        ("14 Mar 2026", date(2026, 3, 14)),
        ("14 march 2026", date(2026, 3, 14)),
        ("14 Mar", date(2026, 3, 14)),
        ("1 Sept 2026", date(2026, 9, 1)),
        ("2026-03-14", date(2026, 3, 14)),
        ("29/2/2028", date(2028, 2, 29)),
    ],
)
def test_dates_are_read_as_officers_type_them(typed: str, expected: date) -> None:
    assert parse_date_input(typed, MONDAY) == expected


FRIDAY = date(2026, 3, 27)


def test_a_day_and_month_that_must_be_past_is_the_last_such_day() -> None:
    # On 3 December an offence on "1/2" was last February, not next February, which is
    # nearer; a date that may be in the future keeps the nearest.
    december = date(2026, 12, 3)
    assert parse_date_input("1/2", december, past=True) == date(2026, 2, 1)
    assert parse_date_input("1/2", december) == date(2027, 2, 1)
    assert parse_date_input("1 Feb", december, past=True) == date(2026, 2, 1)
    assert parse_date_input("3/12", december, past=True) == december
    assert parse_date_input("4/12", december, past=True) == date(2025, 12, 4)
    assert date_echo("1/2", december, past=True) == "= Sunday 1 February 2026"


def test_plus_one_on_a_friday_is_the_monday() -> None:
    assert parse_date_input("+1", FRIDAY) == date(2026, 3, 30)


def test_plus_n_steps_over_bank_holidays() -> None:
    # Thursday 2 April 2026; Good Friday 3 April and Easter Monday 6 April are bank holidays.
    assert parse_date_input("+3", date(2026, 4, 2)) == date(2026, 4, 9)
    assert parse_date_input("+1", date(2026, 4, 2)) == date(2026, 4, 7)


def test_minus_n_counts_working_days_back() -> None:
    assert parse_date_input("-1", MONDAY) == date(2026, 2, 27)


def test_the_echo_says_an_offset_is_working_days() -> None:
    # ux.md's example: three working days from Tuesday 31 March 2026, over Easter.
    assert date_echo("+3", date(2026, 3, 31)) == "= Tuesday 7 April 2026, 3 working days"
    assert date_echo("+1", FRIDAY) == "= Monday 30 March 2026, 1 working day"
    assert date_echo("-1", MONDAY) == "= Friday 27 February 2026, 1 working day before today"
    assert date_echo("14/3", MONDAY) == "= Saturday 14 March 2026"
    assert date_echo("not a date", MONDAY) == ""
    assert date_echo("", MONDAY) == ""


@pytest.mark.parametrize(
    "typed",
    ["31/2", "29/2/2027", "32/1", "14/13", "3/14", "14 Foo 2026", "next week", "", "   ", "14"],
)
def test_text_that_is_not_a_real_date_gives_no_date(typed: str) -> None:
    assert parse_date_input(typed, MONDAY) is None


def test_a_date_is_echoed_back_with_its_weekday() -> None:
    assert describe_date(date(2026, 3, 13)) == "Friday 13 March 2026"
    assert describe_date(date(2026, 3, 14)) == "Saturday 14 March 2026"
    assert describe_date(date(2027, 12, 24)) == "Friday 24 December 2027"


def test_iso_dates_must_be_real_days() -> None:
    assert parse_iso_date("2026-03-02") == date(2026, 3, 2)
    assert parse_iso_date("2026-02-31") is None
    assert parse_iso_date("2/3/2026") is None
    assert parse_iso_date(20260302) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6.90", Decimal("6.90")),
        (" 6.9 ", Decimal("6.9")),
        (".5", Decimal("0.5")),
        (7, Decimal(7)),
    ],
)
def test_numbers(text: object, expected: Decimal) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["abc", "6,90", "1e3", "nan", "inf", "", True, None])
def test_not_numbers(text: object) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize("crn", ["X123456", "x123456", " A000001 "])
def test_a_crn_is_a_letter_and_six_digits(crn: str) -> None:
    assert is_crn(crn)


@pytest.mark.parametrize("crn", ["X12345", "X1234567", "XX23456", "1234567", "X12 3456", ""])
def test_a_crn_in_any_other_shape_is_refused(crn: str) -> None:
    assert not is_crn(crn)


# Known-correct PNC numbers: the check letter is (two-digit year and seven-digit serial)
# modulo 23, as a letter of ZABCDEFGHJKLMNPQRTUVWXY (no I, O or S).
@pytest.mark.parametrize(
    "pnc", ["2012/0012345A", "2001/0171310W", "2011/0275516Q", "2008/0056560Z", "1981/0154257C"]
)
def test_known_correct_pnc_check_letters(pnc: str) -> None:
    parts = pnc_parts(pnc)
    assert parts is not None
    year, serial, letter = parts
    assert pnc_check_letter(year, serial) == letter


def test_a_wrong_pnc_check_letter_is_detected() -> None:
    parts = pnc_parts("2012/0012345B")
    assert parts == ("2012", "0012345", "B")
    assert pnc_check_letter("2012", "0012345") == "A"


def test_a_short_pnc_serial_is_padded_and_a_two_digit_year_read() -> None:
    assert pnc_parts("12/12345a") == ("12", "12345", "A")
    assert pnc_check_letter("12", "12345") == pnc_check_letter("2012", "0012345") == "A"


@pytest.mark.parametrize("pnc", ["2012/00123456789A", "2012-0012345A", "2012/0012345", "ABC"])
def test_a_pnc_in_the_wrong_shape_has_no_parts(pnc: str) -> None:
    assert pnc_parts(pnc) is None


def test_times() -> None:
    assert is_time("14:30") and is_time("9:05")
    assert not is_time("24:00") and not is_time("2.30pm")
