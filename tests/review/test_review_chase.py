"""What nobody is finding out and what nobody has accepted reaches the supervisor's review:
a 'not known' with no follow-up is listed as blocked and a handover not accepted by its
due date as overdue, on this laptop's store and on the central PostgreSQL store, in the
tabs and in the CSV export, as the officer's pending list lists them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from review_data import LEEDS_COURT, PASSPHRASE, SUPERVISOR, TODAY, chase_cases, fill, new_store
from review_pilot import press, rows, settle, showing
from support.central import new_central
from support.pgserver import PostgresServer

from court_tui.cli import main
from court_tui.domain.forms import FormSet
from court_tui.domain.review import (
    ReviewFilters,
    ReviewItem,
    ReviewSource,
    Tab,
    due_words,
    status_word,
)
from court_tui.store import Store, open_store
from court_tui.store.review_queries import LocalReviewSource
from court_tui.sync import sync_with_server
from court_tui.sync.review_server import CentralReviewSource
from court_tui.sync.server import add_user
from court_tui.ui.review.app import ReviewApp

BLOCKED = ("0190f000-0000-7000-8000-000000000021", "not_known", "rsr_score")
HANDOVER = ("0190f000-0000-7000-8000-000000000022", "handover", "handover")


def _shown(items: list[ReviewItem]) -> dict[tuple[str, str, str], tuple[str, str, str]]:
    return {
        item.key: (item.case_name, status_word(item, TODAY), due_words(item, TODAY))
        for item in items
    }


def _assert_listed(source: ReviewSource) -> None:
    overdue = _shown(source.page(Tab.OVERDUE, ReviewFilters(), TODAY).items)
    assert overdue[HANDOVER] == ("Kit Marsh", "Overdue", "Overdue by 2 working days")
    # Blocked has no date to be late by: it waits in All pending until someone is named.
    assert BLOCKED not in overdue
    page = source.page(Tab.PENDING, ReviewFilters(), TODAY)
    pending = _shown(page.items)
    assert pending[BLOCKED] == ("Drew Blake", "Blocked", "No follow-up recorded")
    assert pending[HANDOVER][1] == "Overdue"
    assert page.total == len(page.items)
    handover = next(item for item in page.items if item.key == HANDOVER)
    assert (handover.what, handover.court, handover.officer) == (
        "Handover to ro",
        LEEDS_COURT,
        "Sam Patel",
    )
    # Filtered like any other item, and counted in the tab's total when filtered out.
    only_blake = source.page(Tab.PENDING, ReviewFilters(search="blake"), TODAY)
    assert [item.key for item in only_blake.items] == [BLOCKED]
    assert only_blake.total == page.total
    checks_only = source.page(Tab.PENDING, ReviewFilters(kind="check"), TODAY)
    assert {item.kind for item in checks_only.items} <= {"check"}


def _csv_rows(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, list[str]]:
    assert main(["review", *args, "--csv", "--tab", "pending", "--today", TODAY.isoformat()]) == 0
    rows = csv.DictReader(io.StringIO(capsys.readouterr().out))
    return {
        row["case_name"]: [row["kind"], row["status"], row["due"], row["due_words"]]
        for row in rows
    }


def test_the_local_review_lists_a_blocked_not_known_and_an_overdue_handover(
    tmp_path: Path,
    review_forms: FormSet,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = new_store(tmp_path / "review.db", review_forms)
    try:
        fill(store)
        fill(store, chase_cases())
        source = LocalReviewSource(store, forms=review_forms)
        _assert_listed(source)
        # The review and the officer's pending list list the same things, in the same words.
        officers = {
            (item.case_id, item.kind, item.item_id): item.status
            for item in store.repository.pending_items(today=TODAY)
            if item.kind in ("not_known", "handover")
        }
        assert officers == {BLOCKED: "Blocked", HANDOVER: "Overdue"}
    finally:
        store.close()
    monkeypatch.setenv("COURT_TUI_PASSPHRASE", PASSPHRASE)
    rows = _csv_rows(["--db", str(tmp_path / "review.db")], capsys)
    assert rows["Drew Blake"] == ["not_known", "Blocked", "", "No follow-up recorded"]
    assert rows["Kit Marsh"] == ["handover", "Overdue", "2026-02-26", "Overdue by 2 working days"]


@pytest.mark.postgres
def test_the_central_review_lists_a_blocked_not_known_and_an_overdue_handover(
    pg_server: PostgresServer,
    tmp_path: Path,
    review_forms: FormSet,
    capsys: pytest.CaptureFixture[str],
) -> None:
    central = new_central(pg_server)
    add_user(
        central.admin_url,
        "sam",
        teams=["Leeds court team"],
        role="officer",
        display_name="Sam Patel",
    )
    add_user(
        central.admin_url,
        "pat",
        teams=["Leeds court team"],
        role="supervisor",
        display_name=SUPERVISOR,
    )
    laptop = open_store(tmp_path / "sam.db", PASSPHRASE, create=True, forms=review_forms)
    try:
        fill(laptop, chase_cases())
        report = sync_with_server(laptop, central.url("sam"))
        assert report.error is None and not report.rejected, report
    finally:
        laptop.close()
    source = CentralReviewSource(central.url("pat"), forms=review_forms)
    try:
        _assert_listed(source)
    finally:
        source.close()
    rows = _csv_rows(["--server", central.url("pat")], capsys)
    assert rows["Drew Blake"] == ["not_known", "Blocked", "", "No follow-up recorded"]
    assert rows["Kit Marsh"] == ["handover", "Overdue", "2026-02-26", "Overdue by 2 working days"]


@pytest.mark.asyncio
async def test_the_review_screen_shows_them_in_its_tabs(
    review_store: Store, review_forms: FormSet, review_clock: None
) -> None:
    fill(review_store, chase_cases())
    app = ReviewApp(LocalReviewSource(review_store), forms=review_forms)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        overdue = {row[0].split("\n")[0]: row for row in rows(pilot)}
        assert overdue["Kit Marsh"][1:] == [
            "Handover to ro",
            "Sam Patel",
            "-",
            "Thu 26 Feb\nOverdue by 2\nworking days",
            "Overdue",
        ]
        assert "Drew Blake" not in overdue
        await press(pilot, "3")
        pending = {row[0].split("\n")[0]: row for row in rows(pilot)}
        assert pending["Drew Blake"][1] == "'Not known' with\nno follow-up:\nRSR score (%)"
        assert pending["Drew Blake"][4:] == ["No due date", "Blocked"]
        assert showing(pilot).startswith("All pending: Showing 11 of 11")
