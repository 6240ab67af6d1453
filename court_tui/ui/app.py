"""The court-tui app: wiring between the screens, the open case and the backend.

Every store call runs in a thread worker that posts a message (ui/app_messages.py); the
handlers here own the screens. Saving the open case is CaseApp's (ui/case_app.py).
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.events import Event, Key, MouseDown
from textual.message import Message
from textual.worker import Worker

from court_tui.domain.dates import describe_time, to_local
from court_tui.domain.settings import LOCK_MINUTES, THEME
from court_tui.store.errors import StoreError, WrongPassphrase
from court_tui.ui.app_messages import (
    CaseLoaded,
    CaseReloaded,
    CaseSaved,
    Exported,
    PassphraseChanged,
    PassphraseNotChanged,
    StoreFailed,
    SyncDone,
)
from court_tui.ui.backend import Backend, Profile
from court_tui.ui.case_app import CaseApp
from court_tui.ui.commands import CourtCommands
from court_tui.ui.screens.cases import CasesScreen
from court_tui.ui.themes import DEFAULT_THEME, register_themes
from court_tui.ui.workers import post_from_worker, post_outcome

# The case list is the one screen imported with the app: each other screen is imported
# when it is first shown, so that start-up pays only for what it draws. Their messages
# are handled by name (on_setup_screen_done and the like), which needs no import.
# So are the case model, the forms and the full store: the case list needs none of them.
if TYPE_CHECKING:
    from court_tui.domain.case import CaseRecord
    from court_tui.domain.forms import FormSet
    from court_tui.domain.prefill import AllocationOffices
    from court_tui.store import PendingItem
    from court_tui.ui.case_session import BackToCases
    from court_tui.ui.screens.conflicts import ConflictsScreen
    from court_tui.ui.screens.follow_up import FollowUpResult
    from court_tui.ui.screens.handed_to_me import HandedToMeScreen
    from court_tui.ui.screens.passphrase import ChangePassphraseScreen
    from court_tui.ui.screens.pending import PendingScreen
    from court_tui.ui.screens.setup import SetupScreen
    from court_tui.ui.screens.unlock import UnlockScreen

IDLE_CHECK_SECONDS = 5.0
SYNC_MINUTES = 5.0
NO_SERVER = "No central store is set up on this laptop. Your work is saved here."


@dataclass
class HandoverLoaded(Message):
    """A case handed to this officer, read to open at its handover, and their login."""

    record: CaseRecord
    login: str


@dataclass
class StoreReady(Message):
    """The store is open: the officer's profile and settings."""

    profile: Profile
    theme: str | None
    lock_minutes: float | None


@dataclass
class StoreNeeds(Message):
    """The store is not open: 'setup' (first run) or 'unlock'."""

    what: str


@dataclass
class UnlockFailed(Message):
    """The passphrase did not open the store, or the store could not be used."""

    message: str


class CourtApp(CaseApp):
    """court-tui: record a case in court, by keyboard, without losing anything."""

    TITLE = "court-tui"
    CSS_PATH = "app.tcss"
    KEYS_WAIT_FOR_WORKERS = frozenset(
        {"store.open", "case.load", "cases.load", "pending.load", "court_list.load",
         "court_list.act", "settings.load"}
    )  # fmt: skip
    COMMANDS: ClassVar = App.COMMANDS | {CourtCommands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    def __init__(
        self,
        backend: Backend,
        *,
        passphrase: str | None = None,
        lock_minutes: float | None = None,
        forms: FormSet | None = None,
        sync_minutes: float = SYNC_MINUTES,
    ) -> None:
        super().__init__()
        self.backend = backend
        self.sync_minutes = sync_minutes
        self.passphrase = passphrase
        if passphrase:
            backend.open_early(passphrase)
        self.lock_minutes_option = lock_minutes
        self.lock_minutes = lock_minutes if lock_minutes is not None else LOCK_MINUTES.default
        self._forms = forms
        self.profile = Profile()
        self.locked = False
        self.last_input = time.monotonic()
        self._saved_at: datetime | None = None
        self._sync_text = ""
        self._case_stale = False
        # Where a case opened from the pending list goes: its task, the item, and whether
        # to ask for a follow-up.
        self._open_at: tuple[str, PendingItem, bool] | None = None
        self._stored_theme: str | None = None
        register_themes(self)
        self.theme = DEFAULT_THEME

    @property
    def forms(self) -> FormSet:
        """The forms (read when first needed: the case list does not show them)."""
        if self._forms is None:
            from court_tui.domain.forms import load_forms

            self._forms = load_forms()
        return self._forms

    # Start-up

    def on_mount(self) -> None:
        self.set_interval(IDLE_CHECK_SECONDS, self.lock_if_idle)
        if self.sync_minutes > 0 and not self.backend.demo:  # the demo has no central store
            self.set_interval(self.sync_minutes * 60, self._sync_in_background)
        self._start(self.passphrase)

    @work(thread=True, exclusive=True, exit_on_error=False, group="store.open")
    def _start(self, passphrase: str | None) -> None:
        backend = self.backend
        try:
            if not backend.is_open and passphrase is None:
                post_from_worker(self, StoreNeeds("unlock" if backend.exists() else "setup"))
                return
            profile = backend.unlock(passphrase or "")
            post_from_worker(
                self,
                StoreReady(
                    profile,
                    THEME.read(backend.get_setting),
                    LOCK_MINUTES.read(backend.get_setting),
                ),
            )
        except WrongPassphrase:
            post_from_worker(
                self, UnlockFailed("That passphrase does not open the cases on this computer")
            )
        except StoreError as error:
            post_from_worker(self, UnlockFailed(str(error)))

    @on(StoreNeeds)
    def _needs(self, message: StoreNeeds) -> None:
        if message.what == "setup":
            from court_tui.ui.screens.setup import SetupScreen

            self.push_screen(SetupScreen())
        else:
            self._push_unlock()

    def _push_unlock(self, *, locked: bool = False) -> None:
        from court_tui.ui.screens.unlock import UnlockScreen

        self.push_screen(UnlockScreen(locked=locked, demo=self.backend.demo))

    def on_setup_screen_done(self, message: SetupScreen.Done) -> None:
        self._create(message.profile, message.passphrase)

    @work(thread=True, exclusive=True, exit_on_error=False, group="store.open")
    def _create(self, profile: Profile, passphrase: str) -> None:
        try:
            self.backend.create(passphrase, profile)
        except StoreError as error:
            post_from_worker(self, StoreFailed(str(error)))
            return
        post_from_worker(self, StoreReady(profile, None, None))

    def on_unlock_screen_submitted(self, message: UnlockScreen.Submitted) -> None:
        self._start(message.passphrase)

    @on(UnlockFailed)
    def _unlock_failed(self, message: UnlockFailed) -> None:
        from court_tui.ui.screens.unlock import UnlockScreen

        if isinstance(self.screen, UnlockScreen):
            self.screen.show_error(message.message)
        else:
            self._push_unlock()
            self.call_after_refresh(self._unlock_failed, message)

    @on(StoreReady)
    def _handle_store_ready(self, message: StoreReady) -> None:
        self.last_input = time.monotonic()
        if self.locked:
            self.locked = False
            self.pop_screen()
            return
        self.profile = message.profile
        if message.theme and message.theme in self.available_themes:
            self._stored_theme = message.theme  # already stored: not written back
            self.theme = message.theme
        if self.lock_minutes_option is None and message.lock_minutes is not None:
            self.lock_minutes = message.lock_minutes
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(CasesScreen(self.backend))

    def on_cases_screen_drawn(self, message: CasesScreen.Drawn) -> None:
        self._finish_opening()

    @work(thread=True, exclusive=True, exit_on_error=False, group="store.finish")
    def _finish_opening(self) -> None:
        # The case list was read without the full store: it is built now, after the list
        # is on the screen. Whatever the officer asks of the store waits for it.
        try:
            self.backend.finish_opening()
        except StoreError as error:  # the store is closed again: said where it is opened
            post_from_worker(self, UnlockFailed(str(error)))

    # Opening cases

    def on_cases_screen_open(self, message: CasesScreen.Open) -> None:
        self._load_case(message.case_id)

    def open_case_by_id(self, case_id: str) -> None:
        """Open the case CASE_ID (from the command palette)."""
        self.show_cases()
        self._load_case(case_id)

    def show_handed_to_me(self) -> None:
        """Open the cases handed to this officer as responsible officer."""
        if self.backend.is_open and not self.locked:
            from court_tui.ui.screens.handed_to_me import HandedToMeScreen

            self.push_screen(HandedToMeScreen(self.backend))

    @work(thread=True, exclusive=True, exit_on_error=False, group="case.load")
    def on_handed_to_me_screen_open(self, message: HandedToMeScreen.Open) -> None:
        try:
            record = self.backend.get_case(message.case_id, self.profile.officer)
            login = self.backend.central_login()
        except StoreError as error:
            post_from_worker(self, StoreFailed(str(error)))
            return
        post_from_worker(self, HandoverLoaded(record, login))

    @on(HandoverLoaded)
    def _handover_loaded(self, message: HandoverLoaded) -> None:
        from court_tui.ui.case_session import OpenCase
        from court_tui.ui.screens.handover import HandoverScreen

        case = OpenCase.of(
            message.record, self.forms, self.profile.officer, labels=self.backend.labels
        )
        self.push_screen(
            HandoverScreen(
                case, login=message.login, accept_on_central=self.backend.accept_handover
            )
        )

    def on_pending_screen_open_item(self, message: PendingScreen.OpenItem) -> None:
        from court_tui.domain.chase import item_task

        item = message.item
        self._open_at = (item_task(self.forms, item.kind, item.item_id), item, message.follow_up)
        self.open_case_by_id(item.case_id)

    def _go_to_item(self, task_id: str, item: PendingItem, follow_up: bool) -> None:
        """On the case just opened: its task for ITEM, and the follow-up dialog for a 'not
        known' nobody is finding out when FOLLOW_UP."""
        from court_tui.domain.follow_ups import FollowUpError
        from court_tui.ui.case_session import CaseChanged, SaveCaseNow
        from court_tui.ui.screens.follow_up import follow_up_dialog, record_follow_up
        from court_tui.ui.screens.tasks import TaskListScreen

        if not isinstance(self.screen, TaskListScreen):
            return
        self.screen.open_task(task_id)
        case = self.open_case
        if not follow_up or case is None or item.item_id not in self.forms.questions:
            return
        question = self.forms.questions[item.item_id]
        today = date.today()

        def done(result: FollowUpResult | None) -> None:
            if result is None or self.open_case is not case:
                return
            try:
                case.record = record_follow_up(case, item.item_id, result, today)
            except FollowUpError:
                return
            self.screen.post_message(CaseChanged())
            self.screen.post_message(SaveCaseNow())

        self.push_screen(follow_up_dialog(case, item.item_id, question.noun, today), done)

    @work(thread=True, exclusive=True, exit_on_error=False, group="case.load")
    def _load_case(self, case_id: str | None) -> None:
        actor = self.profile.officer
        oversight: tuple[str, ...] = ()
        try:
            if case_id is not None:
                record = self.backend.get_case(case_id, actor)
                oversight = self.backend.oversight(record)
            else:
                from court_tui.domain.new_case import new_case

                fresh = new_case(actor, self.profile.team, self.profile.court, date.today())
                record = self.backend.save_case(fresh, actor)
        except StoreError as error:
            post_from_worker(self, StoreFailed(str(error)))
            return
        post_from_worker(self, CaseLoaded(record, self.backend.offence_catalogue(), oversight))

    @on(CaseLoaded)
    def _case_loaded(self, message: CaseLoaded) -> None:
        from court_tui.ui.case_session import OpenCase
        from court_tui.ui.screens.tasks import TaskListScreen

        self.open_case = OpenCase.of(
            message.record,
            self.forms,
            self.profile.officer,
            message.catalogue,
            message.oversight,
            labels=self.backend.labels,
            offices=self.profile.offices,
        )
        self._saved_at = None
        self.save_status = self._status_text()
        self.push_screen(TaskListScreen(self.open_case))
        if self._open_at is not None:
            opened_at, self._open_at = self._open_at, None
            if opened_at[1].case_id == message.record.id:
                self.call_after_refresh(self._go_to_item, *opened_at)

    def on_back_to_cases(self, message: BackToCases) -> None:
        self.show_cases()

    def show_cases(self) -> None:
        """Go back to the case list, closing whatever is open above it."""
        while len(self.screen_stack) > 1 and not isinstance(self.screen, CasesScreen):
            self.pop_screen()

    def import_court_list(self) -> None:
        """Import a court list file (from the command palette)."""
        self.show_cases()
        if isinstance(self.screen, CasesScreen):
            self.screen.import_court_list()

    def open_task(self, task_id: str) -> None:
        """Go to a task of the open case (from the command palette)."""
        from court_tui.ui.screens.tasks import TaskListScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, TaskListScreen):
            self.pop_screen()
        if isinstance(self.screen, TaskListScreen):
            self.screen.open_task(task_id)

    def show_pending(self) -> None:
        """Open the pending checks on the officer's cases."""
        if self.backend.is_open and not self.locked:
            from court_tui.ui.screens.pending import PendingScreen

            self.push_screen(PendingScreen(self.backend, self.profile.officer))

    # Saving

    def start_save(self, record: CaseRecord) -> Worker[object]:
        return self._save(record)

    @work(thread=True, exclusive=True, exit_on_error=False, group="case.save")
    def _save(self, record: CaseRecord) -> None:
        try:
            saved = self.backend.save_case(record, self.profile.officer)
            sync_state = self.backend.sync_state()
        except StoreError as error:
            post_from_worker(self, StoreFailed(str(error)))
            return
        post_from_worker(self, CaseSaved(saved, sync_state))

    @on(CaseSaved)
    def _saved(self, message: CaseSaved) -> None:
        self._saved_at = datetime.now(UTC)
        self._sync_text = message.sync_state
        self.save_status = self._status_text()
        self.case_saved(message.record)

    def _status_text(self) -> str:
        parts = []
        if self._saved_at is not None:
            parts.append(f"Draft saved {describe_time(to_local(self._saved_at))}")
        if self._sync_text:
            parts.append(self._sync_text)
        return " · ".join(parts)

    @on(StoreFailed)
    def _store_failed(self, message: StoreFailed) -> None:
        # Never a toast for an error: the screen or the status line says it, and the draft
        # stays in memory to be saved again.
        from court_tui.ui.screens.setup import SetupScreen

        if isinstance(self.screen, SetupScreen):
            self.screen.show_failure(message.message)
            return
        self.save_failed()
        self.save_status = f"Error: not saved. {message.message}"

    async def action_quit(self) -> None:
        """Quit, after saving."""
        await self.flush()
        self.exit()

    # Syncing with the central store

    def export_open_case(self, document: str, fmt: str) -> None:
        """Export DOCUMENT of the open case as FMT (saved first), in a worker."""
        if self.open_case is not None:
            self._export(self.open_case.record, document, fmt)

    @work(thread=True, exclusive=True, exit_on_error=False, group="case.export")
    def _export(self, record: CaseRecord, document: str, fmt: str) -> None:
        officer = self.profile.officer
        post_outcome(
            self,
            lambda: self.backend.export_case(record, document, fmt, officer, date.today()),
            Exported,
            lambda words: StoreFailed(f"The export was not written: {words}"),
            (StoreError, OSError),
        )

    @on(Exported)
    def _exported(self, message: Exported) -> None:
        self.save_status = f"Exported to {message.path}"
        self.notify(f"Saved {message.path.name}", timeout=4)

    def show_settings(self) -> None:
        """Where the officer's cases go by allocation, set once (from the command palette)."""
        if not self.backend.is_open or self.locked:
            return
        from court_tui.ui.screens.settings import SettingsScreen

        def saved(offices: AllocationOffices | None) -> None:
            if offices is None:
                return
            self.profile = replace(self.profile, given_offices=offices)
            if self.open_case is not None:
                self.open_case.offices = offices

        self.push_screen(SettingsScreen(self.backend, self.backend.labels), saved)

    def change_passphrase(self) -> None:
        """Ask for the current and new passphrases (from the command palette)."""
        if self.backend.is_open and not self.locked and not self.backend.demo:
            from court_tui.ui.screens.passphrase import ChangePassphraseScreen

            self.push_screen(ChangePassphraseScreen())

    def on_change_passphrase_screen_submitted(
        self, message: ChangePassphraseScreen.Submitted
    ) -> None:
        self._rekey(message.current, message.new)

    @work(thread=True, exclusive=True, exit_on_error=False, group="store.passphrase")
    def _rekey(self, current: str, new: str) -> None:
        officer = self.profile.officer
        post_outcome(
            self,
            lambda: self.backend.change_passphrase(current, new, officer),
            PassphraseChanged,
            PassphraseNotChanged,
            (StoreError, OSError),
        )

    @on(PassphraseNotChanged)
    def _passphrase_not_changed(self, message: PassphraseNotChanged) -> None:
        from court_tui.ui.screens.passphrase import ChangePassphraseScreen

        if isinstance(self.screen, ChangePassphraseScreen):
            self.screen.show_failure(message.message)

    @on(PassphraseChanged)
    def _passphrase_changed(self, message: PassphraseChanged) -> None:
        from court_tui.ui.screens.passphrase import ChangePassphraseScreen

        if isinstance(self.screen, ChangePassphraseScreen):
            self.screen.dismiss(None)
        self.save_status = "Passphrase changed"
        self.notify(
            f"Passphrase changed. The backup made first, {message.backup.name}, still opens "
            "with the old passphrase: delete it once the new one works.",
            timeout=10,
        )

    def run_sync_now(self) -> None:
        """Sync now (from the command palette)."""
        self.run_worker(self.sync_now(), group="sync.start", exit_on_error=False)

    async def sync_now(self) -> None:
        """Save the open case, then sync with the central store."""
        if not self.backend.is_open or self.locked:
            return
        self._sync_text = "Syncing with the central store..."
        self.save_status = self._status_text()
        await self.flush()
        self._sync(explicit=True)

    def _sync_in_background(self) -> None:
        if self.backend.is_open and not self.locked:
            self._sync(explicit=False)

    @work(thread=True, exclusive=True, exit_on_error=False, group="sync")
    def _sync(self, explicit: bool) -> None:
        try:
            report = self.backend.sync_now()
            sync_state = self.backend.sync_state()
        except StoreError as error:
            sync_state = f"Error: not synced. {error} Your work is saved on this laptop."
            post_from_worker(self, SyncDone(None, sync_state, explicit))
            return
        if report is None:
            if not explicit:
                return  # nothing set up: the background attempt has nothing to say
            sync_state = NO_SERVER
        post_from_worker(self, SyncDone(report, sync_state, explicit))

    @on(SyncDone)
    def _synced(self, message: SyncDone) -> None:
        self._sync_text = message.sync_state
        self.save_status = self._status_text()
        report = message.report
        if report is None:
            return
        case = self.open_case
        if (
            case is not None
            and case.record.id in report.pulled_case_ids
            and not self.busy_saving()
        ):
            self._reload_case(case.record.id)
        # In the background only from the case list: never over a form being filled in.
        if report.open_conflicts and (message.explicit or isinstance(self.screen, CasesScreen)):
            self.show_conflicts()

    @work(thread=True, exclusive=True, exit_on_error=False, group="case.load")
    def _reload_case(self, case_id: str) -> None:
        officer = self.profile.officer
        read = self.backend.get_case
        post_outcome(
            self, lambda: read(case_id, officer), CaseReloaded, StoreFailed, (StoreError,)
        )

    @on(CaseReloaded)
    def _case_reloaded(self, message: CaseReloaded) -> None:
        self._reopen(message.record)

    def _reopen(self, record: CaseRecord) -> None:
        case = self.open_case
        if case is None or case.record.id != record.id:
            return
        case.record = record
        self.discard_changes()
        from court_tui.ui.screens.conflicts import ConflictsScreen

        if isinstance(self.screen, ConflictsScreen):
            self._case_stale = True  # shown afresh when the conflicts screen closes
        else:
            self._back_to_tasks()

    def _back_to_tasks(self) -> None:
        # The forms above the task list show the old answers: back to it, shown afresh.
        from court_tui.ui.screens.tasks import TaskListScreen

        self._case_stale = False
        if any(isinstance(screen, TaskListScreen) for screen in self.screen_stack):
            while not isinstance(self.screen, TaskListScreen):
                self.pop_screen()
            self.screen.show_tasks()

    def show_conflicts(self) -> None:
        """Open the cases changed here and elsewhere, to choose a version of each."""
        from court_tui.ui.screens.conflicts import ConflictsScreen

        if (
            self.backend.is_open
            and not self.locked
            and not isinstance(self.screen, ConflictsScreen)
        ):
            screen = ConflictsScreen(self.backend, self.profile.officer)
            self.push_screen(screen, callback=self._conflicts_closed)

    def _conflicts_closed(self, result: None) -> None:
        if self._case_stale:
            self._back_to_tasks()

    def on_conflicts_screen_resolved(self, message: ConflictsScreen.Resolved) -> None:
        self._sync_text = message.sync_state
        self.save_status = self._status_text()
        self._reopen(message.record)

    # Locking

    async def on_event(self, event: Event) -> None:
        if isinstance(event, Key | MouseDown):
            self.last_input = time.monotonic()
        await super().on_event(event)

    def lock_if_idle(self) -> None:
        """Lock when there has been no input for the configured time."""
        if self.locked or not self.backend.is_open or self.lock_minutes <= 0:
            return
        if time.monotonic() - self.last_input >= self.lock_minutes * 60:
            self.lock()

    def lock(self) -> None:
        """Hide everything behind the unlock screen; the open case is saved first."""
        if self.locked:
            return
        self.locked = True
        self.save_now()
        self._push_unlock(locked=True)

    def watch_theme(self, theme: str) -> None:
        if theme == self._stored_theme:
            return
        self._stored_theme = None
        if self.is_running and self.backend.is_open and not self.locked:
            self._remember_theme(theme)

    @work(thread=True, exclusive=True, exit_on_error=False, group="settings")
    def _remember_theme(self, theme: str) -> None:
        # A theme not remembered is no loss worth interrupting the officer for.
        with contextlib.suppress(StoreError):
            self.backend.put_setting(THEME.key, theme)
