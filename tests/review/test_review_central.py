"""The review on a real central PostgreSQL store with two teams: each supervisor's login
sees exactly their teams' items (row-level security, not a filter in Python), oversight
notes reach the officer's laptop, and each laptop's last contact is shown.

The officers' cases get there the real way: saved on their laptops and synced.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from review_data import (
    BRADFORD_COURT,
    BRADFORD_TEAM,
    LEEDS_COURT,
    LEEDS_TEAM,
    PASSPHRASE,
    SUPERVISOR,
    TODAY,
    items_of,
    review_cases,
)
from review_pilot import footer_keys, line, names, press, rows, settle, type_text
from support.central import Central, new_central
from support.pgserver import PostgresServer

from court_tui.cli import main
from court_tui.domain.case import CaseRecord
from court_tui.domain.forms import FormSet
from court_tui.domain.review import ReviewError, ReviewFilters, ReviewItem, Tab, select
from court_tui.store import Store, open_store
from court_tui.store.review_queries import LocalReviewSource
from court_tui.sync import sync_status, sync_with_server
from court_tui.sync.review_server import CentralReviewSource
from court_tui.sync.server import add_user
from court_tui.ui.review.app import ReviewApp
from court_tui.ui.review.case_view import CaseSummaryScreen

pytestmark = pytest.mark.postgres

OFFICERS = {"Sam Patel": "sam", "Alex Khan": "alex", "Jo Lee": "jo"}
TEAMS_OF = {"sam": [LEEDS_TEAM], "alex": [LEEDS_TEAM], "jo": [BRADFORD_TEAM]}
SUPERVISORS = {
    "pat": ([LEEDS_TEAM], SUPERVISOR),
    "morgan": ([LEEDS_TEAM, BRADFORD_TEAM], "Morgan Hale"),
    "lee": ([BRADFORD_TEAM], "Lee Shaw"),
}


class World:
    """A central store with two teams' cases synced from three officers' laptops."""

    def __init__(self, central: Central, laptops: dict[str, Store], cases: list[CaseRecord]):
        self.central = central
        self.laptops = laptops
        self.cases = cases

    def source(self, login: str) -> CentralReviewSource:
        return CentralReviewSource(self.central.url(login))

    def expected(self, teams: list[str], forms: FormSet) -> list[ReviewItem]:
        return items_of([c for c in self.cases if c.team in teams], forms)


@pytest.fixture(scope="module")
def world(
    pg_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory, review_forms: FormSet
) -> Iterator[World]:
    central = new_central(pg_server)
    for login, teams in TEAMS_OF.items():
        name = next(name for name, officer in OFFICERS.items() if officer == login)
        add_user(central.admin_url, login, teams=teams, role="officer", display_name=name)
    for login, (teams, name) in SUPERVISORS.items():
        add_user(central.admin_url, login, teams=teams, role="supervisor", display_name=name)
    folder = tmp_path_factory.mktemp("laptops")
    laptops: dict[str, Store] = {}
    saved: list[CaseRecord] = []
    for record in review_cases():
        login = OFFICERS[record.officer]
        if login not in laptops:
            laptops[login] = open_store(
                folder / f"{login}.db", PASSPHRASE, create=True, forms=review_forms
            )
        saved.append(laptops[login].repository.save_case(record, actor=record.officer))
    for login, store in laptops.items():
        report = sync_with_server(store, central.url(login))
        assert report.error is None and not report.rejected, report
    yield World(central, laptops, saved)
    for store in laptops.values():
        store.close()


@pytest.mark.parametrize("login", sorted(SUPERVISORS))
def test_a_supervisor_sees_exactly_their_teams_items(
    world: World, review_forms: FormSet, login: str
) -> None:
    teams, name = SUPERVISORS[login]
    source = world.source(login)
    try:
        assert (source.reviewer, source.teams) == (name, tuple(sorted(teams)))
        everything = world.expected(teams, review_forms)
        for tab in Tab:
            expected = select(everything, tab, ReviewFilters(), TODAY)
            page = source.page(tab, ReviewFilters(), TODAY)
            assert [i.key for i in page.items] == [i.key for i in expected], (login, tab)
            assert page.total == len(expected)
            listed = source.all_items(tab, ReviewFilters(), TODAY)
            assert {i.team for i in listed} <= set(teams)
    finally:
        source.close()


def test_another_teams_items_cannot_be_filtered_into_view(world: World) -> None:
    source = world.source("pat")
    try:
        bradford = ReviewFilters(team=BRADFORD_TEAM)
        assert source.page(Tab.PENDING, bradford, TODAY).items == []
        assert source.page(Tab.PENDING, ReviewFilters(search="Morgan Price"), TODAY).items == []
        choices = source.filter_choices(TODAY)
        assert (choices.courts, choices.teams) == ([LEEDS_COURT], [LEEDS_TEAM])
        with pytest.raises(ReviewError, match="not in your teams"):
            source.open_case("0190f000-0000-7000-8000-000000000006")  # Bradford's
    finally:
        source.close()


def test_each_laptop_in_the_teams_with_its_last_contact(world: World) -> None:
    pat, morgan = world.source("pat"), world.source("morgan")
    try:
        assert sorted(d.owner for d in pat.devices()) == ["Alex Khan", "Sam Patel"]
        devices = morgan.devices()
        assert sorted(d.owner for d in devices) == ["Alex Khan", "Jo Lee", "Sam Patel"]
        assert {d.device_id for d in devices} == {s.device_id for s in world.laptops.values()}
        assert all(d.last_contact is not None for d in devices)
    finally:
        pat.close()
        morgan.close()


def test_an_oversight_note_reaches_the_officers_laptop(
    world: World, review_forms: FormSet
) -> None:
    source = world.source("pat")
    try:
        item = next(
            i for i in source.page(Tab.OVERDUE, ReviewFilters(), TODAY).items if i.kind == "check"
        )
        assert (item.case_name, item.item_id) == ("Taylor Reid", "domestic_abuse")
        changed = source.mark_reviewed(item, "  Chased the police by phone  ")
        assert (changed.reviewed_by, changed.review_note) == (
            SUPERVISOR,
            "Chased the police by phone",
        )
        again = next(
            i for i in source.page(Tab.OVERDUE, ReviewFilters(), TODAY).items if i.key == item.key
        )
        assert again.reviewed_by == SUPERVISOR
        assert (
            world.central.scalar(
                "SELECT count(*) FROM court_tui.audit_log WHERE action = 'note' AND case_id = %s",
                item.case_id,
            )
            == 1
        )
    finally:
        source.close()
    laptop = world.laptops["sam"]
    sync_with_server(laptop, world.central.url("sam"))
    on_laptop = LocalReviewSource(laptop, forms=review_forms)
    mine = next(
        i for i in on_laptop.page(Tab.OVERDUE, ReviewFilters(), TODAY).items if i.key == item.key
    )
    assert (mine.reviewed_by, mine.review_note) == (SUPERVISOR, "Chased the police by phone")


def test_nothing_is_written_on_another_teams_case(world: World) -> None:
    source = world.source("pat")
    try:
        item = next(
            i
            for i in source.page(Tab.PENDING, ReviewFilters(), TODAY).items
            if i.kind == "follow_up"
        )
        foreign = replace(item, case_id="0190f000-0000-7000-8000-000000000006")  # Bradford's
        with pytest.raises(ReviewError, match="could not do that"):
            source.mark_reviewed(foreign, "Not mine to note")
        with pytest.raises(ReviewError, match="could not do that.*no case"):
            source.reassign(foreign, "Alex Khan")
        with pytest.raises(ReviewError, match="already owned by"):
            source.reassign(item, item.owner)
    finally:
        source.close()


def test_a_follow_up_reassigned_centrally_reaches_the_officers_laptop(
    world: World, review_forms: FormSet
) -> None:
    source = world.source("pat")
    try:
        item = next(
            i
            for i in source.page(Tab.PENDING, ReviewFilters(), TODAY).items
            if i.kind == "follow_up" and i.case_name == "Jamie Walsh"
        )
        assert item.owner == "Sam Patel"
        revision = world.central.scalar(
            "SELECT revision FROM court_tui.cases WHERE id = %s", item.case_id
        )
        assert source.reassign(item, " Alex Khan ").owner == "Alex Khan"
        again = next(
            i for i in source.page(Tab.PENDING, ReviewFilters(), TODAY).items if i.key == item.key
        )
        assert again.owner == "Alex Khan"
        assert world.central.scalar(
            "SELECT detail FROM court_tui.audit_log WHERE action = 'reassign' AND case_id = %s",
            item.case_id,
        ) == (
            f"follow-up {item.item_id}: from Sam Patel to Alex Khan; revision {revision} to "
            f"{revision + 1}"
        )  # type: ignore[operator]
    finally:
        source.close()
    laptop = world.laptops["sam"]
    report = sync_with_server(laptop, world.central.url("sam"))
    assert report.error is None, report
    record = laptop.repository.get_case(item.case_id, actor="Sam Patel")
    assert [f.owner for f in record.follow_ups] == ["Alex Khan"]
    assert record.revision == revision + 1  # type: ignore[operator]
    # The officer goes on from the supervisor's version: no conflict.
    record.answers["offence_analysis"] = "Written after the reassignment"
    laptop.repository.save_case(record, actor="Sam Patel")
    report = sync_with_server(laptop, world.central.url("sam"))
    assert report.error is None and report.conflicts == 0, report
    assert (
        world.central.scalar("SELECT owner FROM court_tui.follow_ups WHERE id = %s", item.item_id)
        == "Alex Khan"
    )


def test_reviews_made_on_a_supervisors_laptop_reach_the_central_store(
    world: World, review_forms: FormSet, tmp_path: Path
) -> None:
    url = world.central.url("pat")
    with open_store(tmp_path / "pat.db", PASSPHRASE, create=True, forms=review_forms) as laptop:
        assert sync_with_server(laptop, url).error is None  # the Leeds cases come down
        on_laptop = LocalReviewSource(laptop, reviewer=SUPERVISOR, forms=review_forms)
        items = on_laptop.page(Tab.PENDING, ReviewFilters(), TODAY).items
        check = next(i for i in items if i.case_name == "Casey Morgan" and i.kind == "check")
        follow_up = next(
            i for i in items if i.case_name == "Casey Morgan" and i.kind == "follow_up"
        )
        on_laptop.mark_reviewed(check, "Police promised it by Wednesday")
        on_laptop.reassign(follow_up, "Sam Patel")
        assert sync_status(laptop).pending == 2  # the note and the case's change
        report = sync_with_server(laptop, url)
        assert report.error is None and not report.rejected, report
        assert (report.applied, report.notes_sent) == (1, 1)
        assert sync_status(laptop).pending == 0
    source = world.source("morgan")
    try:
        central = {i.key: i for i in source.page(Tab.PENDING, ReviewFilters(), TODAY).items}
        assert (central[check.key].reviewed_by, central[check.key].review_note) == (
            SUPERVISOR,
            "Police promised it by Wednesday",
        )
        assert central[follow_up.key].owner == "Sam Patel"
    finally:
        source.close()


def test_a_case_opened_centrally_is_in_the_central_audit(world: World) -> None:
    source = world.source("lee")
    try:
        case_id = "0190f000-0000-7000-8000-000000000006"
        before = world.central.scalar(
            "SELECT count(*) FROM court_tui.audit_log WHERE action = 'view' AND case_id = %s "
            "AND actor = 'lee'",
            case_id,
        )
        assert source.open_case(case_id).id == case_id
        after = world.central.scalar(
            "SELECT count(*) FROM court_tui.audit_log WHERE action = 'view' AND case_id = %s "
            "AND actor = 'lee'",
            case_id,
        )
        assert after == before + 1  # type: ignore[operator]
    finally:
        source.close()


def test_an_officers_login_cannot_open_the_review(world: World) -> None:
    with pytest.raises(ReviewError, match="sam is not a supervisor"):
        world.source("sam")


def test_this_laptops_last_sync_shows_on_its_own_review(world: World) -> None:
    laptop = world.laptops["jo"]

    def last_synced() -> Any:
        from court_tui.sync import sync_status

        return sync_status(laptop).last_synced_at

    (device,) = LocalReviewSource(laptop, last_synced=last_synced).devices()
    assert device.this_device and device.last_contact is not None


@pytest.mark.asyncio
async def test_the_app_on_the_central_store_by_keys(world: World, review_forms: FormSet) -> None:
    source = world.source("lee")
    app = ReviewApp(source, forms=review_forms, today=lambda: TODAY, tab=Tab.PENDING)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert line(pilot, "heading") == (
                f"Pending checks: Lee Shaw, central store, {BRADFORD_TEAM}"
            )
            assert names(pilot) == ["Morgan Price", "Morgan Price", "Alex Brown"]
            assert "Jo Lee's laptop" in line(pilot, "devices")
            await press(pilot, "down")  # Morgan Price's follow-up
            assert "Owner" in footer_keys(pilot)
            await press(pilot, "o")
            await type_text(pilot, "Lee Shaw")
            await press(pilot, "ctrl+s")
            assert line(pilot, "message") == (
                "Morgan Price: the follow-up now belongs to Lee Shaw."
            )
            assert rows(pilot)[1][2] == "Lee Shaw"
            await press(pilot, "enter")
            assert isinstance(app.screen, CaseSummaryScreen)
            assert line(pilot, "caption") == (
                "Read only: the central store is read here; changes are made on the "
                "officer's laptop."
            )
    finally:
        source.close()


def test_the_command_writes_the_central_view_as_csv(
    world: World, review_forms: FormSet, capsys: pytest.CaptureFixture[str]
) -> None:
    url = world.central.url("lee")
    assert (
        main(["review", "--server", url, "--csv", "--tab", "pending", "--today", "2026-03-02"])
        == 0
    )
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert len(lines) == 4
    assert all(BRADFORD_COURT in row for row in lines[1:])
    with world.central.connect() as conn:
        logged = conn.execute(
            "SELECT actor, case_id, detail FROM court_tui.audit_log WHERE action = 'disclose'"
        ).fetchall()
    listed = select(
        world.expected([BRADFORD_TEAM], review_forms), Tab.PENDING, ReviewFilters(), TODAY
    )
    assert {case_id for _, case_id, _ in logged} == {item.case_id for item in listed}
    assert all(actor == "lee" and "review CSV: pending" in detail for actor, _, detail in logged)
