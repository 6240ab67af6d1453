"""A real encrypted store in tmp_path, and case records to put in it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from store_helpers import TEST_PASSPHRASE, demo_files

from court_tui.domain.case import CaseRecord
from court_tui.domain.casefile import loads
from court_tui.domain.forms import FormSet
from court_tui.store import Store, open_store


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "court-tui.db"


@pytest.fixture
def store(store_path: Path, forms: FormSet) -> Iterator[Store]:
    with open_store(store_path, TEST_PASSPHRASE, create=True, forms=forms) as opened:
        yield opened


@pytest.fixture
def demo_cases(forms: FormSet) -> list[CaseRecord]:
    return [loads(path.read_text(encoding="utf-8"), forms) for path in demo_files()]
