"""The officer's pending view: outstanding checks and open follow-ups, with their case's
summary, each read from its covering index alone."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from court_tui.domain.follow_ups import follow_up_what
from court_tui.domain.forms import FormSet
from court_tui.domain.review import pending_word
from court_tui.store.entries import PendingItem
from court_tui.store.tables import (
    CASE_LOOKUP_COLUMNS,
    CASES,
    CHECK_OUTSTANDING,
    CHECKS,
    FOLLOW_UPS,
)

# SQLite's planner, without statistics, looks a case up by its primary key and then reads
# the row, which holds the case JSON (about a page a case); INDEXED BY keeps both sides of
# the join on covering indexes, and fails loudly if an index ever goes missing. The status
# is a literal, as in the partial index's WHERE, so SQLite can prove the index applies.
_PENDING_CHECKS_SQL = """
SELECT checks.case_id, checks.kind, checks.agency, checks.requested_on, checks.expected_by,
       cases.name, cases.crn, cases.court, cases.team, cases.officer
FROM checks INDEXED BY ix_checks_outstanding_expected_by
JOIN cases INDEXED BY ix_cases_pending_lookup ON cases.id = checks.case_id
WHERE checks.status = 'Outstanding' {team}
ORDER BY checks.expected_by
"""
_OPEN_FOLLOW_UPS_SQL = """
SELECT follow_ups.case_id, follow_ups.id, follow_ups.question, follow_ups.owner,
       follow_ups.action, follow_ups.recorded_on, follow_ups.due,
       cases.name, cases.crn, cases.court, cases.team, cases.officer
FROM follow_ups INDEXED BY ix_follow_ups_open_due
JOIN cases INDEXED BY ix_cases_pending_lookup ON cases.id = follow_ups.case_id
WHERE follow_ups.closed_on IS NULL {team}
ORDER BY follow_ups.due
"""
assert CHECK_OUTSTANDING in _PENDING_CHECKS_SQL
_CASE_COLUMNS = [CASES.c[name] for name in CASE_LOOKUP_COLUMNS[1:]]


def _with_team(sql: str, team: str | None) -> sa.TextClause:
    clause = sa.text(sql.format(team="" if team is None else "AND cases.team = :team"))
    return clause if team is None else clause.bindparams(team=team)


def pending_checks_query(team: str | None = None) -> sa.TextualSelect:
    """Outstanding checks with their case's summary, by expected date (covering indexes)."""
    return _with_team(_PENDING_CHECKS_SQL, team).columns(
        CHECKS.c.case_id,
        CHECKS.c.kind,
        CHECKS.c.agency,
        CHECKS.c.requested_on,
        CHECKS.c.expected_by,
        *_CASE_COLUMNS,
    )


def open_follow_ups_query(team: str | None = None) -> sa.TextualSelect:
    """Open follow-ups with their case's summary, by due date (covering indexes)."""
    return _with_team(_OPEN_FOLLOW_UPS_SQL, team).columns(
        FOLLOW_UPS.c.case_id,
        FOLLOW_UPS.c.id,
        FOLLOW_UPS.c.question,
        FOLLOW_UPS.c.owner,
        FOLLOW_UPS.c.action,
        FOLLOW_UPS.c.recorded_on,
        FOLLOW_UPS.c.due,
        *_CASE_COLUMNS,
    )


def pending_items(
    conn: sa.Connection, forms: FormSet, *, today: date, team: str | None = None
) -> list[PendingItem]:
    """Outstanding checks and open follow-ups, by due date (overdue first, undated last)."""
    titles = {kind.id: kind.title for kind in forms.check_kinds()}
    check_query = pending_checks_query(team)
    follow_up_query = open_follow_ups_query(team)

    items: list[PendingItem] = []
    for row in conn.execute(check_query):
        what = titles.get(row.kind, row.kind)
        items.append(
            PendingItem(
                case_id=row.case_id,
                case_name=row.name,
                crn=row.crn,
                kind="check",
                item_id=row.kind,
                what=what,
                owner=row.officer,
                requested=row.requested_on,
                due=row.expected_by,
                court=row.court,
                team=row.team,
                officer=row.officer,
                status=pending_word("check", row.expected_by, today),
            )
        )
    for row in conn.execute(follow_up_query):
        items.append(
            PendingItem(
                case_id=row.case_id,
                case_name=row.name,
                crn=row.crn,
                kind="follow_up",
                item_id=row.id,
                what=row.action or follow_up_what(forms, row.question),
                owner=row.owner,
                requested=row.recorded_on,
                due=row.due,
                court=row.court,
                team=row.team,
                officer=row.officer,
                status=pending_word("follow_up", row.due, today),
            )
        )
    items.sort(key=lambda i: (i.due is None, i.due or today, i.case_name, i.item_id))
    return items
