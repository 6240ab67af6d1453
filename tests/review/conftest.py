"""Fixtures for the review tests: a real encrypted store holding two teams' cases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from review_data import NOW, fill, new_store, quick_key_derivation

from court_tui.domain.forms import FormSet, load_forms
from court_tui.store import Store


@pytest.fixture(scope="module", autouse=True)
def _quick_keys() -> Iterator[None]:
    with quick_key_derivation():
        yield


@pytest.fixture(scope="session")
def review_forms() -> FormSet:
    return load_forms()


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
