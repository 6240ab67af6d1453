"""The officer's pending view: outstanding checks and open follow-ups with their case's
summary, read by the review's own queries for its "All pending" tab and described in its
words (one owner for how pending items are found and named), in the officer's order: by
due date, overdue first, undated last."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from court_tui.domain.forms import FormSet
from court_tui.domain.review import ItemKind, ReviewFilters, Tab, pending_word
from court_tui.store.entries import PendingItem
from court_tui.store.review_sql import AnySelect, ReviewBranches


def _queries(forms: FormSet) -> ReviewBranches:
    # The covering case lookup index is in every store at the head revision.
    return ReviewBranches(forms, case_lookup=True)


def pending_queries(
    forms: FormSet, team: str | None = None, today: date | None = None
) -> list[tuple[ItemKind, AnySelect]]:
    """The queries the pending view runs, with the kind each lists: dated checks, dated
    follow-ups, then the undated ones."""
    listings = _queries(forms).tab_listings
    return listings(Tab.PENDING, ReviewFilters(team=team), today or date.today())


def pending_items(
    conn: sa.Connection, forms: FormSet, *, today: date, team: str | None = None
) -> list[PendingItem]:
    """Outstanding checks and open follow-ups, by due date (overdue first, undated last)."""
    queries = _queries(forms)
    items: list[PendingItem] = []
    for kind, query in pending_queries(forms, team, today):
        for row in conn.execute(query):
            words = queries.item_words(kind, row)
            items.append(
                PendingItem(
                    case_id=row.case_id,
                    case_name=row.name,
                    crn=row.crn,
                    kind=kind,
                    item_id=row.item_id,
                    what=words["what"],
                    owner=words["owner"],
                    requested=row.requested,
                    due=row.due,
                    court=row.court,
                    team=row.team,
                    officer=row.officer,
                    status=pending_word(kind, row.due, today),
                )
            )
    items.sort(key=lambda i: (i.due is None, i.due or today, i.case_name, i.item_id))
    return items
