"""A real PostgreSQL server for the sync tests (one per pytest-xdist worker), central
databases set up by `court-tui server init`, and laptops' stores in tmp_path."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import sqlcipher3

from court_tui.domain.case import CaseRecord
from court_tui.domain.forms import FormSet, load_forms
from court_tui.store import Store, open_store
from court_tui.sync.server import add_user, init_server
from court_tui.sync.transport import PostgresTransport

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "support"))

from pgserver import PostgresServer, PostgresUnavailable  # noqa: E402

PASSPHRASE = "sync test passphrase"
_databases = itertools.count(1)


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


@dataclass
class Central:
    """One central database set up by `server init`, with ways to connect as anyone."""

    server: PostgresServer
    database: str

    @property
    def admin_url(self) -> str:
        return self.server.url(database=self.database)

    def url(self, login: str) -> str:
        return self.server.url(login, self.database)

    def connect(self, login: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(self.server.conninfo(login, self.database), autocommit=True)

    def add(self, login: str, *teams: str, role: str = "officer") -> str:
        add_user(self.admin_url, login, teams=list(teams), role=role)  # type: ignore[arg-type]
        return login

    def transport(self, login: str) -> PostgresTransport:
        return PostgresTransport(self.url(login))

    def scalar(self, sql: str, *params: object) -> object:
        with self.connect() as conn:
            row = conn.execute(sql, params or None).fetchone()
        return None if row is None else row[0]


def new_central(server: PostgresServer) -> Central:
    """A new database on SERVER with the central schema."""
    name = f"central_{next(_databases)}"
    server.create_database(name)
    central = Central(server, name)
    init_server(central.admin_url)
    return central


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


def open_laptop(path: Path, forms: FormSet) -> Store:
    """An officer's laptop store at PATH (made when missing)."""
    return open_store(path, PASSPHRASE, create=True, forms=forms)


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


def new_case(team: str, name: str = "Alex Morgan", officer: str = "Sam Patel") -> CaseRecord:
    """A small case for TEAM."""
    return CaseRecord(team=team, officer=officer, answers={"name": name, "crn": "A123456"})


def edit(store: Store, case_id: str, **answers: str) -> CaseRecord:
    """Open CASE_ID on STORE, change ANSWERS, save."""
    record = store.repository.get_case(case_id, actor="test")
    record.answers.update(answers)
    return store.repository.save_case(record, actor="test")
