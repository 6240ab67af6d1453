"""The bounds every case keeps: a value past them is refused with where and why, whether the
case comes from a file, the store or the central store; typed answers past them are kept
as typed and said as errors, never a crash."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from court_tui.domain.allocation import allocate, rsr_at_two_places
from court_tui.domain.assessment import assess
from court_tui.domain.bounds import (
    MAX_ENTRIES,
    MAX_REVISION,
    MAX_TEXT_LENGTH,
    OutOfBounds,
    next_revision,
)
from court_tui.domain.case import CaseRecord
from court_tui.domain.casefile import CaseFileError, dumps, loads
from court_tui.domain.forms import FormSet
from court_tui.domain.values import parse_date_input, parse_iso_date, parse_number
from court_tui.resources import data_dir

TODAY = date(2026, 3, 2)
DEMO = data_dir() / "demo" / "complete-crc.json"


def _file(change: dict[str, object], where: str = "case") -> str:
    document = json.loads(DEMO.read_text(encoding="utf-8"))
    target = document["case"] if where == "case" else document["case"][where]
    target.update(change)
    return json.dumps(document)


def _refusal(text: str, forms: FormSet) -> str:
    with pytest.raises(CaseFileError) as refused:
        loads(text, forms)
    return refused.value.message


def test_a_revision_up_to_the_central_column_is_read_and_beyond_it_refused(
    forms: FormSet,
) -> None:
    assert loads(_file({"revision": MAX_REVISION}), forms).revision == MAX_REVISION
    for revision in (MAX_REVISION + 1, 10**30, -1):
        message = _refusal(_file({"revision": revision}), forms)
        assert "revision" in message and "2,147,483,647" in message


def test_no_save_goes_past_the_last_revision() -> None:
    assert next_revision(MAX_REVISION - 1) == MAX_REVISION
    with pytest.raises(OutOfBounds, match="cannot be saved again"):
        next_revision(MAX_REVISION)


def test_an_rsr_of_10_to_the_30_is_refused_or_said_never_a_crash(forms: FormSet) -> None:
    # As a JSON number it cannot have been typed: the file is refused, saying where.
    message = _refusal(_file({"rsr_score": 10**30}, "answers"), forms)
    assert "answers.rsr_score is out of range" in message
    # As text it is kept as typed and said as an error; allocation does not use it.
    record = loads(_file({"rsr_score": "1" + "0" * 30}, "answers"), forms)
    assessment = assess(record, forms, TODAY)
    assert "RSR score must be a number from 0 to 99.99" in [p.message for p in assessment.errors]
    assert rsr_at_two_places("1" + "0" * 30) is None
    assert allocate({"rsr_score": "1" + "0" * 30}).reasons == ()


def test_a_sentence_date_of_9999_is_said_as_an_error_and_deadlines_still_work(
    forms: FormSet,
) -> None:
    record = loads(_file({"sentence_date": "9999-12-31"}, "answers"), forms)
    assessment = assess(record, forms, TODAY)
    messages = [p.message for p in assessment.errors]
    assert "Date of sentence must be a date from 1 January 1900 to 31 December 2199" in messages


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31", "2200-01-01"])
def test_a_tracked_date_out_of_range_is_refused(forms: FormSet, day: str) -> None:
    document = json.loads(DEMO.read_text(encoding="utf-8"))
    document["case"]["checks"]["domestic_abuse"]["expected_by"] = day
    message = _refusal(json.dumps(document), forms)
    assert "case.checks.domestic_abuse.expected_by" in message
    assert "a date must be from 1 January 1900 to 31 December 2199" in message


def test_a_time_without_its_zone_or_out_of_range_is_refused(forms: FormSet) -> None:
    message = _refusal(_file({"created_at": "2026-03-02T10:15:00"}), forms)
    assert "case.created_at" in message and "has no time zone" in message
    message = _refusal(_file({"updated_at": "9999-12-31T23:59:59Z"}), forms)
    assert "case.updated_at" in message and "out of range" in message


@pytest.mark.parametrize("text", ["Jo\ud800", "\udfff", "Jordan\x1b[2J", "nul\x00", "\x9b31m"])
def test_text_that_is_not_valid_unicode_or_moves_the_terminal_is_refused(
    forms: FormSet, text: str
) -> None:
    message = _refusal(_file({"name": text}, "answers"), forms)
    assert "answers.name holds" in message
    assert message.isprintable()


def test_a_surrogate_in_a_name_of_a_mapping_is_refused_and_never_printed(forms: FormSet) -> None:
    message = _refusal(_file({"x\ud800": "y"}, "answers"), forms)
    assert "not valid Unicode" in message and message.isprintable()


def test_a_name_with_a_line_break_is_quoted_on_one_line(forms: FormSet) -> None:
    message = _refusal(_file({"x\ny": 10**30}, "answers"), forms)
    assert "answers.x\\ny is out of range" in message and "\n" not in message


def test_lengths_counts_and_nesting_are_bounded(forms: FormSet) -> None:
    assert "characters long" in _refusal(
        _file({"offence_analysis": "x" * (MAX_TEXT_LENGTH + 1)}, "answers"), forms
    )
    assert "entries" in _refusal(
        _file({"sources_of_information": ["interview"] * (MAX_ENTRIES + 1)}, "answers"), forms
    )
    assert "nested too deeply" in _refusal(_file({"drafts": {"a": _deep(20)}}), forms)
    assert "nested too deeply" in _refusal("[" * 100_000 + "]" * 100_000, forms)


def _deep(levels: int) -> object:
    value: object = "x"
    for _ in range(levels):
        value = [value]
    return value


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_numbers_that_are_not_finite_are_refused(forms: FormSet, number: str) -> None:
    text = _file({"rar_days": "__N__"}, "answers").replace('"__N__"', number)
    assert "answers.rar_days" in _refusal(text, forms)


def test_a_case_within_the_bounds_still_reads_back_exactly(forms: FormSet) -> None:
    pasted = "Zoë O'Brien\tline\nnext\r\n\x0bbreak\x0cpage"
    text = _file({"offence_analysis": pasted, "date_of_birth": "1900-01-01"}, "answers")
    record = loads(text, forms)
    assert loads(dumps(record), forms) == record


def test_values_read_only_dates_and_numbers_within_the_bounds() -> None:
    assert parse_iso_date("2199-12-31") == date(2199, 12, 31)
    assert parse_iso_date("9999-12-31") is None
    assert parse_date_input("31/12/9999", TODAY) is None
    assert parse_date_input("1/1/0001", TODAY) is None
    assert parse_date_input("+3", TODAY) == date(2026, 3, 5)
    assert parse_number("1" + "0" * 30) is None
    assert parse_number("99.99") is not None


def test_the_store_and_the_central_store_read_through_the_same_bounds() -> None:
    # The sync and the store read a case with model_validate_json: the bounds apply there.
    case = json.loads(DEMO.read_text(encoding="utf-8"))["case"]
    case["revision"] = 10**30
    with pytest.raises(ValidationError, match="a revision must be from 0"):
        CaseRecord.model_validate_json(json.dumps(case))


def test_a_demo_file_is_within_the_bounds(forms: FormSet) -> None:
    for path in sorted(Path(data_dir() / "demo").glob("*.json")):
        loads(path.read_bytes(), forms)
