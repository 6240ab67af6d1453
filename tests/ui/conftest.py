"""Fixtures for the app's tests: real encrypted stores in tmp_path, a frozen day."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from pytest_textual_snapshot import SVGImageExtension
from syrupy.assertion import SnapshotAssertion
from syrupy.location import PyTestLocation
from textual.app import App
from textual.pilot import Pilot
from ui_helpers import FROZEN_AT, fill_store

from court_tui.ui.textual_patches import svg_screenshot


@pytest.fixture
def frozen_clock() -> Iterator[None]:
    """Monday 2 March 2026, 10:42, ticking (the app's timers need time to pass)."""
    with time_machine.travel(FROZEN_AT, tick=True):
        yield


@pytest.fixture
def stopped_clock() -> Iterator[None]:
    """Monday 2 March 2026, 10:42, standing still: for snapshots ('Draft saved 10:42')."""
    with time_machine.travel(FROZEN_AT, tick=False):
        yield


class UiSnapshotExtension(SVGImageExtension):
    """The app's snapshots, kept in tests/ui/snapshots/."""

    @classmethod
    def dirname(cls, *, test_location: PyTestLocation) -> str:
        return str(Path(test_location.filepath).parent / "snapshots")


@pytest.fixture
def snap_compare(snapshot: SnapshotAssertion, tmp_path: Path) -> Callable[..., bool]:
    """Compare a screenshot of the app with the reviewed one in tests/ui/snapshots/."""
    snapshot = snapshot.use_extension(UiSnapshotExtension)

    def compare(
        app: App[Any],
        press: Iterable[str] = (),
        terminal_size: tuple[int, int] = (80, 24),
        run_before: Callable[[Pilot[Any]], Awaitable[None]] | None = None,
    ) -> bool:
        screenshot = svg_screenshot(
            app, press=press, terminal_size=terminal_size, run_before=run_before
        )
        same = bool(snapshot == screenshot)
        if not same:  # kept to look at beside the reviewed one
            (tmp_path / "actual.svg").write_text(screenshot, encoding="utf-8")
        return same

    return compare


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """Where a test's case store lives."""
    return tmp_path / "cases.db"


@pytest.fixture
def filled_store(store_path: Path, frozen_clock: None) -> Path:
    """The path of a store holding the demo cases, closed."""
    fill_store(store_path)
    return store_path
