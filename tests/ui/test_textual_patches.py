"""Each use of a Textual private name in court_tui.ui.textual_patches still holds for the
installed Textual, and no other module of the app or of its UI tests uses one.

An upgrade that renames or changes one of these internals fails here, by name, instead of
quietly drawing options without their marks or a footer without its keys.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import re
from importlib.metadata import version
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.reactive import Reactive
from textual.widgets import Footer, RadioSet, SelectionList, Static
from textual.widgets._toggle_button import ToggleButton

import court_tui.ui
from court_tui.ui import textual_patches
from court_tui.ui.textual_patches import (
    TEXTUAL_VERSION,
    MarkedCheckbox,
    MarkedRadioButton,
    footer_ready,
    highlight,
    highlighted,
    mark_tick_box,
    screen_text,
    send_keys_at_once,
    set_pressed,
    svg_screenshot,
)
from court_tui.ui.widgets.controls import ChoiceSet, TickList

SIZE = (80, 24)
TESTS = Path(__file__).resolve().parents[1]
FENCE = Path(textual_patches.__file__).resolve()


class Host(App[None]):
    """One of each patched widget."""

    def compose(self) -> ComposeResult:
        yield Static("patched widgets", id="label")
        yield ChoiceSet(
            MarkedRadioButton("one", id="one"),
            MarkedRadioButton("two", id="two"),
            MarkedRadioButton("three", id="three"),
            id="choices",
        )
        yield MarkedCheckbox("not known", id="box")
        yield TickList(("red", "red"), ("blue", "blue"), id="ticks")
        yield Footer()


def test_the_patches_were_checked_against_the_installed_textual() -> None:
    # A bump of textual is its own commit: run these tests, look at the snapshots, then
    # say here which version the patches were checked against.
    assert version("textual") == TEXTUAL_VERSION


@pytest.mark.asyncio
async def test_toggle_buttons_draw_their_face_from_the_private_button_property() -> None:
    assert isinstance(inspect.getattr_static(ToggleButton, "_button"), property)
    assert "self._button" in inspect.getsource(ToggleButton.render)
    async with Host().run_test(size=SIZE) as pilot:
        box = pilot.app.query_one("#box", MarkedCheckbox)
        radio = pilot.app.query_one("#two", MarkedRadioButton)
        assert str(box.render()).startswith("[ ]")
        assert str(radio.render()).startswith("( )")
        box.value = True
        radio.value = True
        await pilot.pause()
        assert str(box.render()).startswith("[x]")
        assert str(radio.render()).startswith("(*)")


@pytest.mark.asyncio
async def test_a_selection_list_draws_its_box_as_the_first_three_segments() -> None:
    async with Host().run_test(size=SIZE) as pilot:
        ticks = pilot.app.query_one("#ticks", TickList)
        ticks.select("blue")
        await pilot.pause()
        plain = SelectionList.render_line(ticks, 0)
        box = "".join(segment.text for segment in list(plain)[:3])
        button = ToggleButton.BUTTON_LEFT + ToggleButton.BUTTON_INNER
        assert box == button + ToggleButton.BUTTON_RIGHT
        assert ticks.render_line(0).text.startswith("[ ] red")
        assert ticks.render_line(1).text.startswith("[x] blue")
        assert mark_tick_box(plain, True).cell_length == plain.cell_length


@pytest.mark.asyncio
async def test_a_radio_set_goes_by_its_private_record_of_the_pressed_button() -> None:
    assert "_pressed_button" in inspect.getsource(RadioSet.__init__)
    pressed = inspect.getattr_static(RadioSet, "pressed_index")
    assert isinstance(pressed, property) and pressed.fget is not None
    assert "self._pressed_button" in inspect.getsource(pressed.fget)
    async with Host().run_test(size=SIZE) as pilot:
        choices = pilot.app.query_one("#choices", ChoiceSet)
        choices.choose(2)
        await pilot.pause()
        assert choices.pressed_index == 2
        set_pressed(choices, None)
        assert choices.pressed_index == -1
        # Set from code, the next option chosen turns it off as a click would.
        choices.choose(0)
        choices.focus()
        await pilot.press("2")
        assert choices.pressed_index == 1
        assert not pilot.app.query_one("#one", MarkedRadioButton).value


@pytest.mark.asyncio
async def test_a_radio_set_highlights_the_option_its_private_selected_names() -> None:
    assert "_selected" in RadioSet.__dict__
    assert "def watch__selected" in inspect.getsource(RadioSet)
    async with Host().run_test(size=SIZE) as pilot:
        choices = pilot.app.query_one("#choices", ChoiceSet)
        highlight(choices, 2)
        await pilot.pause()
        assert pilot.app.query_one("#three").has_class("-selected")
        assert not pilot.app.query_one("#one").has_class("-selected")
        assert highlighted(choices) == 2
        # Arrows move the same private highlight, and it is read back the same way.
        choices.focus()
        await pilot.press("up")
        assert highlighted(choices) == 1


@pytest.mark.asyncio
async def test_a_footer_draws_nothing_until_its_bindings_are_ready() -> None:
    assert isinstance(Footer.__dict__["_bindings_ready"], Reactive)
    assert "self._bindings_ready" in inspect.getsource(Footer.compose)
    assert "self._bindings_ready = True" in inspect.getsource(Footer.bindings_changed)
    async with Host().run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert footer_ready(pilot.app.query_one(Footer))


def test_textual_still_takes_svg_screenshots_as_snapshots_expect() -> None:
    from textual._doc import take_svg_screenshot

    parameters = inspect.signature(take_svg_screenshot).parameters
    assert {"app", "press", "terminal_size", "run_before"} <= set(parameters)
    svg = svg_screenshot(Host(), terminal_size=SIZE)
    assert svg.startswith("<svg") and "patched" in svg


@pytest.mark.asyncio
async def test_the_screen_reads_as_text_through_its_compositor() -> None:
    async with Host().run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(pilot.app)
        assert "patched widgets" in text
        assert "( ) one" in text


@pytest.mark.asyncio
async def test_keys_reach_the_app_at_once_through_its_private_driver() -> None:
    from textual.keys import _character_to_key
    from textual.widgets import Input

    class Typing(App[None]):
        def compose(self) -> ComposeResult:
            yield Input(id="typed")

    assert _character_to_key("+") == "plus"
    app = Typing()
    async with app.run_test(size=SIZE) as pilot:
        send_keys_at_once(app, ["a", "+", "space", "1"])
        typed = app.query_one("#typed", Input)
        for _ in range(100):
            if typed.value == "a+ 1":
                break
            await pilot.pause()
        assert typed.value == "a+ 1"


# -- no private Textual name outside the fence --------------------------------------


@functools.cache
def _textual_names() -> frozenset[str]:
    """Every private name Textual's own source defines or sets."""
    import textual

    names: set[str] = set()
    pattern = re.compile(r"self\.(_[a-z]\w*)|def (_[a-z]\w*)|^\s+(_[a-z]\w*)\s*[:=]", re.M)
    for path in Path(textual.__file__).parent.rglob("*.py"):
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            names.add(next(group for group in match.groups() if group))
    return frozenset(names)


@functools.cache
def _private_names_of(cls: type) -> frozenset[str]:
    source = inspect.getsource(cls)
    pattern = re.compile(r"self\.(_[a-z]\w*)|def (_[a-z]\w*)|^\s+(_[a-z]\w*)\s*[:=]", re.M)
    return frozenset(next(g for g in m.groups() if g) for m in pattern.finditer(source))


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _private_uses(path: Path, module: object | None) -> list[str]:
    """Where PATH touches a private Textual name: a private module imported, a private
    attribute of a Textual base overridden or used by a subclass, or a private attribute
    of another object that Textual defines (as `screen._compositor`)."""
    found: list[str] = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("textual._"):
            found.append(f"{path}:{node.lineno} imports {node.module}")
        elif isinstance(node, ast.Import):
            found += [
                f"{path}:{node.lineno} imports {alias.name}"
                for alias in node.names
                if alias.name.startswith("textual._")
            ]
        elif (
            isinstance(node, ast.Attribute)
            and _is_private(node.attr)
            and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
            and node.attr in _textual_names()
        ):
            found.append(f"{path}:{node.lineno} uses .{node.attr}")
        elif isinstance(node, ast.ClassDef) and module is not None:
            cls = getattr(module, node.name, None)
            if not isinstance(cls, type):
                continue
            textual_names: set[str] = set()
            for base in cls.__mro__:
                if base.__module__.startswith("textual"):
                    textual_names |= _private_names_of(base)
            for inner in ast.walk(node):
                name = (
                    inner.attr
                    if isinstance(inner, ast.Attribute)
                    else inner.name
                    if isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef)
                    else ""
                )
                if _is_private(name) and name in textual_names:
                    found.append(f"{path}:{inner.lineno} {node.name} touches {name}")
    return found


def test_only_the_fence_touches_private_textual_names() -> None:
    package = Path(court_tui.ui.__file__).resolve().parent
    found: list[str] = []
    for path in sorted(package.rglob("*.py")):
        if path == FENCE:
            continue
        relative = path.relative_to(package.parent.parent).with_suffix("")
        module = importlib.import_module(".".join(relative.parts))
        found += _private_uses(path, module)
    for folder in ("ui", "review"):
        for path in sorted((TESTS / folder).glob("*.py")):
            if path.name != Path(__file__).name:
                found += _private_uses(path, None)
    assert not found, "private Textual names outside textual_patches:\n" + "\n".join(found)
