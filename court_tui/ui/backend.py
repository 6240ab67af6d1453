"""The app's one door to the store: every call blocks, so the UI makes them from workers.

The backend owns the path and the open store, the officer's profile and the revision each
case was last saved at, so that saves made by overlapping workers never carry a stale base.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from court_tui.domain.settings import LAST_CASE, PROFILE, Config
from court_tui.store.errors import StoreError
from court_tui.store.opening import OpenedFile, open_file
from court_tui.store.paths import store_exists

# The full store (SQLAlchemy) and the case model load once the case list is drawn: the
# list itself is read with sqlcipher3 alone (store/opening.py).
if TYPE_CHECKING:
    from court_tui.domain.case import CaseRecord
    from court_tui.domain.court_list import ListedEntry, Match, MatchCandidate
    from court_tui.domain.offences import OffenceCatalogue
    from court_tui.domain.prefill import AllocationOffices
    from court_tui.store import CaseSummary, PendingItem, Repository, Store, court_lists

    # The sync (and psycopg) load on the first sync.
    from court_tui.sync import ConflictView, RetryPolicy, SyncReport
    from court_tui.sync.handover import HandedToMe


@dataclass(frozen=True)
class Profile:
    """Who is using this store: the officer, their team and their usual court, and where
    their cases go by allocation (set once, in Settings)."""

    officer: str = ""
    team: str = ""
    court: str = ""
    # Where their cases go: as given, else read from the settings STORED when first asked
    # (the case list does not need them, and reading them loads the case model).
    given_offices: AllocationOffices | None = field(default=None, repr=False)
    stored: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    @functools.cached_property
    def offices(self) -> AllocationOffices:
        """Where the officer's cases go by allocation."""
        if self.given_offices is not None:
            return self.given_offices
        from court_tui.domain.prefill import AllocationOffices

        return AllocationOffices.read(self.stored.get) if self.stored else AllocationOffices()


def _empty_catalogue() -> OffenceCatalogue:
    from court_tui.domain.offences import empty_catalogue

    return empty_catalogue()


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
        offences: Callable[[], OffenceCatalogue] = _empty_catalogue,
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
        # Checked and keyed, before the full store is built on it (finish_opening).
        self._opened: OpenedFile | None = None
        self._opening = threading.Lock()
        self._not_opened: StoreError | None = None
        self._early: tuple[str, Future[OpenedFile]] | None = None
        self._offences = offences
        self._catalogue: OffenceCatalogue | None = None
        self._lock = threading.Lock()
        self._revisions: dict[str, int] = {}

    @property
    def is_open(self) -> bool:
        """Whether a store is open behind the app (its full store may still be opening)."""
        return self._store is not None or self._opened is not None

    @property
    def repository(self) -> Repository:
        """The open store's repository (waits for the full store when it is opening)."""
        return self._open_store().repository

    def exists(self) -> bool:
        """Whether a store has been set up at the path (else the app shows set-up)."""
        return self.is_open or store_exists(self.path)

    def create(self, passphrase: str, profile: Profile) -> Profile:
        """Set up a new store at the path, locked with PASSPHRASE, for PROFILE."""
        from court_tui.store import open_store

        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            self._store = open_store(self.path, passphrase, create=True)
            for setting in PROFILE:
                self._store.repository.put_setting(setting.key, getattr(profile, setting.key))
        return profile

    def unlock(self, passphrase: str) -> Profile:
        """Open the store (or, when it is open, prove PASSPHRASE opens it); raises on failure.

        The store is checked and keyed with sqlcipher3 alone, which is enough for the case
        list; the full store is built on it by `finish_opening`, at once when the store
        needs upgrading. The demo store has no passphrase: any answer unlocks it.
        """
        with self._lock:
            if not self.is_open:
                opened = self._take_early(passphrase) or open_file(self.path, passphrase)
                with self._opening:
                    self._opened, self._not_opened = opened, None
                if not opened.up_to_date:
                    self.finish_opening()
            elif not self.demo:
                open_file(self.path, passphrase).close()
        return self.profile()

    def open_early(self, passphrase: str) -> None:
        """Start opening the store with PASSPHRASE now, in a thread of its own, for `unlock`
        to take: deriving the key is a deliberate fraction of a second spent in SQLCipher,
        which the app's own start can use meanwhile."""
        if self.is_open or self._early is not None or not store_exists(self.path):
            return
        early: Future[OpenedFile] = Future()

        def run() -> None:
            try:
                early.set_result(open_file(self.path, passphrase))
            except BaseException as error:
                early.set_exception(error)

        self._early = (passphrase, early)
        threading.Thread(target=run, name="court-tui open", daemon=True).start()

    def _take_early(self, passphrase: str) -> OpenedFile | None:
        """The store opened early with PASSPHRASE (its refusal raised), else None."""
        early, self._early = self._early, None
        if early is None:
            return None
        given, future = early
        if given == passphrase:
            return future.result()
        with contextlib.suppress(Exception):  # refused or not, it is not the one asked for
            future.result().close()
        return None

    def finish_opening(self) -> None:
        """Build the full store on the file opened by `unlock` (it blocks: call it from a
        worker). Whatever needs the full store before then waits here for it."""
        with self._opening:
            if self._opened is None or self._store is not None:
                return
            from court_tui.store.store import open_opened

            opened, self._opened = self._opened, None
            try:
                self._store = open_opened(opened)
            except StoreError as error:
                self._not_opened = error
                raise

    def _open_store(self) -> Store:
        if self._store is None:
            self.finish_opening()
        if self._store is None:
            if self._not_opened is not None:
                raise StoreError(str(self._not_opened))
            raise BackendClosed("the case store is not open")
        return self._store

    def profile(self) -> Profile:
        """The officer's profile from the store's settings."""
        named: dict[str, Any] = {s.key: s.read(self.get_setting) for s in PROFILE}
        with self._opening:
            opened = self._opened if self._store is None else None
        if opened is not None:  # the offices are read from these when first asked
            return Profile(**named, stored=opened.settings())
        from court_tui.domain.prefill import AllocationOffices

        return Profile(**named, given_offices=AllocationOffices.read(self.get_setting))

    def get_setting(self, key: str) -> str | None:
        """A stored setting (as the store was opened, until the full store is open: every
        change of a setting goes through the full store)."""
        with self._opening:
            if self._store is None and self._opened is not None:
                return self._opened.get_setting(key)
        return self.repository.get_setting(key)

    def put_setting(self, key: str, value: str) -> None:
        """Store a setting."""
        with self._lock:
            self.repository.put_setting(key, value)

    def list_cases(self, on: date | None) -> list[CaseSummary]:
        """The cases heard ON a day (every case when ON is None)."""
        with self._opening:
            if self._store is None and self._opened is not None:
                return self._opened.list_cases(on)
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
        from court_tui.domain.review import oversight_line

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
        from court_tui.domain.offences import OffenceDataError, empty_catalogue

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
        from court_tui.domain.forms import load_forms
        from court_tui.export import export_case, suggested_filename
        from court_tui.store.paths import write_private_file

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
        from court_tui.domain.court_list import sort_key
        from court_tui.store import court_lists

        entries = court_lists.list_entries(self.repository, on=on)
        if not entries:
            return []  # no list that day: the cases are not read for matching
        candidates = court_lists.match_candidates(self.repository)
        entries.sort(key=lambda entry: sort_key(entry.defendant))
        return [(entry, entry.match(candidates)) for entry in entries]

    def import_court_lists(self, paths: list[Path], actor: str) -> court_lists.ListImport:
        """Import the court list files PATHS (all or none)."""
        from court_tui.store import court_lists

        with self._lock:
            return court_lists.import_files(self.repository, paths, actor=actor)

    def possible_cases(self, case_ids: tuple[str, ...]) -> list[MatchCandidate]:
        """The cases CASE_IDS as matching saw them (name, PNC, date of birth), to show."""
        from court_tui.store import court_lists

        candidates = court_lists.match_candidates(self.repository)
        return [candidates.by_id[case_id] for case_id in case_ids if case_id in candidates.by_id]

    def start_listed_case(self, key: str, officer: str, team: str) -> CaseRecord:
        """A new case started from the list entry KEY, saved and linked to the entry."""
        from court_tui.domain.new_case import new_listed_case
        from court_tui.store import court_lists

        entry = court_lists.get_entry(self.repository, key)
        record = self.save_case(new_listed_case(officer, team, entry.defendant), officer)
        court_lists.link_entry(self.repository, key, record.id, actor=officer)
        return record

    def link_listed(self, key: str, case_id: str, actor: str) -> None:
        """The officer confirmed that CASE_ID is the person listed as KEY."""
        from court_tui.store import court_lists

        court_lists.link_entry(self.repository, key, case_id, actor=actor)

    def reject_listed(self, key: str, case_ids: tuple[str, ...], actor: str) -> None:
        """The officer said the cases CASE_IDS are not the person listed as KEY."""
        from court_tui.store import court_lists

        for case_id in case_ids:
            court_lists.reject_match(self.repository, key, case_id, actor=actor)

    def change_passphrase(self, current: str, new: str, actor: str) -> Path:
        """Change the store's passphrase from CURRENT to NEW (store/rekey.py), open it again
        with NEW, and return where the backup made first is; raises StoreError."""
        from court_tui.domain.case import utc_now
        from court_tui.store import open_store
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
            self._take_early("")  # never the passphrase: an early open is let go
        with self._lock, self._opening:
            if self._opened is not None:
                self._opened.close()
                self._opened = None
            if self._store is not None:
                self._store.close()
                self._store = None
