"""One sync: send the outbox in order, then the oversight notes written here, then pull
what changed elsewhere.

Sending is idempotent (the central store keys each change by device id and sequence),
so a batch whose reply was lost is simply sent again. Only transport errors are retried,
with exponential backoff and a bound; whatever is not acknowledged stays in the outbox.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    wait_exponential,
    wait_random,
)

from court_tui.domain.case import utc_now
from court_tui.domain.dates import describe_recent, to_local
from court_tui.domain.settings import SYNC_SERVER
from court_tui.store import Store
from court_tui.sync.errors import (
    CentralBusy,
    CentralTooOld,
    DeviceRevoked,
    ServerProblem,
    SyncError,
    is_transport_error,
)
from court_tui.sync.local import (
    STATE_LAST_ATTEMPT,
    STATE_LAST_ERROR,
    STATE_LAST_SYNCED,
    LocalSync,
    PushTally,
)
from court_tui.sync.local_revoked import RevokedState
from court_tui.sync.protocol import BATCH_PROTOCOL, Change, ChangeResult, PullPage
from court_tui.sync.transport import PostgresTransport, Transport

BATCH_SIZE = 200
PULL_LIMIT = 500
WAITING_REASON = "Waiting for an earlier change to this case that was not accepted."
# A laptop the central store has cut off asks it again at most this often in the
# background (an administrator may let it back); `court-tui sync` asks at once.
REVOKED_RECHECK = timedelta(hours=1)


@dataclass(frozen=True)
class RetryPolicy:
    """How often, and how patiently, to try again when the central store is unreachable."""

    attempts: int = 4
    first_wait: float = 0.5
    max_wait: float = 8.0
    # However the attempts go, no more retries once this long has passed.
    give_up_after: float = 60.0
    # A central store that is full turns a laptop away at once and cheaply: up to this
    # many attempts in all while it says so (still within give_up_after).
    busy_attempts: int = 8
    # When the central store is still busy after the attempts: the next background sync
    # (the app syncs every five minutes), named in the message.
    next_sync_after: float = 300.0

    def _stop(self, state: RetryCallState) -> bool:
        busy = state.outcome is not None and isinstance(state.outcome.exception(), CentralBusy)
        limit = max(self.attempts, self.busy_attempts) if busy else self.attempts
        waited = state.seconds_since_start or 0.0
        return state.attempt_number >= limit or waited >= self.give_up_after

    def retrying(self, before_sleep: Callable[[RetryCallState], None] | None = None) -> Retrying:
        """A tenacity Retrying that retries transport errors only. The waits are spread
        at random by up to FIRST_WAIT, so that laptops turned away together by a full
        central store do not all come back at the same moment."""
        return Retrying(
            retry=retry_if_exception(is_transport_error),
            stop=self._stop,
            wait=wait_exponential(multiplier=self.first_wait, max=self.max_wait)
            + wait_random(0, self.first_wait),
            before_sleep=before_sleep,
            reraise=True,
        )


@dataclass(frozen=True)
class Rejection:
    """A change the central store refused, and why (it stays in the outbox)."""

    seq: int
    case_id: str
    reason: str


@dataclass
class SyncReport:
    """What one sync did, for the status line, the command line and the tests."""

    sent: int = 0
    applied: int = 0
    duplicates: int = 0
    conflicts: int = 0
    held: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    blocked: int = 0
    retries: int = 0
    notes_sent: int = 0
    notes_refused: list[tuple[str, str]] = field(default_factory=list)
    notes_waiting: str | None = None
    pulled_cases: int = 0
    pulled_notes: int = 0
    pulled_reference: int = 0
    conflicts_updated: int = 0
    pulled_case_ids: list[str] = field(default_factory=list)
    set_aside: list[tuple[str, str]] = field(default_factory=list)
    superseded: int = 0
    error: str | None = None
    finished_at: datetime | None = None
    pending: int = 0
    open_conflicts: int = 0
    # The central store has cut this laptop off: said in `error`, kept until it lets it back.
    revoked: DeviceRevoked | None = None
    # Not asked this time (it was, lately, and refused): when the background asks again.
    next_check: datetime | None = None

    @property
    def ok(self) -> bool:
        """Whether the sync ran to the end (conflicts and refusals may still need work)."""
        return self.error is None

    def lines(self) -> list[str]:
        """The sync in plain words."""
        if self.error:
            lines = [self.error]
            if self.next_check is not None:
                lines.append(
                    "court-tui asks the central store again after "
                    f"{_clock_time(self.next_check)}; `court-tui sync` asks it now."
                )
        else:
            lines = ["Nothing to send."]
            if self.sent:
                lines = [
                    f"Sent {self.sent} change(s): {self.applied} accepted"
                    + (f", {self.conflicts} in conflict" if self.conflicts else "")
                    + (f", {self.held} kept with a conflict" if self.held else "")
                    + (f", {len(self.rejected)} refused" if self.rejected else "")
                    + "."
                ]
            if self.notes_sent:
                lines.append(f"Sent {self.notes_sent} oversight note(s).")
            pulled = [
                f"{self.pulled_cases} case(s)",
                f"{self.pulled_notes} supervisor note(s)",
                f"{self.pulled_reference} reference list(s)",
            ]
            lines.append("Received " + ", ".join(pulled) + " changed elsewhere.")
        for rejection in self.rejected:
            lines.append(f"Refused: case {rejection.case_id} (change {rejection.seq}): "
                         f"{rejection.reason}")  # fmt: skip
        for case_id, reason in self.set_aside:
            lines.append(
                f"Set aside: case {case_id} from the central store: {reason}. "
                "The rest of the sync went on."
            )
        for case_id, reason in self.notes_refused:
            lines.append(f"Refused: an oversight note on case {case_id}: {reason}")
        if self.notes_waiting:
            lines.append(self.notes_waiting)
        if self.open_conflicts:
            lines.append(
                f"{self.open_conflicts} case(s) changed here and elsewhere: open each one "
                "and choose which version to keep."
            )
        lines.append(describe_pending(self.pending))
        return lines


def describe_pending(pending: int) -> str:
    """'3 changes not yet synced', or that all are."""
    if pending == 0:
        return "All changes synced"
    return f"{pending} change{'s' if pending != 1 else ''} not yet synced"


@dataclass(frozen=True)
class SyncStatus:
    """What the status line shows about syncing."""

    pending: int
    last_synced_at: datetime | None
    last_error: str | None
    open_conflicts: int = 0
    refused: int = 0
    set_aside: int = 0

    def describe(self) -> str:
        """E.g. '3 changes not yet synced · Synced 10:40', or the last error."""
        parts = [describe_pending(self.pending)]
        if self.refused:
            parts.append(f"{self.refused} refused or waiting behind a refusal")
        if self.open_conflicts:
            parts.append(f"{self.open_conflicts} to choose a version")
        if self.set_aside:
            parts.append(f"{self.set_aside} case(s) from the central store set aside")
        if self.last_synced_at is not None:
            parts.append("Synced " + _clock_time(self.last_synced_at))
        else:
            parts.append("Not synced yet")
        text = " · ".join(parts)
        return f"{self.last_error} {text}" if self.last_error else text


def _clock_time(moment: datetime) -> str:
    return describe_recent(moment, to_local(datetime.now(UTC)).date())


def sync_status(store: Store) -> SyncStatus:
    """The sync state for the status line (reads only; cheap enough for every refresh)."""
    local = LocalSync(store)
    last = local.state(STATE_LAST_SYNCED)
    return SyncStatus(
        pending=local.pending_count(),
        last_synced_at=datetime.fromisoformat(last) if last else None,
        last_error=local.state(STATE_LAST_ERROR),
        open_conflicts=local.open_conflict_count(),
        refused=local.refused_count() + len(local.refused_notes()),
        set_aside=len(local.set_aside_cases()),
    )


def _check_results(changes: list[Change], results: list[ChangeResult]) -> None:
    if [c.seq for c in changes] != [r.seq for r in results]:
        raise ServerProblem("its answer did not match the changes sent")


def _push(
    local: LocalSync,
    transport: Transport,
    report: SyncReport,
    *,
    batch_size: int,
    call: Callable[..., object],
) -> None:
    stuck: set[str] = set()
    for device_id in local.pending_devices():
        # A case saved again since its change was refused: the new save goes in its place.
        report.superseded += len(local.supersede_refused(device_id))
        _push_device(local, transport, report, device_id, stuck, batch_size, call)


def _push_device(
    local: LocalSync,
    transport: Transport,
    report: SyncReport,
    device_id: str,
    stuck: set[str],
    batch_size: int,
    call: Callable[..., object],
) -> None:
    """Send DEVICE_ID's pending changes in batches, in order, one batch at the central
    store at a time. While it applies one, the laptop writes down the answers to the one
    before and reads and builds the next; a batch is sent only once the answers to the one
    before it are in, so that what follows a refused change waits."""
    rows = local.pending_rows(0, batch_size, device_id)
    if not rows:
        return
    protocol = call(transport.protocol)
    assert isinstance(protocol, int)
    with_rows = protocol < BATCH_PROTOCOL
    built = local.build_changes(rows, with_rows=with_rows)
    answered: list[Change] = []
    sending: Future[object] | None = None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="court-tui-push") as sender:
        while rows or sending is not None:
            results: list[ChangeResult] = []
            if sending is not None:
                got = sending.result()
                assert isinstance(got, list)
                results = got
                _check_results(answered, results)
                # A case with a change refused: what follows it waits.
                pairs = zip(answered, results, strict=True)
                stuck |= {change.case_id for change, result in pairs if not result.acknowledged}
            waiting = [row for row in rows if row.case_id in stuck]
            changes = [change for change in built if change.case_id not in stuck]
            sending = sender.submit(call, transport.push, device_id, changes) if changes else None
            if results:
                report.sent += len(answered)
                _tally(report, local.record_results(device_id, answered, results))
            if waiting:
                local.mark_unsent(waiting, WAITING_REASON)
                report.blocked += len(waiting)
            answered = changes
            rows = local.pending_rows(rows[-1].seq, batch_size, device_id) if rows else []
            built = local.build_changes(rows, with_rows=with_rows) if rows else []


def _tally(report: SyncReport, tally: PushTally) -> None:
    """Add what one batch's answers did to REPORT."""
    report.applied += tally.applied
    report.duplicates += tally.duplicates
    report.conflicts += tally.conflicts
    report.held += tally.held
    report.blocked += tally.blocked
    report.rejected += [Rejection(*rejected) for rejected in tally.rejected]


def _push_notes(
    local: LocalSync, transport: Transport, report: SyncReport, call: Callable[..., object]
) -> None:
    """Send the oversight notes written here, in batches. A refused one is sent again at
    the next sync, not this one; the central store keys them by id, so a repeat after a
    lost reply does nothing."""
    notes = local.unsent_notes()
    for start in range(0, len(notes), BATCH_SIZE):
        batch = notes[start : start + BATCH_SIZE]
        try:
            results = call(transport.push_notes, local.device_id, batch)
        except CentralTooOld as too_old:
            report.notes_waiting = too_old.message
            return  # the cases still come and go; the notes wait, counted as not synced
        assert isinstance(results, list)
        tally = local.record_note_results(batch, results)
        report.notes_sent += tally.sent
        report.notes_refused += tally.refused


def _pull(
    local: LocalSync,
    transport: Transport,
    report: SyncReport,
    *,
    limit: int,
    call: Callable[..., object],
) -> None:
    cursor, teams = local.pull_position()
    first = True
    while True:
        page = call(transport.pull, local.device_id, cursor, limit)
        assert isinstance(page, PullPage)
        if first and teams is not None and page.teams != teams and cursor != 0:
            # Moved to another team: what was skipped before may now be ours to see.
            local.start_over(page.teams)
            cursor = 0
            first = False
            continue
        first = False
        fetched: dict[str, tuple[int, str]] = {}
        for case_id in local.missing_cases(page):
            found = call(transport.fetch_case, case_id)
            if isinstance(found, tuple):
                fetched[case_id] = found
        full = len(page.items) >= limit
        last_seen = page.items[-1].change_seq if page.items else cursor
        new_cursor = last_seen if full else max(last_seen, page.high_water)
        tally = local.apply_page(page, fetched, new_cursor)
        report.pulled_cases += tally.cases
        report.pulled_notes += tally.notes
        report.pulled_reference += tally.reference
        report.conflicts_updated += tally.conflicts_updated
        report.pulled_case_ids += tally.case_ids
        report.set_aside += tally.set_aside
        cursor = new_cursor
        if not full:
            return


def sync_once(
    store: Store,
    transport: Transport,
    *,
    batch_size: int = BATCH_SIZE,
    pull_limit: int = PULL_LIMIT,
    retry: RetryPolicy | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> SyncReport:
    """Send every pending change, then receive what changed elsewhere; never raises for
    a sync problem (the report and the status line carry it)."""
    local = LocalSync(store, clock=clock)
    report = SyncReport()
    policy = retry or RetryPolicy()

    def busy_wait(state: RetryCallState) -> None:
        # While the central store is full, the status line says when this laptop tries again.
        busy = state.outcome.exception() if state.outcome is not None else None
        if isinstance(busy, CentralBusy) and state.next_action is not None:
            local.record_failure(
                busy.at(clock() + timedelta(seconds=state.next_action.sleep)).message
            )

    def call(function: Callable[..., object], *args: object) -> object:
        for attempt in policy.retrying(busy_wait):
            with attempt:
                if attempt.retry_state.attempt_number > 1:
                    report.retries += 1
                return function(*args)
        raise AssertionError("unreachable")  # pragma: no cover

    try:
        _push(local, transport, report, batch_size=batch_size, call=call)
        _push_notes(local, transport, report, call)
        _pull(local, transport, report, limit=pull_limit, call=call)
    except CentralBusy as busy:
        problem = busy.at(clock() + timedelta(seconds=policy.next_sync_after))
        report.error = problem.message
        local.record_failure(problem.message)
    except SyncError as problem:
        report.error = problem.message
        local.record_failure(problem.message)
        if isinstance(problem, DeviceRevoked):
            # Nothing is dropped: the refusal came before anything was sent or taken.
            report.revoked = problem
            RevokedState(store, clock=clock).remember(problem)
    else:
        report.finished_at = clock()
        local.record_success(report.finished_at)
        RevokedState(store, clock=clock).forget()
    report.pending = local.pending_count()
    report.open_conflicts = local.open_conflict_count()
    return report


def configured_server(store: Store | None = None, *given: str | None) -> str | None:
    """The central store's address: the first of GIVEN that is set (--server, then
    $COURT_TUI_SERVER), else the one saved in STORE's settings."""
    for candidate in given:
        if candidate and candidate.strip():
            return candidate.strip()
    saved = SYNC_SERVER.read(store.repository.get_setting).strip() if store is not None else ""
    return saved or None


def sync_with_server(store: Store, url: str, *, retry: RetryPolicy | None = None) -> SyncReport:
    """One sync with the central store at URL."""
    transport = PostgresTransport(url)
    try:
        return sync_once(store, transport, retry=retry)
    finally:
        transport.close()


def try_sync(
    store: Store, *, server: str | None = None, retry: RetryPolicy | None = None
) -> SyncReport | None:
    """The background attempt: sync when a central store is configured (SERVER, from
    $COURT_TUI_SERVER, else the saved one), else None.

    Meant for a worker thread on a timer; an unreachable store is recorded for the
    status line ("Cannot reach the central store ...") and tried again next time.
    """
    url = configured_server(store, server)
    if url is None:
        return None
    held = _held_back(store)
    if held is not None:
        return held
    try:
        return sync_with_server(store, url, retry=retry)
    except SyncError as problem:  # a bad address
        LocalSync(store).record_failure(problem.message)
        return SyncReport(error=problem.message, pending=LocalSync(store).pending_count())


def _held_back(store: Store) -> SyncReport | None:
    """The report of a background attempt not made: the central store cut this laptop off
    less than REVOKED_RECHECK ago (asking again so soon would only be refused again)."""
    revoked = RevokedState(store).revoked()
    if revoked is None:
        return None
    local = LocalSync(store)
    last = local.state(STATE_LAST_ATTEMPT)
    try:
        next_check = datetime.fromisoformat(last) + REVOKED_RECHECK if last else None
    except ValueError:
        next_check = None
    if next_check is None or next_check.tzinfo is None or next_check <= utc_now():
        return None
    return SyncReport(
        error=revoked.message,
        revoked=revoked,
        next_check=next_check,
        pending=local.pending_count(),
        open_conflicts=local.open_conflict_count(),
    )
