"""Opening the store with sqlcipher3 alone, as start-up does: the case list it reads is the
one the full store gives, and a store that is not whole is refused before anything is
written."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from store_helpers import TEST_PASSPHRASE, make_case

from court_tui.domain.forms import FormSet
from court_tui.store import CorruptStore, Store, StoreError, WrongPassphrase, open_store
from court_tui.store.engine import make_engine
from court_tui.store.opening import UNREADABLE_STATUS, open_file
from court_tui.store.store import open_opened

TODAY = date(2026, 3, 2)


def _fill(store: Store) -> None:
    repository = store.repository
    for record in [
        make_case("Zoe Adams", crn="Z111111", hearing=TODAY),
        make_case("Ben Cole", crn="B222222", hearing=TODAY, expected_by=date(2026, 2, 27)),
        make_case("Cy Dunn", crn="C333333", hearing=TODAY, expected_by=date(2026, 3, 9)),
        make_case("Amy Dunn", crn="A444444", hearing=date(2026, 3, 3)),
        make_case("No Date", crn="N555555", hearing=None),
    ]:
        repository.save_case(record, actor="test")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_case_list_read_at_start_up_is_the_list_the_full_store_gives(store: Store) -> None:
    _fill(store)
    opened = open_file(store.path, TEST_PASSPHRASE)
    try:
        for on in (TODAY, None):
            assert opened.list_cases(on) == store.repository.list_cases(on=on)
        every = opened.list_cases(None)
    finally:
        opened.close()
    assert [s.name for s in every] == ["Ben Cole", "Cy Dunn", "Zoe Adams", "Amy Dunn", "No Date"]
    # The same values SQLAlchemy's column types give (search reads them through those).
    typed = {s.id: s for s in store.repository.search_cases("n")}
    assert {s.id: s for s in every if s.id in typed} == typed
    ben = every[0]
    assert (ben.hearing_date, ben.pending_checks, ben.next_check_due) == (
        TODAY,
        1,
        date(2026, 2, 27),
    )
    assert ben.updated_at.tzinfo is UTC
    assert abs(ben.updated_at - datetime.now(UTC)).total_seconds() < 600


def test_the_full_store_is_built_on_the_opened_file_with_its_settings(
    store_path: Path, forms: FormSet
) -> None:
    with open_store(store_path, TEST_PASSPHRASE, create=True, forms=forms) as store:
        store.repository.put_setting("officer", "Sam Patel")
        device_id = store.device_id
    opened = open_file(store_path, TEST_PASSPHRASE)
    assert opened.get_setting("officer") == "Sam Patel"
    with open_opened(opened, forms) as store:
        assert store.device_id == device_id
        store.repository.save_case(make_case(), actor="test")
        assert [s.name for s in store.repository.list_cases()] == ["Alex Morgan"]
    # The opened file handed its connection on: it cannot be read from any more.
    with pytest.raises(StoreError):
        opened.list_cases(None)


def test_a_store_without_its_device_record_is_refused_and_left_as_it_was(
    store_path: Path, forms: FormSet
) -> None:
    with open_store(store_path, TEST_PASSPHRASE, create=True, forms=forms):
        pass
    engine = make_engine(store_path, TEST_PASSPHRASE)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM meta WHERE key = 'device_id'"))
    finally:
        engine.dispose()
    before = _digest(store_path)
    with pytest.raises(CorruptStore, match="device record is missing"):
        open_file(store_path, TEST_PASSPHRASE)
    with pytest.raises(CorruptStore, match="device record is missing"):
        open_store(store_path, TEST_PASSPHRASE, forms=forms)
    assert _digest(store_path) == before


def test_a_wrong_passphrase_is_refused_and_the_store_opens_after(store: Store) -> None:
    _fill(store)
    path = store.path
    with pytest.raises(WrongPassphrase):
        open_file(path, "not the passphrase")
    opened = open_file(path, TEST_PASSPHRASE)
    try:
        assert len(opened.list_cases(None)) == 5
    finally:
        opened.close()


def test_a_case_with_a_damaged_value_is_listed_as_damaged_and_the_others_as_they_are(
    store: Store,
) -> None:
    _fill(store)
    engine = make_engine(store.path, TEST_PASSPHRASE)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE cases SET hearing_date = 'the 2nd', updated_at = 'x' WHERE crn = 'Z111111'"
        )
    engine.dispose()
    opened = open_file(store.path, TEST_PASSPHRASE)
    try:
        every = opened.list_cases(None)
    finally:
        opened.close()
    assert store.repository.list_cases(on=None) == every
    assert len(every) == 5
    damaged = [s for s in every if s.crn == "Z111111"]
    assert [(s.name, s.hearing_date, s.status) for s in damaged] == [
        ("Zoe Adams", None, UNREADABLE_STATUS)
    ]
    others = [s for s in every if s.crn != "Z111111"]
    assert UNREADABLE_STATUS not in {s.status for s in others}
    assert [s.name for s in others if s.hearing_date == TODAY] == ["Ben Cole", "Cy Dunn"]
