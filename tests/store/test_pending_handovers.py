"""Handovers waiting for someone are on the pending list however their acceptance went
wrong: sent and not accepted, changed since it was accepted (reopened), or accepted in a
way that does not count. The store keeps each case's stage from the domain's rule; a
store made before it kept one fills it in when it is upgraded.

The reopened and not-counted cases both say when they were accepted, so a search of the
case JSON for a handover "sent and not accepted" (how the list once found them) misses
them: these tests fail with it.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from store_helpers import TEST_PASSPHRASE, store_at

from court_tui.domain.case import CaseRecord, new_id
from court_tui.domain.forms import FormSet
from court_tui.domain.handover import must_read_items, read_mark
from court_tui.store import Store, migrate, open_store
from court_tui.store.writes import case_rows

TODAY = date(2026, 3, 4)
SENT_AT = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
ACCEPTED_AT = datetime(2026, 3, 3, 9, 30, tzinfo=UTC)
AUTHOR = "Sam Patel"  # the complete demo case's officer
RO = "Alex Morgan"


def _complete(demo_cases: list[CaseRecord], name: str) -> CaseRecord:
    """The complete demo case as a new case of NAME (its own ids)."""
    (record,) = [case for case in demo_cases if case.answers.get("name") == "Jordan Ellis"]
    data = record.model_dump()
    data["id"] = new_id()
    data["answers"]["name"] = name
    for follow_up in data["follow_ups"]:
        follow_up["id"] = new_id()
    return CaseRecord.model_validate(data)


def _handover(record: CaseRecord, forms: FormSet, **changes: Any) -> CaseRecord:
    """RECORD sent to the RO, every must-read item read and accepted (then CHANGES)."""
    handover: dict[str, Any] = {
        "sent_to": RO,
        "sent_by": AUTHOR,
        "sent_at": SENT_AT,
        "acknowledged": [read_mark(item) for item in must_read_items(record, forms)],
        "accepted_by": RO,
        "accepted_at": ACCEPTED_AT,
    }
    handover.update(changes)
    data = record.model_dump()
    data["handover"] = handover
    return CaseRecord.model_validate(data)


def _handover_items(store: Store) -> dict[str, str]:
    """The pending list's handover items: case name to the status it shows."""
    return {
        item.case_name: item.status
        for item in store.repository.pending_items(today=TODAY)
        if item.kind == "handover"
    }


def _reopened(record: CaseRecord, forms: FormSet) -> CaseRecord:
    accepted = _handover(record, forms)
    # The RSR is corrected after the RO accepted it.
    return accepted.model_copy(update={"answers": {**accepted.answers, "rsr_score": "2.5"}})


def test_a_handover_changed_since_it_was_accepted_is_pending(
    store: Store, forms: FormSet, demo_cases: list[CaseRecord]
) -> None:
    accepted = store.repository.save_case(
        _handover(_complete(demo_cases, "Accepted Person"), forms), actor="test"
    )
    assert _handover_items(store) == {}
    assert accepted.handover.accepted_at is not None
    corrected = accepted.model_copy(update={"answers": {**accepted.answers, "rsr_score": "2.5"}})
    store.repository.save_case(corrected, actor="test")
    assert _handover_items(store) == {"Accepted Person": "Changed since accepted"}
    (item,) = [i for i in store.repository.pending_items(today=TODAY) if i.kind == "handover"]
    assert item.what == f"Handover to {RO}"


def test_an_acceptance_that_does_not_count_is_pending(
    store: Store, forms: FormSet, demo_cases: list[CaseRecord]
) -> None:
    own = _handover(_complete(demo_cases, "Own Acceptance"), forms, accepted_by=AUTHOR)
    store.repository.save_case(own, actor="test")
    wrong = _handover(_complete(demo_cases, "Wrong Officer"), forms, accepted_by="Pat Jones")
    store.repository.save_case(wrong, actor="test")
    assert _handover_items(store) == {
        "Own Acceptance": "Acceptance not counted",
        "Wrong Officer": "Acceptance not counted",
    }
    # Accepted again as it should be, it leaves the list.
    store.repository.save_case(
        _handover(store.repository.get_case(own.id, actor="test"), forms), actor="test"
    )
    assert set(_handover_items(store)) == {"Wrong Officer"}


def test_a_team_sees_only_its_own_waiting_handovers(
    store: Store, forms: FormSet, demo_cases: list[CaseRecord]
) -> None:
    ours = _reopened(_complete(demo_cases, "Our Case"), forms)
    theirs = _reopened(_complete(demo_cases, "Their Case"), forms).model_copy(
        update={"team": "Bradford court team"}
    )
    for record in (ours, theirs):
        store.repository.save_case(record, actor="test")
    listed = store.repository.pending_items(today=TODAY, team=ours.team)
    assert {i.case_name for i in listed if i.kind == "handover"} == {"Our Case"}


def _insert_at_0004(conn: sa.Connection, record: CaseRecord, forms: FormSet, **json: str) -> None:
    """RECORD's case row as a store at 0004 held it (no handover stage), with its JSON
    replaced by JSON['case_json'] when given."""
    columns = {**case_rows(record, forms, TODAY).columns, **json}
    del columns["handover_state"]
    names = ["id", *columns]
    conn.execute(
        sa.text(
            f"INSERT INTO cases ({', '.join(names)}) VALUES ({', '.join(':' + n for n in names)})"
        ),
        {"id": record.id, **columns},
    )


def test_a_store_at_0004_fills_in_each_case_and_its_pending_list_is_right(
    store_path: Path,
    forms: FormSet,
    demo_cases: list[CaseRecord],
    caplog: pytest.LogCaptureFixture,
) -> None:
    reopened = _reopened(_complete(demo_cases, "Reopened Person"), forms)
    not_counted = _handover(_complete(demo_cases, "Own Acceptance"), forms, accepted_by=AUTHOR)
    sent = _handover(_complete(demo_cases, "Sent Person"), forms, accepted_by=None)
    sent = sent.model_copy(
        update={"handover": sent.handover.model_copy(update={"accepted_at": None})}
    )
    accepted = _handover(_complete(demo_cases, "Accepted Person"), forms)
    unreadable = _complete(demo_cases, "Unreadable Person")
    engine = store_at(store_path, "0004")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO meta (key, value) VALUES ('device_id', 'old-laptop'), "
                "('outbox_next_seq', '1')"
            )
        )
        for record in (reopened, not_counted, sent, accepted):
            _insert_at_0004(conn, record, forms)
        _insert_at_0004(conn, unreadable, forms, case_json='{"id": "cut off')
    engine.dispose()

    with caplog.at_level(logging.WARNING, logger="court_tui.store.migrations"):
        store = open_store(store_path, TEST_PASSPHRASE, forms=forms)
    with store:
        assert store.schema_revision() == migrate.head_revision()
        assert _handover_items(store) == {
            "Reopened Person": "Changed since accepted",
            "Own Acceptance": "Acceptance not counted",
            "Sent Person": "Sent, not yet accepted",
        }
        with store.repository.connection() as conn:
            stages = dict(conn.execute(sa.text("SELECT name, handover_state FROM cases")).all())
        # The unreadable case is kept among those the pending list asks about.
        assert stages == {
            "Reopened Person": "reopened",
            "Own Acceptance": "not_counted",
            "Sent Person": "sent",
            "Accepted Person": "accepted",
            "Unreadable Person": "unknown",
        }
        # The log names the case it could not read, and none of what the case says.
        (warning,) = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert unreadable.id in warning
        assert "cannot be read" in warning
        assert "Unreadable" not in warning
        # The next save of an accepted case that is corrected puts it on the list.
        kept = store.repository.get_case(accepted.id, actor="test")
        store.repository.save_case(
            kept.model_copy(update={"answers": {**kept.answers, "rsr_score": "2.5"}}),
            actor="test",
        )
        assert "Accepted Person" in _handover_items(store)
