"""The export documents say what the domain says, in the domain's words, in the right order."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from export_helpers import TODAY, all_demo_names, demo

from court_tui.domain.allocation import labels_from
from court_tui.domain.assessment import assess
from court_tui.domain.case import CaseRecord
from court_tui.domain.checks import check_lines, check_state
from court_tui.domain.forms import FormSet
from court_tui.domain.handover import must_read_items
from court_tui.domain.summary import describe_follow_up, section_answers
from court_tui.domain.values import describe_date
from court_tui.export import DOCUMENTS, Row, build_document


def _pairs(section_rows: tuple[Row, ...]) -> list[tuple[str, str]]:
    return [(row.label, row.text) for row in section_rows]


def _all_rows(record: CaseRecord, forms: FormSet, document: str) -> list[tuple[str, str]]:
    built = build_document(record, forms, document, TODAY)
    return [pair for section in built.sections for pair in _pairs(section.rows)]


@pytest.mark.parametrize("name", all_demo_names())
def test_report_has_every_asked_question_of_the_case_and_report(forms: FormSet, name: str) -> None:
    record = demo(forms, name)
    rows = _all_rows(record, forms, "report")
    for section_id in ("case", "report", "rosh"):
        for line in section_answers(record, forms, section_id):
            assert (line.label, line.text) in rows, line.field


def test_report_puts_the_sources_of_information_in_their_own_section(forms: FormSet) -> None:
    record = demo(forms, "check-outstanding-at-sentence")
    built = build_document(record, forms, "report", TODAY)
    sources = built.section("Sources of information")
    assert _pairs(sources.rows) == [
        ("Sources of information", "Interview, CPS summary, Previous convictions, Police")
    ]
    assert "Sources of information" not in [
        row.label for row in built.section("Pre-sentence report").rows
    ]


@pytest.mark.parametrize("name", all_demo_names())
def test_report_gives_each_checks_status_and_detail(forms: FormSet, name: str) -> None:
    record = demo(forms, name)
    built = build_document(record, forms, "report", TODAY)
    summary = built.section("Domestic abuse and safeguarding checks")
    assert list(summary.paragraphs) == check_lines(record, forms)
    details = section_answers(record, forms, "checks")
    for kind in forms.check_kinds():
        section = built.section(kind.title)
        assert section.level == 2
        assert section.rows[0] == Row("Status", check_state(record.check(kind.id)))
        expected = [
            (line.label.removeprefix(f"{kind.title}: "), line.text)
            for line in details
            if line.field.startswith(f"checks.{kind.id}.")
        ]
        assert _pairs(section.rows[1:]) == expected


def test_report_says_what_the_court_was_told_about_an_outstanding_check(
    forms: FormSet,
) -> None:
    record = demo(forms, "check-outstanding-at-sentence")
    built = build_document(record, forms, "report", TODAY)
    told = built.section("What the court was told about outstanding checks")
    follow_up = record.open_follow_ups("safeguarding")[0]
    assert _pairs(told.rows) == [
        ("Domestic abuse check (police)", "Received, not outstanding"),
        (
            "Child safeguarding check (children's services)",
            "Outstanding. Was the court told the check is outstanding? Yes",
        ),
        ("Follow-up", describe_follow_up(follow_up)),
    ]


def test_an_outstanding_check_without_a_follow_up_says_so(forms: FormSet) -> None:
    record = demo(forms, "check-outstanding-at-sentence")
    record = record.model_copy(update={"follow_ups": []})
    checks = dict(record.checks)
    checks["safeguarding"] = checks["safeguarding"].model_copy(update={"reported_to_court": None})
    record = record.model_copy(update={"checks": checks})
    told = build_document(record, forms, "report", TODAY).section(
        "What the court was told about outstanding checks"
    )
    assert _pairs(told.rows)[1:] == [
        (
            "Child safeguarding check (children's services)",
            "Outstanding. Was the court told the check is outstanding? Not provided",
        ),
        ("Follow-up", "None recorded"),
    ]


def test_a_written_report_is_not_called_an_oral_report(forms: FormSet) -> None:
    record = demo(forms, "complete-crc")
    answers = {**record.answers, "psr_type": "fast_delivery"}
    written = record.model_copy(update={"answers": answers})
    assert build_document(record, forms, "report", TODAY).title == "Oral report record"
    assert build_document(written, forms, "report", TODAY).title == "Pre-sentence report record"


@pytest.mark.parametrize("name", all_demo_names())
def test_cas_has_every_cas_rsr_and_rosh_answer(forms: FormSet, name: str) -> None:
    record = demo(forms, name)
    rows = _all_rows(record, forms, "cas")
    for section_id in ("cas", "rsr", "rosh"):
        for line in section_answers(record, forms, section_id):
            assert (line.label, line.text) in rows, line.field


@pytest.mark.parametrize("name", all_demo_names())
def test_cas_gives_the_allocation_decision_with_every_reason(forms: FormSet, name: str) -> None:
    record = demo(forms, name)
    allocation = assess(record, forms, TODAY).allocation
    section = build_document(record, forms, "cas", TODAY).section("Allocation decision")
    reasons = [row.text for row in section.rows if row.label == "Reason"]
    if allocation.decision is None:
        assert section.rows[0] == Row("Decision by the allocation rules", "Not decided yet")
    else:
        assert section.rows[0] == Row(
            "Decision by the allocation rules", labels_from().label(allocation.decision)
        )
        assert reasons == (list(allocation.reasons) or ["No NPS criterion applies"])
    assert (
        Row("Provisional", "Yes: some answers are not known" if allocation.provisional else "No")
        in section.rows
    )


def test_cas_shows_provisional_override_rosh_actions_and_risk_review(
    forms: FormSet, rich: CaseRecord
) -> None:
    built = build_document(rich, forms, "cas", TODAY)
    decision = _pairs(built.section("Allocation decision").rows)
    assert decision == [
        ("Decision by the allocation rules", "National Probation Service (NPS)"),
        ("Reason", "RoSH level is high"),
        ("Reason", "MAPPA eligible"),
        ("Provisional", "Yes: some answers are not known"),
        (
            "RSR score (%)",
            "Not known - follow-up: Priya Shah, Complete the RSR in OASys and record the "
            "score, by Wednesday 4 March 2026",
        ),
        ("Officer's decision", "Community Rehabilitation Company (CRC)"),
        ("Override", "Yes: the officer decided against the allocation rules"),
        ("Reason for the override", "Manager agreed: the MAPPA record is wrong."),
    ]
    rosh_actions = built.section("Full RoSH analysis")
    assert _pairs(rosh_actions.rows) == [
        (
            "What the responsible officer must do to complete the full RoSH analysis",
            "Interview the victim liaison officer and complete OASys R10.",
        )
    ]
    assert _pairs(built.section("Risk review").rows) == [
        ("Must the case come back for a risk review?", "Yes"),
        ("Date of the risk review", "Monday 1 June 2026"),
        ("Why the risk review is needed", "Partner's child returns home in May."),
    ]
    assert [row.label for row in built.section("First appointment").rows] == [
        "Date of the first appointment",
        "Time of the first appointment",
        "Place of the first appointment",
    ]


def test_cas_gives_the_rsr_with_its_source_date_and_assessor(forms: FormSet) -> None:
    record = demo(forms, "nps-by-rsr-6.90")
    rsr = dict(_pairs(build_document(record, forms, "cas", TODAY).section("RSR score").rows))
    assert rsr["Where does the score come from?"] in ("OASys", "Calculated here")
    assert rsr["RSR score (%)"] == record.answers["rsr_score"]
    assert rsr["Date of the RSR score"].endswith("2026")
    assert rsr["Assessor"] == record.answers["rsr_assessor"]


def test_cas_uses_the_configured_allocation_labels(forms: FormSet) -> None:
    record = demo(forms, "nps-by-mappa")
    built = build_document(record, forms, "cas", TODAY, labels_from("unification"))
    assert built.section("Allocation decision").rows[0] == Row(
        "Decision by the allocation rules", "Retained (enhanced)"
    )


@pytest.mark.parametrize("name", [*all_demo_names(), "rich"])
def test_handover_starts_with_the_must_read_items(forms: FormSet, name: str) -> None:
    from export_helpers import rich_case

    record = rich_case(forms) if name == "rich" else demo(forms, name)
    built = build_document(record, forms, "handover", TODAY)
    first = built.sections[0]
    assert first.heading == "Read before you accept this case"
    items = must_read_items(record, forms)
    assert [row.label for row in first.rows] == [item.heading for item in items]
    for row, item in zip(first.rows, items, strict=True):
        assert item.text.endswith(row.text)
        assert item.text in (row.text, f"{item.heading}: {row.text}")


def test_handover_lists_every_follow_up_with_owner_action_and_date(
    forms: FormSet, rich: CaseRecord
) -> None:
    built = build_document(rich, forms, "handover", TODAY)
    headings = [s.heading for s in built.sections]
    assert headings.index("Follow-ups") < headings.index("Risk review")
    by_heading = {s.heading: dict(_pairs(s.rows)) for s in built.sections if s.level == 2}
    rsr = by_heading["Not known: RSR score (%)"]
    assert rsr["Who"] == "Priya Shah"
    assert rsr["What"] == "Complete the RSR in OASys and record the score"
    assert rsr["By when"] == "Wednesday 4 March 2026"
    assert rsr["Status"] == "Open"
    deportation = by_heading["Not known: Is the person eligible for deportation?"]
    assert deportation["Who"] == "Sam Patel"
    assert deportation["By when"] == "Tuesday 3 March 2026"
    assert deportation["Status"] == "Closed Tuesday 3 March 2026 by Sam Patel"
    assert deportation["Answer found"] == "No"
    # Open follow-ups come before closed ones.
    assert headings.index("Not known: RSR score (%)") < headings.index(
        "Not known: Is the person eligible for deportation?"
    )
    assert built.section("Follow-ups").paragraphs == ("1 open, 1 closed",)


def test_handover_has_the_risk_review_deadlines_and_acceptance(
    forms: FormSet, rich: CaseRecord
) -> None:
    built = build_document(rich, forms, "handover", TODAY)
    assert _pairs(built.section("Risk review").rows)[0] == (
        "Must the case come back for a risk review?",
        "Yes",
    )
    deadlines = assess(rich, forms, TODAY).deadlines
    assert built.section("Deadlines").paragraphs == tuple(d.describe(TODAY) for d in deadlines)
    rows = _pairs(built.section("Acceptance").rows)
    assert rows[:6] == [
        ("Must-read items acknowledged", f"2 of {len(must_read_items(rich, forms))}"),
        ("Sent to", "Jo Bloggs"),
        ("Sent by", "Sam Patel"),
        ("Sent on", "Monday 2 March 2026 at 16:00"),
        ("Accepted by", "Jo Bloggs"),
        ("Accepted on", f"{describe_date(TODAY)} at 14:05"),
    ]
    # Accepted with two items read of many: it says so, and does not count as handed over.
    assert rows[6] == ("Handed over", "Acceptance not counted")
    assert rows[7][0] == "Why not"
    assert rows[7][1].startswith("these must-read items were never acknowledged: ")


def test_handover_not_yet_accepted_says_so(forms: FormSet) -> None:
    record = demo(forms, "complete-crc")
    built = build_document(record, forms, "handover", TODAY)
    rows = built.section("Acceptance").rows
    assert Row("Accepted", "Not yet accepted by the responsible officer") in rows
    assert Row("Sent to", "Not yet sent to a responsible officer") in rows
    sent = record.model_copy(
        update={
            "handover": record.handover.model_copy(
                update={
                    "sent_to": "Jo Bloggs",
                    "sent_by": "Sam Patel",
                    "sent_at": datetime(2026, 3, 2, 16, 0, tzinfo=UTC),
                }
            )
        }
    )
    rows = build_document(sent, forms, "handover", TODAY).section("Acceptance").rows
    assert Row("Sent to", "Jo Bloggs") in rows
    assert (
        Row(
            "Accepted",
            "Not yet accepted by the responsible officer, sent Monday 2 March 2026 at 16:00",
        )
        in rows
    )
    assert built.section("Follow-ups").paragraphs == ("No follow-ups recorded",)


def test_all_holds_the_three_documents_in_order(forms: FormSet, rich: CaseRecord) -> None:
    built = build_document(rich, forms, "all", TODAY)
    assert [part.id for part in built.parts] == ["report", "cas", "handover"]
    for part in built.parts:
        alone = build_document(rich, forms, part.id, TODAY)
        assert alone.parts == (part,)


def test_every_document_has_the_case_caption(forms: FormSet, rich: CaseRecord) -> None:
    for document in DOCUMENTS:
        built = build_document(rich, forms, document, TODAY)
        caption = dict(_pairs(built.caption))
        assert caption["Full name"] == rich.answers["name"]
        assert caption["Case reference number (CRN)"] == "Y765432"
        assert caption["Produced on"] == "Tuesday 3 March 2026"
        assert built.crn == "Y765432"


def test_a_case_without_a_crn_says_so(forms: FormSet) -> None:
    record = CaseRecord()
    built = build_document(record, forms, "all", TODAY)
    assert built.crn == "not recorded"
    assert built.name == "Name not recorded"
    assert (
        Row("Decision by the allocation rules", "Not decided yet")
        in built.section("Allocation decision").rows
    )


def test_an_unknown_document_is_refused(forms: FormSet, rich: CaseRecord) -> None:
    with pytest.raises(ValueError, match="Unknown document 'letter'"):
        build_document(rich, forms, "letter", TODAY)
