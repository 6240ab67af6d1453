"""Every use of a Textual private name, in one place (written against textual==8.2.8).

Textual promises nothing about its private attributes, so an upgrade may rename or change
any of them. Each use here says why it exists, and tests/ui/test_textual_patches.py checks
each one against the installed Textual, so an upgrade that breaks one fails a test by name
instead of drawing a wrong screen. No other module of the app touches a private Textual
name (tests/ui/test_textual_patches.py reads the package to keep it so).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.segment import Segment
from textual.app import App
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Checkbox, DataTable, Footer, RadioButton, RadioSet

if TYPE_CHECKING:
    from textual.pilot import Pilot

TEXTUAL_VERSION = "8.2.8"


def _marked_face(button: Checkbox | RadioButton, marks: tuple[str, str, str], on: bool) -> Content:
    left, mark, right = marks
    style = button.get_visual_style("toggle--button")
    return Content.assemble(left, (mark if on else " ", style), right)


# ToggleButton draws its face from the private property `_button`: a coloured block whose
# on and off states differ only in colour. Officers on monochrome or high-contrast
# terminals must see which option is chosen, so the face is overridden with a mark.


class MarkedRadioButton(RadioButton):
    """A radio button drawn (*) when chosen and ( ) when not, whatever the colours."""

    MARKS: ClassVar[tuple[str, str, str]] = ("(", "*", ")")

    @property
    def _button(self) -> Content:
        return _marked_face(self, self.MARKS, self.value)


class MarkedCheckbox(Checkbox):
    """A checkbox drawn [x] when ticked and [ ] when not, whatever the colours."""

    MARKS: ClassVar[tuple[str, str, str]] = ("[", "x", "]")

    @property
    def _button(self) -> Content:
        return _marked_face(self, self.MARKS, self.value)


def mark_tick_box(strip: Strip, ticked: bool) -> Strip:
    """STRIP, a line drawn by SelectionList.render_line, with its box drawn [x] or [ ].

    SelectionList draws each option's box as its first three segments (left side, inner
    block, right side) with nothing but colour to say whether it is ticked; the three are
    redrawn as brackets and a mark, keeping their styles, for the same reason as above.
    """
    segments = list(strip)
    if len(segments) < 3:
        return strip
    left, inner, right = segments[:3]
    marks = [
        Segment("[", left.style),
        Segment("x" if ticked else " ", inner.style),
        Segment("]", right.style),
    ]
    return Strip([*marks, *segments[3:]], strip.cell_length)


def set_pressed(radio_set: RadioSet, index: int | None) -> None:
    """Make RADIO_SET's record of its pressed button agree with buttons set from code.

    RadioSet keeps the pressed button in `_pressed_button`, updated only by the Changed
    messages that loading a stored answer must not send; without this, `pressed_index`
    and the next choice would still go by the button pressed before.
    """
    buttons = list(radio_set.query(RadioButton))
    radio_set._pressed_button = buttons[index] if index is not None else None


def highlight(radio_set: RadioSet, index: int) -> None:
    """Put RADIO_SET's highlight on option INDEX.

    RadioSet has no public way to move its highlight (the private reactive `_selected`);
    choosing an option by its number moves the highlight there as arrows would.
    """
    radio_set._selected = index


def highlighted(radio_set: RadioSet) -> int | None:
    """The index of RADIO_SET's highlighted option, or None (the private `_selected`)."""
    index = radio_set._selected
    return index if isinstance(index, int) else None


def footer_ready(footer: Footer) -> bool:
    """Whether FOOTER has drawn its keys at least once.

    Footer draws nothing until its private `_bindings_ready` is set by the first
    `bindings_changed`: a footer skipping a rebuild must not skip that first one.
    """
    return bool(footer._bindings_ready)


def table_laid_out(table: DataTable[Any]) -> bool:
    """Whether TABLE has worked out its column widths for the rows it holds.

    A table does that when the app is next idle (its private `_require_update_dimensions`
    is set until then), which under load may come after the worker that filled it ended.
    """
    return not table._require_update_dimensions


# For tests: the screenshot and the screen as text come from Textual's private modules
# and compositor, as pytest-textual-snapshot's own snap_compare takes them.


def svg_screenshot(
    app: App[Any],
    *,
    press: Iterable[str] = (),
    terminal_size: tuple[int, int] = (80, 24),
    run_before: Callable[[Pilot[Any]], Awaitable[None]] | None = None,
) -> str:
    """APP run headless at TERMINAL_SIZE after RUN_BEFORE and PRESS, as an SVG."""
    from textual._doc import take_svg_screenshot

    return take_svg_screenshot(
        app=app, press=press, terminal_size=terminal_size, run_before=run_before
    )


def send_keys_at_once(app: App[Any], keys: Iterable[str]) -> None:
    """Send KEYS to APP as a terminal sends a burst of typing: all at once, no pause.

    Pilot's `press` waits for the app between keys; the terminal's way in is the app's
    private `_driver`, and the names of keys such as '+' come from `_character_to_key`.
    """
    from textual.events import Key
    from textual.keys import _character_to_key

    driver = app._driver
    assert driver is not None, "the app is not running"
    for name in keys:
        key = _character_to_key(name) if len(name) == 1 and not name.isalnum() else name
        character = name if len(name) == 1 else _KEY_CHARACTERS.get(name)
        event = Key(key, character)
        event.set_sender(app)
        driver.send_message(event)


_KEY_CHARACTERS = {"space": " ", "tab": "\t", "enter": "\r"}


def screen_text(app: App[Any]) -> str:
    """What APP's screen shows, as plain text (no colours)."""
    import io

    from rich.console import Console

    update = app.screen._compositor.render_update(full=True)
    console = Console(width=app.size.width, file=io.StringIO(), record=True, force_terminal=True)
    console.print(update, end="")
    return console.export_text(styles=False)
