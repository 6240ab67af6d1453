"""What the conflicts screen says differs between two versions of a case."""

from __future__ import annotations

from datetime import date

from court_tui.domain.case import CaseRecord, FollowUp
from court_tui.domain.forms import FormSet
from court_tui.sync.conflicts import differences


def test_a_follow_up_given_to_someone_else_says_who_on_each_side(forms: FormSet) -> None:
    follow_up = FollowUp(
        question="rsr_score",
        owner="Sam Patel",
        action="Get the RSR score from OASys",
        due=date(2026, 3, 4),
        recorded_on=date(2026, 3, 2),
    )
    mine = CaseRecord(team="Leeds", officer="Sam Patel", follow_ups=[follow_up])
    theirs = mine.model_copy(
        update={"follow_ups": [follow_up.model_copy(update={"owner": "Alex Khan"})]}
    )
    (found,) = differences(mine, theirs, forms)
    assert found.mine == "open, owned by Sam Patel, due Wednesday 4 March 2026"
    assert found.theirs == "open, owned by Alex Khan, due Wednesday 4 March 2026"
