"""The handover's must-read items and acceptance; recording and closing follow-ups."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from court_tui.domain.answers import NOT_KNOWN
from court_tui.domain.case import CaseRecord, CheckRequest
from court_tui.domain.follow_ups import (
    FollowUpError,
    close_follow_up,
    default_action,
    record_not_known,
)
from court_tui.domain.forms import FormSet
from court_tui.domain.handover import (
    HandoverError,
    accept_handover,
    acknowledge,
    must_read_items,
    read_mark,
    send_handover,
    unacknowledged,
)
from court_tui.domain.summary import section_answers

TODAY = date(2026, 3, 2)
ACCEPTED_AT = datetime(2026, 3, 3, 9, 30, tzinfo=UTC)


def not_known(record: CaseRecord, forms: FormSet, question: str, **changes: object) -> CaseRecord:
    details: dict[str, object] = {
        "owner": "Sam Patel",
        "action": "Ask ViSOR whether the person is MAPPA eligible",
        "due": date(2026, 3, 5),
        "today": TODAY,
        "recorded_by": "Sam Patel",
    }
    details.update(changes)
    return record_not_known(record, forms, question, **details)  # type: ignore[arg-type]


def items(record: CaseRecord, forms: FormSet) -> dict[str, str]:
    return {item.id: item.text for item in must_read_items(record, forms)}


def sent_to_ro(record: CaseRecord, forms: FormSet, assess_on) -> CaseRecord:
    """RECORD's handover sent by its officer to Alex Morgan, the responsible officer."""
    return send_handover(
        record, assess_on(record), to="Alex Morgan", by=record.officer, at=ACCEPTED_AT
    )


def acknowledge_all(record: CaseRecord, forms: FormSet) -> CaseRecord:
    for item in must_read_items(record, forms):
        record = acknowledge(record, item)
    return record


# Must-read items.


def test_must_read_items_come_in_order(load_demo, forms: FormSet) -> None:
    record = load_demo("check-outstanding-at-sentence")
    record = not_known(record, forms, "mappa_eligible")
    mappa_follow_up = record.open_follow_ups("mappa_eligible")[0]
    found = must_read_items(record, forms)
    assert [item.id for item in found] == [
        "check:domestic_abuse",
        "check:safeguarding",
        "follow_up:01960000-0000-7000-8000-0000000000f1",
        f"follow_up:{mappa_follow_up.id}",
        "rosh",
        "rsr",
        "mappa",
        "risk_review",
        "allocation",
    ]
    assert [item.heading for item in found] == [
        "Domestic abuse check (police)",
        "Child safeguarding check (children's services)",
        "Outstanding check",
        "Not known: Is the person eligible for MAPPA?",
        "Risk of serious harm",
        "RSR score",
        "MAPPA",
        "Risk review",
        "Allocation decision",
    ]


def test_must_read_texts_of_a_case_with_an_outstanding_check(load_demo, forms) -> None:
    assert items(load_demo("check-outstanding-at-sentence"), forms) == {
        "check:domestic_abuse": (
            "Domestic abuse check (police): Received Thursday 26 February 2026, no concerns"
        ),
        "check:safeguarding": (
            "Child safeguarding check (children's services): Outstanding, requested Friday 27 "
            "February 2026, expected by Wednesday 4 March 2026; the court was told; follow-up: "
            "Sam Patel, by Wednesday 4 March 2026"
        ),
        "follow_up:01960000-0000-7000-8000-0000000000f1": (
            "Sam Patel, Chase children's services for the safeguarding check and pass the "
            "result to the responsible officer, by Wednesday 4 March 2026"
        ),
        "rosh": "Low (screened Monday 2 March 2026). No full analysis needed",
        "rsr": "1.23, OASys, Monday 2 March 2026, Sam Patel, Leeds court team",
        "mappa": "Not eligible",
        "risk_review": "Not needed",
        "allocation": "Community Rehabilitation Company (CRC). No NPS criterion applies",
    }


def test_a_check_not_requested_shows_its_reason(make_case, forms) -> None:
    record = make_case(
        checks={"safeguarding": CheckRequest(requested="no", not_requested_reason="Lives alone")}
    )
    assert items(record, forms)["check:safeguarding"] == (
        "Child safeguarding check (children's services): Not requested. Reason: Lives alone"
    )


def test_the_risk_review_is_carried_to_the_handover(make_case, forms) -> None:
    record = make_case(
        risk_review_required="yes",
        risk_review_date="2026-06-01",
        risk_review_reason="Partner due out of prison in May",
    )
    assert items(record, forms)["risk_review"] == (
        "Needed by Monday 1 June 2026: Partner due out of prison in May"
    )


def test_nps_mappa_and_the_reasons_in_the_handover(load_demo, forms) -> None:
    record = load_demo("nps-by-mappa")
    texts = items(record, forms)
    assert texts["mappa"].startswith("Eligible, Category ")
    assert texts["allocation"] == "National Probation Service (NPS). Reasons: MAPPA eligible"


def test_an_override_is_in_the_handover_with_its_reason(make_case, forms) -> None:
    record = make_case(allocation_decision="nps", allocation_override_reason="SPO agreed")
    assert items(record, forms)["allocation"] == (
        "Community Rehabilitation Company (CRC). No NPS criterion applies. Override: decided "
        "National Probation Service (NPS) because SPO agreed"
    )


def test_a_not_known_rsr_shows_its_follow_up(make_case, forms) -> None:
    record = not_known(make_case(), forms, "rsr_score", action="Complete the RSR in OASys")
    assert items(record, forms)["rsr"] == (
        "Not known - follow-up: Sam Patel, Complete the RSR in OASys, by Thursday 5 March 2026"
    )


def test_a_closed_follow_up_is_no_longer_a_must_read(make_case, forms) -> None:
    record = not_known(make_case(), forms, "mappa_eligible")
    follow_up = record.follow_ups[-1]
    closed = close_follow_up(
        record, follow_up.id, answer="no", closed_by="Alex Morgan", closed_on=date(2026, 3, 4)
    )
    assert f"follow_up:{follow_up.id}" in items(record, forms)
    assert f"follow_up:{follow_up.id}" not in items(closed, forms)


# Accepting the handover.


def test_accept_is_refused_until_every_item_is_acknowledged(make_case, assess_on, forms) -> None:
    record = sent_to_ro(make_case(), forms, assess_on)
    with pytest.raises(HandoverError) as raised:
        accept_handover(record, forms, assess_on(record), "Alex Morgan", ACCEPTED_AT)
    assert str(raised.value) == (
        "Read and acknowledge every item before you accept: 7 not yet acknowledged, starting "
        "with 'Domestic abuse check (police)'"
    )
    all_but_last = record
    for item in must_read_items(record, forms)[:-1]:
        all_but_last = acknowledge(all_but_last, item)
    with pytest.raises(HandoverError) as raised:
        accept_handover(all_but_last, forms, assess_on(all_but_last), "Alex Morgan", ACCEPTED_AT)
    assert str(raised.value) == (
        "Read and acknowledge every item before you accept: 1 not yet acknowledged, starting "
        "with 'Allocation decision'"
    )


def test_accept_is_refused_until_every_task_is_completed(make_case, assess_on, forms) -> None:
    record = acknowledge_all(make_case(report_author=None), forms)
    assert unacknowledged(record, forms) == []
    with pytest.raises(HandoverError) as raised:
        accept_handover(record, forms, assess_on(record), "Alex Morgan", ACCEPTED_AT)
    assert str(raised.value) == "The handover cannot start until every other task is completed"


def test_accept_needs_a_name(make_case, assess_on, forms) -> None:
    record = acknowledge_all(make_case(), forms)
    with pytest.raises(HandoverError) as raised:
        accept_handover(record, forms, assess_on(record), "  ", ACCEPTED_AT)
    assert str(raised.value) == "Enter your name to accept the handover"


def test_accepting_records_who_and_when(make_case, assess_on, forms) -> None:
    record = acknowledge_all(sent_to_ro(make_case(), forms, assess_on), forms)
    accepted = accept_handover(record, forms, assess_on(record), "Alex Morgan", ACCEPTED_AT)
    assert accepted.handover.accepted_by == "Alex Morgan"
    assert accepted.handover.accepted_at == ACCEPTED_AT
    assert accepted.handover.acknowledged == [
        read_mark(item) for item in must_read_items(record, forms)
    ]
    assert record.handover.accepted_by is None  # the record given is not changed


def test_acknowledging_twice_counts_once(make_case, forms) -> None:
    record = make_case()
    rosh = next(item for item in must_read_items(record, forms) if item.id == "rosh")
    record = acknowledge(acknowledge(record, rosh), rosh)
    assert record.handover.acknowledged == [read_mark(rosh)]
    assert len(unacknowledged(record, forms)) == len(must_read_items(record, forms)) - 1


def test_an_item_whose_words_change_after_reading_must_be_read_again(
    make_case, assess_on, forms
) -> None:
    record = acknowledge_all(sent_to_ro(make_case(), forms, assess_on), forms)
    assert unacknowledged(record, forms) == []
    # The RSR score is corrected after the responsible officer read it.
    changed = record.model_copy(update={"answers": {**record.answers, "rsr_score": "2.5"}})
    left = unacknowledged(changed, forms)
    assert [item.id for item in left] == ["rsr"]
    assert left[0].text.startswith("2.5")
    with pytest.raises(HandoverError, match="1 not yet acknowledged, starting with 'RSR score'"):
        accept_handover(changed, forms, assess_on(changed), "Alex Morgan", ACCEPTED_AT)


def test_a_new_follow_up_after_reading_must_be_read_too(make_case, forms) -> None:
    record = acknowledge_all(make_case(), forms)
    record = not_known(record, forms, "mappa_eligible")
    left = unacknowledged(record, forms)
    # The new follow-up, and what it changed: MAPPA now reads 'not known', and the
    # allocation is provisional.
    assert [item.heading for item in left] == [
        "Not known: Is the person eligible for MAPPA?",
        "MAPPA",
        "Allocation decision",
    ]


# Recording a follow-up for 'not known'.


def test_the_default_action_comes_from_the_form(forms) -> None:
    assert default_action(forms, "rsr_score") == "Complete the RSR in OASys and record the score"
    assert default_action(forms, "domestic_abuse") == (
        "Chase the police for the domestic abuse check and pass the result to the "
        "responsible officer"
    )
    with pytest.raises(FollowUpError) as raised:
        default_action(forms, "shoe_size")
    assert str(raised.value) == "There is no question or check called 'shoe_size'"


def test_record_not_known_answers_not_known_with_who_what_and_by_when(make_case, forms) -> None:
    record = not_known(make_case(), forms, "mappa_eligible", owner="  Sam Patel ")
    assert record.answers["mappa_eligible"] == NOT_KNOWN
    [follow_up] = record.follow_ups
    assert (follow_up.question, follow_up.owner, follow_up.action) == (
        "mappa_eligible",
        "Sam Patel",
        "Ask ViSOR whether the person is MAPPA eligible",
    )
    assert (follow_up.due, follow_up.recorded_on, follow_up.recorded_by) == (
        date(2026, 3, 5),
        TODAY,
        "Sam Patel",
    )
    assert follow_up.is_open


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"owner": ""}, "Record who for the follow-up"),
        ({"action": " "}, "Record what for the follow-up"),
        ({"due": None}, "Record by when for the follow-up"),
        ({"owner": "", "action": "", "due": None}, "Record who, what, by when for the follow-up"),
        ({"due": date(2026, 3, 1)}, "Date the follow-up is due must be today or in the future"),
    ],
)
def test_record_not_known_refuses_an_incomplete_follow_up(
    make_case, forms, changes: dict[str, object], message: str
) -> None:
    record = make_case()
    with pytest.raises(FollowUpError) as raised:
        not_known(record, forms, "rsr_score", **changes)
    assert str(raised.value) == message
    assert record.answers["rsr_score"] == "1.23"


def test_a_follow_up_due_today_is_accepted(make_case, forms) -> None:
    record = not_known(make_case(), forms, "rsr_score", due=TODAY)
    assert record.follow_ups[0].due == TODAY


def test_record_not_known_refuses_a_question_that_does_not_allow_it(make_case, forms) -> None:
    with pytest.raises(FollowUpError) as raised:
        not_known(make_case(), forms, "name")
    assert str(raised.value) == "'Not known' is not an answer to the person's full name"


def test_a_new_follow_up_replaces_the_open_one_it_corrects(make_case, forms) -> None:
    record = not_known(make_case(), forms, "mappa_eligible", owner="Sam Patel")
    record = not_known(record, forms, "mappa_eligible", owner="Alex Morgan")
    assert [f.owner for f in record.follow_ups] == ["Alex Morgan"]


def test_a_check_follow_up_sets_no_answer(make_case, forms) -> None:
    record = not_known(make_case(), forms, "safeguarding", action="Chase children's services")
    assert "safeguarding" not in record.answers
    assert record.open_follow_ups("safeguarding")[0].action == "Chase children's services"


# Closing a follow-up.


def test_closing_replaces_not_known_with_the_answer_and_keeps_the_history(
    make_case, assess_on, forms
) -> None:
    record = not_known(make_case(), forms, "mappa_eligible")
    follow_up_id = record.follow_ups[0].id
    closed = close_follow_up(
        record, follow_up_id, answer="no", closed_by="Alex Morgan", closed_on=date(2026, 3, 4)
    )
    assert closed.answers["mappa_eligible"] == "no"
    [history] = closed.follow_ups
    assert history.id == follow_up_id
    assert (history.owner, history.action, history.due) == (
        "Sam Patel",
        "Ask ViSOR whether the person is MAPPA eligible",
        date(2026, 3, 5),
    )
    assert (history.closed_on, history.closed_by, history.answer) == (
        date(2026, 3, 4),
        "Alex Morgan",
        "no",
    )
    assert not history.is_open
    assessment = assess_on(closed, date(2026, 3, 4))
    assert not assessment.allocation.provisional
    assert assessment.complete
    lines = {line.field: line.text for line in section_answers(closed, forms, "cas")}
    assert lines["mappa_eligible"] == "No"


def test_the_not_known_answer_reads_with_its_follow_up_until_closed(make_case, forms) -> None:
    record = not_known(make_case(), forms, "mappa_eligible")
    lines = {line.field: line.text for line in section_answers(record, forms, "cas")}
    assert lines["mappa_eligible"] == (
        "Not known - follow-up: Sam Patel, Ask ViSOR whether the person is MAPPA eligible, by "
        "Thursday 5 March 2026"
    )
    lines = {line.field: line.text for line in section_answers(record, forms, "case")}
    assert lines["courtroom"] == "3"
    assert lines["date_of_birth"] == "Tuesday 20 November 1990"
    skipped = make_case(courtroom=None)
    lines = {line.field: line.text for line in section_answers(skipped, forms, "case")}
    assert lines["courtroom"] == "Not provided"


def test_closing_without_an_answer_leaves_not_known_with_no_follow_up(
    make_case, assess_on, forms
) -> None:
    record = not_known(make_case(), forms, "mappa_eligible")
    closed = close_follow_up(
        record, record.follow_ups[0].id, answer=None, closed_by="Alex", closed_on=TODAY
    )
    assert closed.answers["mappa_eligible"] == NOT_KNOWN
    assert [p.message for p in assess_on(closed).blockers] == [
        "Record who will find out whether the person is eligible for MAPPA, what they will do "
        "and by when"
    ]


def test_a_follow_up_cannot_be_closed_twice_or_if_unknown(make_case, forms) -> None:
    record = not_known(make_case(), forms, "mappa_eligible")
    follow_up_id = record.follow_ups[0].id
    closed = close_follow_up(record, follow_up_id, answer="no", closed_by="A", closed_on=TODAY)
    with pytest.raises(FollowUpError) as raised:
        close_follow_up(closed, follow_up_id, answer="yes", closed_by="A", closed_on=TODAY)
    assert str(raised.value) == "This follow-up is already closed"
    with pytest.raises(FollowUpError) as raised:
        close_follow_up(closed, "nope", answer="yes", closed_by="A", closed_on=TODAY)
    assert str(raised.value) == "There is no such follow-up on this case"
