"""Fixtures for the review tests: a real encrypted store holding two teams' cases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from pytest_textual_snapshot import SVGImageExtension
from review_data import NOW, fill, new_store
from syrupy import SnapshotAssertion
from syrupy.location import PyTestLocation

from court_tui.domain.forms import FormSet
from court_tui.store import Store


@pytest.fixture(scope="module", autouse=True)
def _quick_keys(quick_key_derivation: None) -> None:
    """These tests are about the review, not the passphrase."""


@pytest.fixture(scope="session")
def review_forms(forms: FormSet) -> FormSet:
    return forms


@pytest.fixture
def review_store(tmp_path: Path, review_forms: FormSet) -> Iterator[Store]:
    """An open store holding the review cases, as the supervisor's laptop."""
    store = new_store(tmp_path / "review.db", review_forms)
    fill(store)
    yield store
    store.close()


@pytest.fixture
def review_clock() -> Iterator[None]:
    """Monday 2 March 2026, 10:42, ticking (the app's timers need time to pass)."""
    with time_machine.travel(NOW, tick=True):
        yield


class ReviewSnapshots(SVGImageExtension):
    """Snapshots in tests/review/snapshots/, one SVG a test."""

    @classmethod
    def dirname(cls, *, test_location: PyTestLocation) -> str:
        return str(Path(test_location.filepath).parent / "snapshots")


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """syrupy's snapshot, keeping snap_compare's SVGs in tests/review/snapshots/."""
    keep = snapshot.use_extension

    def use_extension(extension_class: object = None) -> SnapshotAssertion:
        return keep(ReviewSnapshots)

    snapshot.use_extension = use_extension  # type: ignore[method-assign]
    return snapshot
