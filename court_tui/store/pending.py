"""The officer's pending view: outstanding checks and open follow-ups with their case's
summary, read by the review's own queries for its "All pending" tab and described in its
words (one owner for how pending items are found and named), in the officer's order: by
due date, overdue first, undated last."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from court_tui.domain.case import CaseRecord
from court_tui.domain.chase import STATUS_OVERDUE, ChaseItem, blocked_and_handover
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
    add = items.append
    # The driver's dates as dates, each read once: a list holds a few hundred days.
    days: dict[str | None, date | None] = {None: None}
    for kind, query in queries.tab_listings(Tab.PENDING, ReviewFilters(team=team), today):
        result = conn.execute(query)
        columns = list(result.keys())
        words = queries.words(kind, columns)
        case_id, name, crn, item_id, court, team_, officer = (
            columns.index(column)
            for column in ("case_id", "name", "crn", "item_id", "court", "team", "officer")
        )
        requested, due = columns.index("requested"), columns.index("due")
        # The status the domain gives each due date, asked once a date.
        statuses: dict[date | None, str] = {}
        # The driver's rows, one at a time: SQLAlchemy's rows, and its dates read by a
        # regular expression, cost more than the SQL; and rows held all at once would each
        # be walked by the garbage collector.
        for row in iter(result.cursor.fetchone, None) if result.cursor is not None else ():
            _, what, owner = words(row)
            due_on = days[row[due]] if row[due] in days else _day(days, row[due])
            status = statuses.get(due_on)
            if status is None:
                status = statuses[due_on] = pending_word(kind, due_on, today)
            add(
                PendingItem(  # by position, in the order of its fields: made 5,000 times
                    row[case_id],
                    row[name],
                    row[crn],
                    kind,
                    row[item_id],
                    what,
                    owner,
                    days[row[requested]] if row[requested] in days else _day(days, row[requested]),
                    due_on,
                    row[court],
                    row[team_],
                    row[officer],
                    status,
                )
            )
        result.close()
    items += blocked_and_handover_items(conn, forms, today=today, team=team)
    # Overdue first, undated last, then by due date and the case's name: as one string,
    # its parts of fixed width before the name, so that it sorts as they would one after
    # another. Thousands of tuples would each count towards waking the garbage collector
    # (which then walks the objects they are among); strings are not its to walk.
    items.sort(
        key=lambda i: (
            f"{i.status != STATUS_OVERDUE:d}{i.due is None:d}{i.due or today}" + i.case_name
        )
    )
    return items


def _day(days: dict[str | None, date | None], value: str) -> date:
    """A stored date (ISO text in SQLite) as a date, kept in DAYS."""
    day = days[value] = date.fromisoformat(value)
    return day


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


class _SameForms:
    """A form set as a cache key, compared by identity: it holds dicts, so has no hash."""

    __slots__ = ("forms",)

    def __init__(self, forms: FormSet) -> None:
        self.forms = forms

    def __hash__(self) -> int:
        return id(self.forms)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _SameForms) and other.forms is self.forms


@dataclass(frozen=True)
class _Waiting:
    """What the domain says is waited for on one case: its chase items that are neither
    a check nor a follow-up, and the case's own words for them."""

    case_id: str
    case_name: str
    crn: str
    team: str
    officer: str
    items: tuple[ChaseItem, ...]


@functools.lru_cache(maxsize=512)
def _waiting(case_json: str, same: _SameForms, today: date) -> _Waiting | None:
    """The blocked answers and the unaccepted handover of the case stored as CASE_JSON on
    TODAY, None when it cannot be read (doctor lists it).

    Kept for the next list by the case's exact text and the day (a changed case is read
    again): checking every value of a case costs more than the rest of the pending list.
    Only read here, never handed out, so no caller can change a kept answer."""
    try:
        record = CaseRecord.model_validate_json(case_json)
    except ValueError:
        return None
    forms = same.forms
    handover = handover_state(record, forms, today)
    crn = record.answers.get(Case.CRN)
    name = record.answers.get(Case.NAME)
    return _Waiting(
        case_id=record.id,
        case_name=name if isinstance(name, str) else "",
        crn=crn if isinstance(crn, str) else "",
        team=record.team,
        officer=record.officer,
        items=tuple(blocked_and_handover(record, forms, handover)),
    )


def blocked_and_handover_items(
    conn: sa.Connection, forms: FormSet, *, today: date, team: str | None = None
) -> list[PendingItem]:
    """'Not known' answers with no follow-up (blocked) and handovers not yet accepted, in
    the domain's words (its chase list is the one rule for what is pending)."""
    indexed = conn.dialect.name == "sqlite"
    same = _SameForms(forms)
    items = []
    for row in conn.execute(chase_candidates(None if indexed else team, indexed=indexed)):
        # The few candidates are filtered by team here: in SQL, SQLite would read every
        # case of the team (with its JSON) to find them.
        if team and row.team != team:
            continue
        waiting = _waiting(row.case_json, same, today)
        if waiting is None:
            continue
        items += [
            PendingItem(
                case_id=waiting.case_id,
                case_name=waiting.case_name,
                crn=waiting.crn,
                kind=chase.kind,
                item_id=chase.item_id,
                what=chase.what,
                owner=chase.owner,
                requested=None,
                due=chase.due,
                court=row.court or "",
                team=waiting.team,
                officer=waiting.officer,
                status=chase.status,
            )
            for chase in waiting.items
        ]
    return items
