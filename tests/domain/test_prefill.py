"""Asking once: what a section is pre-filled with, and what it never overwrites."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from court_tui.domain.answering import answer_check, answer_question, with_draft
from court_tui.domain.answers import NOT_KNOWN
from court_tui.domain.case import CaseRecord
from court_tui.domain.fields import check_field
from court_tui.domain.forms import FormError, FormSet, parse_form
from court_tui.domain.new_case import new_case
from court_tui.domain.prefill import follow_up_due, with_prefills

TODAY = date(2026, 3, 2)
OFFICER = "Sam Patel"
TEAM = "Leeds court team"


def started() -> CaseRecord:
    return new_case(OFFICER, TEAM, "", TODAY)


def prefilled(
    record: CaseRecord, forms: FormSet, section: str
) -> tuple[CaseRecord, tuple[str, ...]]:
    return with_prefills(record, forms, section, officer=OFFICER, today=TODAY)


def test_the_report_is_pre_filled_with_the_officer_and_team(forms: FormSet) -> None:
    record, filled = prefilled(started(), forms, "report")
    assert filled == ("report_author", "report_office", "report_date")
    assert record.answers["report_author"] == OFFICER
    assert record.answers["report_office"] == TEAM


def test_the_officer_with_the_case_open_is_the_author(forms: FormSet) -> None:
    record, _ = with_prefills(started(), forms, "report", officer="Ali Khan", today=TODAY)
    assert record.answers["report_author"] == "Ali Khan"


def test_an_answer_a_draft_or_not_known_is_never_overwritten(forms: FormSet) -> None:
    record = answer_question(started(), "report_author", "J Smith", officer=OFFICER, today=TODAY)
    record = with_draft(record, "report_office", "Brad")
    record, filled = prefilled(record, forms, "report")
    assert filled == ("report_date",)
    assert record.answers["report_author"] == "J Smith"
    assert "report_office" not in record.answers
    record = answer_question(started(), "report_author", NOT_KNOWN, officer=OFFICER, today=TODAY)
    record, filled = prefilled(record, forms, "report")
    assert record.answers["report_author"] == NOT_KNOWN
    assert filled == ("report_office", "report_date")


def test_a_question_not_yet_asked_is_left_empty_until_it_is(forms: FormSet) -> None:
    record, filled = prefilled(started(), forms, "rsr")
    assert filled == ()
    assert "rsr_assessor" not in record.answers
    record = answer_question(record, "rsr_score", 2.5, officer=OFFICER, today=TODAY)
    record, filled = prefilled(record, forms, "rsr")
    assert filled == ("rsr_assessor",)
    assert record.answers["rsr_assessor"] == f"{OFFICER}, {TEAM}"


def test_each_check_gets_its_usual_agency_once_requested(forms: FormSet) -> None:
    record, filled = prefilled(started(), forms, "checks")
    assert filled == ()
    for kind in ("domestic_abuse", "safeguarding"):
        record, _ = answer_check(record, kind, "requested", "yes")
    record, filled = prefilled(record, forms, "checks")
    assert filled == (
        check_field("domestic_abuse", "agency"),
        check_field("safeguarding", "agency"),
    )
    assert record.check("domestic_abuse").agency == "Police"
    assert record.check("safeguarding").agency == "Children's services"
    # Changed by the officer, it stays changed.
    record, _ = answer_check(record, "domestic_abuse", "agency", "British Transport Police")
    record, filled = prefilled(record, forms, "checks")
    assert filled == ()
    assert record.check("domestic_abuse").agency == "British Transport Police"


def test_a_section_without_pre_fills_is_unchanged(forms: FormSet) -> None:
    record = started()
    assert prefilled(record, forms, "rosh") == (record, ())


def test_an_unknown_prefill_in_a_form_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        'id = "bad"\ntitle = "Bad"\nsection = "bad"\ntask = "Do it"\norder = 1\n'
        '[[questions]]\nid = "who"\nlabel = "Who"\ntype = "short_text"\nprefill = "boss"\n'
    )
    with pytest.raises(FormError, match="unknown prefill 'boss'"):
        parse_form(path)


def test_a_check_follow_up_is_due_when_the_reply_is_expected(forms: FormSet) -> None:
    record, _ = answer_check(started(), "domestic_abuse", "requested", "yes")
    record, _ = answer_check(record, "domestic_abuse", "expected_by", "2026-03-05")
    assert follow_up_due(record, forms, "domestic_abuse", TODAY) == date(2026, 3, 5)
    # Not when that day has passed (a follow-up cannot be due in the past), nor for others.
    assert follow_up_due(record, forms, "domestic_abuse", date(2026, 3, 6)) is None
    assert follow_up_due(record, forms, "safeguarding", TODAY) is None
    assert follow_up_due(record, forms, "crn", TODAY) is None


def test_the_report_and_sentence_dates_are_the_hearings(forms: FormSet) -> None:
    # An oral report is given, and the sentence passed, at the hearing.
    record, filled = prefilled(started(), forms, "report")
    assert "report_date" in filled
    assert record.answers["report_date"] == TODAY.isoformat()
    record = answer_question(
        started(), "sentence_type", "community_order", officer=OFFICER, today=TODAY
    )
    record, filled = prefilled(record, forms, "case")
    assert filled == ("sentence_date",)
    assert record.answers["sentence_date"] == TODAY.isoformat()


def test_a_hearing_still_to_come_fills_in_no_date(forms: FormSet) -> None:
    # Both dates must be today or past: a hearing tomorrow is no date for either yet.
    record = answer_question(started(), "hearing_date", "2026-03-03", officer=OFFICER, today=TODAY)
    record = answer_question(record, "sentence_type", "custody", officer=OFFICER, today=TODAY)
    record, filled = prefilled(record, forms, "case")
    assert "sentence_date" not in filled and "sentence_date" not in record.answers
    record, filled = prefilled(record, forms, "report")
    assert "report_date" not in record.answers


def test_a_sentence_date_not_yet_asked_is_not_filled_in(forms: FormSet) -> None:
    record, filled = prefilled(started(), forms, "case")
    assert "sentence_date" not in record.answers
