"""The retention rule: which cases may leave the laptop, over generated case states."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from court_tui.domain.case import CaseRecord, FollowUp, Handover
from court_tui.domain.retention import (
    RETENTION_DAYS,
    CaseOnLaptop,
    handover_accepted_on,
    retention_decision,
)

TODAY = date(2026, 12, 3)


@st.composite
def cases_on_laptop(draw: st.DrawFn) -> CaseOnLaptop:
    accepted_days_ago = draw(st.none() | st.integers(min_value=-3, max_value=3 * RETENTION_DAYS))
    # Weighted towards cases that nearly meet the rule, where a slip in it would show.
    accepted_by = draw(st.sampled_from(["Robin Okafor", "Robin Okafor", "Robin Okafor", "", None]))
    handover = Handover(
        acknowledged=draw(st.lists(st.sampled_from(["checks", "rosh", "rsr"]), unique=True)),
        accepted_by=accepted_by if accepted_days_ago is not None else None,
        accepted_at=None
        if accepted_days_ago is None
        else datetime.combine(TODAY - timedelta(days=accepted_days_ago), datetime.min.time(), UTC)
        + timedelta(hours=draw(st.integers(0, 23))),
    )
    follow_ups = [
        FollowUp(
            question="rosh_level",
            owner="Sam Patel",
            action="ask the police",
            due=TODAY,
            recorded_on=TODAY - timedelta(days=40),
            closed_on=None if still_open else TODAY - timedelta(days=35),
        )
        for still_open in draw(st.lists(st.booleans(), max_size=2))
    ]
    record = CaseRecord(handover=handover, follow_ups=follow_ups)
    return CaseOnLaptop(
        record,
        unsynced_changes=draw(st.sampled_from([0, 0, 0, 1, 3])),
        unresolved_conflicts=draw(st.sampled_from([0, 0, 0, 1])),
    )


def _open_follow_ups(case: CaseOnLaptop) -> int:
    return sum(follow_up.closed_on is None for follow_up in case.record.follow_ups)


@settings(max_examples=400)
@given(cases_on_laptop())
def test_retention_never_removes_an_unsynced_open_or_unaccepted_case(case: CaseOnLaptop) -> None:
    decision = retention_decision(case, TODAY)
    if decision.removable:
        assert case.unsynced_changes == 0
        assert case.unresolved_conflicts == 0
        assert _open_follow_ups(case) == 0
        accepted = case.record.handover
        assert accepted.accepted_at is not None and (accepted.accepted_by or "").strip()
        assert (TODAY - accepted.accepted_at.date()).days >= RETENTION_DAYS


@settings(max_examples=400)
@given(cases_on_laptop())
def test_a_case_meeting_every_part_of_the_rule_is_removed_and_others_say_why_not(
    case: CaseOnLaptop,
) -> None:
    accepted = handover_accepted_on(case.record)
    meets_rule = (
        case.unsynced_changes == 0
        and case.unresolved_conflicts == 0
        and _open_follow_ups(case) == 0
        and accepted is not None
        and (TODAY - accepted).days >= RETENTION_DAYS
    )
    decision = retention_decision(case, TODAY)
    assert decision.removable == meets_rule
    assert decision.reasons  # a removal or a keep always says why
    assert decision.case_id == case.record.id


def test_the_reasons_name_what_keeps_a_case() -> None:
    record = CaseRecord(
        handover=Handover(
            accepted_by="Robin Okafor", accepted_at=datetime(2026, 11, 30, tzinfo=UTC)
        )
    )
    decision = retention_decision(CaseOnLaptop(record, 2, 0), TODAY)
    assert decision.reasons == (
        "2 change(s) not yet synced",
        f"accepted 3 day(s) ago; kept for {RETENTION_DAYS}",
    )
    unaccepted = retention_decision(CaseOnLaptop(CaseRecord(), 0, 0), TODAY)
    assert unaccepted.reasons == ("the handover has not been accepted",)
