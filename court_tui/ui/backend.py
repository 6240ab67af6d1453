"""The app's one door to the store: every call blocks, so the UI makes them from workers.

The backend owns the path and the open store, the officer's profile and the revision each
case was last saved at, so that saves made by overlapping workers never carry a stale base.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from court_tui.domain.case import CaseRecord
from court_tui.domain.court_list import ListedEntry, Match, MatchCandidate, sort_key
from court_tui.domain.forms import load_forms
from court_tui.domain.new_case import new_listed_case
from court_tui.domain.offences import OffenceCatalogue, OffenceDataError, empty_catalogue
from court_tui.domain.prefill import AllocationOffices
from court_tui.domain.review import oversight_line
from court_tui.domain.settings import LAST_CASE, PROFILE, Config
from court_tui.store import (
    CaseSummary,
    PendingItem,
    Repository,
    Store,
    court_lists,
    open_store,
    store_exists,
)
from court_tui.store.paths import write_private_file

if TYPE_CHECKING:  # the sync (and psycopg) load on the first sync, not at start-up
    from court_tui.sync import ConflictView, RetryPolicy, SyncReport
    from court_tui.sync.handover import HandedToMe


@dataclass(frozen=True)
class Profile:
    """Who is using this store: the officer, their team and their usual court, and where
    their cases go by allocation (set once, in Settings)."""

    officer: str = ""
    team: str = ""
    court: str = ""
    offices: AllocationOffices = field(default_factory=AllocationOffices)


class BackendClosed(RuntimeError):
    """The store is not open (first run, or locked before it was opened)."""


class Backend:
    """The store behind the app, opened by passphrase or handed over already open."""

    def __init__(
        self,
        path: Path,
        *,
        store: Store | None = None,
        demo: bool = False,
        offences: Callable[[], OffenceCatalogue] = empty_catalogue,
        sync_retry: RetryPolicy | None = None,
        config: Config | None = None,
    ) -> None:
        self.path = path
        self.config = config or Config()
        # An unknown label set is refused here, before the app starts.
        self.labels = self.config.labels()
        self.demo = demo
        self.sync_retry = sync_retry
        self._store = store
        self._offences = offences
        self._catalogue: OffenceCatalogue | None = None
        self._lock = threading.Lock()
        self._revisions: dict[str, int] = {}

    @property
    def is_open(self) -> bool:
        """Whether a store is open behind the app."""
        return self._store is not None

    @property
    def repository(self) -> Repository:
        """The open store's repository."""
        if self._store is None:
            raise BackendClosed("the case store is not open")
        return self._store.repository

    def exists(self) -> bool:
        """Whether a store has been set up at the path (else the app shows set-up)."""
        return self._store is not None or store_exists(self.path)

    def create(self, passphrase: str, profile: Profile) -> Profile:
        """Set up a new store at the path, locked with PASSPHRASE, for PROFILE."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            self._store = open_store(self.path, passphrase, create=True)
            for setting in PROFILE:
                self._store.repository.put_setting(setting.key, getattr(profile, setting.key))
        return profile

    def unlock(self, passphrase: str) -> Profile:
        """Open the store (or, when it is open, prove PASSPHRASE opens it); raises on failure.

        The demo store has no passphrase: any answer unlocks it.
        """
        with self._lock:
            if self._store is None:
                self._store = open_store(self.path, passphrase)
            elif not self.demo:
                open_store(self.path, passphrase).close()
        return self.profile()

    def profile(self) -> Profile:
        """The officer's profile from the store's settings."""
        repository = self.repository
        return Profile(
            **{setting.key: setting.read(repository.get_setting) for setting in PROFILE},
            offices=AllocationOffices.read(repository.get_setting),
        )

    def get_setting(self, key: str) -> str | None:
        """A stored setting."""
        return self.repository.get_setting(key)

    def put_setting(self, key: str, value: str) -> None:
        """Store a setting."""
        with self._lock:
            self.repository.put_setting(key, value)

    def list_cases(self, on: date | None) -> list[CaseSummary]:
        """The cases heard ON a day (every case when ON is None)."""
        return self.repository.list_cases(on=on)

    def get_case(self, case_id: str, actor: str) -> CaseRecord:
        """One case, as ACTOR opens it (the store audits the reading and it is remembered
        as the case to go back to next time)."""
        record = self.repository.get_case(case_id, actor=actor)
        self._revisions[record.id] = record.revision
        self.put_setting(LAST_CASE.key, record.id)
        return record

    def oversight(self, record: CaseRecord) -> tuple[str, ...]:
        """Supervisors' oversight notes on RECORD, oldest first, in words."""
        return tuple(
            oversight_line(
                record,
                self.repository.forms,
                written_by=note.written_by,
                written_at=note.written_at,
                item_id=note.item_id,
                note=note.note,
            )
            for note in self.repository.supervisor_notes(record.id)
        )

    def last_case(self) -> str | None:
        """The case the officer opened last, to resume where they left off."""
        return LAST_CASE.read(self.get_setting)

    def save_case(self, record: CaseRecord, actor: str) -> CaseRecord:
        """Save RECORD on top of the last revision this backend saved or read."""
        with self._lock:
            base = self._revisions.get(record.id, record.revision)
            saved = self.repository.save_case(
                record.model_copy(update={"revision": base}), actor=actor
            )
            self._revisions[saved.id] = saved.revision
        return saved

    def offence_catalogue(self) -> OffenceCatalogue:
        """The offence codes imported on this computer (read once), and the categories.

        Reference data that cannot be read leaves the categories alone: the officer can
        still choose the category by hand.
        """
        if self._catalogue is None:
            try:
                self._catalogue = self._offences()
            except OffenceDataError:
                self._catalogue = empty_catalogue()
        return self._catalogue

    def pending_items(self, today: date, officer: str) -> list[PendingItem]:
        """Pending checks and follow-ups on the officer's own cases."""
        items = self.repository.pending_items(today=today)
        return [item for item in items if item.officer == officer]

    def handed_to_me(self) -> list[HandedToMe]:
        """The cases on this laptop handed to the login it syncs as."""
        from court_tui.sync.handover import handed_to_this_laptop

        return handed_to_this_laptop(self._open_store(), self.config.server)

    def accept_handover(self, record: CaseRecord) -> None:
        """Accept RECORD's handover on the central store, as this laptop's login, then
        sync (raises SyncError saying what stopped it)."""
        from court_tui.sync.handover import accept_and_sync

        accept_and_sync(self._open_store(), record, self.config.server)

    def central_login(self) -> str:
        """The login this laptop syncs as ('' when it does not sync)."""
        from court_tui.sync import configured_server
        from court_tui.sync.handover import central_login

        url = configured_server(self._open_store(), self.config.server)
        return central_login(url) if url else ""

    def changes_not_synced(self) -> int:
        """How many saved changes wait in the outbox."""
        return self.repository.outbox_depth()

    def _open_store(self) -> Store:
        if self._store is None:
            raise BackendClosed("the case store is not open")
        return self._store

    def sync_state(self) -> str:
        """The sync state in words for the status line ('3 changes not yet synced · ...')."""
        from court_tui.sync import sync_status

        return sync_status(self._open_store()).describe()

    def sync_now(self) -> SyncReport | None:
        """One sync with the configured central store; None when none is configured.

        A problem reaching it is in the report (and the sync state), never raised.
        """
        from court_tui.sync import try_sync

        report = try_sync(self._open_store(), server=self.config.server, retry=self.sync_retry)
        if report is not None:
            for case_id in report.pulled_case_ids:
                # Changed elsewhere: the next save must start from the case read again.
                self._revisions.pop(case_id, None)
        return report

    def conflicts(self, actor: str) -> list[ConflictView]:
        """The cases changed here and elsewhere, both versions, as put in front of ACTOR."""
        from court_tui.sync import list_conflicts

        return list_conflicts(self._open_store(), actor=actor)

    def resolve_conflict(
        self, case_id: str, keep: Literal["mine", "theirs"], actor: str
    ) -> CaseRecord:
        """Keep this laptop's version or take the central one; returns the case as saved."""
        from court_tui.sync import resolve_conflict

        with self._lock:
            record = resolve_conflict(self._open_store(), case_id, keep, actor=actor)
            self._revisions[record.id] = record.revision
        return record

    def export_folder(self) -> Path:
        """Where exports go: the `export_folder` setting, else Documents/court-tui."""
        from court_tui.export import export_folder_of

        return export_folder_of(self.get_setting)

    def export_case(
        self, record: CaseRecord, document: str, fmt: str, actor: str, today: date
    ) -> Path:
        """Write DOCUMENT of RECORD as FMT to the export folder; the disclosure is audited."""
        from court_tui.export import export_case, suggested_filename

        data = export_case(record, load_forms(), document, fmt, today, self.labels)
        folder = self.export_folder()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = folder / suggested_filename(record, document, fmt, today)
        # Recorded before the file exists: a disclosure is never missing from the log.
        self.repository.record_disclosure(
            record.id, actor=actor, detail=f"export {document} {fmt} to {path}"
        )
        write_private_file(path, data)
        return path

    # The day's court list

    def court_list(self, on: date) -> list[tuple[ListedEntry, Match]]:
        """The list imported for ON, in the list's order, each entry with its match."""
        entries = court_lists.list_entries(self.repository, on=on)
        if not entries:
            return []  # no list that day: the cases are not read for matching
        candidates = court_lists.match_candidates(self.repository)
        entries.sort(key=lambda entry: sort_key(entry.defendant))
        return [(entry, entry.match(candidates)) for entry in entries]

    def import_court_lists(self, paths: list[Path], actor: str) -> court_lists.ListImport:
        """Import the court list files PATHS (all or none)."""
        with self._lock:
            return court_lists.import_files(self.repository, paths, actor=actor)

    def possible_cases(self, case_ids: tuple[str, ...]) -> list[MatchCandidate]:
        """The cases CASE_IDS as matching saw them (name, PNC, date of birth), to show."""
        candidates = court_lists.match_candidates(self.repository)
        return [candidates.by_id[case_id] for case_id in case_ids if case_id in candidates.by_id]

    def start_listed_case(self, key: str, officer: str, team: str) -> CaseRecord:
        """A new case started from the list entry KEY, saved and linked to the entry."""
        entry = court_lists.get_entry(self.repository, key)
        record = self.save_case(new_listed_case(officer, team, entry.defendant), officer)
        court_lists.link_entry(self.repository, key, record.id, actor=officer)
        return record

    def link_listed(self, key: str, case_id: str, actor: str) -> None:
        """The officer confirmed that CASE_ID is the person listed as KEY."""
        court_lists.link_entry(self.repository, key, case_id, actor=actor)

    def reject_listed(self, key: str, case_ids: tuple[str, ...], actor: str) -> None:
        """The officer said the cases CASE_IDS are not the person listed as KEY."""
        for case_id in case_ids:
            court_lists.reject_match(self.repository, key, case_id, actor=actor)

    def change_passphrase(self, current: str, new: str, actor: str) -> Path:
        """Change the store's passphrase from CURRENT to NEW (store/rekey.py), open it again
        with NEW, and return where the backup made first is; raises StoreError."""
        from court_tui.domain.case import utc_now
        from court_tui.store.rekey import change_store_passphrase

        with self._lock:
            store = self._open_store()
            # On a failure the store object still opens with CURRENT (the file is unchanged).
            backup = change_store_passphrase(store, current, new, at=utc_now(), actor=actor)
            self._store = open_store(self.path, new)
        return backup.path

    def close(self) -> None:
        """Close the store."""
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None
