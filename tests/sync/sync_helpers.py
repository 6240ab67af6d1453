"""Helpers for the sync tests: central databases, laptops' stores, small cases.

In a module of its own (not conftest) so that no other folder's conftest can shadow it.
"""

from __future__ import annotations

from pathlib import Path

# The server and central stores are the whole suite's (tests/support); named here too for
# the sync tests that import them from this module.
from support.central import Central, new_central  # noqa: F401
from support.pgserver import PostgresServer  # noqa: F401

from court_tui.domain.case import CaseRecord
from court_tui.domain.forms import FormSet
from court_tui.store import Store, open_store

PASSPHRASE = "sync test passphrase"


def open_laptop(path: Path, forms: FormSet) -> Store:
    """An officer's laptop store at PATH (made when missing)."""
    return open_store(path, PASSPHRASE, create=True, forms=forms)


def new_case(team: str, name: str = "Alex Morgan", officer: str = "Sam Patel") -> CaseRecord:
    """A small case for TEAM."""
    return CaseRecord(team=team, officer=officer, answers={"name": name, "crn": "A123456"})


def edit(store: Store, case_id: str, **answers: str) -> CaseRecord:
    """Open CASE_ID on STORE, change ANSWERS, save."""
    record = store.repository.get_case(case_id, actor="test")
    record.answers.update(answers)
    return store.repository.save_case(record, actor="test")
