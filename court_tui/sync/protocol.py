"""What goes to the central store and what comes back: plain data, no connections."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from court_tui.domain.bounds import MAX_SYNCED_REVISION

ChangeKind = Literal["edit", "keep-mine", "take-theirs"]
# The sync protocol a central store speaks (court_tui.sync_protocol(), migration 0007).
# 1: one change at a time through push_changes, each with the rows beside its case (a
# central store without sync_protocol()). 2: a batch at once through push_batch, the case
# alone.
OLDEST_PROTOCOL = 1
BATCH_PROTOCOL = 2
# The highest revision the central store keeps, checked there on push and here on pull.
MAX_REVISION = MAX_SYNCED_REVISION
# applied: the central store now has this version. conflict: it had moved on, and keeps
# both versions. held: the case is in conflict from this laptop, so the change is kept
# with the conflict. rejected: refused (the reason says why). blocked: not tried, because
# an earlier change to the same case was refused.
Outcome = Literal["applied", "conflict", "held", "rejected", "blocked"]
ACKNOWLEDGED: frozenset[str] = frozenset({"applied", "conflict", "held"})


@dataclass(frozen=True)
class Change:
    """One outbox row ready to send, with the rows the central store indexes it by."""

    seq: int
    case_id: str
    base_revision: int
    revision: int
    kind: ChangeKind
    case_json: str
    summary: dict[str, Any]
    answers: list[dict[str, Any]] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)
    follow_ups: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self, *, with_rows: bool = True) -> dict[str, Any]:
        """The change as the JSON object push_changes reads; without the rows beside the
        case (WITH_ROWS false) for a central store that reads only the case (protocol 2:
        push_batch, and push_changes since 0003)."""
        change: dict[str, Any] = {
            "seq": self.seq,
            "case_id": self.case_id,
            "base_revision": self.base_revision,
            "revision": self.revision,
            "kind": self.kind,
            "case_json": self.case_json,
            "summary": self.summary,
        }
        if with_rows:
            change.update(answers=self.answers, checks=self.checks, follow_ups=self.follow_ups)
        return change


@dataclass(frozen=True)
class ChangeResult:
    """What the central store did with one change."""

    seq: int
    outcome: Outcome
    duplicate: bool
    revision: int | None
    detail: str | None
    theirs_revision: int | None
    theirs_json: str | None

    @property
    def acknowledged(self) -> bool:
        """Whether the central store now holds the change (applied, or kept in a conflict)."""
        return self.outcome in ACKNOWLEDGED


PulledKind = Literal["case", "note", "reference"]


@dataclass(frozen=True)
class PulledItem:
    """One change made elsewhere: a case revision, a supervisor's note, reference data."""

    change_seq: int
    kind: PulledKind
    key: str
    revision: int | None
    payload: str
    detail: dict[str, Any]


@dataclass(frozen=True)
class PullPage:
    """A page of changes after a cursor, and the highest change the server could see."""

    items: list[PulledItem]
    high_water: int
    teams: tuple[str, ...]


@dataclass(frozen=True)
class NoteChange:
    """An oversight note written on this laptop, to send to the central store."""

    id: str
    case_id: str
    item_id: str | None
    note: str
    written_at: str

    def as_json(self) -> dict[str, Any]:
        """The note as the JSON object push_notes reads."""
        return {
            "id": self.id,
            "case_id": self.case_id,
            "item_id": self.item_id,
            "note": self.note,
            "written_at": self.written_at,
        }


NoteOutcome = Literal["applied", "duplicate", "rejected"]


@dataclass(frozen=True)
class NoteResult:
    """What the central store did with one note: applied, already there, or refused."""

    id: str
    outcome: NoteOutcome
    detail: str | None
