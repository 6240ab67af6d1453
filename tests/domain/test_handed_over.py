"""Every way a handover could be wrongly counted as done, and the one rule that refuses it.

A case is handed over only when the responsible officer it was sent to, who did not write
it, accepted it with every must-read item acknowledged as it now reads. These tests go
through what the case list ("Completed"), the task list and `check` show.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from court_tui.cli import main
from court_tui.domain.assessment import TaskStatus
from court_tui.domain.case import CaseRecord
from court_tui.domain.casefile import dumps
from court_tui.domain.forms import FormSet
from court_tui.domain.handover import (
    HandoverError,
    accept_handover,
    must_read_items,
    read_mark,
)
from court_tui.domain.status import case_status

TODAY = date(2026, 3, 2)
SENT_AT = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
ACCEPTED_AT = datetime(2026, 3, 3, 9, 30, tzinfo=UTC)
AUTHOR = "Sam Patel"  # the complete demo case's officer
RO = "Alex Morgan"


def with_handover(record: CaseRecord, **handover: Any) -> CaseRecord:
    """RECORD with its handover set as a case file could set it."""
    data = record.model_dump()
    data["handover"] = handover
    return CaseRecord.model_validate(data)


def every_mark(record: CaseRecord, forms: FormSet) -> list[str]:
    return [read_mark(item) for item in must_read_items(record, forms)]


def handed_over(record: CaseRecord, forms: FormSet, assess_on) -> bool:
    """What the case list and the task list both say: handed over or not."""
    listed = case_status(record, forms, TODAY) == TaskStatus.COMPLETED.value
    task = assess_on(record, TODAY).task("handover").status is TaskStatus.COMPLETED
    assert listed == task, "the case list and the task list disagree"
    return listed


def sent_and_accepted(record: CaseRecord, forms: FormSet, **changes: Any) -> CaseRecord:
    handover: dict[str, Any] = {
        "sent_to": RO,
        "sent_by": AUTHOR,
        "sent_at": SENT_AT,
        "acknowledged": every_mark(record, forms),
        "accepted_by": RO,
        "accepted_at": ACCEPTED_AT,
    }
    handover.update(changes)
    return with_handover(record, **handover)


def test_sent_read_and_accepted_by_the_ro_is_handed_over(make_case, forms, assess_on) -> None:
    record = sent_and_accepted(make_case(), forms)
    assert handed_over(record, forms, assess_on)


def test_the_author_cannot_accept_their_own_handover(make_case, forms, assess_on) -> None:
    record = make_case()
    sent = with_handover(
        record,
        sent_to=RO,
        sent_by=AUTHOR,
        sent_at=SENT_AT,
        acknowledged=every_mark(record, forms),
    )
    with pytest.raises(HandoverError, match="You wrote this case"):
        accept_handover(sent, forms, assess_on(sent), AUTHOR, ACCEPTED_AT)


def test_a_handover_accepted_by_its_author_is_not_handed_over(make_case, forms, assess_on) -> None:
    record = make_case()
    # The author read every item and accepted: what court-tui allowed before.
    own = with_handover(
        record, acknowledged=every_mark(record, forms), accepted_by=AUTHOR, accepted_at=ACCEPTED_AT
    )
    assert not handed_over(own, forms, assess_on)
    # Even when it says it was sent to someone else first.
    sent = sent_and_accepted(record, forms, accepted_by=AUTHOR)
    assert not handed_over(sent, forms, assess_on)


def test_accepted_with_items_not_all_acknowledged_is_not_handed_over(
    make_case, forms, assess_on
) -> None:
    record = make_case()
    all_but_rsr = [mark for mark in every_mark(record, forms) if not mark.startswith("rsr@")]
    # As a case file from before handovers were sent could say it: accepted, RSR unread.
    claimed = with_handover(
        record, acknowledged=all_but_rsr, accepted_by=RO, accepted_at=ACCEPTED_AT
    )
    assert not handed_over(claimed, forms, assess_on)
    partly = sent_and_accepted(record, forms, acknowledged=all_but_rsr)
    assert not handed_over(partly, forms, assess_on)
    none_read = sent_and_accepted(record, forms, acknowledged=[])
    assert not handed_over(none_read, forms, assess_on)


def test_an_item_changed_after_acceptance_reopens_the_handover(
    make_case, forms, assess_on
) -> None:
    record = sent_and_accepted(make_case(), forms)
    assert handed_over(record, forms, assess_on)
    # The RSR is corrected after the RO accepted.
    corrected = record.model_copy(update={"answers": {**record.answers, "rsr_score": "2.5"}})
    assert not handed_over(corrected, forms, assess_on)
    state = assess_on(corrected, TODAY).as_dict()["handover"]
    assert state["stage"] == "Changed since accepted"
    assert state["reasons"] == ["'RSR score' has changed since it was read"]


def test_accepted_by_someone_else_than_it_was_sent_to_is_not_handed_over(
    make_case, forms, assess_on
) -> None:
    record = sent_and_accepted(make_case(), forms, accepted_by="Pat Jones")
    assert not handed_over(record, forms, assess_on)
    never_sent = sent_and_accepted(make_case(), forms, sent_to=None, sent_by=None, sent_at=None)
    assert not handed_over(never_sent, forms, assess_on)


def test_check_does_not_count_a_crafted_case_file_and_says_why(
    make_case, forms, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A file that says "accepted", by the author, with nothing acknowledged.
    crafted = with_handover(make_case(), accepted_by=AUTHOR, accepted_at=ACCEPTED_AT)
    path = tmp_path / "crafted.json"
    path.write_text(dumps(crafted), encoding="utf-8")
    main(["check", str(path), "--json", "--today", TODAY.isoformat()])
    result = json.loads(capsys.readouterr().out)
    assert result["handover"]["handed_over"] is False
    assert result["handover"]["stage"] == "Acceptance not counted"
    assert "it was accepted by Sam Patel, who wrote the case" in result["handover"]["reasons"]
    assert "no must-read item was acknowledged" in result["handover"]["reasons"]
    tasks = {task["id"]: task["status"] for task in result["tasks"]}
    assert tasks["handover"] != "Completed"
    main(["check", str(path), "--today", TODAY.isoformat()])
    text = capsys.readouterr().out
    assert "Acceptance not counted: it was never sent to a responsible officer; it was " in text
    assert "accepted by Sam Patel, who wrote the case" in text


def test_check_flags_an_overdue_check_and_a_blocked_not_known(
    load_demo, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    record = load_demo("check-outstanding-at-sentence")
    expected = (
        record.check("safeguarding").expected_by or record.check("domestic_abuse").expected_by
    )
    assert expected is not None
    later = date.fromordinal(expected.toordinal() + 7)
    path = tmp_path / "case.json"
    path.write_text(dumps(record), encoding="utf-8")
    main(["check", str(path), "--json", "--today", later.isoformat()])
    chase = json.loads(capsys.readouterr().out)["chase"]
    overdue = [item for item in chase if item["kind"] == "check"]
    assert overdue and all(item["status"] == "Overdue" for item in overdue)
    main(["check", str(path), "--today", later.isoformat()])
    assert "Overdue: " in capsys.readouterr().out

    blocked = load_demo("blocked-not-known-without-follow-up")
    path.write_text(dumps(blocked), encoding="utf-8")
    main(["check", str(path), "--json", "--today", TODAY.isoformat()])
    chase = json.loads(capsys.readouterr().out)["chase"]
    assert {"kind": "not_known", "id": "rsr_score", "status": "Blocked"}.items() <= next(
        item for item in chase if item["kind"] == "not_known"
    ).items()


def test_the_handover_is_due_two_working_days_after_sentence_and_then_overdue(
    make_case, forms, assess_on
) -> None:
    record = make_case()
    sent = with_handover(record, sent_to=RO, sent_by=AUTHOR, sent_at=SENT_AT)
    due = assess_on(sent, TODAY).handover.due
    assert due is not None
    assert not assess_on(sent, due).handover.overdue
    late = assess_on(sent, date.fromordinal(due.toordinal() + 1)).handover
    assert late.overdue
    assert any(
        item.kind == "handover" and item.status == "Overdue"
        for item in assess_on(sent, date.fromordinal(due.toordinal() + 1)).chase
    )


def test_the_case_list_says_a_pending_check_is_overdue() -> None:
    from court_tui.domain.chase import pending_words

    assert pending_words(0, None, TODAY) == "none"
    assert pending_words(2, date(2026, 3, 9), TODAY) == "2"
    assert pending_words(2, TODAY, TODAY) == "2"  # due today: not yet overdue
    assert pending_words(1, date(2026, 2, 27), TODAY) == "1, overdue"
