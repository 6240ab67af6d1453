"""Kill a saving process at random moments: no acknowledged save may be lost.

A fork server (crash_worker.py) imports court-tui once and forks one child per kill; the
child opens the store and saves cases (new ones and edits) in a loop, printing each id
after its commit returns. The test kills it with SIGKILL after a random delay (one kill
in ten lands while the store is being opened or created), then reopens the store and
checks: every printed save is there at least at its printed revision, the quick check
passes (open_store runs it), the outbox sequence has no gaps, and each outbox row has
exactly one create/save audit row and one revision step. Two lanes run side by side.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlcipher3
from support.forkserver import ForkServer

from court_tui.domain.forms import FormSet
from court_tui.store import open_store, store_exists

WORKER = Path(__file__).with_name("crash_worker.py")
PASSPHRASE = "crash test passphrase"
LANES = 2
SLOW = os.environ.get("COURT_TUI_SLOW") == "1"
SEED = int(os.environ.get("COURT_TUI_CRASH_SEED", "20260302"))


@dataclass
class LaneReport:
    kills: int = 0
    kills_while_opening: int = 0
    acknowledged_saves: int = 0
    committed_saves: int = 0
    cases: int = 0
    saves_per_kill: Counter[int] = field(default_factory=Counter)


def _raw_key(db: Path) -> str:
    """SQLCipher 4's key for PASSPHRASE on DB, derived as SQLCipher does (PBKDF2-SHA512,
    256,000 rounds, the file's 16-byte salt), so each check after a kill opens the file
    afresh without paying for the derivation again. The saving child always opens with
    the passphrase through open_store."""
    salt = db.read_bytes()[:16]
    key = hashlib.pbkdf2_hmac("sha512", PASSPHRASE.encode(), salt, 256_000, 32)
    return f"x'{key.hex()}{salt.hex()}'"


def _verify(db: Path, acknowledged: dict[str, int], keys: dict[Path, str]) -> tuple[int, int]:
    """Reopen the store after a kill and check it; returns (committed saves, cases)."""
    if not store_exists(db):
        assert not acknowledged, "saves were acknowledged but the store is missing"
        return 0, 0
    if db not in keys:
        keys[db] = _raw_key(db)
    conn = sqlcipher3.connect(str(db), isolation_level=None)
    try:
        conn.execute(f'PRAGMA key = "{keys[db]}"')
        assert conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
        revisions = dict(conn.execute("SELECT id, revision FROM cases").fetchall())
        sequences = [row[0] for row in conn.execute("SELECT seq FROM outbox ORDER BY seq")]
        saves = conn.execute(
            "SELECT count(*) FROM audit_log WHERE action IN ('create', 'save')"
        ).fetchone()[0]
    finally:
        conn.close()
    lost = {case_id for case_id, rev in acknowledged.items() if revisions.get(case_id, 0) < rev}
    assert not lost, f"acknowledged saves lost: {sorted(lost)[:5]}"
    assert sequences == list(range(1, len(sequences) + 1)), "the outbox has a gap"
    assert saves == len(sequences), "audit rows and outbox rows disagree"
    assert sum(revisions.values()) == len(sequences), "revisions and outbox rows disagree"
    return len(sequences), len(revisions)


def _final_check(db: Path, acknowledged: dict[str, int], forms: FormSet) -> None:
    """The product's own open (quick check) and doctor (full integrity and HMAC checks)."""
    with open_store(db, PASSPHRASE, forms=forms) as store:
        report = store.doctor()
        revisions = store.repository.revisions()
    assert report.ok, report.problems
    assert all(revisions.get(case_id, 0) >= rev for case_id, rev in acknowledged.items())


def _run_lane(folder: Path, lane: int, kills: int, forms: FormSet) -> LaneReport:
    rng = random.Random(SEED + lane)
    db = folder / f"lane{lane}" / "court-tui.db"
    report = LaneReport()
    acknowledged: dict[str, int] = {}
    keys: dict[Path, str] = {}
    worker = ForkServer(WORKER, PASSPHRASE)
    try:
        for kill in range(kills):
            worker.send(f"run {db} {SEED * 1000 + lane * 100_000 + kill}")
            first = worker.readline()
            assert first.startswith("pid "), first
            pid = int(first.split()[1])
            lines: list[str] = []
            if rng.random() < 0.1:
                report.kills_while_opening += 1
                time.sleep(rng.uniform(0, 0.25))
            else:
                while (line := worker.readline()) != "ready":
                    assert not line.startswith("error"), line
                time.sleep(rng.uniform(0, 0.12))
            os.kill(pid, signal.SIGKILL)
            worker.send(f"reap {pid}")
            while not (line := worker.readline()).startswith("reaped "):
                lines.append(line)
            status = int(line.split()[2])
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, lines
            saves = 0
            for line in lines:
                assert not line.startswith("error"), line
                if line.startswith("saved "):
                    _, case_id, revision = line.split()
                    acknowledged[case_id] = max(acknowledged.get(case_id, 0), int(revision))
                    saves += 1
            report.kills += 1
            report.acknowledged_saves += saves
            report.saves_per_kill[min(saves, 10)] += 1
            report.committed_saves, report.cases = _verify(db, acknowledged, keys)
        _final_check(db, acknowledged, forms)
    finally:
        worker.close()
    return report


def _crash_test(tmp_path: Path, forms: FormSet, kills: int) -> None:
    started = time.perf_counter()
    per_lane = [kills // LANES + (1 if lane < kills % LANES else 0) for lane in range(LANES)]
    with ThreadPoolExecutor(max_workers=LANES) as pool:
        futures = [
            pool.submit(_run_lane, tmp_path, lane, n, forms) for lane, n in enumerate(per_lane)
        ]
        reports = [future.result() for future in futures]
    elapsed = time.perf_counter() - started
    assert sum(r.kills for r in reports) == kills
    figures = {
        "seed": SEED,
        "kills": sum(r.kills for r in reports),
        "kills_while_opening": sum(r.kills_while_opening for r in reports),
        "acknowledged_saves": sum(r.acknowledged_saves for r in reports),
        "committed_saves": sum(r.committed_saves for r in reports),
        "committed_not_acknowledged": sum(r.committed_saves for r in reports)
        - sum(r.acknowledged_saves for r in reports),
        "cases": sum(r.cases for r in reports),
        "lost_acknowledged_saves": 0,
        "outbox_gaps": 0,
        "integrity_failures": 0,
        "kills_by_saves_before_kill (10 = 10+)": dict(
            sorted(sum((r.saves_per_kill for r in reports), Counter()).items())
        ),
        "seconds": round(elapsed, 1),
    }
    print("\ncrash test figures: " + json.dumps(figures))
    report_file = os.environ.get("COURT_TUI_CRASH_REPORT")
    if report_file:
        Path(report_file).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


def test_killed_saves_lose_nothing_acknowledged(tmp_path: Path, forms: FormSet) -> None:
    _crash_test(tmp_path, forms, kills=200)


@pytest.mark.slow
@pytest.mark.skipif(not SLOW, reason="set COURT_TUI_SLOW=1 for the 500-kill run")
def test_killed_saves_lose_nothing_acknowledged_slow(tmp_path: Path, forms: FormSet) -> None:
    _crash_test(tmp_path, forms, kills=int(os.environ.get("COURT_TUI_CRASH_KILLS", "500")))
