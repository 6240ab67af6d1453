"""The retention rule: which cases may leave the laptop, over generated case states."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from support.handed_over import handed_over_demo

from court_tui.domain.case import CaseRecord, FollowUp
from court_tui.domain.forms import load_forms
from court_tui.domain.retention import (
    RETENTION_DAYS,
    CaseOnLaptop,
    handover_accepted_on,
    retention_decision,
)

TODAY = date(2026, 12, 3)
FORMS = load_forms()


def _handed_over(accepted_at: datetime) -> CaseRecord:
    return handed_over_demo(FORMS, accepted_at)


BASE = _handed_over(datetime(2026, 3, 2, 10, tzinfo=UTC))


@st.composite
def cases_on_laptop(draw: st.DrawFn) -> tuple[CaseOnLaptop, bool]:
    """A case on the laptop, and whether its handover was truly accepted by its RO."""
    accepted_days_ago = draw(st.none() | st.integers(min_value=-3, max_value=3 * RETENTION_DAYS))
    # Weighted towards cases that nearly meet the rule, where a slip in it would show.
    how = draw(st.sampled_from(["by RO", "by RO", "by RO", "by the author", "unread", "none"]))
    handover = BASE.handover
    if accepted_days_ago is None or how == "none":
        handover = handover.model_copy(update={"accepted_by": None, "accepted_at": None})
    else:
        accepted_at = datetime.combine(
            TODAY - timedelta(days=accepted_days_ago), datetime.min.time(), UTC
        ) + timedelta(hours=draw(st.integers(0, 23)))
        update: dict[str, object] = {"accepted_at": accepted_at}
        if how == "by the author":
            update["accepted_by"] = "Sam Patel"
        if how == "unread":
            update["acknowledged"] = handover.acknowledged[1:]
        handover = handover.model_copy(update=update)
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
    # An open follow-up is a must-read item the RO has not read: it reopens the handover.
    truly_accepted = (
        accepted_days_ago is not None
        and how == "by RO"
        and not any(follow_up.closed_on is None for follow_up in follow_ups)
    )
    record = BASE.model_copy(update={"handover": handover, "follow_ups": follow_ups})
    case = CaseOnLaptop(
        record,
        unsynced_changes=draw(st.sampled_from([0, 0, 0, 1, 3])),
        unresolved_conflicts=draw(st.sampled_from([0, 0, 0, 1])),
    )
    return case, truly_accepted


def _open_follow_ups(case: CaseOnLaptop) -> int:
    return sum(follow_up.closed_on is None for follow_up in case.record.follow_ups)


@settings(max_examples=400)
@given(cases_on_laptop())
def test_retention_never_removes_an_unsynced_open_or_unaccepted_case(
    drawn: tuple[CaseOnLaptop, bool],
) -> None:
    case, truly_accepted = drawn
    decision = retention_decision(case, TODAY, FORMS)
    if decision.removable:
        assert case.unsynced_changes == 0
        assert case.unresolved_conflicts == 0
        assert _open_follow_ups(case) == 0
        # Accepted by the RO it was sent to, every item read: not by the author, not
        # with an item unread, whatever the record claims.
        assert truly_accepted
        accepted = case.record.handover.accepted_at
        assert accepted is not None
        assert (TODAY - accepted.date()).days >= RETENTION_DAYS


@settings(max_examples=400)
@given(cases_on_laptop())
def test_a_case_meeting_every_part_of_the_rule_is_removed_and_others_say_why_not(
    drawn: tuple[CaseOnLaptop, bool],
) -> None:
    case, truly_accepted = drawn
    accepted = case.record.handover.accepted_at
    meets_rule = (
        case.unsynced_changes == 0
        and case.unresolved_conflicts == 0
        and _open_follow_ups(case) == 0
        and truly_accepted
        and accepted is not None
        and (TODAY - accepted.date()).days >= RETENTION_DAYS
    )
    decision = retention_decision(case, TODAY, FORMS)
    assert decision.removable == meets_rule
    assert (handover_accepted_on(case.record, FORMS, TODAY) is not None) == truly_accepted
    assert decision.reasons  # a removal or a keep always says why
    assert decision.case_id == case.record.id


def test_the_reasons_name_what_keeps_a_case() -> None:
    record = _handed_over(datetime(2026, 11, 30, tzinfo=UTC))
    decision = retention_decision(CaseOnLaptop(record, 2, 0), TODAY, FORMS)
    assert decision.reasons == (
        "2 change(s) not yet synced",
        f"accepted 3 day(s) ago; kept for {RETENTION_DAYS}",
    )
    unaccepted = retention_decision(CaseOnLaptop(CaseRecord(), 0, 0), TODAY, FORMS)
    assert unaccepted.reasons == (
        "the handover has not been accepted, or its acceptance does not count",
    )
