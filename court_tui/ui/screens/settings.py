"""Settings, set once: where the officer's cases go by allocation. The office team each
allocation's handover is sent to and the place of its first appointment are pre-filled,
changeable, in every case the rules (or the officer) allocate that way."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Input, Static

from court_tui.domain.allocation import AllocationLabels
from court_tui.domain.prefill import AllocationOffices, office_settings, unreadable
from court_tui.domain.settings import HANDOVER_TEAMS, OFFICE_TEXT_MAX, office_text
from court_tui.store.errors import PlainError
from court_tui.ui.backend import Backend
from court_tui.ui.widgets.error_summary import ErrorSummary, show_field_problems
from court_tui.ui.widgets.keys_footer import KeysFooter
from court_tui.ui.workers import post_from_worker

TEAM_HINT = "Its name as on the central store; blank: none pre-filled"
PLACE_HINT = "Office and address; blank: none pre-filled"


class SettingsScreen(Screen[AllocationOffices | None]):
    """The offices the officer sets once; dismissed with them once saved (None: back)."""

    CSS_PATH = "settings.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="settings.save"),
        Binding("escape", "back", "Back", id="settings.back"),
    ]

    @dataclass
    class Loaded(Message):
        """The settings as stored (None: not set), and those that cannot be read."""

        stored: dict[str, str | None]
        problems: list[tuple[str, str]]

    @dataclass
    class Saved(Message):
        """The settings were saved (or PROBLEM says why not)."""

        offices: AllocationOffices | None
        problem: str = ""

    def __init__(self, backend: Backend, labels: AllocationLabels) -> None:
        super().__init__()
        self.backend = backend
        self.labels = labels
        self.named = office_settings(labels)

    def compose(self) -> ComposeResult:
        yield Static("Settings: where your cases go", id="heading", markup=False)
        with VerticalScroll(id="form"):
            yield ErrorSummary()
            yield Static(
                "Set these once. Every case you allocate is pre-filled with its "
                "allocation's office team (to send the handover to) and first appointment "
                "place; you can change them in any case.",
                id="intro",
                markup=False,
            )
            for setting, name in self.named:
                hint = TEAM_HINT if setting in HANDOVER_TEAMS.values() else PLACE_HINT
                yield Static(name, classes="label", markup=False)
                yield Static(hint, classes="hint", markup=False)
                yield Static("", id=f"{setting.key}-error", classes="error", markup=False)
                yield Input(id=setting.key, select_on_focus=False, disabled=True)
            yield Button("Save", id="save", variant="primary")
        yield KeysFooter()

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="settings.load")
    def _load(self) -> None:
        try:
            stored = {s.key: self.backend.get_setting(s.key) for s, _ in self.named}
            problems = unreadable(stored.get, self.labels)
        except PlainError as error:
            post_from_worker(self, self.Saved(None, str(error)))
            return
        post_from_worker(self, self.Loaded(stored, problems))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        for setting, _ in self.named:
            field = self.query_one(f"#{setting.key}", Input)
            # What is kept is shown as it is, even when it cannot be read, to put right.
            kept = (message.stored.get(setting.key) or "")[: OFFICE_TEXT_MAX * 2]
            field.value = "".join(c if c.isprintable() else " " for c in kept)
            field.disabled = False
        self.query_one(f"#{self.named[0][0].key}", Input).focus()
        if message.problems:
            show_field_problems(self, self._keys(), message.problems)

    def _keys(self) -> list[str]:
        return [setting.key for setting, _ in self.named]

    def problems(self) -> list[tuple[str, str]]:
        """What stops the settings being saved, field by field."""
        found = []
        for setting, name in self.named:
            try:
                office_text(self.query_one(f"#{setting.key}", Input).value)
            except ValueError as error:
                found.append((setting.key, f"{name} {error}"))
        return found

    def action_save(self) -> None:
        """Check the settings and, when they are right, save them."""
        problems = self.problems()
        show_field_problems(self, self._keys(), problems)
        if problems:
            return
        values = {
            setting.key: office_text(self.query_one(f"#{setting.key}", Input).value)
            for setting, _ in self.named
        }
        self._save(values)

    @work(thread=True, exclusive=True, exit_on_error=False, group="settings.save")
    def _save(self, values: dict[str, str]) -> None:
        try:
            for key, value in values.items():
                self.backend.put_setting(key, value)
            offices = AllocationOffices.read(values.get)  # as kept: each value already read
        except PlainError as error:
            post_from_worker(self, self.Saved(None, str(error)))
            return
        post_from_worker(self, self.Saved(offices))

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        if message.offices is None:
            self.query_one(ErrorSummary).show([(self._keys()[0], message.problem)])
            return
        self.notify("Saved")
        self.dismiss(message.offices)

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    @on(Button.Pressed, "#save")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save()

    @on(ErrorSummary.Selected)
    def _go_to(self, event: ErrorSummary.Selected) -> None:
        event.stop()
        self.query_one(f"#{event.field_id}", Input).focus()

    def action_back(self) -> None:
        """Leave without saving."""
        self.dismiss(None)
