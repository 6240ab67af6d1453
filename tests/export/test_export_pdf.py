"""The PDF export: A4, marked top and bottom, the CRN and 'Page N of M' on every page, and
the text extracted from it saying what the case says."""

from __future__ import annotations

import io

import pytest
from export_helpers import TODAY, all_demo_names, demo, pdf_pages, rich_case, squash
from pypdf import PdfReader

from court_tui.domain.assessment import assess
from court_tui.domain.case import CaseRecord
from court_tui.domain.checks import check_lines
from court_tui.domain.forms import FormSet
from court_tui.domain.handover import must_read_items
from court_tui.domain.summary import section_answers
from court_tui.export import DOCUMENTS, build_document, export_case, to_pdf
from court_tui.export.pdf import pdf_safe

A4_POINTS = (595.28, 841.89)
CASES = [*all_demo_names(), "rich"]


def _record(forms: FormSet, name: str) -> CaseRecord:
    return rich_case(forms) if name == "rich" else demo(forms, name)


def _text(data: bytes) -> str:
    return squash(" ".join(pdf_pages(data)))


def _has(text: str, wanted: str) -> bool:
    return squash(pdf_safe(wanted)) in text


@pytest.mark.parametrize("document", DOCUMENTS)
@pytest.mark.parametrize("name", CASES)
def test_every_page_is_a4_marked_numbered_and_names_the_crn(
    forms: FormSet, name: str, document: str
) -> None:
    record = _record(forms, name)
    data = export_case(record, forms, document, "pdf", TODAY)
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    pages = [page.extract_text() for page in reader.pages]
    crn = record.answers["crn"]
    for number, (page, text) in enumerate(zip(reader.pages, pages, strict=True), start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width, 1), round(height, 1)) == (round(A4_POINTS[0], 1), 841.9)
        lines = text.splitlines()
        assert lines[0] == "OFFICIAL-SENSITIVE"
        assert lines[-1] == "OFFICIAL-SENSITIVE"
        assert text.count("OFFICIAL-SENSITIVE") == 2
        assert f"CRN {crn}" in lines[1]
        assert lines[-2] == f"CRN {crn} Page {number} of {len(pages)}"


@pytest.mark.parametrize("name", CASES)
def test_pdf_report_says_what_the_case_says(forms: FormSet, name: str) -> None:
    record = _record(forms, name)
    text = _text(export_case(record, forms, "report", "pdf", TODAY))
    for section_id in ("case", "report", "rosh", "checks"):
        for answer in section_answers(record, forms, section_id):
            label = answer.label.split(": ", 1)[-1] if section_id == "checks" else answer.label
            assert _has(text, f"{label} {answer.text}"), answer.field
    for line in check_lines(record, forms):
        assert _has(text, line)
    assert _has(text, "What the court was told about outstanding checks")


@pytest.mark.parametrize("name", CASES)
def test_pdf_cas_says_what_the_case_says(forms: FormSet, name: str) -> None:
    record = _record(forms, name)
    text = _text(export_case(record, forms, "cas", "pdf", TODAY))
    for section_id in ("cas", "rsr", "rosh"):
        for answer in section_answers(record, forms, section_id):
            assert _has(text, f"{answer.label} {answer.text}"), answer.field
    for reason in assess(record, forms, TODAY).allocation.reasons:
        assert _has(text, f"Reason {reason}")


@pytest.mark.parametrize("name", CASES)
def test_pdf_handover_puts_the_must_read_items_first(forms: FormSet, name: str) -> None:
    record = _record(forms, name)
    text = _text(export_case(record, forms, "handover", "pdf", TODAY))
    start = text.index("Read before you accept this case")
    assert start < text.index("Follow-ups") < text.index("Deadlines") < text.index("Acceptance")
    position = start
    for item in must_read_items(record, forms):
        body = item.text.removeprefix(f"{item.heading}: ")
        found = text.find(squash(pdf_safe(f"{item.heading} {body}")), position)
        assert found > position, item.id
        position = found
    for follow_up in record.follow_ups:
        assert _has(text, f"Who {follow_up.owner}")
        assert _has(text, f"What {follow_up.action}")


def test_pdf_all_holds_the_three_documents_in_order(forms: FormSet, rich: CaseRecord) -> None:
    pages = pdf_pages(export_case(rich, forms, "all", "pdf", TODAY))
    text = squash(" ".join(pages))
    report = text.index("Oral report record")
    cas = text.index("Allocation decision Decision by the allocation rules")
    handover = text.index("Read before you accept this case")
    assert report < cas < handover
    # Each document starts on a page of its own, named in the page header.
    assert any(page.splitlines()[2] == "Case allocation (CAS)" for page in pages)
    starts = [p for p in pages if "Read before you accept this case" in p]
    assert "Handover summary" in starts[0].splitlines()[1]


def test_pdf_shows_names_outside_latin_1_as_the_nearest_letters(
    forms: FormSet, rich: CaseRecord
) -> None:
    text = _text(export_case(rich, forms, "report", "pdf", TODAY))
    assert "Full name Lukasz W\u00f3jcik-O\u2019Brien" in text


def test_pdf_safe_keeps_what_the_core_fonts_can_show() -> None:
    assert pdf_safe("\u0141ukasz caf\u00e9 \u2018q\u2019 \u2013 \u20ac5") == (
        "Lukasz caf\u00e9 \u2018q\u2019 \u2013 \u20ac5"
    )
    assert pdf_safe("\u0106wik \u0160 \u0103 \u2192 \u4e2d\U0001f600") == "Cwik \u0160 a -> ??"
    assert pdf_safe("tab\there\r\nnext\x07") == "tab    here\nnext"


def test_a_row_longer_than_a_page_runs_on_and_loses_nothing(
    forms: FormSet, rich: CaseRecord
) -> None:
    words = " ".join(f"word{n}" for n in range(1500))
    answers = {**rich.answers, "offence_analysis": words}
    record = rich.model_copy(update={"answers": answers})
    pages = pdf_pages(export_case(record, forms, "report", "pdf", TODAY))
    text = squash(" ".join(pages))
    assert len(pages) > 3
    # Headers and footers sit between the pages' parts of the answer; take them out.
    for number in range(1, len(pages) + 1):
        text = text.replace(f"CRN Y765432 Page {number} of {len(pages)} OFFICIAL-SENSITIVE ", "")
    text = text.replace("OFFICIAL-SENSITIVE Lukasz W\u00f3jcik-O\u2019Brien CRN Y765432 ", "")
    text = text.replace("Oral report record ", "")
    assert f"Offence analysis {words}" in text


def test_pdf_metadata_names_the_document(forms: FormSet, rich: CaseRecord) -> None:
    reader = PdfReader(io.BytesIO(to_pdf(build_document(rich, forms, "cas", TODAY))))
    assert reader.metadata is not None
    assert reader.metadata.title == "Case allocation (CAS), CRN Y765432"
    assert reader.metadata.creator == "court-tui"
