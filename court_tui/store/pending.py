"""The officer's pending view: outstanding checks and open follow-ups with their case's
summary, read by the review's own queries for its "All pending" tab and described in its
words (one owner for how pending items are found and named), in the officer's order: by
due date, overdue first, undated last."""

from __future__ import annotations

from datetime import date
from operator import itemgetter

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


# A pending item's columns, read by position: by name, each costs more than its SQL.
_COLUMNS = ("case_id", "name", "crn", "item_id", "requested", "due", "court", "team", "officer")


def pending_items(
    conn: sa.Connection, forms: FormSet, *, today: date, team: str | None = None
) -> list[PendingItem]:
    """Outstanding checks and open follow-ups, by due date (overdue first, undated last)."""
    queries = _queries(forms)
    items: list[PendingItem] = []
    for kind, query in queries.tab_listings(Tab.PENDING, ReviewFilters(team=team), today):
        result = conn.execute(query)
        positions = {name: index for index, name in enumerate(result.keys())}
        columns = itemgetter(*(positions[name] for name in _COLUMNS))
        # Fetched at once: row by row, the driver and SQLAlchemy cost more than the SQL.
        for row in result.all():
            case_id, name, crn, item_id, requested, due, court, team_, officer = columns(row)
            words = queries.item_words(kind, row)
            items.append(
                PendingItem(
                    case_id=case_id,
                    case_name=name,
                    crn=crn,
                    kind=kind,
                    item_id=item_id,
                    what=words["what"],
                    owner=words["owner"],
                    requested=requested,
                    due=due,
                    court=court,
                    team=team_,
                    officer=officer,
                    status=pending_word(kind, due, today),
                )
            )
    items.sort(key=lambda i: (i.due is None, i.due or today, i.case_name, i.item_id))
    return items
