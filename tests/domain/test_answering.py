"""Answering a question: drafts, a real answer closing 'not known', a check's answers."""

from __future__ import annotations

from datetime import date

from court_tui.domain.answering import answer_check, answer_question, with_draft
from court_tui.domain.answers import NOT_KNOWN
from court_tui.domain.case import CaseRecord
from court_tui.domain.follow_ups import record_not_known
from court_tui.domain.forms import FormSet

TODAY = date(2026, 3, 2)
OFFICER = "Sam Patel"


def _not_known(forms: FormSet, question: str) -> CaseRecord:
    return record_not_known(
        CaseRecord(officer=OFFICER),
        forms,
        question,
        owner="Jo Bloggs",
        action="Ask the police",
        due=date(2026, 3, 9),
        today=TODAY,
        recorded_by=OFFICER,
    )


def _not_known_question(forms: FormSet) -> str:
    return next(q.id for q in forms.questions.values() if q.not_known)


def test_a_draft_is_kept_and_then_dropped() -> None:
    record = with_draft(CaseRecord(), "hearing_date", "31/2")
    assert record.drafts == {"hearing_date": "31/2"}
    assert with_draft(record, "hearing_date", None).drafts == {}


def test_an_answer_is_set_and_cleared() -> None:
    record = answer_question(CaseRecord(), "court", "Leeds", officer=OFFICER, today=TODAY)
    assert record.answers == {"court": "Leeds"}
    cleared = answer_question(record, "court", None, officer=OFFICER, today=TODAY)
    assert cleared.answers == {}


def test_a_real_answer_closes_the_not_known_follow_up_keeping_both(forms: FormSet) -> None:
    question = _not_known_question(forms)
    record = _not_known(forms, question)
    assert record.answers[question] == NOT_KNOWN
    answered = answer_question(record, question, "12", officer="Ali Khan", today=TODAY)
    assert answered.answers[question] == "12"
    assert answered.open_follow_ups(question) == []
    (closed,) = answered.follow_ups
    assert (closed.answer, closed.closed_by, closed.closed_on) == ("12", "Ali Khan", TODAY)


def test_clearing_a_not_known_answer_closes_its_follow_up_without_an_answer(
    forms: FormSet,
) -> None:
    question = _not_known_question(forms)
    cleared = answer_question(
        _not_known(forms, question), question, None, officer=OFFICER, today=TODAY
    )
    assert question not in cleared.answers
    (closed,) = cleared.follow_ups
    assert closed.answer is None and not closed.is_open


def test_not_known_again_leaves_the_follow_up_open(forms: FormSet) -> None:
    question = _not_known_question(forms)
    record = _not_known(forms, question)
    again = answer_question(record, question, NOT_KNOWN, officer=OFFICER, today=TODAY)
    assert len(again.open_follow_ups(question)) == 1


def test_a_check_answer_is_held_by_the_check() -> None:
    record, unheld = answer_check(CaseRecord(), "domestic_abuse", "requested", "yes")
    assert unheld is None
    assert record.check("domestic_abuse").requested == "yes"


def test_text_a_check_cannot_hold_comes_back_to_keep_as_a_draft() -> None:
    start, _ = answer_check(CaseRecord(), "domestic_abuse", "requested", "yes")
    record, unheld = answer_check(start, "domestic_abuse", "requested", "perhaps")
    assert unheld == "perhaps"
    assert record.check("domestic_abuse").requested is None


def test_text_pasted_with_what_no_case_may_hold_is_kept_without_it() -> None:
    # A paste can carry terminal escapes, NUL or a lone surrogate; a case holding them
    # could not be read back, so typed text keeps only what a case may hold.
    from court_tui.domain.bounds import MAX_TEXT_LENGTH
    from court_tui.domain.new_case import new_case

    record = new_case("Sam Patel", "Leeds court team", "", date(2026, 3, 2))
    record = answer_question(
        record, "name", "Mo\x1b[2J Lee\x00\ud800", officer="Sam Patel", today=date(2026, 3, 2)
    )
    record = with_draft(record, "proposal", "Fine\x07" + "x" * MAX_TEXT_LENGTH)
    record, _ = answer_check(record, "domestic_abuse", "agency", "Police\x1b")
    assert record.answers["name"] == "Mo[2J Lee"
    assert len(record.drafts["proposal"]) == MAX_TEXT_LENGTH
    assert record.drafts["proposal"].startswith("Finexx")
    assert record.check("domestic_abuse").agency == "Police"
    assert CaseRecord.model_validate_json(record.model_dump_json()) == record
