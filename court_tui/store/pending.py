"""The officer's pending view: outstanding checks and open follow-ups with their case's
summary, read by the review's own queries for its "All pending" tab and described in its
words (one owner for how pending items are found and named), in the officer's order: by
due date, overdue first, undated last."""

from __future__ import annotations

import functools
from datetime import date

import sqlalchemy as sa

from court_tui.domain.case import CaseRecord
from court_tui.domain.chase import STATUS_OVERDUE, chase_items
from court_tui.domain.fields import Case
from court_tui.domain.forms import FormSet
from court_tui.domain.handed_over import handover_state
from court_tui.domain.review import ItemKind, ReviewFilters, Tab, pending_word
from court_tui.store.entries import PendingItem
from court_tui.store.review_sql import AnySelect, ReviewBranches
from court_tui.store.tables import (
    ANSWER_IS_NOT_KNOWN,
    ANSWERS,
    CASES,
    FOLLOW_UPS,
    HANDOVER_IS_WAITING,
)


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
    for kind, query in queries.tab_listings(Tab.PENDING, ReviewFilters(team=team), today):
        result = conn.execute(query)
        columns = list(result.keys())
        words = queries.words(kind, columns)
        case_id, name, crn, item_id, court, team_, officer = (
            columns.index(column)
            for column in ("case_id", "name", "crn", "item_id", "court", "team", "officer")
        )
        requested, due = columns.index("requested"), columns.index("due")
        # The driver's rows, fetched at once: SQLAlchemy's rows, and its dates read by a
        # regular expression, cost more than the SQL. The two dates are read here.
        for row in result.cursor.fetchall() if result.cursor is not None else ():
            _, what, owner = words(row)
            due_on = _day(row[due])
            items.append(
                PendingItem(
                    case_id=row[case_id],
                    case_name=row[name],
                    crn=row[crn],
                    kind=kind,
                    item_id=row[item_id],
                    what=what,
                    owner=owner,
                    requested=_day(row[requested]),
                    due=due_on,
                    court=row[court],
                    team=row[team_],
                    officer=row[officer],
                    status=pending_word(kind, due_on, today),
                )
            )
        result.close()
    items += blocked_and_handover_items(conn, forms, today=today, team=team)
    items.sort(
        key=lambda i: (i.status != STATUS_OVERDUE, i.due is None, i.due or today, i.case_name)
    )
    return items


def _day(value: str | None) -> date | None:
    """A stored date (ISO text in SQLite) as a date."""
    return None if value is None else date.fromisoformat(value)


def chase_candidates(
    team: str | None = None, *, indexed: bool = True
) -> sa.Select[tuple[str, str, str, str]]:
    """Cases that may hold a 'not known' nobody is finding out, or a handover waiting for
    someone: the few whose record the domain is asked about.

    INDEXED (the laptop's store): by the handover stage the store's writer keeps from the
    domain's rule (sent and not accepted, reopened, or an acceptance that does not count)
    and the partial indexes. Otherwise (the central store, which keeps no stage): by a
    handover sent and not accepted, found in the JSON as the writer spells it."""
    no_follow_up = ~sa.exists().where(
        FOLLOW_UPS.c.case_id == ANSWERS.c.case_id,
        FOLLOW_UPS.c.question == ANSWERS.c.question,
        FOLLOW_UPS.c.closed_on.is_(None),
    )
    not_known: sa.ColumnElement[bool] | sa.TextClause
    waiting: sa.ColumnElement[bool] | sa.TextClause
    if indexed:
        # Literals spelled as the partial indexes are: a bound parameter would not match.
        not_known = sa.text(f"answers.{ANSWER_IS_NOT_KNOWN}")
        waiting = sa.text(f"cases.{HANDOVER_IS_WAITING}")
    else:
        # Never parsed in SQL: one case whose text is not JSON must not stop the rest
        # (PostgreSQL's cast would raise), and the domain decides about each case found.
        not_known = ANSWERS.c.not_known.is_(True)
        waiting = sa.and_(
            CASES.c.case_json.contains('"sent_at":"', autoescape=True),
            CASES.c.case_json.contains('"accepted_at":null', autoescape=True),
        )
    blocked = sa.select(ANSWERS.c.case_id).where(not_known, no_follow_up)
    query = sa.select(CASES.c.id, CASES.c.court, CASES.c.team, CASES.c.case_json).where(
        CASES.c.id.in_(sa.union_all(blocked, sa.select(CASES.c.id).where(waiting)))
    )
    return query.where(CASES.c.team == team) if team else query


@functools.lru_cache(maxsize=512)
def _readable(case_json: str) -> CaseRecord | None:
    """The case stored as CASE_JSON, None when it cannot be read (doctor lists it).

    Kept for the next list by its exact text (a changed case is read again): checking
    every value of a case costs more than the rest of the pending list. Only read here,
    never handed out, so no caller can change a kept record."""
    try:
        return CaseRecord.model_validate_json(case_json)
    except ValueError:
        return None


def blocked_and_handover_items(
    conn: sa.Connection, forms: FormSet, *, today: date, team: str | None = None
) -> list[PendingItem]:
    """'Not known' answers with no follow-up (blocked) and handovers not yet accepted, in
    the domain's words (its chase list is the one rule for what is pending)."""
    indexed = conn.dialect.name == "sqlite"
    items = []
    for row in conn.execute(chase_candidates(None if indexed else team, indexed=indexed)):
        # The few candidates are filtered by team here: in SQL, SQLite would read every
        # case of the team (with its JSON) to find them.
        if team and row.team != team:
            continue
        record = _readable(row.case_json)
        if record is None:
            continue
        # The assessment's chase list, without the rest of the assessment.
        handover = handover_state(record, forms, today)
        for chase in chase_items(record, forms, today, handover):
            if chase.kind not in ("not_known", "handover"):
                continue
            crn = record.answers.get(Case.CRN)
            name = record.answers.get(Case.NAME)
            items.append(
                PendingItem(
                    case_id=record.id,
                    case_name=name if isinstance(name, str) else "",
                    crn=crn if isinstance(crn, str) else "",
                    kind=chase.kind,
                    item_id=chase.item_id,
                    what=chase.what,
                    owner=chase.owner,
                    requested=None,
                    due=chase.due,
                    court=row.court or "",
                    team=record.team,
                    officer=record.officer,
                    status=chase.status,
                )
            )
    return items
