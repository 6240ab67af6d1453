"""A case changed on this laptop and elsewhere: both versions, what differs, the choice.

The officer chooses: keep mine (this laptop's version goes to the central store on top
of the other) or take theirs (the central store's version comes here). Either way the
choice is a new change through the outbox, and the version not chosen stays on record
on both sides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from court_tui.domain.case import CaseRecord
from court_tui.domain.checks import check_state
from court_tui.domain.forms import FormSet
from court_tui.domain.summary import describe_follow_up, display_answer
from court_tui.domain.values import describe_date
from court_tui.store import Store
from court_tui.sync.local import Keep, LocalSync
from court_tui.sync.local_conflicts import read_theirs


@dataclass(frozen=True)
class Difference:
    """One thing the two versions say differently."""

    field: str
    label: str
    mine: str
    theirs: str


@dataclass(frozen=True)
class ConflictView:
    """An open conflict as the officer sees it."""

    case_id: str
    title: str
    mine: CaseRecord
    theirs: CaseRecord
    mine_revision: int
    theirs_revision: int
    theirs_changed_by: str
    detected_at: datetime
    differences: tuple[Difference, ...]
    # Why the central store's version cannot be read on this laptop (then theirs is a
    # copy of mine, and only keeping mine is offered).
    theirs_unreadable: str | None = None

    def lines(self) -> list[str]:
        """The conflict in plain words, one fact a line (also the plain-text export)."""
        if self.theirs_unreadable is not None:
            return [
                f"{self.title}: changed on this laptop and elsewhere.",
                f"The central store's version (revision {self.theirs_revision}) cannot be "
                f"read by this laptop ({self.theirs_unreadable}).",
                "Choose: keep mine (court-tui sync --resolve CASE --keep mine).",
            ]
        lines = [
            f"{self.title}: changed on this laptop and elsewhere.",
            f"Yours (revision {self.mine_revision}) and the central store's "
            f"(revision {self.theirs_revision}, {self.theirs_changed_by}) differ in:",
        ]
        for difference in self.differences:
            lines.append(f"  {difference.label}")
            lines.append(f"    yours: {difference.mine}")
            lines.append(f"    theirs: {difference.theirs}")
        if not self.differences:
            lines.append("  nothing you would see (only when each was saved)")
        lines.append("Choose: keep mine, or take theirs.")
        return lines


def _answer_text(forms: FormSet, record: CaseRecord, question_id: str) -> str:
    value = record.answers.get(question_id)
    question = forms.questions.get(question_id)
    if question is None:
        return "Not provided" if value is None else str(value)
    return display_answer(question, record, value)


def differences(mine: CaseRecord, theirs: CaseRecord, forms: FormSet) -> list[Difference]:
    """What MINE and THEIRS say differently: answers in form order, then checks,
    follow-ups and the handover."""
    found: list[Difference] = []
    order = {question_id: index for index, question_id in enumerate(forms.questions)}
    keys = sorted(
        set(mine.answers) | set(theirs.answers), key=lambda q: (order.get(q, len(order)), q)
    )
    for question_id in keys:
        if mine.answers.get(question_id) == theirs.answers.get(question_id):
            continue
        question = forms.questions.get(question_id)
        found.append(
            Difference(
                field=question_id,
                label=question.label if question else question_id,
                mine=_answer_text(forms, mine, question_id),
                theirs=_answer_text(forms, theirs, question_id),
            )
        )
    titles = {kind.id: kind.title for kind in forms.check_kinds()}
    for kind in sorted(set(mine.checks) | set(theirs.checks)):
        mine_check, theirs_check = mine.check(kind), theirs.check(kind)
        if mine_check == theirs_check:
            continue
        found.append(
            Difference(
                field=kind,
                label=titles.get(kind, kind),
                mine=_check_text(mine_check.model_dump(), check_state(mine_check)),
                theirs=_check_text(theirs_check.model_dump(), check_state(theirs_check)),
            )
        )
    mine_follow_ups = {f.id: f for f in mine.follow_ups}
    theirs_follow_ups = {f.id: f for f in theirs.follow_ups}
    for follow_up_id in sorted(set(mine_follow_ups) | set(theirs_follow_ups)):
        ours, other = mine_follow_ups.get(follow_up_id), theirs_follow_ups.get(follow_up_id)
        if ours == other:
            continue
        some = ours or other
        assert some is not None
        found.append(
            Difference(
                field=follow_up_id,
                label=f"Follow-up: {describe_follow_up(some)}",
                mine=_follow_up_text(ours),
                theirs=_follow_up_text(other),
            )
        )
    if mine.handover != theirs.handover:
        found.append(
            Difference(
                field="handover",
                label="Handover",
                mine=_handover_text(mine),
                theirs=_handover_text(theirs),
            )
        )
    return found


def _check_text(fields: dict[str, object], state: str) -> str:
    details = [f"{key} {value}" for key, value in fields.items() if value not in (None, "")]
    return state + (": " + ", ".join(details) if details else "")


def _follow_up_text(follow_up: object) -> str:
    from court_tui.domain.case import FollowUp

    if not isinstance(follow_up, FollowUp):
        return "not there"
    if follow_up.is_open:
        # Owner, what and when: a supervisor's reassignment is one of these changing.
        due = describe_date(follow_up.due) if follow_up.due else "no date"
        return f"open, owned by {follow_up.owner or 'nobody'}, due {due}"
    answer = f", answer: {follow_up.answer}" if follow_up.answer is not None else ""
    return f"closed on {follow_up.closed_on} by {follow_up.closed_by or 'unknown'}{answer}"


def _handover_text(record: CaseRecord) -> str:
    if record.handover.accepted_by:
        return f"accepted by {record.handover.accepted_by}"
    read = len(record.handover.acknowledged)
    return f"not accepted ({read} item(s) read)"


def list_conflicts(
    store: Store, *, actor: str = "", mark_shown: bool = True
) -> list[ConflictView]:
    """The open conflicts with both versions and what differs, oldest first.

    With MARK_SHOWN (the default: call it when they are put on screen), each conflict is
    recorded as shown to ACTOR the first time, in the audit log too.
    """
    local = LocalSync(store)
    rows = local.open_conflicts()
    views = []
    for row in rows:
        mine = local.current_case(row.case_id) or CaseRecord.model_validate_json(row.mine_json)
        readable, problem = read_theirs(row.theirs_json)
        theirs = readable or mine
        views.append(
            ConflictView(
                case_id=row.case_id,
                title=mine.display_name,
                mine=mine,
                theirs=theirs,
                mine_revision=mine.revision,
                theirs_revision=row.theirs_revision,
                theirs_changed_by=theirs.officer or "another officer",
                detected_at=row.detected_at,
                differences=tuple(differences(mine, theirs, store.repository.forms)),
                theirs_unreadable=None if readable is not None else problem,
            )
        )
    if mark_shown:
        local.mark_shown(rows, actor)
    return views


def resolve_conflict(store: Store, case_id: str, keep: Keep, *, actor: str) -> CaseRecord:
    """Settle CASE_ID's conflict: keep="mine" or keep="theirs". Returns the case as now
    saved on this laptop (reopen it on screen); the choice goes out with the next sync."""
    return LocalSync(store).resolve(case_id, keep, actor=actor)


def conflicted_case_ids(store: Store) -> set[str]:
    """The cases waiting for the officer's choice (for marking them in lists)."""
    return {row.case_id for row in LocalSync(store).open_conflicts()}
