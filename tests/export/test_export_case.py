"""`export_case` and `suggested_filename`: the one call the command and the app use."""

from __future__ import annotations

import pytest
from export_helpers import TODAY, demo

from court_tui.domain.case import CaseRecord
from court_tui.domain.casefile import dumps, loads
from court_tui.domain.forms import FormSet
from court_tui.export import DOCUMENTS, FORMATS, export_case, suggested_filename


def test_json_is_the_case_file(forms: FormSet, rich: CaseRecord) -> None:
    data = export_case(rich, forms, "all", "json", TODAY)
    assert data == dumps(rich).encode("utf-8")
    assert loads(data, forms) == rich


@pytest.mark.parametrize("fmt", ["txt", "md"])
def test_text_formats_are_utf8(forms: FormSet, rich: CaseRecord, fmt: str) -> None:
    data = export_case(rich, forms, "report", fmt, TODAY)
    assert "\u0141ukasz" in data.decode("utf-8")


def test_every_document_in_every_format_exports(forms: FormSet) -> None:
    record = demo(forms, "blocked-not-known-without-follow-up")
    for document in DOCUMENTS:
        for fmt in FORMATS:
            assert export_case(record, forms, document, fmt, TODAY)


def test_an_unknown_format_is_refused(forms: FormSet, rich: CaseRecord) -> None:
    with pytest.raises(ValueError, match="Unknown format 'docx'"):
        export_case(rich, forms, "all", "docx", TODAY)


def test_suggested_filename_uses_the_crn_not_the_name(forms: FormSet, rich: CaseRecord) -> None:
    assert suggested_filename(rich, "report", "pdf") == "Y765432-oral-report.pdf"
    assert suggested_filename(rich, "cas", "txt", TODAY) == "Y765432-cas-2026-03-03.txt"
    assert suggested_filename(rich, "all", "md") == "Y765432-record.md"
    assert suggested_filename(rich, "handover", "json") == "Y765432-case.json"
    unnamed = CaseRecord(id="01960000-0000-7000-8000-000000000009")
    assert suggested_filename(unnamed, "all", "pdf") == "case-01960000-0000-record.pdf"
    odd = rich.model_copy(update={"answers": {**rich.answers, "crn": "../x 1"}})
    assert suggested_filename(odd, "cas", "pdf") == "x-1-cas.pdf"
