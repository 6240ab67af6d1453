"""Each line of the officer's pending list names its own case and says where it stands
on the day it is listed: the list is read again for each day and each change."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from store_helpers import make_case

from court_tui.domain.case import CaseRecord, new_id
from court_tui.domain.handed_over import handover_due
from court_tui.store import Store

TODAY = date(2026, 3, 2)


def test_each_item_names_its_own_case_court_team_and_officer(store: Store) -> None:
    repository = store.repository
    amy = repository.save_case(
        make_case("Amy Dunn", crn="A111111", follow_up_due=date(2026, 3, 4)), actor="t"
    )
    ben = repository.save_case(
        make_case(
            "Ben Cole",
            crn="B222222",
            expected_by=date(2026, 3, 1),
            team="Bradford court team",
            officer="Jo Evans",
        ),
        actor="t",
    )
    check, follow_up = repository.pending_items(today=TODAY)
    assert check == (
        ben.id,
        "Ben Cole",
        "B222222",
        "check",
        "safeguarding",
        "Child safeguarding check (children's services)",
        "Jo Evans",
        date(2026, 3, 1),
        date(2026, 3, 1),
        "Leeds",
        "Bradford court team",
        "Jo Evans",
        "Overdue",
    )
    assert (follow_up.case_id, follow_up.case_name, follow_up.crn) == (
        amy.id,
        "Amy Dunn",
        "A111111",
    )
    assert (follow_up.kind, follow_up.item_id) == ("follow_up", amy.follow_ups[0].id)
    assert (follow_up.what, follow_up.owner) == ("Chase the police", "Jo Evans")
    assert (follow_up.requested, follow_up.due) == (date(2026, 3, 2), date(2026, 3, 4))
    assert (follow_up.court, follow_up.team, follow_up.officer) == (
        "Leeds",
        "Leeds court team",
        "Sam Patel",
    )
    assert follow_up.status == "Open"


def _sent(demo_cases: list[CaseRecord]) -> CaseRecord:
    (record,) = [case for case in demo_cases if case.answers.get("name") == "Jordan Ellis"]
    data = record.model_dump()
    data["id"] = new_id()
    for item in data["follow_ups"]:
        item["id"] = new_id()
    data["handover"] = {
        "sent_to": "Alex Morgan",
        "sent_by": "Sam Patel",
        "sent_at": datetime(2026, 3, 2, 16, 0, tzinfo=UTC),
    }
    return CaseRecord.model_validate(data)


def test_a_handover_waiting_is_overdue_when_listed_again_the_day_after_it_was_due(
    store: Store, demo_cases: list[CaseRecord]
) -> None:
    record = store.repository.save_case(_sent(demo_cases), actor="test")
    due = handover_due(record)
    assert due is not None

    def handover_status(today: date) -> str:
        items = store.repository.pending_items(today=today)
        (item,) = [i for i in items if i.kind == "handover" and i.case_id == record.id]
        return item.status

    assert handover_status(due) == "Sent, not yet accepted"
    assert handover_status(due + timedelta(days=1)) == "Overdue"
    assert handover_status(due) == "Sent, not yet accepted"


def test_overdue_items_come_first_then_by_due_date_then_by_case_name(store: Store) -> None:
    repository = store.repository
    for name, due in [
        ("Cara Moss", date(2026, 3, 5)),
        ("Abe Hart", date(2026, 3, 5)),
        ("Zed Lowe", date(2026, 2, 27)),
        ("Bea Cole", date(2026, 3, 3)),
        ("Ann Tate", date(2026, 3, 1)),
    ]:
        repository.save_case(make_case(name, crn=f"X{len(name):06d}", expected_by=due), actor="t")
    # Follow-ups are read apart from checks: the list puts them in among the checks.
    for name, due in [("Dan Peel", date(2026, 3, 4)), ("Eve Shaw", date(2026, 2, 28))]:
        repository.save_case(make_case(name, follow_up_due=due), actor="t")
    listed = [(i.case_name, i.kind, i.status) for i in repository.pending_items(today=TODAY)]
    assert listed == [
        ("Zed Lowe", "check", "Overdue"),
        ("Eve Shaw", "follow_up", "Overdue"),
        ("Ann Tate", "check", "Overdue"),
        ("Bea Cole", "check", "Outstanding"),
        ("Dan Peel", "follow_up", "Open"),
        ("Abe Hart", "check", "Outstanding"),
        ("Cara Moss", "check", "Outstanding"),
    ]
