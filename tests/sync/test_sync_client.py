"""Syncing laptops with a real central store: what arrives where, what is kept, what the
officer is told."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import pytest
import sqlalchemy as sa
from sync_helpers import Central, edit, new_case

from court_tui.domain.answers import NOT_KNOWN
from court_tui.domain.case import CheckRequest, FollowUp
from court_tui.domain.follow_ups import close_follow_up
from court_tui.store import Store
from court_tui.store.tables import ANSWERS, CASES, CHECKS, FOLLOW_UPS
from court_tui.store.writes import case_rows
from court_tui.sync.client import RetryPolicy, SyncReport, sync_once, sync_status, sync_with_server
from court_tui.sync.conflicts import list_conflicts, resolve_conflict
from court_tui.sync.errors import CannotReach, ServerProblem
from court_tui.sync.local import LocalSync
from court_tui.sync.protocol import BATCH_PROTOCOL, Change, ChangeResult, PullPage
from court_tui.sync.transport import PostgresTransport

pytestmark = pytest.mark.postgres

QUICK = RetryPolicy(attempts=3, first_wait=0, max_wait=0)


def sync(store: Store, central: Central, login: str, *, pull_limit: int = 500) -> SyncReport:
    transport = central.transport(login)
    try:
        return sync_once(store, transport, retry=QUICK, pull_limit=pull_limit)
    finally:
        transport.close()


def outbox(store: Store) -> list[tuple[int, bool]]:
    with store._engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT seq, acknowledged_at IS NOT NULL FROM outbox ORDER BY seq"
        ).all()
    return [(int(seq), bool(acked)) for seq, acked in rows]


class Flaky:
    """A transport whose next replies are lost after the server has committed."""

    def __init__(self, inner: PostgresTransport, *, drop_pushes: int = 0, twice: bool = False):
        self.inner = inner
        self.drop_pushes = drop_pushes
        self.twice = twice
        self.push_calls = 0

    def protocol(self) -> int:
        return self.inner.protocol()

    def push(self, device_id: str, changes: Sequence[Change]) -> list[ChangeResult]:
        self.push_calls += 1
        results = self.inner.push(device_id, changes)
        if self.twice:
            self.twice = False
            results = self.inner.push(device_id, changes)
        if self.drop_pushes:
            self.drop_pushes -= 1
            raise CannotReach("the connection was lost")
        return results

    def pull(self, device_id: str, cursor: int, limit: int) -> PullPage:
        return self.inner.pull(device_id, cursor, limit)

    def fetch_case(self, case_id: str) -> tuple[int, str] | None:
        return self.inner.fetch_case(case_id)

    def close(self) -> None:
        self.inner.close()


@pytest.fixture
def pair(central: Central, make_laptop: Callable[[str], Store]) -> tuple[Store, Store]:
    """Amy's and Ben's laptops, both on the Leeds team."""
    central.add("amy", "Leeds")
    central.add("ben", "Leeds")
    return make_laptop("amy"), make_laptop("ben")


def test_the_rows_sent_are_the_rows_the_store_writes(make_laptop: Callable[[str], Store]) -> None:
    store = make_laptop("amy")
    record = new_case("Leeds")
    record.answers["hearing_date"] = "2026-03-02"
    record.answers["pnc"] = "2015/0001234b"
    record.answers["employment"] = NOT_KNOWN
    record.checks["safeguarding"] = CheckRequest(requested="yes", expected_by=date(2026, 3, 9))
    record.follow_ups.append(
        FollowUp(question="employment", owner="Amy", action="Ask", recorded_on=date(2026, 3, 2))
    )
    saved = store.repository.save_case(record, actor="amy")
    built = case_rows(saved, store.repository.forms, date.today())
    with store._engine.connect() as conn:
        stored = dict(conn.execute(sa.select(CASES).where(CASES.c.id == saved.id)).one()._mapping)
        children = {
            name: [dict(row._mapping) for row in conn.execute(sa.select(table))]
            for name, table in (
                ("answers", ANSWERS),
                ("checks", CHECKS),
                ("follow_ups", FOLLOW_UPS),
            )
        }
    assert {**built.columns, "id": saved.id} == stored
    assert sorted(built.answers, key=str) == sorted(children["answers"], key=str)
    assert built.checks == children["checks"]
    assert built.follow_ups == children["follow_ups"]


def test_a_case_made_on_one_laptop_reaches_the_other_without_being_queued_again(
    central: Central, pair: tuple[Store, Store]
) -> None:
    amy, ben = pair
    record = new_case("Leeds")
    record.checks["domestic_abuse"] = CheckRequest(requested="yes", expected_by=date(2026, 3, 9))
    saved = amy.repository.save_case(record, actor="amy")

    sent = sync(amy, central, "amy")
    received = sync(ben, central, "ben")

    assert (sent.sent, sent.applied, sent.pending) == (1, 1, 0)
    assert received.pulled_cases == 1
    assert ben.repository.revisions() == {saved.id: 1}
    assert ben.repository.outbox_depth() == 0 and outbox(ben) == []
    assert [item.item_id for item in ben.repository.pending_items(today=date(2026, 3, 2))] == [
        "domestic_abuse"
    ]
    assert [row.action for row in ben.repository.audit_rows(saved.id)] == ["sync-pull"]
    assert central.scalar("SELECT revision FROM court_tui.cases WHERE id = %s", saved.id) == 1


def test_check_results_and_closed_follow_ups_made_elsewhere_reach_the_officer(
    central: Central, pair: tuple[Store, Store]
) -> None:
    amy, ben = pair
    record = new_case("Leeds")
    record.checks["safeguarding"] = CheckRequest(requested="yes", expected_by=date(2026, 3, 9))
    follow_up = FollowUp(
        question="crn", owner="Ben", action="Find it", recorded_on=date(2026, 3, 2)
    )
    record.follow_ups.append(follow_up)
    saved = amy.repository.save_case(record, actor="amy")
    sync(amy, central, "amy")
    sync(ben, central, "ben")
    assert len(amy.repository.pending_items(today=date(2026, 3, 2))) == 2

    at_court = ben.repository.get_case(saved.id, actor="ben")
    at_court.checks["safeguarding"] = at_court.checks["safeguarding"].model_copy(
        update={"received_on": date(2026, 3, 3), "result": "no_concerns"}
    )
    at_court = close_follow_up(
        at_court, follow_up.id, answer="A123456", closed_by="Ben", closed_on=date(2026, 3, 3)
    )
    ben.repository.save_case(at_court, actor="ben")
    sync(ben, central, "ben")
    report = sync(amy, central, "amy")

    assert report.pulled_cases == 1
    assert amy.repository.pending_items(today=date(2026, 3, 4)) == []
    back = amy.repository.get_case(saved.id, actor="amy")
    assert back.checks["safeguarding"].result == "no_concerns"
    assert back.follow_ups[0].closed_by == "Ben"


def test_a_batch_sent_twice_is_applied_once(central: Central, pair: tuple[Store, Store]) -> None:
    amy, _ = pair
    amy.repository.save_case(new_case("Leeds"), actor="amy")
    flaky = Flaky(central.transport("amy"), twice=True)

    report = sync_once(amy, flaky, retry=QUICK)
    flaky.close()

    assert (report.applied, report.duplicates) == (1, 1)
    assert (
        central.scalar("SELECT count(*) FROM court_tui.audit_log WHERE action = 'sync-apply'") == 1
    )


def test_a_lost_reply_is_sent_again_and_absorbed(
    central: Central, pair: tuple[Store, Store]
) -> None:
    amy, _ = pair
    saved = amy.repository.save_case(new_case("Leeds"), actor="amy")
    edit(amy, saved.id, name="Alex Morgan-Smith")
    flaky = Flaky(central.transport("amy"), drop_pushes=1)

    report = sync_once(amy, flaky, retry=QUICK)
    flaky.close()

    assert report.ok and report.retries == 1
    assert (report.applied, report.duplicates, report.pending) == (2, 2, 0)
    assert flaky.push_calls == 2
    assert central.scalar("SELECT revision FROM court_tui.cases") == 2
    assert central.scalar("SELECT count(*) FROM court_tui.applied_ops") == 2


def test_when_every_reply_is_lost_nothing_is_dropped(
    central: Central, pair: tuple[Store, Store]
) -> None:
    amy, _ = pair
    amy.repository.save_case(new_case("Leeds"), actor="amy")
    flaky = Flaky(central.transport("amy"), drop_pushes=3)

    failed = sync_once(amy, flaky, retry=QUICK)
    assert flaky.push_calls == 3
    assert failed.error == (
        "Cannot reach the central store (the connection was lost). "
        "Your work is saved on this laptop."
    )
    assert outbox(amy) == [(1, False)]

    later = sync_once(amy, flaky, retry=QUICK)
    flaky.close()
    assert later.ok and later.duplicates == 1 and outbox(amy) == [(1, True)]


class Refusing:
    """A transport whose server answers with an error retrying cannot fix."""

    def __init__(self) -> None:
        self.calls = 0

    def protocol(self) -> int:
        return BATCH_PROTOCOL

    def push(self, device_id: str, changes: Sequence[Change]) -> list[ChangeResult]:
        self.calls += 1
        raise ServerProblem("it is not set up for court-tui: run `court-tui server init`")

    def pull(self, device_id: str, cursor: int, limit: int) -> PullPage:
        raise AssertionError("no pull after a failed push")

    def fetch_case(self, case_id: str) -> tuple[int, str] | None:
        return None

    def close(self) -> None:
        pass


def test_only_transport_errors_are_retried(make_laptop: Callable[[str], Store]) -> None:
    amy = make_laptop("amy")
    amy.repository.save_case(new_case("Leeds"), actor="amy")
    refusing = Refusing()

    report = sync_once(amy, refusing, retry=QUICK)

    assert refusing.calls == 1
    assert report.error is not None and "server init" in report.error
    assert amy.repository.outbox_depth() == 1


def test_an_unreachable_central_store_is_reported_and_the_work_kept(
    pg_server: object, make_laptop: Callable[[str], Store], tmp_path: object
) -> None:
    amy = make_laptop("amy")
    amy.repository.save_case(new_case("Leeds"), actor="amy")
    nowhere = "postgresql://amy@/court?host=/nonexistent/socket/dir"

    report = sync_with_server(amy, nowhere, retry=QUICK)
    status = sync_status(amy)

    message = (
        "Cannot reach the central store (no server at that address). "
        "Your work is saved on this laptop."
    )
    assert report.error == message
    assert status.pending == 1 and status.last_synced_at is None
    assert status.describe() == f"{message} 1 change not yet synced · Not synced yet"


def test_edits_of_one_case_on_two_laptops_become_a_conflict_on_both_sides(
    central: Central, pair: tuple[Store, Store]
) -> None:
    amy, ben = pair
    saved = amy.repository.save_case(new_case("Leeds"), actor="amy")
    sync(amy, central, "amy")
    sync(ben, central, "ben")
    edit(amy, saved.id, name="Alex Morgan (Amy)")
    edit(ben, saved.id, name="Alex Morgan (Ben)")

    sync(amy, central, "amy")
    report = sync(ben, central, "ben")

    assert (report.conflicts, report.applied) == (1, 0)
    with central.connect() as conn:
        mine, theirs, open_ = conn.execute(
            "SELECT mine_json, theirs_json, resolved_at IS NULL FROM court_tui.conflicts"
        ).fetchone()
    assert "Alex Morgan (Ben)" in mine and "Alex Morgan (Amy)" in theirs and open_
    views = list_conflicts(ben, actor="ben")
    assert len(views) == 1
    [difference] = views[0].differences
    assert (difference.label, difference.mine, difference.theirs) == (
        "Full name",
        "Alex Morgan (Ben)",
        "Alex Morgan (Amy)",
    )
    assert "Choose: keep mine, or take theirs." in views[0].lines()
    assert sync_status(ben).open_conflicts == 1
    # Ben's case is not overwritten while he has not chosen.
    assert ben.repository.get_case(saved.id, actor="ben").answers["name"] == "Alex Morgan (Ben)"


@pytest.mark.parametrize("keep", ["mine", "theirs"])
def test_the_officers_choice_goes_out_as_a_change_and_everyone_agrees(
    central: Central, pair: tuple[Store, Store], keep: str
) -> None:
    amy, ben = pair
    saved = amy.repository.save_case(new_case("Leeds"), actor="amy")
    sync(amy, central, "amy")
    sync(ben, central, "ben")
    edit(amy, saved.id, name="Amy's")
    edit(ben, saved.id, name="Ben's")
    sync(amy, central, "amy")
    sync(ben, central, "ben")
    # Ben goes on working on the case before he sees the conflict: kept with it, not sent.
    edit(ben, saved.id, pnc="2015/0001234B")
    held = sync(ben, central, "ben")
    assert held.held == 1
    assert "2015/0001234B" in str(
        central.scalar("SELECT mine_json FROM court_tui.conflicts WHERE resolved_at IS NULL")
    )

    chosen = resolve_conflict(ben, saved.id, keep, actor="ben")  # type: ignore[arg-type]
    assert ben.repository.outbox_depth() == 1
    sync(ben, central, "ben")
    sync(amy, central, "amy")

    expected = "Ben's" if keep == "mine" else "Amy's"
    for store in (amy, ben):
        assert store.repository.get_case(saved.id, actor="x").answers["name"] == expected
        assert store.repository.revisions() == {saved.id: chosen.revision}
        assert list_conflicts(store, mark_shown=False) == []
    with central.connect() as conn:
        row = conn.execute("SELECT resolution, resolved_at IS NOT NULL FROM court_tui.conflicts")
        assert row.fetchall() == [(keep, True)]
        name = conn.execute("SELECT name FROM court_tui.cases").fetchone()
    assert name == (expected,)


def test_a_refused_change_stays_with_its_reason_and_later_goes_through(
    central: Central, pair: tuple[Store, Store]
) -> None:
    amy, _ = pair
    saved = amy.repository.save_case(new_case("Bradford"), actor="amy")
    edit(amy, saved.id, name="Second edit")
    other = amy.repository.save_case(new_case("Leeds"), actor="amy")

    report = sync(amy, central, "amy")

    assert report.applied == 1
    assert [r.reason for r in report.rejected] == [
        'You are not on team "Bradford" in the central store.'
    ]
    assert report.blocked == 1
    assert outbox(amy) == [(1, False), (2, False), (3, True)]
    refused = {row.seq: row.reason for row in LocalSync(amy).refused_rows()}
    assert refused[1] == 'You are not on team "Bradford" in the central store.'
    assert refused[2] is not None and "earlier change" in refused[2]
    assert sync_status(amy).refused == 2

    central.add("amy", "Leeds", "Bradford")
    again = sync(amy, central, "amy")
    assert again.applied == 2 and outbox(amy) == [(1, True), (2, True), (3, True)]
    assert central.scalar("SELECT revision FROM court_tui.cases WHERE id = %s", saved.id) == 2
    assert other.id != saved.id


def test_a_change_after_one_refused_in_an_earlier_batch_is_not_sent(
    central: Central, pair: tuple[Store, Store]
) -> None:
    amy, _ = pair
    first = amy.repository.save_case(new_case("Leeds", name="First"), actor="amy")
    saved = amy.repository.save_case(new_case("Bradford"), actor="amy")
    edit(amy, saved.id, name="Second edit")
    last = amy.repository.save_case(new_case("Leeds", name="Last"), actor="amy")
    transport = central.transport("amy")
    try:
        # One change a batch: each batch is sent while the laptop writes down the last.
        report = sync_once(amy, transport, retry=QUICK, batch_size=1)
    finally:
        transport.close()

    assert report.applied == 2 and report.sent == 3 and report.blocked == 1, report.lines()
    assert outbox(amy) == [(1, True), (2, False), (3, False), (4, True)]
    refused = {row.seq: row.reason for row in LocalSync(amy).refused_rows()}
    assert refused[3] is not None and "earlier change" in refused[3]
    # The central store never saw the change that waits.
    seqs = "SELECT array_agg(seq ORDER BY seq) FROM court_tui.applied_ops"
    assert central.scalar(seqs) == [1, 4]
    assert (
        central.scalar("SELECT count(*) FROM court_tui.audit_log WHERE detail LIKE 'change 3%'")
        == 0
    )
    with central.connect() as conn:
        ids = {row[0] for row in conn.execute("SELECT id FROM court_tui.cases")}
    assert ids == {first.id, last.id}


def test_notes_reference_data_and_a_new_teams_cases_arrive(
    central: Central, pair: tuple[Store, Store], make_laptop: Callable[[str], Store]
) -> None:
    from court_tui.sync.server import put_reference_data

    amy, ben = pair
    central.add("cal", "Wakefield")
    central.add("sue", "Leeds", role="supervisor")
    cal = make_laptop("cal")
    leeds = amy.repository.save_case(new_case("Leeds"), actor="amy")
    wakefield = cal.repository.save_case(new_case("Wakefield"), actor="cal")
    sync(amy, central, "amy")
    sync(cal, central, "cal")
    with central.connect("sue") as conn:
        conn.execute(
            "SELECT court_tui.add_supervisor_note(%s, NULL, 'Chase the police')", [leeds.id]
        )
    put_reference_data(central.admin_url, "courts", {"leeds": "Leeds Magistrates' Court"})

    report = sync(ben, central, "ben", pull_limit=1)

    assert (report.pulled_cases, report.pulled_notes, report.pulled_reference) == (1, 1, 1)
    assert [n.note for n in ben.repository.supervisor_notes(leeds.id)] == ["Chase the police"]
    assert ben.repository.get_reference_data("courts") == {"leeds": "Leeds Magistrates' Court"}
    assert set(ben.repository.revisions()) == {leeds.id}

    central.add("ben", "Leeds", "Wakefield")
    moved = sync(ben, central, "ben")
    assert moved.pulled_cases == 1
    assert set(ben.repository.revisions()) == {leeds.id, wakefield.id}


def test_a_note_on_a_case_not_yet_here_brings_the_case(
    central: Central, pair: tuple[Store, Store]
) -> None:
    amy, ben = pair
    central.add("sue", "Leeds", role="supervisor")
    saved = amy.repository.save_case(new_case("Leeds"), actor="amy")
    sync(amy, central, "amy")
    with central.connect("sue") as conn:
        conn.execute("SELECT court_tui.add_supervisor_note(%s, NULL, 'Seen')", [saved.id])
    edit(amy, saved.id, name="Changed after the note")
    sync(amy, central, "amy")

    # A page of one: the note comes first, its case (changed since) only later.
    report = sync(ben, central, "ben", pull_limit=1)

    assert report.pulled_notes == 1
    assert (
        ben.repository.get_case(saved.id, actor="ben").answers["name"] == "Changed after the note"
    )


def test_a_reused_sequence_number_with_other_content_is_refused(
    central: Central, pair: tuple[Store, Store]
) -> None:
    amy, _ = pair
    amy.repository.save_case(new_case("Leeds"), actor="amy")
    sync(amy, central, "amy")
    transport = central.transport("amy")
    original = central.scalar("SELECT case_id FROM court_tui.applied_ops")
    forged = Change(
        seq=1,
        case_id=str(original),
        base_revision=1,
        revision=2,
        kind="edit",
        case_json='{"other": "content"}',
        summary={"team": "Leeds"},
    )
    [result] = transport.push(amy.device_id, [forged])
    transport.close()
    assert result.outcome == "rejected"
    assert "restored from a backup" in (result.detail or "")


def test_status_words() -> None:
    from datetime import UTC, datetime

    from court_tui.sync.client import SyncStatus

    at = datetime(2026, 3, 2, 10, 40, tzinfo=UTC)
    assert SyncStatus(0, None, None).describe() == "All changes synced · Not synced yet"
    synced = SyncStatus(3, at, None, open_conflicts=1).describe()
    assert synced.startswith("3 changes not yet synced · 1 to choose a version · Synced ")
