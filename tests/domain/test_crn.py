"""A CRN typed or held in lower case is read upper case everywhere: the record, the
caption, the case file, the exports and the store's column all say X123456."""

from __future__ import annotations

from datetime import date

from court_tui.domain.answering import answer_question
from court_tui.domain.case import CaseRecord
from court_tui.domain.casefile import dumps, loads
from court_tui.domain.forms import FormSet
from court_tui.domain.values import normal_crn
from court_tui.export import export_case, suggested_filename

TODAY = date(2026, 3, 2)


def test_a_crn_is_trimmed_and_upper_case_and_other_text_is_left_as_typed() -> None:
    assert normal_crn(" x123456 ") == "X123456"
    assert normal_crn("X123456") == "X123456"
    assert normal_crn("x12") == "x12"  # not a CRN: its error quotes it as typed


def test_an_answer_typed_in_lower_case_is_kept_upper_case() -> None:
    record = answer_question(CaseRecord(), "crn", "x123456", officer="Sam Patel", today=TODAY)
    assert record.answers["crn"] == "X123456"
    named = answer_question(record, "name", "Jo Smith", officer="Sam Patel", today=TODAY)
    assert named.display_name == "Jo Smith (X123456)"
    assert (
        answer_question(CaseRecord(), "name", "x123456", officer="", today=TODAY).answers["name"]
        == "x123456"
    )


def test_a_case_file_or_store_holding_lower_case_reads_upper_case(
    make_case, forms: FormSet
) -> None:
    record = make_case()
    raw = dumps(record).replace(f'"{record.answers["crn"]}"', '"x765432"')
    loaded = loads(raw, forms)
    assert loaded.answers["crn"] == "X765432"
    assert "X765432" in loaded.display_name
    text = export_case(loaded, forms, "all", "txt", TODAY).decode("utf-8")
    assert "X765432" in text and "x765432" not in text
    assert suggested_filename(loaded, "all", "txt").startswith("X765432-")
