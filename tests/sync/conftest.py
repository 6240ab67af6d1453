"""Laptops' stores in tmp_path for the sync tests; the PostgreSQL server (`pg_server`) and
central stores (`central`) are the whole suite's, from tests/support/fixtures.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sync_helpers import open_laptop

from court_tui.domain.forms import FormSet
from court_tui.store import Store


@pytest.fixture(scope="module", autouse=True)
def _quick_keys(quick_key_derivation: None) -> None:
    """These tests are about sync, not the passphrase, and make many stores."""


@pytest.fixture
def make_laptop(tmp_path: Path, forms: FormSet) -> Iterator[Callable[[str], Store]]:
    """Make an officer's laptop store (closed again at the end of the test)."""
    opened: list[Store] = []

    def make(name: str) -> Store:
        store = open_laptop(tmp_path / f"{name}.db", forms)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()
