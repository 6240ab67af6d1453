"""The plain text export: linear, no box drawing, and saying what the case says."""

from __future__ import annotations

import re

import pytest
from export_helpers import TODAY, all_demo_names, demo, rich_case

from court_tui.domain.assessment import assess
from court_tui.domain.case import CaseRecord
from court_tui.domain.checks import check_lines, check_state
from court_tui.domain.forms import FormSet
from court_tui.domain.handover import must_read_items
from court_tui.domain.summary import section_answers
from court_tui.export import build_document, export_case, to_markdown, to_text
from court_tui.export.text import escape_markdown

BOX_DRAWING = re.compile(r"[\u2500-\u259f]|\+-{2,}|-{3,}|={3,}|\|")


def _record(forms: FormSet, name: str) -> CaseRecord:
    return rich_case(forms) if name == "rich" else demo(forms, name)


def _line(label: str, text: str) -> str:
    return f"{label} {text}" if label.endswith("?") else f"{label}: {text}"


CASES = [*all_demo_names(), "rich"]


@pytest.mark.parametrize("name", CASES)
def test_text_report_has_every_answer_check_and_source(forms: FormSet, name: str) -> None:
    record = _record(forms, name)
    text = export_case(record, forms, "report", "txt", TODAY).decode("utf-8")
    lines = text.splitlines()
    for section_id in ("case", "report", "rosh"):
        for answer in section_answers(record, forms, section_id):
            # A long answer keeps its own line breaks.
            assert f"\n{_line(answer.label, answer.text)}\n" in text, answer.field
    for check_line in check_lines(record, forms):
        assert check_line in lines
    for kind in forms.check_kinds():
        assert f"Status: {check_state(record.check(kind.id))}" in lines
    assert "What the court was told about outstanding checks" in lines


@pytest.mark.parametrize("name", CASES)
def test_text_cas_has_every_answer_and_the_allocation(forms: FormSet, name: str) -> None:
    record = _record(forms, name)
    lines = export_case(record, forms, "cas", "txt", TODAY).decode("utf-8").splitlines()
    for section_id in ("cas", "rsr", "rosh"):
        for answer in section_answers(record, forms, section_id):
            assert _line(answer.label, answer.text) in lines, answer.field
    for reason in assess(record, forms, TODAY).allocation.reasons:
        assert f"Reason: {reason}" in lines


@pytest.mark.parametrize("name", CASES)
def test_text_handover_puts_the_must_read_items_first(forms: FormSet, name: str) -> None:
    record = _record(forms, name)
    lines = export_case(record, forms, "handover", "txt", TODAY).decode("utf-8").splitlines()
    start = lines.index("Read before you accept this case")
    assert not any(line.startswith(("Who:", "Status:")) for line in lines[:start])
    items = must_read_items(record, forms)
    body = lines[start + 2 : start + 2 + len(items)]
    for line, item in zip(body, items, strict=True):
        assert line.startswith(f"{item.heading}: ")
        assert item.text.endswith(line.removeprefix(f"{item.heading}: "))
    for follow_up in record.follow_ups:
        assert f"Who: {follow_up.owner}" in lines
        assert f"What: {follow_up.action}" in lines


def test_text_is_linear_with_no_box_drawing(forms: FormSet, rich: CaseRecord) -> None:
    text = to_text(build_document(rich, forms, "all", TODAY))
    assert not BOX_DRAWING.search(text)
    assert "\t" not in text
    lines = text.splitlines()
    assert lines[0] == "OFFICIAL-SENSITIVE"
    assert lines[-1] == "OFFICIAL-SENSITIVE"
    assert lines[-2] == "End of document. CRN Y765432."
    # Headings stand on their own line with a blank line before them.
    for heading in ("Case and hearing", "Allocation decision", "Read before you accept this case"):
        at = lines.index(heading)
        assert lines[at - 1] == ""
        assert lines[at + 1] == ""
    assert "Part 1 of 3: Oral report record" in lines
    assert "Part 3 of 3: Handover summary" in lines
    assert text.index("Part 1 of 3") < text.index("Part 2 of 3") < text.index("Part 3 of 3")


def test_text_keeps_every_character_typed(forms: FormSet, rich: CaseRecord) -> None:
    text = export_case(rich, forms, "report", "txt", TODAY).decode("utf-8")
    assert "Full name: \u0141ukasz W\u00f3jcik-O\u2019Brien" in text
    assert "Offence analysis: First line of the analysis.\n- a dash at the start\n2. a number" in (
        text
    )


def test_markdown_has_headings_lists_and_the_marking(forms: FormSet, rich: CaseRecord) -> None:
    single = to_markdown(build_document(rich, forms, "cas", TODAY))
    assert single.startswith("**OFFICIAL-SENSITIVE**\n\n# Case allocation (CAS)\n")
    assert "\n## Allocation decision\n" in single
    assert "\n### Full RoSH analysis\n" in single
    assert "- **Reason:** RoSH level is high\n- **Reason:** MAPPA eligible\n" in single
    assert "- **Must the case come back for a risk review?** Yes" in single
    assert single.rstrip().endswith("**OFFICIAL-SENSITIVE**")
    several = to_markdown(build_document(rich, forms, "all", TODAY))
    assert "\n## Part 2 of 3: Case allocation (CAS)\n" in several
    assert "\n### Allocation decision\n" in several


def test_markdown_escapes_what_the_officer_typed(forms: FormSet, rich: CaseRecord) -> None:
    text = to_markdown(build_document(rich, forms, "report", TODAY))
    assert (
        "- **Offence analysis:** First line of the analysis.\\\n  \\- a dash at the start\\\n"
        "  2\\. a number"
    ) in text
    assert escape_markdown("*bold* _x_ [link](y) <b> # | `c`") == (
        "\\*bold\\* \\_x\\_ \\[link\\](y) \\<b\\> \\# \\| \\`c\\`"
    )
