"""The local store's review queries and actions, on a real encrypted store.

The SQL must give what the domain's rules give (`select`) for every tab and filter; the
actions must be audited and, for follow-ups, go into the outbox like any other save.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from review_data import (
    BRADFORD_COURT,
    BRADFORD_TEAM,
    LEEDS_COURT,
    LEEDS_TEAM,
    SUPERVISOR,
    TODAY,
    case,
    check,
    fill,
    follow_up,
    items_of,
    new_store,
    review_cases,
)

from court_tui.domain.case import CaseRecord
from court_tui.domain.forms import FormSet
from court_tui.domain.review import (
    DeviceContact,
    ReviewError,
    ReviewFilters,
    ReviewItem,
    Tab,
    select,
)
from court_tui.store import Store
from court_tui.store.review_queries import LocalReviewSource

NAMES = {
    tab: names
    for tab, names in {
        Tab.OVERDUE: ["Morgan Price", "Taylor Reid", "Jamie Walsh"],
        Tab.DUE_SOON: ["Jamie Walsh", "Morgan Price", "Casey Morgan"],
        Tab.PENDING: [
            "Morgan Price",
            "Taylor Reid",
            "Jamie Walsh",
            "Jamie Walsh",
            "Morgan Price",
            "Casey Morgan",
            "Alex Brown",
            "Casey Morgan",
            "Robin Hughes",
        ],
        Tab.RECEIVED: ["Taylor Reid", "Robin Hughes", "Sasha Green"],
    }.items()
}


@pytest.fixture
def source(review_store: Store) -> LocalReviewSource:
    return LocalReviewSource(review_store)


@pytest.mark.parametrize("tab", list(Tab))
def test_each_tab_lists_its_items_overdue_first_then_by_due_date(
    source: LocalReviewSource, tab: Tab
) -> None:
    page = source.page(tab, ReviewFilters(), TODAY)
    assert [item.case_name for item in page.items] == NAMES[tab]
    assert page.showing == f"Showing {len(NAMES[tab])} of {len(NAMES[tab])}"


def test_a_short_page_says_how_many_there_are(source: LocalReviewSource) -> None:
    page = source.page(Tab.PENDING, ReviewFilters(), TODAY, limit=4)
    assert [item.case_name for item in page.items] == NAMES[Tab.PENDING][:4]
    assert (page.matching, page.total) == (9, 9)
    filtered = source.page(Tab.PENDING, ReviewFilters(team=LEEDS_TEAM), TODAY, limit=2)
    assert (len(filtered.items), filtered.matching, filtered.total) == (2, 6, 9)
    assert filtered.showing == (
        "Showing the first 2 of 6 matching (9 in this tab): "
        "go down past the last for more, or filter to narrow"
    )


def test_filters_narrow_by_court_team_officer_kind_and_search(source: LocalReviewSource) -> None:
    def names(**filters: object) -> list[str]:
        page = source.page(Tab.PENDING, ReviewFilters(**filters), TODAY)  # type: ignore[arg-type]
        return [f"{item.case_name}/{item.kind}" for item in page.items]

    assert names(court=BRADFORD_COURT) == [
        "Morgan Price/check",
        "Morgan Price/follow_up",
        "Alex Brown/check",
    ]
    assert names(team=BRADFORD_TEAM) == names(court=BRADFORD_COURT)
    assert names(officer="Alex Khan") == [
        "Casey Morgan/check",
        "Casey Morgan/follow_up",
        "Robin Hughes/check",
    ]
    assert names(kind="follow_up") == [
        "Jamie Walsh/follow_up",
        "Morgan Price/follow_up",
        "Casey Morgan/follow_up",
    ]
    assert names(search="WALSH") == ["Jamie Walsh/follow_up", "Jamie Walsh/check"]
    assert names(search="b3456") == ["Alex Brown/check"]
    assert names(search="employer") == ["Morgan Price/follow_up"]
    assert names(search="police") == [
        "Morgan Price/check",
        "Taylor Reid/check",
        "Casey Morgan/check",
    ]
    assert names(search="50%_") == []
    assert names(team=LEEDS_TEAM, kind="check", search="safeguarding") == [
        "Jamie Walsh/check",
        "Robin Hughes/check",
    ]


def test_officer_filter_takes_follow_ups_they_own_on_others_cases(
    review_store: Store, source: LocalReviewSource
) -> None:
    item = next(
        i for i in source.page(Tab.PENDING, ReviewFilters(), TODAY).items if i.kind == "follow_up"
    )
    source.reassign(item, "Jo Lee")
    page = source.page(Tab.PENDING, ReviewFilters(officer="Jo Lee", team=LEEDS_TEAM), TODAY)
    assert [(i.case_name, i.owner) for i in page.items] == [("Jamie Walsh", "Jo Lee")]


def _random_cases(seed: int) -> list[CaseRecord]:
    # ASCII names only: SQL ignores case for ASCII letters alone, as the domain note says.
    rng = random.Random(seed)
    day = lambda: TODAY + timedelta(days=rng.randint(-15, 15))  # noqa: E731
    records = []
    for n in range(60):
        team, court = rng.choice([(LEEDS_TEAM, LEEDS_COURT), (BRADFORD_TEAM, BRADFORD_COURT)])
        checks = {}
        for kind in ("domestic_abuse", "safeguarding"):
            if rng.random() < 0.8:
                requested = TODAY - timedelta(days=rng.randint(0, 20))
                expected = None if rng.random() < 0.1 else day()
                received = None if rng.random() < 0.5 else min(TODAY, day())
                checks[kind] = check(requested, expected, received)
        follow_ups = [
            follow_up(
                n * 10 + index,
                "rsr_score",
                rng.choice(["Sam Patel", "Alex Khan", "Jo Lee"]),
                rng.choice(["Chase the police", "Get the RSR score", "ring the GP"]),
                None if rng.random() < 0.1 else day(),
                closed_on=None if rng.random() < 0.6 else min(TODAY, day()),
            )
            for index in range(rng.randint(0, 2))
        ]
        name = f"{rng.choice(['alex', 'Sam', 'JO', 'Casey'])} {rng.choice(['Reid', 'lee'])}"
        records.append(
            case(
                1000 + n,
                name,
                f"X{n:06d}",
                team=team,
                court=court,
                officer=rng.choice(["Sam Patel", "Alex Khan", "Jo Lee"]),
                checks=checks,
                follow_ups=follow_ups,
            )
        )
    return records


FILTERS = [
    ReviewFilters(),
    ReviewFilters(court=LEEDS_COURT),
    ReviewFilters(team=BRADFORD_TEAM),
    ReviewFilters(officer="Jo Lee"),
    ReviewFilters(kind="check"),
    ReviewFilters(kind="follow_up", officer="Alex Khan"),
    ReviewFilters(search="reid"),
    ReviewFilters(search="police"),
    ReviewFilters(search="x00001", team=LEEDS_TEAM),
]


@pytest.mark.parametrize("seed", [1, 2])
def test_the_sql_gives_what_the_domain_rules_give(
    tmp_path: object, review_forms: FormSet, seed: int
) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    store = new_store(tmp_path / "random.db", review_forms)
    try:
        saved = fill(store, _random_cases(seed))
        everything = items_of(saved, review_forms)
        source = LocalReviewSource(store)
        for today in (TODAY, date(2026, 4, 2)):  # a Monday; the Thursday before Easter
            for tab in Tab:
                unfiltered = select(everything, tab, ReviewFilters(), today)
                for filters in FILTERS:
                    expected = select(everything, tab, filters, today)
                    page = source.page(tab, filters, today, limit=7)
                    context = f"{tab} {filters} {today}"
                    assert [i.key for i in page.items] == [i.key for i in expected[:7]], context
                    assert page.matching == len(expected), context
                    assert page.total == len(unfiltered), context
                    listed = source.all_items(tab, filters, today)
                    assert [i.key for i in listed] == [i.key for i in expected], context
    finally:
        store.close()


def test_filter_choices_are_those_of_items_in_the_review(source: LocalReviewSource) -> None:
    choices = source.filter_choices(TODAY)
    assert choices.courts == [BRADFORD_COURT, LEEDS_COURT]
    assert choices.teams == [BRADFORD_TEAM, LEEDS_TEAM]
    assert choices.officers == ["Alex Khan", "Jo Lee", "Sam Patel"]


# -- actions -------------------------------------------------------------------------------


def _outbox(store: Store) -> list[int]:
    return store.repository.outbox_sequences()


@pytest.mark.parametrize("kind", ["check", "follow_up"])
def test_marking_an_item_reviewed_keeps_an_audited_note_for_the_sync_not_a_case_change(
    review_store: Store, source: LocalReviewSource, kind: str
) -> None:
    item = next(
        i for i in source.page(Tab.OVERDUE, ReviewFilters(), TODAY).items if i.kind == kind
    )
    before_outbox = _outbox(review_store)
    before = review_store.repository.get_case(item.case_id, actor="test")
    changed = source.mark_reviewed(item, "  Spoke to Sam: chase it Friday  ")
    assert (changed.reviewed_by, changed.review_note) == (
        SUPERVISOR,
        "Spoke to Sam: chase it Friday",
    )
    (note,) = review_store.repository.supervisor_notes(item.case_id)
    assert (note.item_id, note.note, note.written_by) == (
        item.item_id,
        "Spoke to Sam: chase it Friday",
        SUPERVISOR,
    )
    audit = review_store.repository.audit_rows(item.case_id)
    assert (audit[-1].action, audit[-1].actor) == ("note", SUPERVISOR)
    # The case itself is untouched: the officer's own changes can never conflict with it.
    after = review_store.repository.get_case(item.case_id, actor="test")
    assert after.revision == before.revision
    assert _outbox(review_store) == before_outbox
    again = source.page(Tab.OVERDUE, ReviewFilters(), TODAY).items
    reviewed = next(i for i in again if i.key == item.key)
    assert (reviewed.reviewed_by, reviewed.review_note) == (SUPERVISOR, changed.review_note)


def test_the_latest_review_of_an_item_is_the_one_shown(
    review_store: Store, source: LocalReviewSource
) -> None:
    item = source.page(Tab.OVERDUE, ReviewFilters(), TODAY).items[0]
    source.mark_reviewed(item, "Reviewed on this laptop")
    review_store.repository.add_supervisor_note(
        item.case_id, actor="Morgan Hale", note="Chased again", item_id=item.item_id
    )
    again = source.page(Tab.OVERDUE, ReviewFilters(), TODAY).items[0]
    assert (again.reviewed_by, again.review_note) == ("Morgan Hale", "Chased again")


def test_a_review_kept_in_a_follow_up_by_an_older_court_tui_still_shows(
    review_store: Store, source: LocalReviewSource
) -> None:
    item = next(
        i for i in source.page(Tab.OVERDUE, ReviewFilters(), TODAY).items if i.kind == "follow_up"
    )
    record = review_store.repository.get_case(item.case_id, actor="test")
    follow_ups = [
        f.model_copy(update={"reviewed_by": "Lee Shaw", "review_note": "Seen in January"})
        for f in record.follow_ups
    ]
    review_store.repository.save_case(
        record.model_copy(update={"follow_ups": follow_ups}), actor="test"
    )
    shown = next(
        i for i in source.page(Tab.OVERDUE, ReviewFilters(), TODAY).items if i.key == item.key
    )
    assert (shown.reviewed_by, shown.review_note) == ("Lee Shaw", "Seen in January")
    # A note written since is newer than a review that kept no time.
    source.mark_reviewed(item, "Chased today")
    shown = next(
        i for i in source.page(Tab.OVERDUE, ReviewFilters(), TODAY).items if i.key == item.key
    )
    assert (shown.reviewed_by, shown.review_note) == (SUPERVISOR, "Chased today")


def _find(source: LocalReviewSource, item: ReviewItem) -> ReviewItem:
    return next(
        i for i in source.page(Tab.OVERDUE, ReviewFilters(), TODAY).items if i.key == item.key
    )


def test_an_empty_note_is_refused_and_nothing_is_kept(
    review_store: Store, source: LocalReviewSource
) -> None:
    item = source.page(Tab.OVERDUE, ReviewFilters(), TODAY).items[0]
    with pytest.raises(ReviewError, match="Enter an oversight note"):
        source.mark_reviewed(item, "   ")
    assert review_store.repository.supervisor_notes(item.case_id) == []


def test_reassigning_a_follow_up_saves_the_new_owner_audited_and_outboxed(
    review_store: Store, source: LocalReviewSource
) -> None:
    item = next(
        i for i in source.page(Tab.PENDING, ReviewFilters(), TODAY).items if i.kind == "follow_up"
    )
    before = _outbox(review_store)
    assert source.reassign(item, " Alex Khan ").owner == "Alex Khan"
    record = review_store.repository.get_case(item.case_id, actor="test")
    assert [f.owner for f in record.follow_ups if f.id == item.item_id] == ["Alex Khan"]
    assert len(_outbox(review_store)) == len(before) + 1
    assert ("save", SUPERVISOR) in [
        (row.action, row.actor) for row in review_store.repository.audit_rows(item.case_id)
    ]


def test_a_check_has_no_owner_to_change(source: LocalReviewSource) -> None:
    item = source.page(Tab.OVERDUE, ReviewFilters(), TODAY).items[0]
    with pytest.raises(ReviewError, match="Only a follow-up"):
        source.reassign(item, "Alex Khan")


def test_a_follow_up_gone_or_closed_meanwhile_is_reported_and_nothing_saved(
    review_store: Store, source: LocalReviewSource
) -> None:
    item = next(
        i for i in source.page(Tab.OVERDUE, ReviewFilters(), TODAY).items if i.kind == "follow_up"
    )
    record = review_store.repository.get_case(item.case_id, actor="Sam Patel")
    closed = [
        f.model_copy(update={"closed_on": TODAY, "closed_by": "Sam Patel"})
        for f in record.follow_ups
    ]
    review_store.repository.save_case(
        record.model_copy(update={"follow_ups": closed}), actor="Sam Patel"
    )
    before = _outbox(review_store)
    with pytest.raises(ReviewError, match="closed on Monday 2 March 2026: there is nothing left"):
        source.reassign(item, "Alex Khan")
    record = review_store.repository.get_case(item.case_id, actor="Sam Patel")
    review_store.repository.save_case(
        record.model_copy(update={"follow_ups": []}), actor="Sam Patel"
    )
    before = _outbox(review_store)
    with pytest.raises(ReviewError, match="no longer on Jamie Walsh's case"):
        source.reassign(item, "Alex Khan")
    assert _outbox(review_store) == before


def test_opening_a_case_is_audited(review_store: Store, source: LocalReviewSource) -> None:
    item = source.page(Tab.OVERDUE, ReviewFilters(), TODAY).items[0]
    record = source.open_case(item.case_id)
    assert record.display_name == "Morgan Price (B123456)"
    last = review_store.repository.audit_rows(item.case_id)[-1]
    assert (last.action, last.actor) == ("view", SUPERVISOR)


def test_an_export_is_recorded_as_a_disclosure_of_each_case(
    review_store: Store, source: LocalReviewSource
) -> None:
    items = source.all_items(Tab.OVERDUE, ReviewFilters(), TODAY)
    source.record_export(items, "review CSV: overdue")
    disclosed = [
        row.case_id for row in review_store.repository.audit_rows() if row.action == "disclose"
    ]
    assert sorted(disclosed) == sorted({item.case_id for item in items})


def test_this_laptop_has_never_synced_until_the_sync_says_when(
    review_store: Store, source: LocalReviewSource
) -> None:
    (device,) = source.devices()
    assert device == DeviceContact(review_store.device_id, SUPERVISOR, None, this_device=True)
    when = datetime(2026, 2, 27, 16, 5, tzinfo=UTC)
    (device,) = LocalReviewSource(review_store, last_synced=lambda: when).devices()
    assert (device.last_contact, device.label) == (when, "This laptop")


def test_the_reviewer_is_the_stores_officer(review_store: Store) -> None:
    assert LocalReviewSource(review_store).reviewer == SUPERVISOR
    assert LocalReviewSource(review_store, reviewer="Jo Lee").reviewer == "Jo Lee"
    assert [r.officer for r in review_cases()][:1] == ["Sam Patel"]


def test_the_received_tab_reads_its_seven_days_from_their_indexes(
    review_store: Store, source: LocalReviewSource
) -> None:
    engine = review_store.repository.engine
    statements: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", capture)
    try:
        page = source.page(Tab.RECEIVED, ReviewFilters(), TODAY)
    finally:
        sa.event.remove(engine, "before_cursor_execute", capture)
    assert {i.kind for i in page.items} == {"check", "follow_up"}
    with engine.connect() as conn:
        plans = [
            " | ".join(
                str(row[-1])
                for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params).all()
            )
            for sql, params in statements
            if "received_on >=" in sql or "closed_on >=" in sql
        ]
    assert any("USING COVERING INDEX ix_checks_received_on" in plan for plan in plans), plans
    assert any("USING COVERING INDEX ix_follow_ups_closed_on" in plan for plan in plans), plans
