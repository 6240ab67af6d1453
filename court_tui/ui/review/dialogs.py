"""The review's dialogs: an oversight note, a follow-up's new owner, the filters, and each
laptop's last contact. Each returns what was chosen, or None when cancelled."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Select, Static, TextArea

from court_tui.domain.review import (
    KIND_WORDS,
    DeviceContact,
    FilterChoices,
    ItemKind,
    ReviewFilters,
    ReviewItem,
    device_line,
    due_words,
    is_behind,
    item_title,
    validate_note,
    validate_owner,
)
from court_tui.ui.widgets.error_summary import ErrorSummary
from court_tui.ui.widgets.keys_footer import KeysFooter

# Beside this file, wherever a subclass is defined.
HERE = Path(__file__).resolve().parent


def _caption(item: ReviewItem, today: date) -> str:
    words = due_words(item, today)
    return f"{item.case_name} ({item.crn}), owner {item.owner or 'none'}" + (
        f". {words}." if words else "."
    )


class _OneFieldDialog(ModalScreen[str | None]):
    """A dialog asking one thing, checked when the supervisor saves."""

    CSS_PATH = HERE / "dialogs.tcss"
    FIELD = ""

    def problem(self, text: str) -> str | None:
        """What is wrong with TEXT, in the domain's words, or None."""
        raise NotImplementedError

    def value(self) -> str:
        """The field's text."""
        raise NotImplementedError

    def action_save(self) -> None:
        """Return the answer, or show what is wrong with it."""
        text = self.value()
        problem = self.problem(text)
        inline = self.query_one("#inline-error", Static)
        if problem is None:
            self.dismiss(text.strip())
            return
        inline.update(f"Error: {problem}")
        inline.add_class("-shown")
        self.query_one(ErrorSummary).show([(self.FIELD, problem)])

    @on(ErrorSummary.Selected)
    def _go_to_field(self, event: ErrorSummary.Selected) -> None:
        event.stop()
        self.query_one(f"#{self.FIELD}").focus()

    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)


class NoteDialog(_OneFieldDialog):
    """'Mark reviewed': the supervisor's oversight note on one item."""

    FIELD = "note"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save note", id="review_note.save"),
        Binding("escape", "cancel", "Cancel", id="review_note.cancel"),
    ]

    def __init__(self, item: ReviewItem, today: date) -> None:
        super().__init__()
        self.item = item
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(f"Mark reviewed: {item_title(self.item)}", id="heading", markup=False)
            yield Static(_caption(self.item, self.today), classes="caption", markup=False)
            yield ErrorSummary()
            yield Static("Oversight note", classes="label")
            yield Static(
                "What you checked, what you decided, and who will do what by when",
                classes="hint",
            )
            yield Static("", id="inline-error", markup=False)
            yield TextArea(id="note", tab_behavior="focus")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#note", TextArea).focus()

    def problem(self, text: str) -> str | None:
        return validate_note(text)

    def value(self) -> str:
        return self.query_one("#note", TextArea).text


class ReassignDialog(_OneFieldDialog):
    """'Change who owns this follow-up': the new owner's name."""

    FIELD = "owner"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save owner", id="review_owner.save"),
        Binding("escape", "cancel", "Cancel", id="review_owner.cancel"),
    ]

    def __init__(self, item: ReviewItem, names: Sequence[str], today: date | None = None) -> None:
        super().__init__()
        self.item = item
        self.names = [name for name in names if name != item.owner]
        self.today = today or date.today()

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Change who owns this follow-up", id="heading", markup=False)
            yield Static(self.item.what, classes="caption", markup=False)
            yield Static(_caption(self.item, self.today), classes="caption", markup=False)
            yield ErrorSummary()
            yield Static("New owner", classes="label")
            hint = "The person who will now do it"
            if self.names:
                hint += "; names from your teams are suggested (right arrow takes one)"
            yield Static(hint, classes="hint")
            yield Static("", id="inline-error", markup=False)
            yield Input(
                id="owner",
                suggester=SuggestFromList(self.names, case_sensitive=False),
                select_on_focus=False,
            )
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#owner", Input).focus()

    @on(Input.Submitted)
    def _never_submits(self, event: Input.Submitted) -> None:
        # Enter in a one-line field never submits (ux.md): ctrl+s saves.
        event.stop()

    def problem(self, text: str) -> str | None:
        return validate_owner(text, self.item.owner)

    def value(self) -> str:
        return self.query_one("#owner", Input).value


class FilterDialog(ModalScreen[ReviewFilters | None]):
    """Court, team, officer, kind of item and a search, for every tab."""

    CSS_PATH = HERE / "dialogs.tcss"
    BINDINGS = [
        Binding("ctrl+s", "apply", "Apply filters", id="review_filter.apply"),
        Binding("escape", "cancel", "Cancel", id="review_filter.cancel"),
    ]

    def __init__(
        self, choices: FilterChoices, current: ReviewFilters, *, focus: str = "court"
    ) -> None:
        super().__init__()
        self.choices = choices
        self.current = current
        self.focus_on = focus

    def compose(self) -> ComposeResult:
        current = self.current
        kinds: list[tuple[str, ItemKind]] = [
            (f"{KIND_WORDS[kind]}s only", kind) for kind in ("check", "follow_up")
        ]
        with Vertical(id="dialog"):
            yield Static("Filter pending checks", id="heading", markup=False)
            yield Static(
                "Applies to every tab. Enter or space opens a list; type to find in it.",
                classes="hint",
            )
            for field, label, options, prompt, value in (
                ("court", "Court", self.choices.courts, "All courts", current.court),
                ("team", "Team", self.choices.teams, "All teams", current.team),
                ("officer", "Officer", self.choices.officers, "All officers", current.officer),
            ):
                with Horizontal(classes="row"):
                    yield Static(label, classes="label")
                    yield Select(
                        [(option, option) for option in options],
                        prompt=prompt,
                        value=value if value in options else Select.NULL,
                        id=field,
                        compact=True,
                    )
            with Horizontal(classes="row"):
                yield Static("Kind", classes="label")
                yield Select(
                    kinds,
                    prompt="Checks and follow-ups",
                    value=current.kind or Select.NULL,
                    id="kind",
                    compact=True,
                )
            with Horizontal(classes="row"):
                yield Static("Search", classes="label")
                yield Input(
                    current.search_text,
                    placeholder="Name, CRN, check or follow-up, owner or officer",
                    id="search",
                    compact=True,
                    select_on_focus=False,
                )
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one(f"#{self.focus_on}").focus()

    def _chosen(self, field: str) -> str | None:
        value = self.query_one(f"#{field}", Select).value
        return value if isinstance(value, str) else None

    def filters(self) -> ReviewFilters:
        """The filters as chosen so far."""
        kind = self._chosen("kind")
        return ReviewFilters(
            court=self._chosen("court"),
            team=self._chosen("team"),
            officer=self._chosen("officer"),
            kind="check" if kind == "check" else "follow_up" if kind == "follow_up" else None,
            search=self.query_one("#search", Input).value,
        )

    @on(Input.Submitted, "#search")
    def _search_done(self, event: Input.Submitted) -> None:
        # The search is the last field: enter applies, as a search box does.
        event.stop()
        self.action_apply()

    def action_apply(self) -> None:
        """Return the filters."""
        self.dismiss(self.filters())

    def action_cancel(self) -> None:
        """Close, keeping the filters as they were."""
        self.dismiss(None)


class DevicesDialog(ModalScreen[None]):
    """Each laptop's last contact with the central store, the longest silent first."""

    CSS_PATH = HERE / "dialogs.tcss"
    BINDINGS = [Binding("escape", "close", "Close", id="review_devices.close")]

    def __init__(self, devices: Sequence[DeviceContact], now: datetime, *, central: bool) -> None:
        super().__init__()
        self.devices = list(devices)
        self.now = now
        self.central = central

    def lines(self) -> list[str]:
        """One line a laptop: 'Behind: Sam Patel's laptop (...) last synced ...'."""
        ordered = sorted(
            self.devices, key=lambda d: (d.last_contact is not None, d.last_contact or self.now)
        )
        lines = []
        for device in ordered:
            word = "Behind" if is_behind(device, self.now) else "Up to date"
            lines.append(f"{word}: {device_line(device, self.now)}")
        return lines

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Laptops' last contact with the central store", id="heading")
            if self.central:
                explain = (
                    "What a laptop has not sent is not in this view. 'Behind' means not "
                    "synced on this or the last working day."
                )
            else:
                explain = (
                    "This view reads this laptop's store: it holds what this laptop has "
                    "recorded or received when it last synced."
                )
            yield Static(explain, classes="hint", markup=False)
            with VerticalScroll(id="device-list"):
                lines = self.lines() or ["No laptop has synced yet."]
                for line in lines:
                    behind = line.startswith("Behind")
                    yield Static(
                        line, classes="device -behind" if behind else "device", markup=False
                    )
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#device-list").focus()

    def action_close(self) -> None:
        """Back to the review."""
        self.dismiss(None)
