"""Central stores on the throwaway PostgreSQL server: one database each, set up by
`server init`, with ways to connect to it as anyone."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import psycopg

from court_tui.sync.server import add_user, init_server
from court_tui.sync.transport import PostgresTransport

from .pgserver import PostgresServer

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
