"""What the case list says of each case: words light enough to draw the list before the
case model and the forms are loaded (the chase, domain/chase.py, words its items so too)."""

from __future__ import annotations

from datetime import date

STATUS_OVERDUE = "Overdue"


def pending_words(pending_checks: int, next_due: date | None, today: date) -> str:
    """A case list's pending column: how many checks are outstanding, and 'overdue' when
    the soonest reply expected is before TODAY."""
    if not pending_checks:
        return "none"
    if next_due is not None and next_due < today:
        return f"{pending_checks}, {STATUS_OVERDUE.lower()}"
    return str(pending_checks)
