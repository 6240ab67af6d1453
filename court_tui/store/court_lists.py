"""Imported court lists in the encrypted store: saved in one transaction, audited, and
keyed by the source's own ids, so a list imported again or re-printed updates its entries
and never duplicates them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from court_tui.domain.case import utc_now
from court_tui.domain.court_list import (
    Candidates,
    ListedDefendant,
    ListedEntry,
    MatchCandidate,
    sort_key,
)
from court_tui.domain.court_list_files import CourtListFileError, read_court_list
from court_tui.domain.fields import Case
from court_tui.domain.values import parse_iso_date
from court_tui.store import writes
from court_tui.store.errors import StoreError
from court_tui.store.repository import Repository
from court_tui.store.tables import ANSWERS, CASES, COURT_LIST

# SQLite's limit on bound parameters is 32,766; keys are looked up in batches well below.
_KEY_BATCH = 500


@dataclass(frozen=True)
class ListSaved:
    """What saving a list's entries did: how many were new, changed and already there."""

    new: int
    updated: int
    unchanged: int


class EntryNotFound(StoreError):
    """No court list entry has the key asked for."""

    def __init__(self, key: str) -> None:
        super().__init__(f"There is no court list entry {key} in the store.")


def _row(entry: ListedDefendant, now: object) -> dict[str, object]:
    return {
        "key": entry.key,
        "source": entry.source,
        "hearing_date": entry.hearing_date,
        "court_code": entry.court_code,
        "room": entry.room,
        "surname": entry.surname,
        "case_id": None,
        "rejected_json": "[]",
        "imported_at": now,
        "updated_at": now,
        "entry_json": json.dumps(entry.to_json(), ensure_ascii=False, sort_keys=True),
    }


def save_entries(
    repository: Repository, entries: Sequence[ListedDefendant], *, actor: str, source: str
) -> ListSaved:
    """Keep ENTRIES (from the file SOURCE), all or none: new ones added, changed ones
    updated, each change audited."""
    now = utc_now()
    with repository.transaction() as conn:
        stored: dict[str, str] = {}
        keys = [entry.key for entry in entries]
        for start in range(0, len(keys), _KEY_BATCH):
            batch = keys[start : start + _KEY_BATCH]
            query = sa.select(COURT_LIST.c.key, COURT_LIST.c.entry_json).where(
                COURT_LIST.c.key.in_(batch)
            )
            stored.update({str(row.key): str(row.entry_json) for row in conn.execute(query)})
        new: list[dict[str, object]] = []
        changed: list[dict[str, object]] = []
        audits: list[dict[str, object]] = []
        for entry in entries:
            row = _row(entry, now)
            before = stored.get(entry.key)
            if before == row["entry_json"]:
                continue
            stored[entry.key] = str(row["entry_json"])
            (changed if before is not None else new).append(row)
            change = "updated" if before is not None else "listed"
            audits.append(
                {
                    "at": now,
                    "device_id": repository.device_id,
                    "actor": actor,
                    "action": "list-import",
                    "case_id": None,
                    "detail": f"{change} {entry.key} from {source}",
                }
            )
        writes.put_court_list_entries(conn, new, changed)
        writes.append_audits(conn, audits)
    return ListSaved(
        new=len(new), updated=len(changed), unchanged=len(entries) - len(new) - len(changed)
    )


def _entry(row: Any) -> ListedEntry:
    rejected = json.loads(str(row.rejected_json))
    return ListedEntry(
        ListedDefendant.from_json(json.loads(str(row.entry_json))),
        case_id=None if row.case_id is None else str(row.case_id),
        rejected=tuple(str(case_id) for case_id in rejected),
    )


def list_entries(
    repository: Repository, *, on: date | None = None, court: str | None = None
) -> list[ListedEntry]:
    """The stored entries heard ON a day (every day when None), at the court with the code
    COURT (every court when None)."""
    query = sa.select(COURT_LIST.c.entry_json, COURT_LIST.c.case_id, COURT_LIST.c.rejected_json)
    if on is not None:
        query = query.where(COURT_LIST.c.hearing_date == on)
    if court:
        query = query.where(COURT_LIST.c.court_code == court.strip().upper())
    with repository.connection() as conn:
        return [_entry(row) for row in conn.execute(query)]


def get_entry(repository: Repository, key: str) -> ListedEntry:
    """The entry KEY; raises EntryNotFound."""
    query = sa.select(
        COURT_LIST.c.entry_json, COURT_LIST.c.case_id, COURT_LIST.c.rejected_json
    ).where(COURT_LIST.c.key == key)
    with repository.connection() as conn:
        row = conn.execute(query).first()
    if row is None:
        raise EntryNotFound(key)
    return _entry(row)


def match_candidates(repository: Repository) -> Candidates:
    """Every case in the store as matching sees it: name, PNC and date of birth."""
    born = ANSWERS.alias("born")
    query = sa.select(CASES.c.id, CASES.c.name, CASES.c.pnc, born.c.value).outerjoin(
        born, sa.and_(born.c.case_id == CASES.c.id, born.c.question == Case.DATE_OF_BIRTH)
    )
    with repository.connection() as conn:
        rows = conn.execute(query).all()
    candidates = []
    for row in rows:
        value = json.loads(row.value) if row.value else None
        candidates.append(
            MatchCandidate(
                case_id=str(row.id),
                name=str(row.name),
                pnc=str(row.pnc) or None,
                date_of_birth=parse_iso_date(value),
            )
        )
    return Candidates(candidates)


def link_entry(repository: Repository, key: str, case_id: str, *, actor: str) -> None:
    """Link the entry KEY to the case CASE_ID (a match confirmed, or a case started from
    it), audited on the case."""
    _set_link(repository, key, actor=actor, case_id=case_id, reject=None)


def reject_match(repository: Repository, key: str, case_id: str, *, actor: str) -> None:
    """Record that the case CASE_ID is not the person listed as KEY: it is not offered as
    a match for the entry again."""
    _set_link(repository, key, actor=actor, case_id=None, reject=case_id)


def _set_link(
    repository: Repository, key: str, *, actor: str, case_id: str | None, reject: str | None
) -> None:
    now = utc_now()
    with repository.transaction() as conn:
        row = conn.execute(
            sa.select(COURT_LIST.c.rejected_json, COURT_LIST.c.case_id).where(
                COURT_LIST.c.key == key
            )
        ).first()
        if row is None:
            raise EntryNotFound(key)
        rejected = [str(item) for item in json.loads(str(row.rejected_json))]
        if reject is not None and reject not in rejected:
            rejected.append(reject)
        linked = case_id if reject is None else row.case_id
        writes.set_court_list_link(conn, key, case_id=linked, rejected=rejected, updated_at=now)
        writes.append_audit(
            conn,
            at=now,
            device_id=repository.device_id,
            actor=actor,
            action="list-link",
            case_id=case_id or reject,
            detail=f"{'linked to' if reject is None else 'rejected for'} {key}",
        )


@dataclass(frozen=True)
class ListImport:
    """What importing court list files did, for the command and the app to say."""

    files: tuple[str, ...]
    unusable: tuple[str, ...]
    set_aside: tuple[str, ...]
    dummy_left_out: int
    entries: tuple[ListedDefendant, ...]
    saved: ListSaved | None
    matches: dict[str, int]

    @property
    def not_probation(self) -> int:
        """How many entries are youths or organisations (listed, never matched)."""
        return sum(not entry.probation_case for entry in self.entries)

    def summary(self) -> str:
        """The import in one or two sentences."""
        if self.saved is None:
            return "Nothing was imported."
        saved = self.saved
        found = ", ".join(f"{count} {kind}" for kind, count in self.matches.items() if count)
        words = [
            f"Imported {len(self.entries)} listed defendant"
            f"{'' if len(self.entries) == 1 else 's'} from {', '.join(self.files)}: "
            f"{saved.new} new, {saved.updated} updated, {saved.unchanged} unchanged."
        ]
        if found:
            words.append(f"Matches: {found}.")
        if self.not_probation:
            words.append(f"{self.not_probation} youth or organisation, not matched.")
        if self.dummy_left_out:
            words.append(f"{self.dummy_left_out} in dummy rooms (50 and above) left out.")
        if self.set_aside:
            words.append(f"{len(self.set_aside)} set aside.")
        return " ".join(words)


def import_files(repository: Repository, paths: Sequence[Path], *, actor: str) -> ListImport:
    """Read every court list file in PATHS and, when all can be read, save their entries in
    one transaction. A file that cannot be used leaves the store as it was."""
    unusable: list[str] = []
    set_aside: list[str] = []
    dummy = 0
    entries: dict[str, ListedDefendant] = {}
    for path in paths:
        try:
            parsed = read_court_list(path.read_bytes())
        except OSError as error:
            unusable.append(f"{path}: cannot be read: {error.strerror or error}")
            continue
        except CourtListFileError as error:
            unusable.append(f"{path}: {error}")
            continue
        set_aside += [f"{path.name}: {reason}" for reason in parsed.set_aside]
        dummy += parsed.dummy_left_out
        entries.update((entry.key, entry) for entry in parsed.unique())
    names = tuple(path.name for path in paths)
    listed = tuple(sorted(entries.values(), key=sort_key))
    if unusable:
        return ListImport(names, tuple(unusable), tuple(set_aside), dummy, listed, None, {})
    saved = save_entries(repository, listed, actor=actor, source=", ".join(names))
    candidates = match_candidates(repository)
    matches = {"exact": 0, "possible": 0, "none": 0}
    for entry in with_links(repository, listed):
        if entry.defendant.probation_case:
            matches[entry.match(candidates).kind] += 1
    return ListImport(names, (), tuple(set_aside), dummy, listed, saved, matches)


def with_links(repository: Repository, entries: Sequence[ListedDefendant]) -> list[ListedEntry]:
    """ENTRIES with the links and rejections the store holds for them."""
    keys = [entry.key for entry in entries]
    links: dict[str, tuple[str | None, tuple[str, ...]]] = {}
    with repository.connection() as conn:
        for start in range(0, len(keys), _KEY_BATCH):
            query = sa.select(
                COURT_LIST.c.key, COURT_LIST.c.case_id, COURT_LIST.c.rejected_json
            ).where(COURT_LIST.c.key.in_(keys[start : start + _KEY_BATCH]))
            for row in conn.execute(query):
                rejected = tuple(str(item) for item in json.loads(str(row.rejected_json)))
                links[str(row.key)] = (row.case_id, rejected)
    return [ListedEntry(entry, *links.get(entry.key, (None, ()))) for entry in entries]
