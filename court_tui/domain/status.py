"""A case's status word for the case list, from the domain's assessment of it.

The store keeps the word in a column so that lists are plain indexed SQL; the rule that
chooses it is written once, here.
"""

from __future__ import annotations

from datetime import date

from court_tui.domain.assessment import FOLLOW_UPS_TASK, HANDOVER_TASK, TaskStatus, assess
from court_tui.domain.case import CaseRecord
from court_tui.domain.forms import FormSet


def case_status(record: CaseRecord, forms: FormSet, today: date) -> str:
    """The case-list status word, from the domain's assessment of RECORD on TODAY."""
    assessment = assess(record, forms, today)
    # "Completed" means exactly handed over: accepted by the RO, every item read as it reads.
    if assessment.complete and assessment.handover.handed_over:
        return TaskStatus.COMPLETED.value
    if assessment.blocked:
        return TaskStatus.PROBLEM.value
    form_tasks = [t for t in assessment.tasks if t.id not in (FOLLOW_UPS_TASK, HANDOVER_TASK)]
    untouched = (TaskStatus.NOT_STARTED, TaskStatus.CANNOT_START)
    if all(task.status in untouched for task in form_tasks):
        return TaskStatus.NOT_STARTED.value
    return TaskStatus.IN_PROGRESS.value
