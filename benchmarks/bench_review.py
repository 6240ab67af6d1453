"""Review rows: the supervisor's pending-checks view on 100,000 cases and 300,000 checks
and follow-ups, through the app (worker, query, table filled and drawn) against the same
SQL run directly through sqlcipher3 on the same encrypted file (rows fetched, nothing
built).

1. Opening the view: a new review screen pushed on a running app, until its first tab is
   drawn with its count. Most of it is Textual building the screen; the query and render
   alone are the next row.
2. Opening a tab: All pending, not read yet, from choosing the tab until its rows are
   drawn, against a bare Textual DataTable, the same size, drawing the same 50 rows (the
   cells the view drew, copied): the floor for showing them at all. The SQL alone is in
   the note.
3. Opening the "Received in the last seven days" tab the same way.
4. Changing a filter: from a court being chosen (then another) until the tab is drawn
   again.

"Drawn" is the same on both sides: the end of the first refresh of the screen in which
the table rendered its new rows (a refresh that comes before the table asked for one does
not count).
5. Peak memory: the review opened on the same store in a fresh interpreter until its
   first tab is drawn, against a bare Textual app with an empty DataTable.

The store is built once with executemany: 12 teams at 12 courts, 8 officers a team,
cases heard over three years to Monday 2 March 2026, two checks a case and one follow-up
a case on average. Checks on cases heard in the last four weeks are often still awaited;
on older cases about one in a hundred was never chased, which is the backlog the view is
for. No ANALYZE is run: the store never runs one either.
"""

from __future__ import annotations

import asyncio
import gc
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import sqlcipher3

from benchmarks.timing import median_seconds
from court_tui.domain.case import CaseRecord
from court_tui.domain.casefile import loads
from court_tui.domain.forms import FormSet, load_forms
from court_tui.domain.review import PAGE_SIZE, ReviewFilters, ReviewPage, Tab
from court_tui.domain.status import case_status
from court_tui.resources import data_dir
from court_tui.store import Store, open_store
from court_tui.store.review_queries import LocalReviewSource
from court_tui.store.writes import handover_column

PASSPHRASE = "benchmark passphrase"
CASES = 100_000
TEAMS = 12
OFFICERS_A_TEAM = 8
TODAY = date(2026, 3, 2)
REPEAT = 15
TEMPLATE = data_dir() / "demo" / "check-outstanding-at-sentence.json"
SURNAMES = ["Reid", "Patel", "Khan", "Smith", "Jones", "Evans", "Hughes", "Murphy", "Lee"]
FIRST = ["Alex", "Sam", "Jo", "Robin", "Casey", "Jordan", "Taylor", "Morgan", "Jamie"]
ACTIONS = [
    "Get the RSR score from OASys",
    "Ask the council whether the address is settled",
    "Confirm the job with the employer",
    "Find the GP's name",
]


class _BigStore:
    """The built store's path and what it holds, made once per run."""

    folder: tempfile.TemporaryDirectory[str] | None = None
    path: Path | None = None
    counts: dict[str, int] = {}

    @classmethod
    def get(cls) -> Path:
        if cls.path is None:
            cls.folder = tempfile.TemporaryDirectory(prefix="court-tui-bench-review-")
            cls.path = Path(cls.folder.name) / "review.db"
            cls.counts = _build(cls.path)
        return cls.path


def _court(team: int) -> str:
    return f"Court {team:02d} Magistrates' Court"


def _build(path: Path) -> dict[str, int]:
    forms = load_forms()
    template: CaseRecord = loads(TEMPLATE.read_text(encoding="utf-8"), forms)
    status = case_status(template, forms, TODAY)
    handover = handover_column(template, forms, TODAY)
    rng = random.Random(20260302)
    open_store(path, PASSPHRASE, create=True, forms=forms).close()
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = '{PASSPHRASE}'")
    conn.execute("BEGIN IMMEDIATE")
    cases: list[tuple[Any, ...]] = []
    checks: list[tuple[Any, ...]] = []
    follow_ups: list[tuple[Any, ...]] = []
    counts = {"pending": 0, "overdue": 0}
    for n in range(CASES):
        case_id = f"0190f000-0000-7000-8000-{n:012d}"
        team = n % TEAMS
        officer = f"Officer {team:02d}-{rng.randrange(OFFICERS_A_TEAM)}"
        name = f"{rng.choice(FIRST)} {rng.choice(SURNAMES)} {n}"
        heard = TODAY - timedelta(days=rng.randint(0, 3 * 365))
        recent = (TODAY - heard).days <= 28
        answers = {**template.answers, "name": name, "crn": f"X{n:06d}"}
        record = template.model_copy(
            update={"id": case_id, "answers": answers, "team": f"Team {team:02d}"}
        )
        cases.append(
            (
                case_id,
                1,
                f"{heard.isoformat()} 09:00:00",
                f"{heard.isoformat()} 09:00:00",
                officer,
                f"Team {team:02d}",
                name,
                f"X{n:06d}",
                f"2012/{n:07d}A",
                _court(team),
                "3",
                heard.isoformat(),
                status,
                0,
                record.model_dump_json(),
            )
        )
        for kind in ("domestic_abuse", "safeguarding"):
            requested = heard - timedelta(days=rng.randint(0, 3))
            expected = requested + timedelta(days=rng.randint(3, 15))
            waiting = rng.random() < (0.5 if recent else 0.01)
            received = None if waiting else expected - timedelta(days=rng.randint(-3, 3))
            if received is not None and received > TODAY:
                received = TODAY
            counts["pending"] += waiting
            counts["overdue"] += waiting and expected < TODAY
            checks.append(
                (
                    case_id,
                    kind,
                    "yes",
                    "Police" if kind == "domestic_abuse" else "Children's services",
                    requested.isoformat(),
                    expected.isoformat(),
                    received.isoformat() if received else None,
                    "no_concerns" if received else None,
                    "Outstanding" if waiting else "Received",
                )
            )
        for index in range(rng.choice((0, 1, 1, 2))):
            due = heard + timedelta(days=rng.randint(1, 20))
            open_ = rng.random() < (0.6 if recent else 0.02)
            counts["pending"] += open_
            counts["overdue"] += open_ and due < TODAY
            closed = None if open_ else min(TODAY, due - timedelta(days=rng.randint(0, 3)))
            follow_ups.append(
                (
                    f"0190f000-0000-7000-9{index:03d}-{n:012d}",
                    case_id,
                    "rsr_score",
                    officer,
                    rng.choice(ACTIONS),
                    due.isoformat(),
                    heard.isoformat(),
                    officer,
                    closed.isoformat() if closed else None,
                    officer if closed else None,
                )
            )
    conn.executemany(f"INSERT INTO cases VALUES ({', '.join('?' * 15)}, '{handover}')", cases)
    conn.executemany(
        "INSERT INTO checks (case_id, kind, requested, agency, requested_on, expected_by, "
        "received_on, result, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        checks,
    )
    conn.executemany(
        "INSERT INTO follow_ups (id, case_id, question, owner, action, due, recorded_on, "
        "recorded_by, closed_on, closed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        follow_ups,
    )
    conn.execute("COMMIT")
    conn.close()
    counts["cases"] = len(cases)
    counts["items"] = len(checks) + len(follow_ups)
    del cases, checks, follow_ups
    gc.collect()  # the built rows go before anything is timed
    return counts


def _statements(
    store: Store, forms: FormSet, tab: Tab, filters: ReviewFilters
) -> list[tuple[str, tuple[Any, ...]]]:
    """The SQL the view runs for TAB under FILTERS, as sqlcipher3 takes it."""
    captured: list[tuple[str, tuple[Any, ...]]] = []
    engine: sa.Engine = store.repository.engine

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            captured.append((statement, tuple(parameters)))

    source = LocalReviewSource(store, forms=forms)
    sa.event.listen(engine, "before_cursor_execute", capture)
    try:
        source.page(tab, filters, TODAY)
    finally:
        sa.event.remove(engine, "before_cursor_execute", capture)
    return captured


def _raw_seconds(path: Path, statements: list[tuple[str, tuple[Any, ...]]]) -> float:
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = '{PASSPHRASE}'")
    conn.execute("PRAGMA cache_size = -32000")

    def run() -> None:
        for statement, parameters in statements:
            conn.execute(statement, parameters).fetchall()

    try:
        return median_seconds(run, repeat=REPEAT)
    finally:
        conn.close()


class _Drawn:
    """Calls back once TABLE has been drawn on the screen: as soon as the refresh in which
    it renders its lines is over. (Waiting for the screen's next refresh is not enough: it
    may refresh before the table has asked it to, with the rows still to be drawn.)"""

    def __init__(self, table: Any) -> None:
        self.then: Callable[[], None] | None = None
        render_lines = table.render_lines

        def noting(crop: Any) -> Any:
            lines = render_lines(crop)
            then, self.then = self.then, None
            if then is not None:
                # Next in the loop: the rest of the refresh (other widgets, the terminal
                # written) is done in this step, and before anything it leaves for after.
                asyncio.get_running_loop().call_soon(then)
            return lines

        table.render_lines = noting

    def expect(self, then: Callable[[], None]) -> None:
        """Call THEN once the table is next drawn (it has been changed since last drawn)."""
        self.then = then


async def _app_seconds(path: Path, forms: FormSet) -> dict[str, Any]:
    """Median seconds to open the view (the whole screen), to open a tab not read yet, and
    to change a filter, each until its rows are drawn."""

    from court_tui.ui.review.app import ReviewApp
    from court_tui.ui.review.screen import ReviewScreen

    class TimedScreen(ReviewScreen):
        """The review screen, noting when its rows are drawn."""

        drawn_at = 0.0
        drawing: _Drawn | None = None

        def __init__(self) -> None:
            super().__init__(source, today=lambda: TODAY)
            self.drawn = asyncio.Event()

        def show_page(self, page: ReviewPage) -> None:
            # Called once the screen has been repainted with the rows (and before anything
            # show_page itself leaves for after that repaint, like the footer).
            if self.drawing is None:
                self.drawing = _Drawn(self.table())
            self.drawing.expect(self._painted)
            super().show_page(page)

        def _painted(self) -> None:
            self.drawn_at = time.perf_counter()
            self.drawn.set()

    store = open_store(path, PASSPHRASE, forms=forms)
    source = LocalReviewSource(store, forms=forms)
    app = ReviewApp(source, forms=forms, today=lambda: TODAY)
    times: dict[str, list[float]] = {"screen": [], "tab": [], "received": [], "filter": []}
    shown = matching = 0
    drawn_rows: dict[str, Any] = {}
    try:
        async with app.run_test(size=(80, 24)) as pilot:

            async def idle() -> None:
                # Untimed: a supervisor's next key comes after the screen has settled
                # (the footer's keys are redrawn after the rows, for one).
                await app.workers.wait_for_complete()
                await pilot.pause()

            for _ in range(REPEAT + 1):
                await idle()
                start = time.perf_counter()
                screen = TimedScreen()
                await app.push_screen(screen)
                await screen.drawn.wait()
                times["screen"].append(screen.drawn_at - start)
                await idle()
                # Cleared here: the tab asks for its rows only once its activation is
                # handled, after this returns.
                screen.drawn.clear()
                start = time.perf_counter()
                screen.action_show_tab(Tab.PENDING.value)
                await screen.drawn.wait()
                times["tab"].append(screen.drawn_at - start)
                await idle()
                screen.drawn.clear()
                start = time.perf_counter()
                screen.action_show_tab(Tab.RECEIVED.value)
                await screen.drawn.wait()
                times["received"].append(screen.drawn_at - start)
                screen.action_show_tab(Tab.PENDING.value)
                for court in (_court(3), _court(7)):
                    await idle()
                    screen.drawn.clear()
                    start = time.perf_counter()
                    screen.set_filters(ReviewFilters(court=court))
                    await screen.drawn.wait()
                    times["filter"].append(screen.drawn_at - start)
                page = screen.pages[Tab.PENDING]
                shown, matching = len(page.items), page.matching
                if not drawn_rows:
                    await idle()
                    screen.action_show_tab(Tab.PENDING.value)
                    await idle()
                    drawn_rows.update(_drawn(screen.table()))
                await app.pop_screen()
    finally:
        store.close()
    # The first round warms caches and imports, as median_seconds does for the baseline.
    return {
        "screen": statistics.median(times["screen"][1:]),
        "tab": statistics.median(times["tab"][1:]),
        "received": statistics.median(times["received"][1:]),
        "filter": statistics.median(times["filter"][2:]),
        "shown": shown,
        "matching": matching,
        "drawn": drawn_rows,
    }


def _drawn(table: Any) -> dict[str, Any]:
    """The columns (label, width) and rows (cells, height) TABLE is drawing."""
    return {
        "size": table.outer_size,
        "columns": [(column.label, column.width) for column in table.ordered_columns],
        "rows": [(table.get_row(row.key), row.height) for row in table.ordered_rows],
    }


async def _bare_table_seconds(drawn: dict[str, Any]) -> float:
    """Median seconds for a bare DataTable, the same size, to be filled with the same
    rows and drawn."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            table: DataTable[Any] = DataTable()
            table.styles.width = drawn["size"].width
            table.styles.height = drawn["size"].height
            yield table

    app = Bare()
    times: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(DataTable)
        drawing = _Drawn(table)
        painted = asyncio.Event()
        drawn_at: list[float] = []

        def note_drawn() -> None:
            drawn_at.append(time.perf_counter())
            painted.set()

        for _ in range(REPEAT + 1):
            await pilot.pause()
            painted.clear()
            drawn_at.clear()
            start = time.perf_counter()
            table.clear(columns=True)
            for label, width in drawn["columns"]:
                table.add_column(label, width=width)
            for cells, height in drawn["rows"]:
                table.add_row(*cells, height=height)
            drawing.expect(note_drawn)
            await painted.wait()
            times.append(drawn_at[0] - start)
    return statistics.median(times[1:])


def _rows() -> list[dict[str, Any]]:
    path = _BigStore.get()
    forms = load_forms()
    timed = asyncio.run(_app_seconds(path, forms))
    store = open_store(path, PASSPHRASE, forms=forms)
    try:
        screen_sql = _statements(store, forms, Tab.OVERDUE, ReviewFilters())
        tab_sql = _statements(store, forms, Tab.PENDING, ReviewFilters())
        received_sql = _statements(store, forms, Tab.RECEIVED, ReviewFilters())
        filter_sql = _statements(store, forms, Tab.PENDING, ReviewFilters(court=_court(7)))
    finally:
        store.close()
    counts = _BigStore.counts
    data = (
        f"{counts['cases']:,} cases, {counts['items']:,} checks and follow-ups, "
        f"{counts['pending']:,} pending ({counts['overdue']:,} overdue)"
    )
    slowest = max(timed["tab"], timed["received"], timed["filter"])
    target = "under" if slowest < 0.1 else "OVER"

    def row(name: str, key: str, statements: list[Any], note: str) -> dict[str, Any]:
        return {
            "name": name,
            "subject_seconds": timed[key],
            "baseline_seconds": _raw_seconds(path, statements),
            "baseline": f"the same {len(statements)} SQL statements alone (sqlcipher3)",
            "note": note,
        }

    table_seconds = asyncio.run(_bare_table_seconds(timed["drawn"]))
    tab_sql_seconds = _raw_seconds(path, tab_sql)

    return [
        row(
            "review: open the view, whole screen, rows drawn",
            "screen",
            screen_sql,
            f"{data}; the screen built by Textual, then the overdue tab read and drawn",
        ),
        {
            "name": "review: open a tab, query and render",
            "subject_seconds": timed["tab"],
            "baseline_seconds": table_seconds,
            "baseline": f"a bare DataTable drawing the same {len(timed['drawn']['rows'])} rows",
            "note": f"all pending, first {PAGE_SIZE} rows drawn; medians of {REPEAT}; its "
            f"{len(tab_sql)} SQL statements alone {tab_sql_seconds * 1e3:.1f} ms; target 1.5x",
        },
        row(
            "review: open the received tab, query and render",
            "received",
            received_sql,
            f"received in the last seven days, first {PAGE_SIZE} rows drawn and all counted; "
            f"{timed['received'] / table_seconds:.2f}x the bare DataTable above",
        ),
        row(
            "review: change a filter (court), query and render",
            "filter",
            filter_sql,
            f"{timed['shown']} of {timed['matching']:,} rows drawn; query and render "
            f"{target} the 100 ms target; {timed['filter'] / table_seconds:.2f}x the bare "
            "DataTable above",
        ),
    ]


_cache: list[dict[str, Any]] = []


def _row(index: int) -> dict[str, Any]:
    if not _cache:
        _cache.extend(_rows())
    return _cache[index]


def open_view() -> dict[str, Any]:
    """Opening the review (the whole screen) on 100,000 cases vs its SQL alone."""
    return _row(0)


def open_tab() -> dict[str, Any]:
    """Opening a tab on 100,000 cases vs its SQL alone."""
    return _row(1)


def open_received_tab() -> dict[str, Any]:
    """Opening the received tab on 100,000 cases vs its SQL alone."""
    return _row(2)


def change_filter() -> dict[str, Any]:
    """Changing a filter on 100,000 cases vs its SQL alone."""
    return _row(3)


# Peak memory: each in a fresh interpreter, until the first tab's rows are drawn.
_PEAK = """
def peak():
    # VmHWM: this process's own high-water mark (ru_maxrss would keep its parent's).
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
"""

_MEMORY_REVIEW = (
    _PEAK
    + """
import asyncio, os, sys
from datetime import date
from pathlib import Path
from court_tui.domain.forms import load_forms
from court_tui.domain.review import Tab
from court_tui.store import open_store
from court_tui.store.review_queries import LocalReviewSource
from court_tui.ui.review.app import ReviewApp

async def main():
    forms = load_forms()
    store = open_store(Path(sys.argv[1]), sys.argv[2], forms=forms)
    today = date.fromisoformat(sys.argv[3])
    app = ReviewApp(LocalReviewSource(store, forms=forms), forms=forms, today=lambda: today)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(12_000):
            if Tab.OVERDUE in getattr(app.screen, "pages", {}):
                break
            await pilot.pause(0.005)
        else:
            raise SystemExit("the review was not drawn")
        await pilot.pause()
        print(peak())
    sys.stdout.flush()
    os._exit(0)

asyncio.run(main())
"""
)

_MEMORY_BARE = (
    _PEAK
    + """
import asyncio, os, sys
from textual.app import App
from textual.widgets import DataTable

class Bare(App):
    def compose(self):
        yield DataTable()

async def main():
    async with Bare().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        print(peak())
    sys.stdout.flush()
    os._exit(0)

asyncio.run(main())
"""
)


def _peak_megabytes(*args: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", *args], check=True, capture_output=True, text=True
    )
    return int(done.stdout.split()[-1]) / 1024  # VmHWM is in KiB


def peak_memory() -> dict[str, Any]:
    """Peak memory of the review open on 100,000 cases vs a bare Textual app."""
    path = _BigStore.get()
    subjects, baselines = [], []
    for _ in range(3):
        subjects.append(_peak_megabytes(_MEMORY_REVIEW, str(path), PASSPHRASE, str(TODAY)))
        baselines.append(_peak_megabytes(_MEMORY_BARE))
    subject = statistics.median(subjects)
    return {
        "name": f"peak memory, review open on {CASES:,} cases",
        "unit": "MB",
        "subject_seconds": round(subject, 1),
        "baseline_seconds": round(statistics.median(baselines), 1),
        "baseline": "a bare Textual app with a DataTable",
        "note": f"peak resident size, fresh interpreter each; {subject:.0f} MB is "
        f"{'under' if subject < 150 else 'OVER'} the 150 MB target",
    }


ROWS = [open_view, open_tab, open_received_tab, change_filter, peak_memory]
