"""Sync row: sending 10,000 saved cases to the central PostgreSQL store.

Subject: `sync_once` on a laptop whose outbox holds 10,000 new cases (full demo-size
cases, saved through the repository): batches of 200 through `push_batch` (protocol 2:
device and sequence recorded, each case checked, base version checked, the normalised
rows, audit rows and the change feed written), each batch's acknowledgements committed on
the laptop while the next batch is at the central store, then the pull.
Baseline: a plain psycopg `executemany` of the same case rows and their answers, checks
and follow-ups into tables of the same shape on the same server, in one transaction.
Both run on a throwaway PostgreSQL 15 started the way the tests start it, with fsync on;
the row is skipped with a message when PostgreSQL is not installed.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import psycopg

from court_tui.domain.case import new_id
from court_tui.domain.casefile import loads
from court_tui.domain.forms import load_forms
from court_tui.resources import data_dir
from court_tui.store import open_store
from court_tui.sync.client import RetryPolicy, sync_once
from court_tui.sync.local import LocalSync
from court_tui.sync.server import add_user, init_server
from court_tui.sync.transport import PostgresTransport

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from support.pgserver import PostgresServer, PostgresUnavailable  # noqa: E402

PASSPHRASE = "benchmark passphrase"
CASES = 10_000
ROUNDS = 2
TEAM = "Leeds court team"
FULL_CASE = data_dir() / "demo" / "check-outstanding-at-sentence.json"

_BASELINE_TABLES = """
CREATE SCHEMA IF NOT EXISTS plain;
DROP TABLE IF EXISTS plain.answers, plain.checks, plain.follow_ups, plain.cases;
CREATE TABLE plain.cases (LIKE court_tui.cases INCLUDING DEFAULTS);
ALTER TABLE plain.cases ADD PRIMARY KEY (id);
CREATE TABLE plain.answers (LIKE court_tui.answers);
ALTER TABLE plain.answers ADD PRIMARY KEY (case_id, question);
CREATE TABLE plain.checks (LIKE court_tui.checks);
ALTER TABLE plain.checks ADD PRIMARY KEY (case_id, kind);
CREATE TABLE plain.follow_ups (LIKE court_tui.follow_ups);
ALTER TABLE plain.follow_ups ADD PRIMARY KEY (id);
"""


def _fill(path: Path) -> None:
    """A laptop store at PATH with CASES unsynced cases of demo size."""
    forms = load_forms()
    template = loads(FULL_CASE.read_text(encoding="utf-8"), forms)
    with open_store(path, PASSPHRASE, create=True, forms=forms) as store:
        for number in range(CASES):
            record = template.model_copy(
                deep=True,
                update={
                    "id": str(uuid.uuid4()),
                    "revision": 0,
                    "team": TEAM,
                    "answers": {**template.answers, "name": f"Person {number:05d}"},
                    "follow_ups": [
                        follow_up.model_copy(update={"id": new_id()})
                        for follow_up in template.follow_ups
                    ],
                },
            )
            store.repository.save_case(record, actor="benchmark")


def _fresh_copy(template: Path, folder: Path, round_number: int) -> Path:
    """A copy of the filled store, nothing synced yet (each round has its own database)."""
    path = folder / f"laptop-{round_number}.db"
    shutil.copyfile(template, path)
    return path


def _baseline(server: PostgresServer, database: str, changes: list[Any]) -> float:
    """Seconds for one executemany per table of the same rows, one transaction."""
    case_columns = [
        "id", "revision", "created_at", "updated_at", "officer", "team", "name", "crn", "pnc",
        "court", "courtroom", "hearing_date", "status", "pending_checks", "case_json",
        "change_seq", "changed_by", "changed_by_device", "changed_by_seq",
    ]  # fmt: skip
    case_rows = [
        (
            change.case_id,
            change.revision,
            *[change.summary[name] for name in case_columns[2:14]],
            change.case_json,
            0,
            "benchmark",
            "laptop",
            change.seq,
        )  # fmt: skip
        for change in changes
    ]
    children = {
        "answers": ["case_id", "question", "value", "not_known"],
        "checks": [
            "case_id", "kind", "requested", "not_requested_reason", "agency", "requested_on",
            "reference", "expected_by", "received_on", "result", "how_checked", "summary",
            "reported_to_court", "status",
        ],
        "follow_ups": [
            "id", "case_id", "question", "owner", "action", "due", "recorded_on",
            "recorded_by", "closed_on", "closed_by", "answer", "reviewed_by", "review_note",
        ],
    }  # fmt: skip
    child_rows = {
        table: [
            tuple(row.get(name) for name in columns)
            for change in changes
            for row in getattr(change, table)
        ]
        for table, columns in children.items()
    }
    with psycopg.connect(server.conninfo(database=database)) as conn:
        conn.execute(_BASELINE_TABLES)
        conn.commit()
        started = time.perf_counter()
        with conn.cursor() as cursor:
            marks = ", ".join(["%s"] * len(case_columns))
            cursor.executemany(
                f"INSERT INTO plain.cases ({', '.join(case_columns)}) VALUES ({marks})",
                case_rows,
            )
            for table, columns in children.items():
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO plain.{table} ({', '.join(columns)}) VALUES ({marks})",
                    child_rows[table],
                )
        conn.commit()
        return time.perf_counter() - started


def sync_ten_thousand_cases() -> dict[str, Any]:
    """sync_once of 10,000 new cases vs executemany of the same rows."""
    try:
        server = PostgresServer(durable=True)
    except PostgresUnavailable as missing:
        return {"name": "sync 10,000 cases to the central store", "error": f"skipped: {missing}"}
    memory = Path("/dev/shm")
    scratch = str(memory) if memory.is_dir() and os.access(memory, os.W_OK) else None
    with (
        server,
        tempfile.TemporaryDirectory() as temporary,
        tempfile.TemporaryDirectory(dir=scratch) as filling_folder,
    ):
        folder = Path(temporary)
        # Filled in memory when possible (10,000 fsynced saves are not what is timed),
        # then each timed laptop is a copy on disk.
        template = Path(filling_folder) / "filled.db"
        filling = time.perf_counter()
        _fill(template)
        filled_in = time.perf_counter() - filling
        subject_times, baseline_times = [], []
        sent = 0
        for round_number in range(ROUNDS):
            database = f"bench_{round_number}"
            url = server.create_database(database)
            init_server(url)
            add_user(url, "benchmark_officer", teams=[TEAM], role="officer")
            laptop = open_store(_fresh_copy(template, folder, round_number), PASSPHRASE)
            transport = PostgresTransport(server.url("benchmark_officer", database))
            try:
                rows = LocalSync(laptop).pending_rows(0, CASES)
                changes = LocalSync(laptop).build_changes(rows)
                started = time.perf_counter()
                report = sync_once(laptop, transport, retry=RetryPolicy(attempts=1))
                subject_times.append(time.perf_counter() - started)
            finally:
                transport.close()
                laptop.close()
            if not report.ok or report.applied != CASES:
                raise RuntimeError(f"the sync did not send every case: {report.lines()}")
            sent = report.sent
            baseline_times.append(_baseline(server, database, changes))
    subject_seconds = statistics.median(subject_times)
    baseline_seconds = statistics.median(baseline_times)
    return {
        "name": "sync 10,000 cases to the central store",
        "subject_seconds": subject_seconds,
        "baseline_seconds": baseline_seconds,
        "baseline": "psycopg executemany of the same rows, one transaction",
        "note": (
            f"{sent:,} changes in {ROUNDS} rounds (median); "
            f"{subject_seconds / CASES * 1e3:.2f} ms a case; "
            f"filling the laptop took {filled_in:.0f} s (not timed) on {date.today()}"
        ),
    }


ROWS = [sync_ten_thousand_cases]
