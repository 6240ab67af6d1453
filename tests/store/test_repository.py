"""The repository: one transaction per save with its audit and outbox rows, views audited,
plain objects out, and the list, search and pending queries on indexes."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
import sqlalchemy as sa
from store_helpers import make_case

from court_tui.domain.answers import NOT_KNOWN
from court_tui.domain.case import CaseRecord
from court_tui.store import (
    AuditEntry,
    CaseChanged,
    CaseNotFound,
    CaseSummary,
    ImportConflict,
    PendingItem,
    Store,
    writes,
)
from court_tui.store.pending import pending_queries
from court_tui.store.tables import CASES


def test_save_and_read_back_the_whole_case(store: Store, demo_cases: list[CaseRecord]) -> None:
    repository = store.repository
    for record in demo_cases:
        saved = repository.save_case(record, actor="Sam Patel")
        assert saved.revision == record.revision + 1
        assert saved.updated_at > record.updated_at
        loaded = repository.get_case(record.id, actor="Sam Patel")
        assert loaded == saved
        assert loaded.model_dump(exclude={"revision", "updated_at"}) == record.model_dump(
            exclude={"revision", "updated_at"}
        )


def test_save_does_not_change_the_callers_record(store: Store) -> None:
    record = make_case()
    saved = store.repository.save_case(record, actor="test")
    assert record.revision == 0 and saved.revision == 1
    saved.answers["name"] = "Changed"
    assert record.answers["name"] == "Alex Morgan"


def test_every_save_and_view_leaves_exactly_one_audit_row(store: Store) -> None:
    repository = store.repository
    record = make_case()
    saves = views = 0
    for _ in range(5):
        record = repository.save_case(record, actor="Sam Patel")
        saves += 1
        record = repository.get_case(record.id, actor="Jo Evans")
        views += 1
        record = repository.get_case(record.id, actor="Jo Evans")
        views += 1
    rows = repository.audit_rows(record.id)
    assert len(rows) == saves + views
    assert [row.action for row in rows].count("create") == 1
    assert [row.action for row in rows].count("save") == saves - 1
    assert [row.action for row in rows].count("view") == views
    assert {row.device_id for row in rows} == {store.device_id}
    assert [row.id for row in rows] == sorted(row.id for row in rows)
    assert all(isinstance(row, AuditEntry) and row.at.tzinfo is not None for row in rows)
    assert {row.actor for row in rows if row.action == "view"} == {"Jo Evans"}


def test_audit_log_is_insert_only(store: Store) -> None:
    store.repository.save_case(make_case(), actor="test")
    with pytest.raises(sa.exc.DatabaseError), store._engine.begin() as conn:
        conn.execute(sa.text("UPDATE audit_log SET actor = 'someone else'"))
    with pytest.raises(sa.exc.DatabaseError), store._engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM audit_log"))
    with pytest.raises(sa.exc.DatabaseError), store._engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM outbox"))
    assert len(store.repository.audit_rows()) == 1
    assert store.repository.outbox_depth() == 1


def test_outbox_rows_carry_each_change_in_sequence(store: Store) -> None:
    repository = store.repository
    first = repository.save_case(make_case("One"), actor="test")
    second = repository.save_case(make_case("Two"), actor="test")
    first = repository.save_case(first, actor="test")
    assert repository.outbox_sequences() == [1, 2, 3]
    assert repository.outbox_depth() == 3
    with store._engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT device_id, seq, case_id, base_revision, revision, case_json "
                "FROM outbox ORDER BY seq"
            )
        ).all()
    assert [(r.case_id, r.base_revision, r.revision) for r in rows] == [
        (first.id, 0, 1),
        (second.id, 0, 1),
        (first.id, 1, 2),
    ]
    assert {r.device_id for r in rows} == {store.device_id}
    assert CaseRecord.model_validate_json(rows[2].case_json) == first


def test_saving_a_stale_copy_is_refused(store: Store) -> None:
    repository = store.repository
    opened = repository.save_case(make_case(), actor="test")
    repository.save_case(opened, actor="test")
    with pytest.raises(CaseChanged) as caught:
        repository.save_case(opened, actor="test")
    assert "Nothing was overwritten" in caught.value.message
    assert repository.outbox_depth() == 2
    assert len(repository.audit_rows()) == 2


def test_failed_save_leaves_nothing_behind(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    repository = store.repository
    saved = repository.save_case(make_case(), actor="test")

    def broken(*args: object) -> int:
        raise RuntimeError("power cut in the middle of a save")

    monkeypatch.setattr(writes, "next_outbox_seq", broken)
    changed = saved.model_copy(update={"answers": {**saved.answers, "name": "Changed"}})
    with pytest.raises(RuntimeError):
        repository.save_case(changed, actor="test")
    monkeypatch.undo()
    assert repository.get_case(saved.id, actor="test") == saved
    assert repository.outbox_sequences() == [1]
    assert [row.action for row in repository.audit_rows()] == ["create", "view"]


def test_unknown_case_is_not_found(store: Store) -> None:
    with pytest.raises(CaseNotFound):
        store.repository.get_case("no-such-case", actor="test")
    with pytest.raises(CaseNotFound):
        store.repository.record_disclosure("no-such-case", actor="test", detail="json")
    assert store.repository.audit_rows() == []


def test_answers_checks_and_follow_ups_are_rows_too(store: Store) -> None:
    record = make_case(expected_by=date(2026, 3, 9), follow_up_due=date(2026, 3, 4))
    record.answers["rsr_score"] = NOT_KNOWN
    saved = store.repository.save_case(record, actor="test")
    with store._engine.connect() as conn:
        answers = dict(
            conn.execute(
                sa.text("SELECT question, value FROM answers WHERE case_id = :id"),
                {"id": saved.id},
            ).all()
        )
        checks = conn.execute(
            sa.text("SELECT kind, status, expected_by FROM checks WHERE case_id = :id"),
            {"id": saved.id},
        ).all()
        follow_ups = conn.execute(
            sa.text("SELECT question, owner, due FROM follow_ups WHERE case_id = :id"),
            {"id": saved.id},
        ).all()
    assert answers["name"] == '"Alex Morgan"'
    assert answers["rsr_score"] == '{"not_known": true}'
    assert [tuple(row) for row in checks] == [("safeguarding", "Outstanding", "2026-03-09")]
    assert [tuple(row) for row in follow_ups] == [("domestic_abuse", "Jo Evans", "2026-03-04")]
    # Re-saving replaces the rows rather than adding to them.
    saved.checks["safeguarding"].received_on = date(2026, 3, 3)
    saved.follow_ups.clear()
    store.repository.save_case(saved, actor="test")
    # Left pending: the RSR 'not known' that nobody is finding out, blocked.
    left = store.repository.pending_items(today=date(2026, 3, 3))
    assert [(i.kind, i.item_id, i.status) for i in left] == [("not_known", "rsr_score", "Blocked")]


def test_todays_cases_by_hearing_date_then_name(store: Store) -> None:
    repository = store.repository
    for name, hearing in [
        ("Zoe Adams", date(2026, 3, 2)),
        ("Ben Cole", date(2026, 3, 2)),
        ("Amy Dunn", date(2026, 3, 3)),
        ("No Date", None),
    ]:
        repository.save_case(make_case(name, hearing=hearing), actor="test")
    today = repository.list_cases(on=date(2026, 3, 2))
    assert [s.name for s in today] == ["Ben Cole", "Zoe Adams"]
    assert all(isinstance(s, CaseSummary) for s in today)
    assert [s.name for s in repository.list_cases()] == [
        "Ben Cole",
        "Zoe Adams",
        "Amy Dunn",
        "No Date",
    ]


def test_summary_status_comes_from_the_domain(store: Store, demo_cases: list[CaseRecord]) -> None:
    for record in demo_cases:
        store.repository.save_case(record, actor="test")
    statuses = {s.name: s.status for s in store.repository.list_cases()}
    assert set(statuses.values()) <= {
        "Not yet started",
        "In progress",
        "Completed",
        "There is a problem",
    }
    assert "There is a problem" in statuses.values()
    empty = store.repository.save_case(CaseRecord(), actor="test")
    summary = next(s for s in store.repository.list_cases() if s.id == empty.id)
    assert summary.status == "Not yet started"
    assert summary.name == ""


def test_search_by_name_crn_or_pnc_ignoring_case(store: Store) -> None:
    repository = store.repository
    repository.save_case(make_case("Taylor Reid", crn="X567890", pnc="2012/0012345A"), actor="t")
    repository.save_case(make_case("Reid Morgan", crn="B111111", pnc="2019/0000001C"), actor="t")
    repository.save_case(make_case("Sam 100%_Done", crn="C222222", pnc=""), actor="t")
    assert [s.name for s in repository.search_cases("reid")] == ["Reid Morgan", "Taylor Reid"]
    assert [s.name for s in repository.search_cases("x5678")] == ["Taylor Reid"]
    assert [s.name for s in repository.search_cases("0012345a")] == ["Taylor Reid"]
    assert [s.name for s in repository.search_cases("%_")] == ["Sam 100%_Done"]
    assert repository.search_cases("   ") == []
    assert repository.search_cases("nobody") == []


def test_find_case_by_id_or_crn(store: Store) -> None:
    saved = store.repository.save_case(make_case(crn="X567890"), actor="test")
    assert store.repository.find_case_id(saved.id) == saved.id
    assert store.repository.find_case_id("x567890") == saved.id
    with pytest.raises(CaseNotFound):
        store.repository.find_case_id("Z000000")


def test_pending_checks_and_follow_ups_by_due_date(store: Store) -> None:
    repository = store.repository
    a = repository.save_case(
        make_case("Amy Dunn", expected_by=date(2026, 3, 9), follow_up_due=date(2026, 3, 1)),
        actor="t",
    )
    b = repository.save_case(
        make_case("Ben Cole", expected_by=date(2026, 3, 3), team="Bradford court team"),
        actor="t",
    )
    repository.save_case(make_case("Nothing Pending"), actor="t")
    items = repository.pending_items(today=date(2026, 3, 2))
    assert all(isinstance(item, PendingItem) for item in items)
    assert [(i.case_name, i.kind, i.due, i.status) for i in items] == [
        ("Amy Dunn", "follow_up", date(2026, 3, 1), "Overdue"),
        ("Ben Cole", "check", date(2026, 3, 3), "Outstanding"),
        ("Amy Dunn", "check", date(2026, 3, 9), "Outstanding"),
    ]
    check = items[1]
    assert check.case_id == b.id and check.item_id == "safeguarding"
    assert check.what == "Child safeguarding check (children's services)"
    assert check.requested == date(2026, 3, 1)
    assert check.team == "Bradford court team" and check.officer == "Sam Patel"
    follow_up = items[0]
    assert follow_up.item_id == a.follow_ups[0].id
    assert follow_up.owner == "Jo Evans" and follow_up.what == "Chase the police"
    leeds = repository.pending_items(today=date(2026, 3, 2), team="Leeds court team")
    assert {i.case_name for i in leeds} == {"Amy Dunn"}
    summaries = {s.name: s.pending_checks for s in repository.list_cases()}
    assert summaries == {"Amy Dunn": 1, "Ben Cole": 1, "Nothing Pending": 0}
    # The case list learns when the soonest pending check's reply is expected.
    due = {s.name: s.next_check_due for s in repository.list_cases()}
    assert due == {
        "Amy Dunn": date(2026, 3, 9),
        "Ben Cole": date(2026, 3, 3),
        "Nothing Pending": None,
    }


def _plan(store: Store, query: sa.Executable) -> str:
    with store._engine.connect() as conn:
        compiled = query.compile(conn, compile_kwargs={"literal_binds": True})
        rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}").all()
    return " | ".join(str(row[-1]) for row in rows)


def test_queries_use_their_indexes(store: Store) -> None:
    store.repository.save_case(make_case(expected_by=date(2026, 3, 9)), actor="test")
    for team in (None, "Leeds court team"):
        queries = [query for _, query in pending_queries(store.repository.forms, team)]
        checks, follow_ups, *undated = queries
        pending = _plan(store, checks)
        assert "checks USING COVERING INDEX ix_checks_outstanding_expected_by" in pending
        assert "COVERING INDEX ix_cases_pending_lookup" in pending
        follow_ups_plan = _plan(store, follow_ups)
        assert "follow_ups USING COVERING INDEX ix_follow_ups_open_due" in follow_ups_plan
        assert "COVERING INDEX ix_cases_pending_lookup" in follow_ups_plan
        for query in undated:
            assert "COVERING INDEX ix_cases_pending_lookup" in _plan(store, query)
    today = _plan(
        store,
        sa.select(CASES.c.id)
        .where(CASES.c.hearing_date == date(2026, 3, 2))
        .order_by(CASES.c.name),
    )
    assert "ix_cases_hearing_date_name" in today
    search = _plan(
        store,
        sa.select(CASES.c.id).where(
            sa.or_(CASES.c.name.like("%a%"), CASES.c.crn.like("%a%"), CASES.c.pnc.like("%a%"))
        ),
    )
    assert "COVERING INDEX ix_cases_search" in search


def test_disclosure_is_audited(store: Store) -> None:
    saved = store.repository.save_case(make_case(), actor="test")
    store.repository.record_disclosure(saved.id, actor="Sam Patel", detail="export json to x")
    last = store.repository.audit_rows(saved.id)[-1]
    assert (last.action, last.actor, last.detail) == ("disclose", "Sam Patel", "export json to x")


def test_import_adds_once_and_never_overwrites(store: Store) -> None:
    repository = store.repository
    record = make_case()
    first = repository.import_case(record, actor="test", source="a.json")
    assert first.outcome == "imported" and first.record.revision == 1
    again = repository.import_case(record, actor="test", source="a.json")
    assert again.outcome == "unchanged"
    different = record.model_copy(update={"answers": {**record.answers, "name": "Other"}})
    with pytest.raises(ImportConflict):
        repository.import_case(different, actor="test", source="b.json")
    assert [row.action for row in repository.audit_rows()] == ["import"]
    assert repository.outbox_depth() == 1


def test_reference_data_and_settings(store: Store) -> None:
    repository = store.repository
    assert repository.get_reference_data("courts") is None
    repository.put_reference_data("courts", {"courts": ["Leeds", "Bradford"]})
    repository.put_reference_data("courts", {"courts": ["Leeds"]})
    assert repository.get_reference_data("courts") == {"courts": ["Leeds"]}
    assert repository.get_setting("lock_minutes") is None
    repository.put_setting("lock_minutes", "5")
    repository.put_setting("lock_minutes", "10")
    assert repository.get_setting("lock_minutes") == "10"


def test_supervisor_notes_are_kept_and_audited(store: Store) -> None:
    saved = store.repository.save_case(make_case(expected_by=date(2026, 3, 9)), actor="t")
    note = store.repository.add_supervisor_note(
        saved.id, actor="Pat Lee", note="Chased by phone", item_id="safeguarding"
    )
    assert store.repository.supervisor_notes(saved.id) == [note]
    assert store.repository.audit_rows(saved.id)[-1].action == "note"


def test_results_are_plain_objects(store: Store) -> None:
    saved = store.repository.save_case(make_case(expected_by=date(2026, 3, 9)), actor="t")
    results: list[object] = [
        *store.repository.list_cases(),
        *store.repository.search_cases("alex"),
        *store.repository.pending_items(today=date(2026, 3, 2)),
        *store.repository.audit_rows(),
    ]
    assert results
    for result in results:
        # A frozen dataclass, or a named tuple where a list holds thousands: never a row.
        assert dataclasses.is_dataclass(result) or isinstance(result, tuple)
        assert type(result).__module__ == "court_tui.store.entries"
    assert type(store.repository.get_case(saved.id, actor="t")) is CaseRecord
