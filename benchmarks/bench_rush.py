"""The morning rush: a region's laptops syncing with the central store at once.

For 1, 10, 50 and 200 laptops (ten to a team: 1, 1, 5 and 20 teams), each laptop with
its own encrypted store, login and connection, every laptop at once saves a few cases
(new ones and edits of its own) and syncs (push, then pull of its team mates' work), over
and over until the time is up and it has done at least MIN_ROUNDS rounds. Two processes
drive the laptops, each with WORKERS threads taking its laptops in turn (a thread for
each laptop would only queue on the process's interpreter lock, each starved laptop
holding its connection idle), with the library the app uses (`sync_once` over
`PostgresTransport`, the default retry policy); the central store is a throwaway
PostgreSQL 15 on a Unix socket, started the way the tests start it (fsync on,
max_connections 40). Reported per size: throughput (changes sent and accepted, and
received by team mates, a second), the median and 95th percentile wait of one laptop's sync,
the server's peak connections (pg_stat_activity, sampled), and the syncs told the store
was busy. At the end every laptop syncs until its outbox is empty, then once more, and
throughput counts what those syncs move and the time they take (so every change saved is
counted sent once and received by each team mate, whatever the size); then every
laptop's store is checked against the central store: no change lost, none applied
twice, none skipped by a pull.

Rows: throughput of 200 laptops against 1 and against 10 (and 10 and 50 against 1),
measured in the same run. The stores are made with one-round key derivation before the
timed part (the key derivation is the passphrase's cost, not the sync's).
"""

from __future__ import annotations

import functools
import gc
import math
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from court_tui.domain.case import CaseRecord
from court_tui.domain.forms import load_forms
from court_tui.store import Store, open_store
from court_tui.sync.client import RetryPolicy, SyncReport, sync_once
from court_tui.sync.errors import CentralBusy
from court_tui.sync.local import LocalSync
from court_tui.sync.server import add_user, init_server
from court_tui.sync.transport import PostgresTransport

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from support.keys import quick_key_derivation  # noqa: E402
from support.pgserver import PostgresServer, PostgresUnavailable  # noqa: E402

PASSPHRASE = "rush passphrase"
SIZES = (1, 10, 50, 200)
PER_TEAM = 10
SECONDS = 20.0  # the timed part at each size
CHANGES_PER_SYNC = 10  # cases saved between two syncs: half new, half edits
MAX_ROUNDS = 1_000  # a bound on each laptop's syncs, whatever the clock says
# Every laptop does at least this many rounds, however long it takes: with many laptops
# taking turns, a round each only starts the rush (nothing of its team mates' to receive
# yet), and the figures would be those of its start and end rather than of the rush.
MIN_ROUNDS = 3
DRAIN_SYNCS = 20  # at most this many syncs each to empty the outbox at the end
PROCESSES = 2
# Threads in each process, taking its laptops in turn (10 syncing at once from 10 laptops
# up): more threads than this only queue on the process's one interpreter lock, and a
# laptop starved of it holds its connection to the central store idle meanwhile.
WORKERS = 5


@dataclass(frozen=True)
class Laptop:
    """One officer's laptop: its login, team and store file."""

    login: str
    team: str
    path: str


@dataclass
class LaptopResult:
    """What one laptop did and holds at the end."""

    login: str
    team: str
    device_id: str
    saves: int = 0
    accepted: int = 0
    received: int = 0
    waits: list[float] = field(default_factory=list)
    busy: int = 0
    failed: list[str] = field(default_factory=list)
    own: dict[str, int] = field(default_factory=dict)
    held: dict[str, int] = field(default_factory=dict)
    pending: int = 0


@dataclass
class RushResult:
    """One size's figures."""

    laptops: int
    teams: int
    seconds: float
    accepted: int
    received: int
    waits: list[float]
    peak_connections: int
    lock_waits: float
    server_cpu: float
    laptops_cpu: float
    busy: int
    failed: int
    lost: int
    applied_twice: int
    skipped: int

    @property
    def throughput(self) -> float:
        """Changes through the central store a second: sent and accepted, plus received
        by a laptop (each change sent is received by each of its team mates)."""
        return (self.accepted + self.received) / self.seconds if self.seconds > 0 else 0.0

    @property
    def sent_per_second(self) -> float:
        return self.accepted / self.seconds if self.seconds > 0 else 0.0

    @property
    def median_wait(self) -> float:
        return statistics.median(self.waits) if self.waits else 0.0

    @property
    def p95_wait(self) -> float:
        if len(self.waits) < 2:
            return self.median_wait
        return statistics.quantiles(self.waits, n=20, method="inclusive")[18]

    def line(self) -> str:
        moved = self.accepted + self.received
        return (
            f"{self.laptops:>7} {self.teams:>5} {self.throughput:>9.0f} "
            f"{self.sent_per_second:>6.0f} "
            f"{self.median_wait * 1e3:>7.0f} {self.p95_wait * 1e3:>7.0f} "
            f"{self.peak_connections:>5} {self.lock_waits:>5.1f} {self.busy:>5} "
            f"{self.server_cpu / self.seconds:>7.2f} {self.laptops_cpu / self.seconds:>7.2f} "
            f"{self.server_cpu / max(moved, 1) * 1e3:>8.2f} "
            f"{self.laptops_cpu / max(moved, 1) * 1e3:>8.2f} "
            f"{self.failed:>6} {self.lost:>5} {self.applied_twice:>6} {self.skipped:>8}"
        )


HEADER = (
    f"{'laptops':>7} {'teams':>5} {'moved/s':>9} {'sent/s':>6} {'med ms':>7} {'p95 ms':>7} "
    f"{'peak':>5} {'lockw':>5} {'busy':>5} {'srv cpu':>7} {'lap cpu':>7} {'srv ms/c':>8} "
    f"{'lap ms/c':>8} {'failed':>6} {'lost':>5} {'twice':>6} {'skipped':>8}"
)
LEGEND = (
    "moved/s: changes sent and accepted plus changes received by laptops, a second, "
    "from the first save until every laptop holds its team's changes; "
    "sent/s: accepted only; med/p95: one laptop's sync, end to end; peak: most "
    "connections at once; lockw: backends waiting on a lock, on average; busy: syncs "
    "that ended told the store was busy; srv/lap cpu: cores busy in PostgreSQL / in "
    "the laptops' processes; srv/lap ms/c: CPU of the server / of the laptops a change "
    "moved"
)


def _save_round(store: Store, laptop: Laptop, result: LaptopResult, count: int) -> None:
    """COUNT saves on the laptop: edits of its own cases (up to half), the rest new."""
    own = list(result.own)
    edits = min(len(own), count // 2)
    for case_id in own[-edits:] if edits else []:
        record = store.repository.get_case(case_id, actor=laptop.login)
        record.answers["courtroom"] = f"Room {result.saves % 9 + 1}"
        saved = store.repository.save_case(record, actor=laptop.login)
        result.own[case_id] = saved.revision
        result.saves += 1
    for _ in range(count - edits):
        record = CaseRecord(
            team=laptop.team,
            officer=laptop.login,
            answers={"name": f"Person {result.saves:05d}", "crn": "A123456"},
        )
        saved = store.repository.save_case(record, actor=laptop.login)
        result.own[saved.id] = saved.revision
        result.saves += 1


def _sync(store: Store, url: str, policy: RetryPolicy) -> SyncReport:
    transport = PostgresTransport(url)
    try:
        return sync_once(store, transport, retry=policy)
    finally:
        transport.close()


def _count(report: SyncReport, result: LaptopResult) -> None:
    result.accepted += report.applied
    result.received += report.pulled_cases + report.pulled_notes + report.pulled_reference
    if report.error is not None:
        if report.error.startswith(CentralBusy.PREFIX):
            result.busy += 1
        else:
            result.failed.append(report.error)


def _drive(
    laptops: Sequence[Laptop],
    urls: dict[str, str],
    seconds: float,
    changes: int,
    workers: int | None,
    min_rounds: int,
    ready: Any,
    done: Any,
    drained: Any,
    out: Any,
) -> None:
    """One process: make its laptops' stores, then drive them, WORKERS threads taking
    the laptops in turn (None: a thread for each laptop, all at once)."""
    forms = load_forms()
    policy = RetryPolicy()
    with quick_key_derivation():
        stores = [
            open_store(Path(lap.path), PASSPHRASE, create=True, forms=forms) for lap in laptops
        ]
    results = [
        LaptopResult(lap.login, lap.team, LocalSync(store).device_id)
        for lap, store in zip(laptops, stores, strict=True)
    ]
    # A real laptop's process holds one store; this one holds up to a hundred, whose
    # objects Python's collector would otherwise walk again and again as they age: they
    # live until the end, so they are left out of its walks.
    gc.collect()
    gc.freeze()
    rounds = [0] * len(laptops)
    stop_at = 0.0

    def sync(index: int) -> SyncReport:
        report = _sync(stores[index], urls[laptops[index].login], policy)
        _count(report, results[index])
        return report

    def timed(index: int) -> bool:
        """One round of LAPTOP's: saves, then a sync; whether it goes again."""
        late = time.monotonic() >= stop_at and rounds[index] >= min_rounds
        if late or rounds[index] >= MAX_ROUNDS:
            return False
        rounds[index] += 1
        _save_round(stores[index], laptops[index], results[index], changes)
        started = time.monotonic()
        sync(index)
        results[index].waits.append(time.monotonic() - started)
        return True

    def drain(index: int) -> bool:
        """Sync until the laptop's outbox is empty (at most DRAIN_SYNCS times)."""
        if stores[index].repository.outbox_depth() == 0:
            return False
        rounds[index] += 1
        report = sync(index)
        return not (report.ok and report.pending == 0) and rounds[index] < DRAIN_SYNCS

    def final(index: int) -> bool:
        """Once every laptop has sent all it has: a sync that receives the rest."""
        rounds[index] += 1
        return not sync(index).ok and rounds[index] < DRAIN_SYNCS

    threads = len(laptops) if workers is None else max(1, min(workers, len(laptops)))
    ready.wait(timeout=600)
    cpu = _own_cpu()
    stop_at = time.monotonic() + seconds
    _take_turns(timed, len(laptops), threads)
    rounds = [0] * len(laptops)
    _take_turns(drain, len(laptops), threads)
    drained.wait(timeout=900)
    rounds = [0] * len(laptops)
    _take_turns(final, len(laptops), threads)
    done.put((time.monotonic(), _own_cpu() - cpu))
    for store, result in zip(stores, results, strict=True):
        result.held = store.repository.revisions()
        result.pending = store.repository.outbox_depth()
        store.close()
    out.put(results)


def _take_turns(turn: Any, count: int, threads: int) -> None:
    """THREADS threads calling TURN(index) for laptops 0 .. COUNT-1 in turn, a laptop
    queued again at the back while TURN says it goes again."""
    queue = deque(range(count))
    guard = threading.Lock()

    def work() -> None:
        while True:
            with guard:
                if not queue:
                    return
                index = queue.popleft()
            if turn(index):
                with guard:
                    queue.append(index)

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _server_cpu(server: PostgresServer) -> float:
    """CPU seconds used so far by SERVER's processes: the postmaster with the backends
    that have ended (its children's time), plus the backends still running."""
    ticks = os.sysconf("SC_CLK_TCK")
    postmaster = int((server.data_dir / "postmaster.pid").read_text().split()[0])
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        if pid == postmaster:
            total += sum(int(value) for value in fields[11:15])  # own and waited-for children
        elif ppid == postmaster:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


class _PeakSampler(threading.Thread):
    """The most connections to DATABASE seen at once, sampled every few milliseconds."""

    def __init__(self, conninfo: str, database: str) -> None:
        super().__init__(daemon=True)
        self.conninfo, self.database = conninfo, database
        self.peak = 0
        self.lock_waiting: list[int] = []
        self.waits: Counter[str] = Counter()
        self.halt = threading.Event()

    def run(self) -> None:
        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            while not self.halt.is_set():
                row = conn.execute(
                    "SELECT count(*), count(*) FILTER (WHERE wait_event_type = 'Lock') "
                    "FROM pg_stat_activity "
                    "WHERE datname = %s AND backend_type = 'client backend' "
                    "AND pid <> pg_backend_pid()",
                    (self.database,),
                ).fetchone()
                if row:
                    self.peak = max(self.peak, int(row[0]))
                    self.lock_waiting.append(int(row[1]))
                for state, event, count in conn.execute(
                    "SELECT state, coalesce(wait_event_type || ':' || wait_event, 'CPU'), "
                    "count(*) FROM pg_stat_activity WHERE datname = %s "
                    "AND backend_type = 'client backend' AND pid <> pg_backend_pid() "
                    "GROUP BY 1, 2",
                    (self.database,),
                ):
                    self.waits[f"{state} {event}"] += int(count)
                self.halt.wait(0.005)


def _central_state(conninfo: str) -> tuple[dict[str, tuple[str, int]], dict[str, int]]:
    """Every case on the central store (team, revision), and accepted changes by device."""
    with psycopg.connect(conninfo) as conn:
        cases = {
            str(case_id): (str(team), int(revision))
            for case_id, team, revision in conn.execute(
                "SELECT id, team, revision FROM court_tui.cases"
            )
        }
        applied = {
            str(device): int(count)
            for device, count in conn.execute(
                "SELECT device_id, count(*) FROM court_tui.audit_log "
                "WHERE action = 'sync-apply' GROUP BY device_id"
            )
        }
    return cases, applied


def _check(
    results: Sequence[LaptopResult], cases: dict[str, tuple[str, int]], applied: dict[str, int]
) -> tuple[int, int, int]:
    """(lost, applied twice, skipped by a pull), counted change by change: a laptop's own
    case must stand on the central store at the laptop's revision, its saves must each
    have been accepted once, and it must hold every case of its team at the central
    store's revision."""
    lost = twice = skipped = 0
    for result in results:
        behind = result.pending + sum(
            max(0, revision - cases.get(case_id, ("", 0))[1])
            for case_id, revision in result.own.items()
        )
        accepted = applied.get(result.device_id, 0)
        lost += max(behind, result.saves - accepted)
        twice += max(0, accepted - result.saves)
        for case_id, (team, revision) in cases.items():
            if team == result.team and result.held.get(case_id, 0) < revision:
                skipped += 1
    return lost, twice, skipped


def run_rush(
    server: PostgresServer,
    database: str,
    laptops: int,
    *,
    per_team: int = PER_TEAM,
    seconds: float = SECONDS,
    changes: int = CHANGES_PER_SYNC,
    processes: int = PROCESSES,
    workers: int | None = WORKERS,
    min_rounds: int = MIN_ROUNDS,
    folder: Path,
) -> RushResult:
    """LAPTOPS laptops (PER_TEAM to a team) syncing at once with a new central store
    DATABASE on SERVER for SECONDS; their stores are made in FOLDER."""
    url = server.create_database(database)
    init_server(url)
    teams = math.ceil(laptops / per_team)
    fleet = [
        Laptop(f"rush{number:03d}", f"Rush team {number // per_team:02d}",
               str(folder / f"{database}-{number:03d}.db"))
        for number in range(laptops)
    ]  # fmt: skip
    for laptop in fleet:
        add_user(url, laptop.login, teams=[laptop.team], role="officer")
    urls = {laptop.login: server.url(laptop.login, database) for laptop in fleet}
    count = max(1, min(processes, laptops))
    context = multiprocessing.get_context("spawn")
    ready = context.Barrier(count + 1)
    drained = context.Barrier(count)
    done, out = context.Queue(), context.Queue()
    procs = [
        context.Process(
            target=_drive,
            args=(
                fleet[index::count],
                urls,
                seconds,
                changes,
                workers,
                min_rounds,
                ready,
                done,
                drained,
                out,
            ),  # fmt: skip
            daemon=True,
        )
        for index in range(count)
    ]
    for proc in procs:
        proc.start()
    sampler = _PeakSampler(server.conninfo(database=database), database)
    sampler.start()
    ready.wait(timeout=600)  # a worker that died breaks the barrier, not the run
    started, server_cpu = time.monotonic(), _server_cpu(server)
    ended = [done.get(timeout=seconds + 1800) for _ in procs]
    server_cpu = _server_cpu(server) - server_cpu
    sampler.halt.set()
    results: list[LaptopResult] = []
    for _ in procs:
        results += out.get(timeout=900)
    for proc in procs:
        proc.join(timeout=60)
    sampler.join()
    cases, applied = _central_state(server.conninfo(database=database))
    lost, twice, skipped = _check(results, cases, applied)
    if os.environ.get("COURT_TUI_RUSH_WAITS"):
        samples = max(1, len(sampler.lock_waiting))
        print({key: round(count / samples, 2) for key, count in sampler.waits.most_common(8)})
    return RushResult(
        laptops=laptops,
        teams=teams,
        seconds=max(end for end, _ in ended) - started,
        accepted=sum(result.accepted for result in results),
        received=sum(result.received for result in results),
        waits=[wait for result in results for wait in result.waits],
        peak_connections=sampler.peak,
        lock_waits=statistics.fmean(sampler.lock_waiting) if sampler.lock_waiting else 0.0,
        server_cpu=server_cpu,
        laptops_cpu=sum(cpu for _, cpu in ended),
        busy=sum(result.busy for result in results),
        failed=sum(len(result.failed) for result in results),
        lost=lost,
        applied_twice=twice,
        skipped=skipped,
    )


@functools.cache
def _run_all() -> dict[int, RushResult] | str:
    try:
        server = PostgresServer(durable=True)
    except PostgresUnavailable as missing:
        return f"skipped: {missing}"
    memory = Path("/dev/shm")
    scratch = str(memory) if memory.is_dir() and os.access(memory, os.W_OK) else None
    figures: dict[int, RushResult] = {}
    # Each laptop has a disk of its own: the stores live in memory here, so that 200 of
    # them do not queue on this machine's one disk.
    with server, tempfile.TemporaryDirectory(dir=scratch) as folder:
        print(HEADER, file=sys.stderr, flush=True)
        for size in SIZES:
            figures[size] = run_rush(server, f"rush_{size}", size, folder=Path(folder))
            print(figures[size].line(), file=sys.stderr, flush=True)
    print("\nThe morning rush (all laptops syncing at once):")
    print(LEGEND)
    print(HEADER)
    for result in figures.values():
        print(result.line())
    wrong = [r for r in figures.values() if r.lost or r.applied_twice or r.skipped or r.failed]
    if wrong:
        raise RuntimeError(f"changes lost, applied twice, skipped or failed: {wrong}")
    return figures


def _ratio_row(subject: int, baseline: int) -> dict[str, Any]:
    name = f"rush: throughput, {subject} laptops vs {baseline}"
    figures = _run_all()
    if isinstance(figures, str):
        return {"name": name, "error": figures}
    mine, theirs = figures[subject], figures[baseline]
    # Counted in changes a second, so the ratio is the gain in throughput (higher is better).
    return {
        "name": name,
        "subject_seconds": round(mine.throughput, 1),
        "baseline_seconds": round(theirs.throughput, 1),
        "unit": "changes/s",
        "baseline": f"{baseline} laptop(s) syncing at once, same run",
        "note": (
            f"sync wait median {mine.median_wait:.2f} s, p95 {mine.p95_wait:.2f} s "
            f"(vs {theirs.median_wait:.2f} s, {theirs.p95_wait:.2f} s); "
            f"peak {mine.peak_connections} connections; {mine.busy} syncs told busy"
        ),
    }


def rush_10_vs_1() -> dict[str, Any]:
    return _ratio_row(10, 1)


def rush_50_vs_1() -> dict[str, Any]:
    return _ratio_row(50, 1)


def rush_200_vs_1() -> dict[str, Any]:
    return _ratio_row(200, 1)


def rush_200_vs_10() -> dict[str, Any]:
    return _ratio_row(200, 10)


ROWS = [rush_10_vs_1, rush_50_vs_1, rush_200_vs_1, rush_200_vs_10]
