"""Helpers for the sync tests: central databases, laptops' stores, small cases.

In a module of its own (not conftest) so that no other folder's conftest can shadow it.
"""

from __future__ import annotations

import itertools
import sys
from dataclasses import dataclass
from pathlib import Path

import psycopg

from court_tui.domain.case import CaseRecord
from court_tui.domain.forms import FormSet
from court_tui.store import Store, open_store
from court_tui.sync.server import add_user, init_server
from court_tui.sync.transport import PostgresTransport

SUPPORT = Path(__file__).resolve().parent.parent / "support"
if str(SUPPORT) not in sys.path:
    sys.path.insert(0, str(SUPPORT))

from pgserver import PostgresServer, PostgresUnavailable  # noqa: E402, F401

PASSPHRASE = "sync test passphrase"
_databases = itertools.count(1)


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
