"""A save writes what changed: the answers, checks and follow-ups rows end up exactly as a
fresh write of the case would make them, and rows that did not change are left alone."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from store_helpers import make_case

from court_tui.domain.case import CaseRecord, CheckRequest, FollowUp
from court_tui.domain.forms import FormSet
from court_tui.store import Store
from court_tui.store.tables import ANSWERS, AUDIT, CHECKS, FOLLOW_UPS
from court_tui.store.writes import case_rows

TODAY = date(2026, 3, 2)


def _held(store: Store, case_id: str) -> dict[str, list[dict[str, Any]]]:
    """The rows the store holds for CASE_ID, by table, in a fixed order."""
    held = {}
    with store.repository.engine.connect() as conn:
        for table in (ANSWERS, CHECKS, FOLLOW_UPS):
            rows = conn.execute(sa.select(table).where(table.c.case_id == case_id)).mappings()
            held[table.name] = sorted((dict(row) for row in rows), key=repr)
    return held


def _fresh(record: CaseRecord, forms: FormSet) -> dict[str, list[dict[str, Any]]]:
    """The rows a first write of RECORD makes."""
    rows = case_rows(record, forms, TODAY)
    every = {"answers": rows.answers, "checks": rows.checks, "follow_ups": rows.follow_ups}
    columns = {table.name: table.columns.keys() for table in (ANSWERS, CHECKS, FOLLOW_UPS)}
    return {
        name: sorted(({c: row.get(c) for c in columns[name]} for row in made), key=repr)
        for name, made in every.items()
    }


def test_a_save_leaves_the_rows_a_fresh_write_would_make(store: Store, forms: FormSet) -> None:
    first = store.repository.save_case(
        make_case(note="first", expected_by=date(2026, 3, 9), follow_up_due=date(2026, 3, 5)),
        actor="test",
    )
    answers = {**first.answers, "offence_analysis": "changed", "courtroom": "3"}
    del answers["pnc"]
    changed = first.model_copy(
        update={
            "answers": answers,
            "checks": {
                "safeguarding": first.checks["safeguarding"].model_copy(
                    update={"received_on": date(2026, 3, 2), "result": "no_concerns"}
                ),
                "domestic_abuse": CheckRequest(requested="yes", agency="Police"),
            },
            "follow_ups": [
                FollowUp(
                    question="rsr_score",
                    owner="Sam Patel",
                    action="Find the RSR score",
                    due=date(2026, 3, 4),
                    recorded_on=TODAY,
                )
            ],
        }
    )
    saved = store.repository.save_case(changed, actor="test")
    assert _held(store, saved.id) == _fresh(saved, forms)
    # And back: everything that was there first is there again, and nothing else.
    again = store.repository.save_case(
        first.model_copy(update={"revision": saved.revision}), actor="test"
    )
    assert _held(store, again.id) == _fresh(again, forms)
    assert store.repository.get_case(again.id, actor="test").answers == first.answers


def test_answers_not_changed_are_not_written_again(store: Store) -> None:
    first = store.repository.save_case(make_case(note="first"), actor="test")
    with store.repository.engine.begin() as conn:
        # The test's own witness: every answer row written from now on.
        conn.execute(sa.text("CREATE TABLE answers_written (question TEXT)"))
        conn.execute(
            sa.text(
                "CREATE TRIGGER answer_written AFTER INSERT ON answers BEGIN "
                "INSERT INTO answers_written VALUES (NEW.question); END"
            )
        )
    answers = {**first.answers, "offence_analysis": "second"}
    store.repository.save_case(first.model_copy(update={"answers": answers}), actor="test")
    with store.repository.engine.connect() as conn:
        written = conn.execute(sa.text("SELECT question FROM answers_written")).scalars()
        assert list(written) == ["offence_analysis"]


def _witness(store: Store, table: str) -> None:
    """Record, in `<table>_written`, the key of every row written to TABLE from now on."""
    key = {"answers": "question", "checks": "kind", "follow_ups": "id"}[table]
    with store.repository.engine.begin() as conn:
        conn.execute(sa.text(f"CREATE TABLE {table}_written (written TEXT)"))
        conn.execute(
            sa.text(
                f"CREATE TRIGGER {table}_witness AFTER INSERT ON {table} BEGIN "
                f"INSERT INTO {table}_written VALUES (NEW.{key}); END"
            )
        )


def _written(store: Store, table: str) -> list[str]:
    with store.repository.engine.connect() as conn:
        return list(conn.execute(sa.text(f"SELECT written FROM {table}_written")).scalars())


def test_checks_and_follow_ups_not_changed_are_not_written_again(store: Store) -> None:
    first = store.repository.save_case(
        make_case(note="first", expected_by=date(2026, 3, 9), follow_up_due=date(2026, 3, 5)),
        actor="test",
    )
    for table in ("answers", "checks", "follow_ups"):
        _witness(store, table)
    second = store.repository.save_case(first, actor="test")
    assert [_written(store, t) for t in ("answers", "checks", "follow_ups")] == [[], [], []]
    check = first.checks["safeguarding"].model_copy(update={"received_on": date(2026, 3, 2)})
    store.repository.save_case(
        second.model_copy(update={"checks": {"safeguarding": check}}), actor="test"
    )
    assert _written(store, "checks") == ["safeguarding"]
    assert _written(store, "answers") == _written(store, "follow_ups") == []


def test_a_number_written_another_way_is_written_again(store: Store, forms: FormSet) -> None:
    # 6 and 6.0 are equal numbers but different answers as the rows keep them.
    case = make_case()
    first = store.repository.save_case(
        case.model_copy(update={"answers": {**case.answers, "rsr_score": 6}}), actor="test"
    )
    again = store.repository.save_case(
        first.model_copy(update={"answers": {**first.answers, "rsr_score": 6.0}}),
        actor="test",
    )
    assert _held(store, again.id) == _fresh(again, forms)


def test_a_save_over_a_stored_case_it_cannot_compare_leaves_the_rows_right(
    store: Store, forms: FormSet
) -> None:
    """When the case's stored JSON cannot say which rows it holds, the rows are read and
    compared instead, so they still end up as a fresh write makes them."""
    first = store.repository.save_case(
        make_case(note="first", expected_by=date(2026, 3, 9), follow_up_due=date(2026, 3, 5)),
        actor="test",
    )
    changed = first.model_copy(
        update={
            "answers": {**first.answers, "offence_analysis": "second", "courtroom": "2"},
            "follow_ups": [],
        }
    )
    for unreadable in ("not JSON at all", "[]", '{"answers": 3}'):
        with store.repository.engine.begin() as conn:
            conn.execute(
                sa.text("UPDATE cases SET case_json = :json WHERE id = :id"),
                {"json": unreadable, "id": first.id},
            )
        saved = store.repository.save_case(changed, actor="test")
        assert _held(store, saved.id) == _fresh(saved, forms)
        changed = saved.model_copy(
            update={"answers": {**saved.answers, "offence_analysis": unreadable}}
        )


def test_a_save_keeps_times_and_dates_as_sqlalchemy_writes_them(store: Store) -> None:
    """The save's statements run on the driver; what they store is the text SQLAlchemy's
    own statements store for the same values, so sorting and reading are unchanged."""
    saved = store.repository.save_case(make_case(expected_by=date(2026, 3, 9)), actor="t")
    (audited,) = store.repository.audit_rows(saved.id)
    check = saved.checks["safeguarding"]
    with store.repository.engine.begin() as conn:
        for device, at in (("audit", audited.at), ("outbox", saved.updated_at)):
            reference = {"actor": "t", "action": "view", "case_id": saved.id, "detail": ""}
            conn.execute(AUDIT.insert(), {**reference, "device_id": device, "at": at})
        conn.execute(
            CHECKS.insert(),
            {"case_id": saved.id, "kind": "reference", **check.model_dump(), "status": "x"},
        )
    with store.repository.engine.connect() as conn:
        raw = conn.exec_driver_sql("SELECT device_id, at FROM audit_log").all()
        written = dict(raw)
        assert written[store.repository.device_id] == written["audit"]
        (created_at,) = conn.exec_driver_sql("SELECT created_at FROM outbox").one()
        assert created_at == written["outbox"]
        dates = conn.exec_driver_sql(
            "SELECT kind, requested_on, expected_by FROM checks WHERE case_id = ?", (saved.id,)
        ).all()
        by_kind = {kind: (on, by) for kind, on, by in dates}
        assert by_kind["safeguarding"] == by_kind["reference"] == ("2026-03-01", "2026-03-09")
