"""A real PostgreSQL server for the sync tests (one per pytest-xdist worker), central
databases set up by `court-tui server init`, and laptops' stores in tmp_path."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlcipher3
from sync_helpers import Central, PostgresServer, PostgresUnavailable, new_central, open_laptop

from court_tui.domain.forms import FormSet, load_forms
from court_tui.store import Store


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL 15 server for this worker, stopped at the end."""
    try:
        server = PostgresServer()
    except PostgresUnavailable as missing:
        pytest.skip(str(missing))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def central(pg_server: PostgresServer) -> Central:
    """A fresh central store for one test."""
    return new_central(pg_server)


@pytest.fixture(scope="module", autouse=True)
def quick_key_derivation() -> Iterator[None]:
    """Stores made here derive their key in one round, not 256,000: these tests are about
    sync, not the passphrase, and make many stores. Put back for the other modules."""
    conn = sqlcipher3.connect(":memory:")
    before = conn.execute("PRAGMA cipher_default_kdf_iter").fetchone()[0]
    conn.execute("PRAGMA cipher_default_kdf_iter = 1")
    conn.close()
    yield
    conn = sqlcipher3.connect(":memory:")
    conn.execute(f"PRAGMA cipher_default_kdf_iter = {int(before)}")
    conn.close()


@pytest.fixture(scope="session")
def forms() -> FormSet:
    return load_forms()


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
