"""The review's dialogs: an oversight note, a follow-up's new owner, the filters, and each
laptop's last contact (where a lost one is cut off). Each returns what was chosen, or None
when cancelled."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from court_tui.domain.device_contact import revoke_reason_problem
from court_tui.domain.review import (
    KIND_WORDS,
    DeviceContact,
    FilterChoices,
    ItemKind,
    ReviewError,
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
from court_tui.ui.workers import post_outcome

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


# Cuts a laptop off the central store with a reason; returns it as it now stands.
Revoke = Callable[[DeviceContact, str], DeviceContact]

NOT_HERE = (
    "A laptop is cut off on the central store: open the review there (`court-tui review "
    "--server URL`) with a supervisor's login, or ask an administrator to run `court-tui "
    "server revoke-device`."
)


@dataclass
class LaptopRevoked(Message):
    """A laptop was cut off: as it now stands."""

    device: DeviceContact


@dataclass
class RevokeFailed(Message):
    """Cutting a laptop off failed; the words are for the supervisor."""

    message: str


class DevicesDialog(ModalScreen[None]):
    """Each laptop's last contact with the central store, the longest silent first; `r`
    cuts the highlighted one off (a lost laptop), when REVOKE is given."""

    CSS_PATH = HERE / "dialogs.tcss"
    BINDINGS = [
        Binding("r", "revoke", "Revoke laptop", id="review_devices.revoke"),
        Binding("escape", "close", "Close", id="review_devices.close"),
    ]

    def __init__(
        self,
        devices: Sequence[DeviceContact],
        now: datetime,
        *,
        central: bool,
        revoke: Revoke | None = None,
    ) -> None:
        super().__init__()
        self.devices = sorted(
            devices, key=lambda d: (d.last_contact is not None, d.last_contact or now)
        )
        self.now = now
        self.central = central
        self.revoke = revoke
        self._busy = False

    def lines(self) -> list[str]:
        """One line a laptop: 'Behind: Sam Patel's laptop (...) last synced ...'."""
        return [self._line(device) for device in self.devices]

    def _line(self, device: DeviceContact) -> str:
        if device.revoked_at is not None:
            word = "Revoked"
        else:
            word = "Behind" if is_behind(device, self.now) else "Up to date"
        return f"{word}: {device_line(device, self.now)}"

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Laptops' last contact with the central store", id="heading")
            if self.central:
                explain = (
                    "What a laptop has not sent is not in this view. 'Behind' means not "
                    "synced on this or the last working day. r cuts a lost laptop off."
                )
            else:
                explain = (
                    "This view reads this laptop's store: it holds what this laptop has "
                    "recorded or received when it last synced."
                )
            yield Static(explain, classes="hint", markup=False)
            options = [Option(self._line(d), id=d.device_id) for d in self.devices]
            listing = OptionList(
                *(options or [Option("No laptop has synced yet.", disabled=True)]),
                id="device-list",
            )
            yield listing
            yield Static("", id="said", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#device-list").focus()

    def highlighted(self) -> DeviceContact | None:
        """The laptop the cursor is on."""
        index = self.query_one("#device-list", OptionList).highlighted
        if index is None or not 0 <= index < len(self.devices):
            return None
        return self.devices[index]

    def say(self, words: str, *, error: bool = False) -> None:
        """Show WORDS under the list."""
        said = self.query_one("#said", Static)
        said.update(words)
        said.set_class(error, "-error")

    def action_revoke(self) -> None:
        """Cut the highlighted laptop off the central store, once the supervisor confirms
        with a reason."""
        device = self.highlighted()
        if self.revoke is None:
            self.say(NOT_HERE, error=True)
            return
        if device is None or self._busy:
            return
        if device.revoked_at is not None:
            self.say(f"{device.label} is already cut off.")
            return

        def confirmed(reason: str | None) -> None:
            if reason is not None:
                self._busy = True
                self.say(f"Cutting off {device.label}...")
                self._revoke(device, reason)

        self.app.push_screen(RevokeDialog(device), confirmed)

    @work(thread=True, exclusive=True, exit_on_error=False, group="review.revoke")
    def _revoke(self, device: DeviceContact, reason: str) -> None:
        revoke = self.revoke
        assert revoke is not None
        post_outcome(
            self, lambda: revoke(device, reason), LaptopRevoked, RevokeFailed, (ReviewError,)
        )

    @on(LaptopRevoked)
    def _revoked(self, message: LaptopRevoked) -> None:
        self._busy = False
        changed = message.device
        self.devices = [changed if d.device_id == changed.device_id else d for d in self.devices]
        listing = self.query_one("#device-list", OptionList)
        listing.replace_option_prompt(changed.device_id, self._line(changed))
        self.say(
            f"Cut off {changed.label}: the central store refuses it from now on. When it "
            "next syncs it is told, and keeps its unsynced work for its owner to export."
        )

    @on(RevokeFailed)
    def _revoke_failed(self, message: RevokeFailed) -> None:
        self._busy = False
        self.say(f"Error: {message.message}", error=True)

    def action_close(self) -> None:
        """Back to the review."""
        self.dismiss(None)


class RevokeDialog(_OneFieldDialog):
    """'Cut off this laptop?': the confirmation, with the reason for the audit log."""

    FIELD = "reason"
    BINDINGS = [
        Binding("ctrl+s", "save", "Cut off", id="review_revoke.save"),
        Binding("escape", "cancel", "Cancel", id="review_revoke.cancel"),
    ]

    def __init__(self, device: DeviceContact) -> None:
        super().__init__()
        self.device = device

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(f"Cut off {self.device.label}?", id="heading", markup=False)
            yield Static(
                "The central store refuses it from now on, for sending and receiving. What "
                "it holds stays on it: when it next syncs it is told, and its owner can "
                "export their unsynced work. Only an administrator can let it back.",
                classes="caption",
                markup=False,
            )
            yield ErrorSummary()
            yield Static("Reason", classes="label")
            yield Static("Why, for the audit log: lost, stolen, left the service", classes="hint")
            yield Static("", id="inline-error", markup=False)
            yield Input(id="reason", select_on_focus=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted)
    def _never_submits(self, event: Input.Submitted) -> None:
        # Enter in a one-line field never submits (ux.md): ctrl+s confirms.
        event.stop()

    def problem(self, text: str) -> str | None:
        return revoke_reason_problem(text)

    def value(self) -> str:
        return self.query_one("#reason", Input).value
