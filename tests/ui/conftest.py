"""Fixtures for the app's tests: real encrypted stores in tmp_path, a frozen day."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from pytest_textual_snapshot import SVGImageExtension
from syrupy.assertion import SnapshotAssertion
from syrupy.location import PyTestLocation
from textual.app import App
from textual.pilot import Pilot

from court_tui.domain.casefile import loads
from court_tui.domain.forms import load_forms
from court_tui.resources import data_dir
from court_tui.ui.backend import Backend, Profile

PASSPHRASE = "correct horse battery"
OFFICER = Profile(officer="Sam Patel", team="Leeds court team", court="Leeds Magistrates' Court")
# The demo cases are heard on Monday 2 March 2026.
FROZEN_AT = datetime(2026, 3, 2, 10, 42, tzinfo=UTC)


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
def snap_compare(snapshot: SnapshotAssertion) -> Callable[..., bool]:
    """Compare a screenshot of the app with the reviewed one in tests/ui/snapshots/."""
    snapshot = snapshot.use_extension(UiSnapshotExtension)

    def compare(
        app: App[Any],
        press: Iterable[str] = (),
        terminal_size: tuple[int, int] = (80, 24),
        run_before: Callable[[Pilot[Any]], Awaitable[None]] | None = None,
    ) -> bool:
        from textual._doc import take_svg_screenshot

        screenshot = take_svg_screenshot(
            app=app, press=press, terminal_size=terminal_size, run_before=run_before
        )
        return bool(snapshot == screenshot)

    return compare


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """Where a test's case store lives."""
    return tmp_path / "cases.db"


def fill_store(path: Path) -> None:
    """A real store at PATH with the officer's profile and the demo cases."""
    forms = load_forms()
    backend = Backend(path)
    backend.create(PASSPHRASE, OFFICER)
    for demo in sorted((data_dir() / "demo").glob("*.json")):
        record = loads(demo.read_text(encoding="utf-8"), forms)
        backend.repository.save_case(record, actor=OFFICER.officer)
    backend.close()


@pytest.fixture
def filled_store(store_path: Path, frozen_clock: None) -> Path:
    """The path of a store holding the demo cases, closed."""
    fill_store(store_path)
    return store_path
