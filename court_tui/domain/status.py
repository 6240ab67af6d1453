"""A case's status word for the case list, from the domain's assessment of it.

The store keeps the word in a column so that lists are plain indexed SQL, and writes it on
every save; the rule that chooses it is written once, here. It asks only what the word
depends on: the whole assessment only for a case handed over (is every task completed?),
else whether a blocker stands and whether any form has been started.
"""

from __future__ import annotations

from datetime import date

from court_tui.domain.assessment import TaskStatus, assess, untouched_task_status
from court_tui.domain.case import CaseRecord
from court_tui.domain.forms import FormSet
from court_tui.domain.handed_over import HandoverState, handover_state
from court_tui.domain.rules import record_blockers


def case_status(
    record: CaseRecord, forms: FormSet, today: date, *, handover: HandoverState | None = None
) -> str:
    """The case-list status word of RECORD on TODAY (HANDOVER: its handover state on TODAY,
    when the caller has it already)."""
    handover = handover if handover is not None else handover_state(record, forms, today)
    # "Completed" means exactly handed over: accepted by the RO, every item read as it reads.
    if handover.handed_over:
        assessment = assess(record, forms, today)
        if assessment.complete:
            return TaskStatus.COMPLETED.value
        blocked = assessment.blocked
    else:
        blocked = bool(record_blockers(record, forms, today))
    if blocked:
        return TaskStatus.PROBLEM.value
    if all(untouched_task_status(record, forms, s.id) is not None for s in forms.sections):
        return TaskStatus.NOT_STARTED.value
    return TaskStatus.IN_PROGRESS.value
