"""A full central store says it is busy and when the laptop tries again, never fails the
sync: against the real server, with a login's connection limit reached and with every
connection the server allows taken."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from sync_helpers import Central, new_case

from court_tui.domain.dates import to_local
from court_tui.store import Store
from court_tui.sync.client import RetryPolicy, SyncReport, sync_once, sync_status

pytestmark = pytest.mark.postgres

_names = itertools.count(1)
NINE = datetime(2026, 3, 2, 8, 57, tzinfo=UTC)
SAVED = "Your work is saved on this laptop."


def sync(store: Store, central: Central, login: str, policy: RetryPolicy) -> SyncReport:
    transport = central.transport(login)
    try:
        return sync_once(store, transport, retry=policy, clock=lambda: NINE)
    finally:
        transport.close()


def busy_at(moment: datetime) -> str:
    return f"The central store is busy, trying again at {to_local(moment):%H:%M}. {SAVED}"


@pytest.fixture
def limited(central: Central) -> Iterator[str]:
    """A login of its own (logins are the whole server's, not one database's) that may
    have one connection at a time; put back to no limit at the end."""
    login = central.add(f"busy{next(_names)}", "North")
    with central.connect() as admin:
        admin.execute(f"ALTER ROLE {login} CONNECTION LIMIT 1")
    try:
        yield login
    finally:
        with central.connect() as admin:
            admin.execute(f"ALTER ROLE {login} CONNECTION LIMIT -1")


@pytest.fixture
def held_open(central: Central, limited: str) -> Iterator[psycopg.Connection]:
    """LIMITED's one connection, taken."""
    with central.connect(limited) as held:
        yield held


def test_a_login_at_its_connection_limit_is_told_the_store_is_busy_and_when_it_tries_again(
    central: Central, limited: str, held_open: psycopg.Connection,
    make_laptop: Callable[[str], Store],
) -> None:  # fmt: skip
    amy = make_laptop("amy")
    amy.repository.save_case(new_case("North"), actor="amy")
    policy = RetryPolicy(attempts=1, busy_attempts=3, first_wait=0, max_wait=0)

    report = sync(amy, central, limited, policy)

    assert report.error == busy_at(NINE + timedelta(seconds=policy.next_sync_after))
    assert report.retries == 2  # tried three times in all before giving up for now
    assert report.pending == 1
    assert sync_status(amy).describe().startswith(busy_at(NINE + timedelta(minutes=5)))


def test_a_sync_told_busy_goes_through_once_a_connection_is_free(
    central: Central, limited: str, make_laptop: Callable[[str], Store]
) -> None:
    amy = make_laptop("amy")
    amy.repository.save_case(new_case("North"), actor="amy")
    held = central.connect(limited)
    freed = threading.Timer(0.5, held.close)
    freed.start()
    try:
        report = sync(amy, central, limited, RetryPolicy(attempts=1, first_wait=0.2, max_wait=1))
    finally:
        freed.cancel()
        held.close()
    assert report.ok, report.lines()
    assert report.applied == 1 and report.retries >= 1


def test_a_server_with_every_connection_taken_says_busy_not_a_failure(
    central: Central, make_laptop: Callable[[str], Store]
) -> None:
    amy_login = central.add(f"busy{next(_names)}", "North")
    filler = central.add(f"busy{next(_names)}", "North")
    amy = make_laptop("amy")
    amy.repository.save_case(new_case("North"), actor="amy")
    with ExitStack() as held:
        refused = None
        for _ in range(200):  # far more than the test server allows (max_connections 40)
            try:
                held.enter_context(central.connect(filler))
            except psycopg.OperationalError as full:
                refused = full
                break
        assert refused is not None, "the server took every connection asked for"
        report = sync(
            amy, central, amy_login, RetryPolicy(attempts=1, busy_attempts=2, first_wait=0)
        )
    assert report.error == busy_at(NINE + timedelta(minutes=5))
    assert report.pending == 1
    report = sync(amy, central, amy_login, RetryPolicy(attempts=1))
    assert report.ok and report.applied == 1, report.lines()
