"""Retention on a real store: `court-tui purge` removes only what the rule lets go, with its
exported files, audits it, and leaves no readable trace of it in the file."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from support.handed_over import handed_over_demo
from support.pages import decrypted_pages

from court_tui.cli import main
from court_tui.domain.case import CaseRecord, FollowUp
from court_tui.domain.forms import FormSet, load_forms
from court_tui.domain.retention import RETENTION_DAYS, RETENTION_RULE
from court_tui.domain.settings import EXPORT_FOLDER
from court_tui.store import Store, open_store, writes
from court_tui.store import purge as purge_module
from court_tui.store.tables import OUTBOX

PASSPHRASE = "retention test passphrase"
TODAY = date(2026, 12, 3)
ACCEPTED_LONG_AGO = datetime(2026, 10, 1, 10, tzinfo=UTC)
GONE_NAME = "Zebulon Quatermaine-Fairweather"
KEPT_NAME = "Philippa Ottoline-Wexcombe"
FORMS = load_forms()


def _case(name: str, *, accepted: datetime | None, open_follow_up: bool = False) -> CaseRecord:
    follow_ups = (
        [
            FollowUp(
                question="rosh_level",
                owner="Sam Patel",
                action="ask the police",
                due=TODAY,
                recorded_on=TODAY - timedelta(days=60),
            )
        ]
        if open_follow_up
        else []
    )
    # Handed over by the one rule (sent, every item read, accepted by the RO) when
    # ACCEPTED, else sent and not yet accepted.
    record = handed_over_demo(FORMS, accepted or ACCEPTED_LONG_AGO)
    if accepted is None:
        handover = record.handover.model_copy(update={"accepted_by": None, "accepted_at": None})
        record = record.model_copy(update={"handover": handover})
    return record.model_copy(
        update={
            "id": CaseRecord().id,
            "answers": {
                **{k: v for k, v in record.answers.items() if k not in ("crn", "pnc")},
                "name": name,
                "offence_analysis": f"{name} said " * 300,
            },
            "drafts": {"offence_analysis": f"draft about {name}"},
            "follow_ups": follow_ups,
        }
    )


def _acknowledge_all(store: Store) -> None:
    repository = store.repository
    with repository.transaction() as conn:
        seqs = conn.execute(
            sa.select(OUTBOX.c.seq).where(OUTBOX.c.acknowledged_at.is_(None))
        ).scalars()
        writes.acknowledge_changes(conn, repository.device_id, list(seqs), datetime.now(UTC))


@pytest.fixture
def store_with_cases(tmp_path: Path, forms: FormSet) -> tuple[Path, dict[str, str]]:
    """A store whose cases each test one part of the rule; their ids by role."""
    db = tmp_path / "court-tui.db"
    exports = tmp_path / "exports"
    exports.mkdir()
    ids = {}
    with open_store(db, PASSPHRASE, create=True, forms=forms) as store:
        repository = store.repository
        repository.put_setting(EXPORT_FOLDER.key, str(exports))
        for role, record in {
            "gone": _case(GONE_NAME, accepted=ACCEPTED_LONG_AGO),
            "open follow-up": _case(
                "Open Followup", accepted=ACCEPTED_LONG_AGO, open_follow_up=True
            ),
            "unaccepted": _case("Not Accepted", accepted=None),
            "recent": _case(KEPT_NAME, accepted=datetime.combine(TODAY, datetime.min.time(), UTC)),
        }.items():
            ids[role] = repository.save_case(record, actor="Sam Patel").id
        _acknowledge_all(store)
        # Saved after the sync: its change is still waiting, so it stays.
        unsynced = repository.save_case(
            _case("Not Synced", accepted=ACCEPTED_LONG_AGO), actor="Sam Patel"
        )
        ids["unsynced"] = unsynced.id
        exported = exports / "X123456-record-2026-10-02.pdf"
        exported.write_bytes(b"%PDF exported case")
        repository.record_disclosure(
            ids["gone"], actor="Sam Patel", detail=f"export all pdf to {exported}"
        )
        elsewhere = tmp_path / "kept-by-officer.pdf"
        elsewhere.write_bytes(b"%PDF outside the exports folder")
        repository.record_disclosure(
            ids["gone"], actor="Sam Patel", detail=f"export all pdf to {elsewhere}"
        )
    return db, ids


def _purge(db: Path, *more: str) -> int:
    return main(["purge", "--db", str(db), "--today", TODAY.isoformat(), *more])


def test_a_dry_run_lists_what_would_go_and_why_and_changes_nothing(
    store_with_cases: tuple[Path, dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db, ids = store_with_cases
    monkeypatch.setenv("COURT_TUI_PASSPHRASE", PASSPHRASE)
    before = db.read_bytes()
    assert _purge(db, "--dry-run") == 0
    out = capsys.readouterr().out
    assert f"Would remove {GONE_NAME}" in out
    # An open follow-up is also a must-read item the RO has not read: both keep it.
    assert "Keeps Open Followup: " in out and "1 follow-up(s) still open" in out
    assert "Keeps Not Accepted: the handover has not been accepted" in out
    assert "Keeps Not Synced: 1 change(s) not yet synced" in out
    assert f"Keeps {KEPT_NAME}: accepted 0 day(s) ago; kept for {RETENTION_DAYS}" in out
    assert "1 case(s) would be removed; nothing was changed" in out
    assert db.read_bytes() == before
    assert (db.parent / "exports" / "X123456-record-2026-10-02.pdf").exists()


def test_purge_removes_only_what_the_rule_lets_go_and_audits_it(
    store_with_cases: tuple[Path, dict[str, str]],
    forms: FormSet,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db, ids = store_with_cases
    monkeypatch.setenv("COURT_TUI_PASSPHRASE", PASSPHRASE)
    assert _purge(db) == 0
    out = capsys.readouterr().out
    assert f"Removed {GONE_NAME}" in out and "1 case(s) removed, 4 kept." in out
    assert not (db.parent / "exports" / "X123456-record-2026-10-02.pdf").exists()
    assert (db.parent / "kept-by-officer.pdf").exists()  # not in the exports folder
    with open_store(db, PASSPHRASE, forms=forms) as store:
        repository = store.repository
        assert set(repository.revisions()) == {ids[r] for r in ids if r != "gone"}
        audit = repository.audit_rows(ids["gone"])
        purged = [row for row in audit if row.action == "retention-purge"]
        assert store.doctor().ok  # the outbox kept its sequence numbers
        assert repository.outbox_depth() == 1  # the unsynced change is still waiting
    assert len(purged) == 1
    assert json.loads(purged[0].detail)["rule"] == RETENTION_RULE
    assert GONE_NAME not in purged[0].detail
    # A second run finds nothing more to remove.
    assert _purge(db) == 0
    assert "0 case(s) removed, 4 kept." in capsys.readouterr().out


def _plaintext(db: Path) -> bytes:
    return b"".join(decrypted_pages(db, PASSPHRASE))


@pytest.mark.parametrize("secure_delete", [True, False])
def test_removed_data_is_not_in_the_file_afterwards(
    store_with_cases: tuple[Path, dict[str, str]],
    forms: FormSet,
    monkeypatch: pytest.MonkeyPatch,
    secure_delete: bool,
) -> None:
    """The decrypted pages, free ones included, hold the kept case's name and never the
    removed one's; with secure_delete off the same search finds it, so the search can see
    what was left behind. The vacuum is held off, so secure_delete alone is tested."""
    db, _ = store_with_cases
    monkeypatch.setattr(purge_module, "VACUUM_FREE_SHARE", 2.0)
    if not secure_delete:
        monkeypatch.setattr(purge_module, "SECURE_DELETE", "PRAGMA secure_delete = OFF")
    with open_store(db, PASSPHRASE, forms=forms) as store:
        store.repository.list_cases()
    assert GONE_NAME.encode() in _plaintext(db)  # the search finds it before the purge
    with open_store(db, PASSPHRASE, forms=forms) as store:
        result = purge_module.purge(
            store.repository, TODAY, at=datetime.now(UTC), actor="Sam Patel", export_folder=None
        )
    assert [planned.display_name for planned in result.removed] == [GONE_NAME]
    assert not result.vacuumed
    assert not list(db.parent.glob("*-wal"))
    plaintext = _plaintext(db)
    assert KEPT_NAME.encode() in plaintext
    assert (GONE_NAME.encode() in plaintext) is not secure_delete


def test_a_purge_that_frees_much_of_the_file_compacts_it(
    store_with_cases: tuple[Path, dict[str, str]], forms: FormSet
) -> None:
    db, _ = store_with_cases
    with open_store(db, PASSPHRASE, forms=forms) as store:
        for number in range(12):
            record = _case(f"Long Gone {number}", accepted=ACCEPTED_LONG_AGO)
            store.repository.save_case(record, actor="Sam Patel")
        _acknowledge_all(store)
    before = db.stat().st_size
    with open_store(db, PASSPHRASE, forms=forms) as store:
        result = purge_module.purge(
            store.repository, TODAY, at=datetime.now(UTC), actor="Sam Patel", export_folder=None
        )
    # The twelve, the first one, and the one whose change this sync also acknowledged.
    assert len(result.removed) == 14 and result.vacuumed
    assert db.stat().st_size < before
    with open_store(db, PASSPHRASE, forms=forms) as store, store.repository.connection() as conn:
        assert conn.exec_driver_sql("PRAGMA freelist_count").scalar_one() == 0


def test_doctor_says_what_retention_would_remove(
    store_with_cases: tuple[Path, dict[str, str]], forms: FormSet
) -> None:
    db, _ = store_with_cases
    with open_store(db, PASSPHRASE, forms=forms) as store:
        before = store.doctor().lines()
        purge_module.purge(
            store.repository, TODAY, at=datetime.now(UTC), actor="Sam Patel", export_folder=None
        )
        after = store.doctor().lines()
    # The doctor asks the rule as of today, long after the test's cases were accepted.
    assert "Retention: 1 case(s) may leave this laptop now; `court-tui purge --dry-run` " in (
        "\n".join(before)
    )
    assert f"Retention: no case is due to leave this laptop ({RETENTION_DAYS} days rule)" in after


def test_a_case_whose_record_cannot_be_read_is_kept_and_said(
    store_with_cases: tuple[Path, dict[str, str]],
    forms: FormSet,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db, ids = store_with_cases
    with open_store(db, PASSPHRASE, forms=forms) as store, store.repository.transaction() as conn:
        conn.execute(
            sa.text("UPDATE cases SET case_json = '{\"answers\": 7}' WHERE id = :id"),
            {"id": ids["unaccepted"]},
        )
    monkeypatch.setenv("COURT_TUI_PASSPHRASE", PASSPHRASE)
    assert _purge(db) == 0
    out = capsys.readouterr().out
    assert f"Removed {GONE_NAME}" in out  # the bad record did not stop the rest
    with open_store(db, PASSPHRASE, forms=forms) as store:
        assert ids["unaccepted"] in store.repository.revisions()
    assert _purge(db, "--dry-run") == 0
    assert f"Keeps Case {ids['unaccepted']}: its stored record cannot be read" in (
        capsys.readouterr().out
    )
