"""How long a case stays on the laptop: the data-minimisation rule, decided here alone.

A laptop copy is for the court officer's work before the case reaches its responsible
officer. Once the case is synced, its handover accepted and nothing is left to find out,
the central store is the record and the laptop copy only adds risk if the laptop is lost.
A case is removed from the laptop when ALL of these hold:

- synced: no change waiting in the outbox and no conflict waiting for a choice;
- handed over and accepted (`handover_accepted_on`);
- no open follow-up;
- accepted at least RETENTION_DAYS days ago.

RETENTION_DAYS is 28. Every deadline the court officer's work feeds (RSR, first
appointment, full RoSH analysis) falls within ten working days of sentence, so four weeks
after acceptance covers the longest of them twice over and a monthly supervision cycle in
which a supervisor may ask the court officer about the case; after that, keeping personal
data on a laptop that goes out of the office is no longer needed for the purpose (Data
Protection Act 2018, s.39: kept no longer than necessary).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from court_tui.domain.case import CaseRecord
from court_tui.domain.form_model import FormSet
from court_tui.domain.handed_over import handover_state

RETENTION_DAYS = 28
RETENTION_RULE = "retention-28-days-after-acceptance"
RETENTION_RULE_WORDS = (
    f"synced, handover accepted, no open follow-up, accepted {RETENTION_DAYS} or more days ago"
)


def handover_accepted_on(record: CaseRecord, forms: FormSet, today: date) -> date | None:
    """The day RECORD's handover was accepted by its responsible officer, when it counts as
    handed over on TODAY by the one rule (`handed_over.handover_state`: sent, accepted by
    the RO and not the author, every must-read item read as it now reads); else None."""
    accepted_at = record.handover.accepted_at
    if accepted_at is None or not handover_state(record, forms, today).handed_over:
        return None
    return accepted_at.date()


@dataclass(frozen=True)
class CaseOnLaptop:
    """A case as the laptop holds it, with what the store knows about its sync."""

    record: CaseRecord
    unsynced_changes: int
    unresolved_conflicts: int


@dataclass(frozen=True)
class RetentionDecision:
    """Whether a case may be removed from the laptop today, and why (or why not)."""

    case_id: str
    removable: bool
    reasons: tuple[str, ...]


def retention_decision(case: CaseOnLaptop, today: date, forms: FormSet) -> RetentionDecision:
    """Whether CASE may leave the laptop on TODAY (its handover read against FORMS):
    removable only when every part of the rule holds; REASONS say what keeps it, or why
    it may go."""
    record = case.record
    keeps: list[str] = []
    if case.unsynced_changes:
        keeps.append(f"{case.unsynced_changes} change(s) not yet synced")
    if case.unresolved_conflicts:
        keeps.append("a sync conflict is waiting for a choice")
    accepted = handover_accepted_on(record, forms, today)
    if accepted is None:
        keeps.append("the handover has not been accepted, or its acceptance does not count")
    open_follow_ups = sum(follow_up.is_open for follow_up in record.follow_ups)
    if open_follow_ups:
        keeps.append(f"{open_follow_ups} follow-up(s) still open")
    if accepted is not None:
        days = (today - accepted).days
        if days < RETENTION_DAYS:
            keeps.append(f"accepted {days} day(s) ago; kept for {RETENTION_DAYS}")
    if keeps or accepted is None:
        return RetentionDecision(record.id, False, tuple(keeps))
    return RetentionDecision(
        record.id,
        True,
        (
            f"synced, no open follow-up, handover accepted on {accepted.isoformat()} "
            f"({(today - accepted).days} days ago, over {RETENTION_DAYS})",
        ),
    )
