"""The pull: pages of changes made elsewhere applied to this laptop's store, one
transaction a page, with the cursor moved in the same transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa
from pydantic import ValidationError

from court_tui.domain.case import CaseRecord
from court_tui.store import writes
from court_tui.store.tables import CASES, FOLLOW_UPS, NOTES, OUTBOX
from court_tui.store.writes import case_rows
from court_tui.sync.errors import describe_invalid
from court_tui.sync.local_base import STATE_CURSOR, STATE_TEAMS, LocalBase
from court_tui.sync.local_conflicts import update_theirs
from court_tui.sync.local_notes import mark_note
from court_tui.sync.local_tables import SYNC_CONFLICTS, SYNC_SET_ASIDE
from court_tui.sync.protocol import MAX_REVISION, PulledItem, PullPage


@dataclass(frozen=True)
class SetAside:
    """A case from the central store this laptop could not read, and why."""

    case_id: str
    revision: int
    reason: str
    set_aside_at: datetime


@dataclass
class PullTally:
    """What applying pulled pages did to the store."""

    cases: int = 0
    notes: int = 0
    reference: int = 0
    conflicts_updated: int = 0
    waiting: int = 0
    case_ids: list[str] = field(default_factory=list)
    set_aside: list[tuple[str, str]] = field(default_factory=list)


class PullSync(LocalBase):
    """Changes made elsewhere applied as new local revisions, never queued again."""

    def missing_cases(self, page: PullPage) -> list[str]:
        """Cases that notes on PAGE belong to and that are neither here nor on PAGE."""
        wanted = {
            str(item.detail.get("case_id"))
            for item in page.items
            if item.kind == "note" and item.detail.get("case_id")
        }
        wanted -= {item.key for item in page.items if item.kind == "case"}
        if not wanted:
            return []
        with self._read() as conn:
            here = set(conn.execute(sa.select(CASES.c.id).where(CASES.c.id.in_(wanted))).scalars())
        return sorted(wanted - here)

    def apply_page(
        self, page: PullPage, fetched: dict[str, tuple[int, str]], cursor: int
    ) -> PullTally:
        """Apply one page of changes made elsewhere and move the cursor to CURSOR, in one
        transaction (a crash part-way applies the page again, which changes nothing)."""
        tally = PullTally()
        now = self._clock()
        extra = [
            PulledItem(0, "case", case_id, revision, case_json, {})
            for case_id, (revision, case_json) in fetched.items()
        ]
        cases = [item for item in [*extra, *page.items] if item.kind == "case"]
        with self._write() as conn:
            for item in cases:
                self._apply_case(conn, item, tally, now)
            for item in page.items:
                if item.kind == "note":
                    self._apply_note(conn, item, tally)
                elif item.kind == "reference":
                    self._apply_reference(conn, item, tally, now)
            self._put_state(conn, STATE_CURSOR, str(cursor))
            self._put_state(conn, STATE_TEAMS, json.dumps(list(page.teams)))
        return tally

    def set_aside_cases(self) -> list[SetAside]:
        """Cases from the central store set aside because this laptop could not read them."""
        query = sa.select(SYNC_SET_ASIDE).order_by(SYNC_SET_ASIDE.c.set_aside_at)
        with self._read() as conn:
            return [
                SetAside(row.case_id, int(row.revision), row.reason, row.set_aside_at)
                for row in conn.execute(query)
            ]

    def _set_aside(
        self, conn: sa.Connection, item: PulledItem, reason: str, tally: PullTally, now: datetime
    ) -> None:
        """Keep ITEM aside with REASON (replacing an older one of its case), said in the
        audit log and the report; the rest of the page goes on."""
        revision = item.revision if isinstance(item.revision, int) else 0
        conn.execute(SYNC_SET_ASIDE.delete().where(SYNC_SET_ASIDE.c.case_id == item.key))
        conn.execute(
            SYNC_SET_ASIDE.insert().values(
                case_id=item.key,
                revision=max(0, min(revision, MAX_REVISION)),
                reason=reason,
                payload=item.payload if isinstance(item.payload, str) else "",
                set_aside_at=now,
            )
        )
        self._audit(conn, "sync-set-aside", item.key, f"revision {revision}: {reason}")
        tally.set_aside.append((item.key, reason))

    def _readable(self, item: PulledItem, revision: int) -> tuple[CaseRecord | None, str]:
        """ITEM as a case this laptop can store, or None and why not."""
        if not 0 < revision <= MAX_REVISION:
            return None, f"its revision ({revision}) is out of range"
        try:
            record = CaseRecord.model_validate_json(item.payload)
            if record.id != item.key or record.revision != revision:
                record = record.model_copy(update={"id": item.key, "revision": revision})
            # Everything the store works out from a case, worked out once here: a value
            # the domain cannot use fails now, not in the middle of the page's write.
            case_rows(record, self.forms, self._today())
        except ValidationError as invalid:
            return None, f"this laptop cannot read it ({describe_invalid(invalid)})"
        except (ValueError, TypeError, OverflowError, ArithmeticError) as problem:
            return None, f"this laptop cannot read it ({str(problem)[:200]})"
        return record, ""

    def _apply_case(
        self, conn: sa.Connection, item: PulledItem, tally: PullTally, now: datetime
    ) -> None:
        revision = int(item.revision or 0)
        record, problem = self._readable(item, revision)
        if record is None:
            self._set_aside(conn, item, problem, tally, now)
            return
        conn.execute(
            SYNC_SET_ASIDE.delete().where(
                SYNC_SET_ASIDE.c.case_id == item.key, SYNC_SET_ASIDE.c.revision <= revision
            )
        )
        if update_theirs(conn, item.key, revision, item.payload, now):
            tally.conflicts_updated += 1
            return
        open_conflict = conn.execute(
            sa.select(SYNC_CONFLICTS.c.id).where(
                SYNC_CONFLICTS.c.case_id == item.key, SYNC_CONFLICTS.c.resolved_at.is_(None)
            )
        ).first()
        if open_conflict is not None:
            return
        pending = conn.execute(
            sa.select(OUTBOX.c.seq)
            .where(OUTBOX.c.case_id == item.key, OUTBOX.c.acknowledged_at.is_(None))
            .limit(1)
        ).first()
        if pending is not None:
            # This laptop's own change goes first; if it clashes, the push says so.
            tally.waiting += 1
            return
        local = conn.execute(
            sa.select(CASES.c.revision).where(CASES.c.id == item.key)
        ).scalar_one_or_none()
        if local is not None and int(local) >= revision:
            return
        ids = [follow_up.id for follow_up in record.follow_ups]
        taken = conn.execute(
            sa.select(FOLLOW_UPS.c.case_id)
            .where(FOLLOW_UPS.c.id.in_(ids), FOLLOW_UPS.c.case_id != item.key)
            .limit(1)
        ).scalar_one_or_none()
        if taken is not None:
            # Two teams' cases may share a follow-up id on the central store; this laptop
            # keeps one case a follow-up id, so the later one is set aside and said.
            self._set_aside(
                conn, item, f"a follow-up id of it is one of case {taken} here", tally, now
            )
            return
        self._write_case(conn, record, exists=local is not None)
        changed_by = item.detail.get("changed_by") or "another laptop"
        self._audit(
            conn,
            "sync-pull",
            item.key,
            f"revision {revision} from the central store (changed by {changed_by})",
        )
        tally.cases += 1
        tally.case_ids.append(item.key)

    def _apply_note(self, conn: sa.Connection, item: PulledItem, tally: PullTally) -> None:
        case_id = str(item.detail.get("case_id") or "")
        if conn.execute(sa.select(CASES.c.id).where(CASES.c.id == case_id)).first() is None:
            return
        written_at = _parse_time(item.detail.get("written_at")) or self._clock()
        written_by = str(item.detail.get("written_by") or "")
        if conn.execute(sa.select(NOTES.c.id).where(NOTES.c.id == item.key)).first() is not None:
            # Sent from here (or pulled before): the central store has it, with the
            # supervisor's name and time as it keeps them, which this copy takes.
            mark_note(conn, item.key, "sent", None, self._clock())
            writes.set_note_author(conn, item.key, written_by, written_at)
            return
        mark_note(conn, item.key, "pulled", None, self._clock())
        writes.add_note(
            conn,
            id=item.key,
            case_id=case_id,
            item_id=item.detail.get("item_id"),
            note=item.payload,
            written_by=written_by,
            written_at=written_at,
        )
        self._audit(conn, "note", case_id, "supervisor's note from the central store")
        tally.notes += 1

    def _apply_reference(
        self, conn: sa.Connection, item: PulledItem, tally: PullTally, now: datetime
    ) -> None:
        updated_at = _parse_time(item.detail.get("updated_at")) or now
        writes.put_reference_data(conn, item.key, item.payload, updated_at)
        tally.reference += 1


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
