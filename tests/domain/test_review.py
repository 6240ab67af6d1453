"""The supervisor's review rules: tabs by working days, order, words, filters, last contact.

Dates are written out by hand from the calendar and England and Wales bank holidays
(Good Friday 3 April and Easter Monday 6 April 2026).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from court_tui.domain.case import CaseRecord
from court_tui.domain.forms import FormSet
from court_tui.domain.review import (
    DeviceContact,
    ReviewFilters,
    ReviewItem,
    Tab,
    contact_words,
    device_line,
    devices_summary,
    due_words,
    empty_words,
    in_tab,
    is_behind,
    item_title,
    matches,
    ordered,
    oversight_line,
    select,
    short_what,
    showing_words,
    status_word,
    status_words,
    tab_window,
    validate_note,
    validate_owner,
)

MONDAY = date(2026, 3, 2)


def item(
    due: date | None,
    *,
    done_on: date | None = None,
    name: str = "Taylor Reid",
    kind: str = "check",
    item_id: str = "safeguarding",
    **changes: object,
) -> ReviewItem:
    base = ReviewItem(
        case_id=f"case-{name}",
        case_name=name,
        crn="X123456",
        court="Leeds Magistrates' Court",
        team="Leeds court team",
        officer="Sam Patel",
        kind=kind,  # type: ignore[arg-type]
        item_id=item_id,
        question=item_id,
        what="Child safeguarding check (children's services)",
        owner="Sam Patel",
        requested=date(2026, 2, 16),
        due=due,
        done_on=done_on,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


# -- tabs ----------------------------------------------------------------------------------


def test_overdue_is_due_before_today_and_still_pending() -> None:
    assert in_tab(item(date(2026, 2, 27)), Tab.OVERDUE, MONDAY)
    assert not in_tab(item(MONDAY), Tab.OVERDUE, MONDAY)
    assert not in_tab(item(date(2026, 2, 27), done_on=MONDAY), Tab.OVERDUE, MONDAY)
    assert not in_tab(item(None), Tab.OVERDUE, MONDAY)


def test_due_soon_runs_from_today_to_two_working_days_on() -> None:
    # Monday: Tuesday and Wednesday are the next two working days.
    assert in_tab(item(MONDAY), Tab.DUE_SOON, MONDAY)
    assert in_tab(item(date(2026, 3, 4)), Tab.DUE_SOON, MONDAY)
    assert not in_tab(item(date(2026, 3, 5)), Tab.DUE_SOON, MONDAY)
    assert not in_tab(item(date(2026, 2, 27)), Tab.DUE_SOON, MONDAY)


def test_due_soon_reaches_over_a_weekend() -> None:
    friday = date(2026, 3, 6)
    assert tab_window(Tab.DUE_SOON, friday).due_to == date(2026, 3, 10)
    assert in_tab(item(date(2026, 3, 7)), Tab.DUE_SOON, friday)  # Saturday
    assert in_tab(item(date(2026, 3, 10)), Tab.DUE_SOON, friday)  # Tuesday
    assert not in_tab(item(date(2026, 3, 11)), Tab.DUE_SOON, friday)


def test_due_soon_reaches_over_easter() -> None:
    maundy_thursday = date(2026, 4, 2)
    # Good Friday and Easter Monday are not working days: Tuesday 7 and Wednesday 8 are.
    assert tab_window(Tab.DUE_SOON, maundy_thursday).due_to == date(2026, 4, 8)
    assert in_tab(item(date(2026, 4, 8)), Tab.DUE_SOON, maundy_thursday)
    assert not in_tab(item(date(2026, 4, 9)), Tab.DUE_SOON, maundy_thursday)


def test_all_pending_holds_every_open_item_dated_or_not() -> None:
    assert in_tab(item(None), Tab.PENDING, MONDAY)
    assert in_tab(item(date(2025, 1, 1)), Tab.PENDING, MONDAY)
    assert in_tab(item(date(2027, 1, 1)), Tab.PENDING, MONDAY)
    assert not in_tab(item(MONDAY, done_on=MONDAY), Tab.PENDING, MONDAY)


def test_received_is_since_the_same_day_last_week() -> None:
    assert in_tab(item(None, done_on=MONDAY), Tab.RECEIVED, MONDAY)
    assert in_tab(item(None, done_on=date(2026, 2, 23)), Tab.RECEIVED, MONDAY)
    assert not in_tab(item(None, done_on=date(2026, 2, 22)), Tab.RECEIVED, MONDAY)
    # A date typed in the future is not 'received in the last seven days'.
    assert not in_tab(item(None, done_on=date(2026, 3, 3)), Tab.RECEIVED, MONDAY)
    assert not in_tab(item(MONDAY), Tab.RECEIVED, MONDAY)


# -- order ---------------------------------------------------------------------------------


def test_overdue_first_then_by_due_date_undated_last() -> None:
    items = [
        item(None, name="Undated"),
        item(date(2026, 3, 10), name="Later"),
        item(MONDAY, name="Today"),
        item(date(2026, 2, 27), name="Friday"),
        item(date(2026, 2, 20), name="Oldest"),
    ]
    names = [i.case_name for i in ordered(items, MONDAY)]
    assert names == ["Oldest", "Friday", "Today", "Later", "Undated"]


def test_same_due_date_sorts_by_case_name_ignoring_case() -> None:
    items = [item(MONDAY, name="casey Morgan"), item(MONDAY, name="Alex Brown")]
    assert [i.case_name for i in ordered(items, MONDAY)] == ["Alex Brown", "casey Morgan"]


def test_select_applies_tab_filters_and_order() -> None:
    items = [
        item(date(2026, 2, 27), name="B", court="York"),
        item(date(2026, 2, 20), name="A"),
        item(MONDAY, name="C"),
    ]
    chosen = select(items, Tab.OVERDUE, ReviewFilters(court="Leeds Magistrates' Court"), MONDAY)
    assert [i.case_name for i in chosen] == ["A"]


# -- words ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "words"),
    [
        (date(2026, 2, 27), "Overdue by 1 working day"),  # Friday, seen on Monday
        (date(2026, 2, 26), "Overdue by 2 working days"),
        (date(2026, 2, 28), "Overdue by 1 working day"),  # Saturday: Monday is late
        (MONDAY, "Due today"),
        (date(2026, 3, 3), "Due in 1 working day"),
        (date(2026, 3, 4), "Due in 2 working days"),
        (date(2026, 3, 5), ""),
        (None, "No due date set"),
    ],
)
def test_due_words(due: date | None, words: str) -> None:
    assert due_words(item(due), MONDAY) == words


def test_overdue_before_any_working_day_has_passed_says_overdue() -> None:
    # Due Saturday, seen on Sunday.
    assert due_words(item(date(2026, 2, 28)), date(2026, 3, 1)) == "Overdue"


def test_overdue_over_easter_counts_working_days_only() -> None:
    # Due Thursday 2 April, seen Tuesday 7 April: only the Tuesday is a working day.
    assert due_words(item(date(2026, 4, 2)), date(2026, 4, 7)) == "Overdue by 1 working day"


def test_due_on_a_weekend_before_the_next_working_day_names_the_day() -> None:
    assert due_words(item(date(2026, 3, 7)), date(2026, 3, 6)) == "Due Saturday"


def test_received_items_have_no_due_words() -> None:
    assert due_words(item(date(2026, 2, 20), done_on=MONDAY), MONDAY) == ""


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"due": date(2026, 2, 27)}, "Overdue"),
        ({"due": date(2026, 3, 3)}, "Due soon"),
        ({"due": date(2026, 3, 20)}, "Outstanding"),
        ({"due": date(2026, 3, 20), "kind": "follow_up"}, "Open"),
        ({"due": None}, "Outstanding"),
        ({"due": date(2026, 2, 27), "done_on": MONDAY}, "Received"),
        ({"due": date(2026, 2, 27), "done_on": MONDAY, "kind": "follow_up"}, "Closed"),
        # A 'not known' nobody is finding out has no date: it is blocked until someone is.
        ({"due": None, "kind": "not_known"}, "Blocked"),
        ({"due": date(2026, 2, 27), "kind": "handover"}, "Overdue"),
        ({"due": date(2026, 3, 20), "kind": "handover"}, "Sent, not yet accepted"),
    ],
)
def test_status_word(kwargs: dict[str, object], status: str) -> None:
    due = kwargs.pop("due")
    assert status_word(item(due, **kwargs), MONDAY) == status  # type: ignore[arg-type]


def test_status_says_reviewed_in_words() -> None:
    reviewed = item(date(2026, 2, 27)).with_review("Pat Senior", "Chased police myself")
    assert reviewed.reviewed
    assert status_words(reviewed, MONDAY) == "Overdue, reviewed"
    assert status_words(item(date(2026, 2, 27)), MONDAY) == "Overdue"


def test_short_what_drops_the_agency_in_brackets() -> None:
    assert short_what("Child safeguarding check (children's services)") == (
        "Child safeguarding check"
    )
    assert short_what("Chase the police") == "Chase the police"


def test_showing_words() -> None:
    assert showing_words(12, 12, 40) == "Showing 12 of 40"
    assert showing_words(0, 0, 0) == "Showing 0 of 0"
    assert showing_words(500, 12_345, 40_000) == (
        "Showing the first 500 of 12,345 matching (40,000 in this tab): "
        "go down past the last for more, or filter to narrow"
    )


def test_empty_words_say_what_was_looked_at() -> None:
    assert empty_words(Tab.OVERDUE, ReviewFilters()) == (
        "Nothing is overdue in what has reached this view."
    )
    assert empty_words(Tab.RECEIVED, ReviewFilters(team="York")) == (
        "Nothing was received in the last seven days with these filters (team York)."
    )


# -- filters -------------------------------------------------------------------------------


def test_each_filter_narrows_by_its_own_field() -> None:
    subject = item(MONDAY)
    assert matches(subject, ReviewFilters())
    assert matches(subject, ReviewFilters(court="Leeds Magistrates' Court"))
    assert not matches(subject, ReviewFilters(court="York Magistrates' Court"))
    assert matches(subject, ReviewFilters(team="Leeds court team"))
    assert not matches(subject, ReviewFilters(team="York court team"))
    assert matches(subject, ReviewFilters(kind="check"))
    assert not matches(subject, ReviewFilters(kind="follow_up"))


def test_officer_filter_takes_their_cases_and_what_they_own_elsewhere() -> None:
    theirs = item(MONDAY, officer="Sam Patel", owner="Sam Patel")
    reassigned = item(MONDAY, officer="Sam Patel", owner="Alex Khan", kind="follow_up")
    assert matches(theirs, ReviewFilters(officer="Sam Patel"))
    assert matches(reassigned, ReviewFilters(officer="Alex Khan"))
    assert matches(reassigned, ReviewFilters(officer="Sam Patel"))
    assert not matches(theirs, ReviewFilters(officer="Alex Khan"))


@pytest.mark.parametrize("text", ["taylor", "REID", "x1234", "safeguarding", "  sam   patel "])
def test_search_looks_in_name_crn_item_and_people_ignoring_case(text: str) -> None:
    assert matches(item(MONDAY), ReviewFilters(search=text))


def test_search_that_finds_nothing() -> None:
    assert not matches(item(MONDAY), ReviewFilters(search="walsh"))


def test_filters_in_words() -> None:
    filters = ReviewFilters(court="Leeds", officer="Sam Patel", kind="follow_up", search=" a  b ")
    assert filters.active
    assert filters.describe() == 'court Leeds; officer Sam Patel; follow-ups only; search "a b"'
    assert not ReviewFilters(search="   ").active
    assert ReviewFilters().describe() == "none"


def test_note_and_owner_checks() -> None:
    assert validate_note("  ") == "Enter an oversight note"
    assert validate_note("Spoke to Sam; police chased today") is None
    assert validate_note("x" * 2001) == "Oversight note must be 2,000 characters or fewer"
    assert validate_owner("", "Sam Patel") == "Enter who will own the follow-up"
    assert validate_owner(" Sam Patel ", "Sam Patel") == (
        "The follow-up is already owned by Sam Patel: enter someone else"
    )
    assert validate_owner("Alex Khan", "Sam Patel") is None


# -- last contact --------------------------------------------------------------------------

NOW = datetime(2026, 3, 2, 10, 42, tzinfo=UTC)  # Monday


@pytest.mark.parametrize(
    ("last", "words"),
    [
        (None, "has never synced"),
        (datetime(2026, 3, 2, 9, 5, tzinfo=UTC), "last synced today at 09:05"),
        (datetime(2026, 3, 1, 18, 0, tzinfo=UTC), "last synced yesterday at 18:00"),
        (datetime(2026, 2, 27, 16, 0, tzinfo=UTC), "last synced Friday 27 February 2026"),
        (
            datetime(2026, 2, 25, 16, 0, tzinfo=UTC),
            "last synced 3 working days ago (Wednesday 25 February 2026)",
        ),
    ],
)
def test_contact_words(last: datetime | None, words: str) -> None:
    assert contact_words(last, NOW) == words


def test_contact_words_use_uk_time_in_summer() -> None:
    # 23:30 UTC on 1 July is 00:30 on 2 July in London.
    assert contact_words(
        datetime(2026, 7, 1, 23, 30, tzinfo=UTC), datetime(2026, 7, 2, 9, 0, tzinfo=UTC)
    ) == ("last synced today at 00:30")


def test_a_laptop_is_behind_when_not_synced_this_or_last_working_day() -> None:
    friday = DeviceContact("d1", "Sam Patel", datetime(2026, 2, 27, 16, 0, tzinfo=UTC))
    thursday = DeviceContact("d2", "Alex Khan", datetime(2026, 2, 26, 16, 0, tzinfo=UTC))
    never = DeviceContact("d3", "Jo Lee", None)
    assert not is_behind(friday, NOW)
    assert is_behind(thursday, NOW)
    assert is_behind(never, NOW)


def test_device_lines_and_summary() -> None:
    fresh = DeviceContact("aaaaaaaa-1", "Sam Patel", datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    stale = DeviceContact("bbbbbbbb-2", "Alex Khan", datetime(2026, 2, 25, 9, 0, tzinfo=UTC))
    never = DeviceContact("cccccccc-3", "Jo Lee", None)
    assert device_line(stale, NOW) == (
        "Alex Khan's laptop (bbbbbbbb) last synced 3 working days ago (Wednesday 25 February 2026)"
    )
    assert devices_summary([fresh], NOW, central=True) == device_line(fresh, NOW)
    assert devices_summary([fresh, fresh], NOW, central=True) == (
        "All 2 laptops synced on this or the last working day"
    )
    assert devices_summary([fresh, stale], NOW, central=True) == device_line(stale, NOW)
    assert devices_summary([fresh, stale, never], NOW, central=True) == (
        "2 of 3 laptops behind; Jo Lee's laptop (cccccccc) has never synced"
    )
    assert devices_summary([], NOW, central=True).startswith("No laptop in your teams")


def test_local_summary_is_this_laptops_own_sync() -> None:
    mine = DeviceContact("x", "Pat Senior", datetime(2026, 3, 2, 9, 0, tzinfo=UTC), True)
    assert devices_summary([mine], NOW, central=False) == (
        "This laptop last synced today at 09:00: anything changed elsewhere since is not shown"
    )
    never = "This laptop has never synced: only what was recorded on it is shown"
    assert devices_summary([], NOW, central=False) == never
    assert devices_summary([DeviceContact("x", "Pat", None, True)], NOW, central=False) == never


def test_a_blocked_not_known_is_all_pending_and_never_overdue() -> None:
    blocked = item(None, kind="not_known", item_id="rsr_score", what="'Not known': RSR score")
    assert [tab for tab in Tab if in_tab(blocked, tab, MONDAY)] == [Tab.PENDING]
    assert due_words(blocked, MONDAY) == "No follow-up recorded"
    assert item_title(blocked) == "'Not known': RSR score"


def test_an_oversight_note_says_which_not_known_or_the_handover(forms: FormSet) -> None:
    record = CaseRecord(officer="Sam Patel")
    at = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    words = {
        item_id: oversight_line(
            record, forms, written_by="Pat Senior", written_at=at, item_id=item_id, note="Chase"
        )
        for item_id in ("rsr_score", "handover")
    }
    assert words == {
        "rsr_score": (
            f"Pat Senior, Monday 2 March 2026 on the 'not known' "
            f"{forms.questions['rsr_score'].label}: Chase"
        ),
        "handover": "Pat Senior, Monday 2 March 2026 on the handover: Chase",
    }
