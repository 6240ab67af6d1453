"""The command palette: go to a case, a task of the open case, pending checks, sync, theme,
change the passphrase."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from court_tui.ui.app import CourtApp


EXPORTS = (
    ("oral report record (PDF)", "report", "pdf"),
    ("CAS and allocation (PDF)", "cas", "pdf"),
    ("handover pack (PDF)", "handover", "pdf"),
    ("whole record (PDF)", "all", "pdf"),
    ("whole record, plain text for a screen reader", "all", "txt"),
)


class CourtCommands(Provider):
    """Commands that move the officer around court-tui."""

    def _commands(self) -> list[tuple[str, str, Callable[[], None]]]:
        app = cast("CourtApp", self.app)
        if app.locked or not app.backend.is_open:
            return []
        commands: list[tuple[str, str, Callable[[], None]]] = [
            ("Pending checks", "Checks and follow-ups still open on your cases", app.show_pending),
            ("Handed to me", "Cases sent to you as responsible officer, to read and accept",
             app.show_handed_to_me),
            ("Today's cases", "Back to the list of cases", app.show_cases),
            ("Import a court list", "Read the day's list (Libra XML or Common Platform "
             "JSON) to start cases from it", app.import_court_list),
            ("Settings: where your cases go", "The office team and first appointment "
             "place for each allocation, set once and pre-filled in every case",
             app.show_settings),
            ("Lock court-tui now", "Hide everything until the passphrase is given", app.lock),
            ("Sync now", "Send your saved changes to the central store and receive theirs",
             app.run_sync_now),
            ("Resolve sync conflicts", "Choose a version of each case changed here and "
             "elsewhere", app.show_conflicts),
        ]  # fmt: skip
        if not app.backend.demo:
            commands.append(
                (
                    "Change passphrase",
                    "Change the passphrase that unlocks the store (a backup is made first)",
                    app.change_passphrase,
                )
            )
        screen = app.screen_stack[1] if len(app.screen_stack) > 1 else None
        cases = getattr(screen, "cases", [])
        for case in cases:
            label = f"Go to case: {case.name or 'Unnamed case'} ({case.crn or 'no CRN'})"
            commands.append((label, "Open this case", partial(app.open_case_by_id, case.id)))
        if app.open_case is not None:
            folder = "your court-tui exports folder"
            for label, document, fmt in EXPORTS:
                commands.append(
                    (
                        f"Export: {label}",
                        f"Write it to {folder}; recorded as a disclosure",
                        partial(app.export_open_case, document, fmt),
                    )
                )
            for task in app.open_case.assess().tasks:
                commands.append(
                    (
                        f"Go to task: {task.name}",
                        f"{app.open_case.caption}: {task.status.value}",
                        partial(app.open_task, task.id),
                    )
                )
        return commands

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
