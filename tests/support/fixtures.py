"""The suite's PostgreSQL and key-derivation fixtures, registered from tests/conftest.py.

`pg_server` is one throwaway server per pytest-xdist worker (session scope), started on
first use. Without PostgreSQL installed its tests are skipped with the reason, except
under CI (CI set and not false), where a missing server is a failure: a CI run must not
pass by testing nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from .central import Central, new_central
from .keys import quick_key_derivation as _quick_key_derivation
from .pgserver import PostgresServer, PostgresUnavailable


def running_in_ci() -> bool:
    """Whether CI is set (to anything but empty, 0 or false)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL 15 server for this worker, stopped at the end."""
    try:
        server = PostgresServer()
    except PostgresUnavailable as missing:
        if running_in_ci():
            pytest.fail(f"{missing} (CI is set, so the PostgreSQL tests must run)")
        pytest.skip(str(missing))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def central(pg_server: PostgresServer) -> Central:
    """A fresh central store for one test."""
    return new_central(pg_server)


@pytest.fixture(scope="module")
def quick_key_derivation() -> Iterator[None]:
    """Stores made in the module derive their key in one round, not 256,000: for modules
    about something other than the passphrase that make many stores. Put back after."""
    with _quick_key_derivation():
        yield
