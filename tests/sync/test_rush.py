"""The morning rush in small: laptops of several teams, each with its own store, login
and connection, saving and syncing at once against the real central store; at the end
every laptop's store is checked against the central store. Times are the benchmark's
(`python -m benchmarks -k rush`); these tests hold the run to its correctness."""

from __future__ import annotations

import itertools
import os
import sys
from pathlib import Path

import pytest
from support.pgserver import PostgresServer

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.bench_rush import RushResult, run_rush  # noqa: E402

pytestmark = pytest.mark.postgres

SLOW = os.environ.get("COURT_TUI_SLOW") == "1"
_runs = itertools.count(1)


def _assert_every_change_arrived_once(result: RushResult) -> None:
    assert result.failed == 0, "a sync failed for another reason than a busy store"
    assert (result.lost, result.applied_twice, result.skipped) == (0, 0, 0)
    assert result.accepted > 0 and result.received > 0
    assert len(result.waits) >= result.laptops  # every laptop synced in the timed part


def test_six_laptops_of_three_teams_syncing_at_once_lose_skip_and_repeat_nothing(
    pg_server: PostgresServer, tmp_path: Path
) -> None:
    result = run_rush(
        pg_server, f"rush_quick_{next(_runs)}", 6, per_team=2, seconds=2.0, changes=4,
        folder=tmp_path,
    )  # fmt: skip
    assert result.teams == 3
    _assert_every_change_arrived_once(result)


@pytest.mark.slow
@pytest.mark.skipif(not SLOW, reason="set COURT_TUI_SLOW=1 for the 60-laptop rush")
def test_sixty_laptops_of_six_teams_more_than_the_server_takes_at_once(
    pg_server: PostgresServer, tmp_path: Path
) -> None:
    # A thread for each laptop (workers=None), all at once: more than the server's
    # connections, so some are told it is busy and come back.
    result = run_rush(
        pg_server, f"rush_slow_{next(_runs)}", 60, per_team=10, seconds=20.0, workers=None,
        folder=tmp_path,
    )  # fmt: skip
    assert result.teams == 6
    _assert_every_change_arrived_once(result)
