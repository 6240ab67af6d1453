"""The SQL of the supervisor's review: each branch's columns, conditions and order,
and the case lookup through the store's covering index.

`review_queries.ReviewQueries` runs them; the central store's review runs the same
queries on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeAlias

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import TableClause

from court_tui.domain.follow_ups import follow_up_what
from court_tui.domain.forms import FormSet
from court_tui.domain.review import ITEM_KINDS, ItemKind, ReviewFilters, Tab, TabWindow, tab_window
from court_tui.store.tables import (
    CASE_LOOKUP_COLUMNS,
    CASES,
    CHECK_IS_OUTSTANDING,
    CHECK_IS_RECEIVED,
    CHECKS,
    FOLLOW_UPS,
)


def _no_index(column: sa.ColumnElement[str]) -> sa.ColumnElement[str]:
    """COLUMN as an expression no index can serve (`column || ''`), so that the planner
    cannot lead with that table: the store keeps no statistics (no ANALYZE) for it to
    know better."""
    return column.concat("")


CASE_LOOKUP_INDEX = "ix_cases_pending_lookup"


class CaseLookup(TableClause):
    """The cases table's summary columns, joined on SQLite through the store's covering
    index (`INDEXED BY`): a case's row holds its JSON, about a page a case, which the
    planner would otherwise read for each item, having no statistics to know better."""

    inherit_cache = True


@compiles(CaseLookup)
def _case_lookup(element: CaseLookup, compiler: SQLCompiler, **kw: Any) -> str:
    return str(compiler.visit_table(element, **kw))  # type: ignore[no-untyped-call]


@compiles(CaseLookup, "sqlite")
def _case_lookup_sqlite(element: CaseLookup, compiler: SQLCompiler, **kw: Any) -> str:
    text = str(compiler.visit_table(element, **kw))  # type: ignore[no-untyped-call]
    return f"{text} INDEXED BY {CASE_LOOKUP_INDEX}" if kw.get("asfrom") else text


CASE_LOOKUP = CaseLookup(
    "cases",
    *(sa.column(name, sa.String()) for name in CASE_LOOKUP_COLUMNS),
)

AnySelect: TypeAlias = "sa.Select[*tuple[Any, ...]]"

# Ids a query names at once: well under SQLite's and PostgreSQL's parameter limits.
CHUNK = 500

# The partial indexes' conditions, written as literals so that SQLite can use them (a
# bound parameter would not match the index's WHERE).
OUTSTANDING_CHECK = sa.text(f"checks.{CHECK_IS_OUTSTANDING}")
RECEIVED_CHECK = sa.text(f"checks.{CHECK_IS_RECEIVED}")
FOLLOW_UP_OPEN = FOLLOW_UPS.c.closed_on.is_(None)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _due_conditions(
    due: sa.ColumnElement[Any], window: TabWindow, dated: bool | None
) -> list[sa.ColumnElement[bool]]:
    """A pending item's due date within WINDOW, and set or not as DATED says (None: either)."""
    conditions: list[sa.ColumnElement[bool]] = []
    if dated is not None:
        conditions.append(due.is_not(None) if dated else due.is_(None))
    if window.due_from is not None:
        conditions.append(due >= window.due_from)
    if window.due_to is not None:
        conditions.append(due <= window.due_to)
    return conditions


@dataclass(frozen=True)
class Branch:
    """One kind of item's query: its table, how it finds its case, what it selects and
    where, and its order (by DUE, then the case's name, then LAST)."""

    table: sa.Table
    on_case: sa.ColumnElement[bool]
    columns: list[sa.ColumnElement[object]]
    where: list[sa.ColumnElement[bool]]
    due: sa.ColumnElement[Any]
    last: sa.ColumnElement[Any]


class ReviewBranches:
    """What each branch of a review query (checks, follow-ups) selects, where, in what
    order.

    CASE_LOOKUP says whether the store has its covering index for looking cases up (a
    store made before it was added has not; the central store is PostgreSQL).
    """

    def __init__(self, forms: FormSet, *, case_lookup: bool = False) -> None:
        self.titles = {kind.id: kind.title for kind in forms.check_kinds()}
        self.forms = forms
        cases: sa.FromClause = CASE_LOOKUP if case_lookup else CASES
        self.cases = cases
        self.case_columns = [cases.c[name] for name in CASE_LOOKUP_COLUMNS[1:]]
        # The items lead and their case is looked up by id; never the other way, which
        # would read every case (each with its JSON) to find the few with an item pending.
        self.check_case = cases.c.id == _no_index(CHECKS.c.case_id)
        self.follow_up_case = cases.c.id == _no_index(FOLLOW_UPS.c.case_id)

    # -- the two branches --------------------------------------------------------------

    # The pending branches read only what the partial indexes on checks and follow-ups
    # and the case lookup index hold, so that listing and counting never read a case's
    # row (with its JSON); the rest is read for the page alone (see `_with_reviews`).

    def _check_columns(self, window: TabWindow) -> list[sa.ColumnElement[object]]:
        done: sa.ColumnElement[Any] = sa.null() if window.pending else CHECKS.c.received_on
        return [
            CHECKS.c.case_id,
            CHECKS.c.kind.label("item_id"),
            CHECKS.c.requested_on.label("requested"),
            CHECKS.c.expected_by.label("due"),
            done.label("done_on"),
            *self.case_columns,
        ]

    def _follow_up_columns(self, window: TabWindow) -> list[sa.ColumnElement[object]]:
        done: sa.ColumnElement[Any] = sa.null() if window.pending else FOLLOW_UPS.c.closed_on
        return [
            FOLLOW_UPS.c.case_id,
            FOLLOW_UPS.c.id.label("item_id"),
            FOLLOW_UPS.c.question,
            FOLLOW_UPS.c.action,
            FOLLOW_UPS.c.owner,
            FOLLOW_UPS.c.recorded_on.label("requested"),
            FOLLOW_UPS.c.due.label("due"),
            done.label("done_on"),
            *self.case_columns,
        ]

    def _case_conditions(self, filters: ReviewFilters) -> list[sa.ColumnElement[bool]]:
        conditions: list[sa.ColumnElement[bool]] = []
        if filters.court:
            conditions.append(self.cases.c.court == filters.court)
        if filters.team:
            # Never by the team index: going from a team's cases to their items reads every
            # case row; the items' indexes lead and each case is looked up by its id.
            conditions.append(_no_index(self.cases.c.team) == filters.team)
        return conditions

    def _check_where(
        self, window: TabWindow, filters: ReviewFilters, *, dated: bool | None
    ) -> list[sa.ColumnElement[bool]]:
        due = CHECKS.c.expected_by
        where: list[sa.ColumnElement[bool]] = []
        if window.pending:
            where.append(OUTSTANDING_CHECK)  # type: ignore[arg-type]
            where += _due_conditions(due, window, dated)
        else:
            where.append(RECEIVED_CHECK)  # type: ignore[arg-type]
            where.append(CHECKS.c.received_on >= window.done_since)
            where.append(CHECKS.c.received_on <= window.done_until)
        where += self._case_conditions(filters)
        if filters.officer:
            where.append(self.cases.c.officer == filters.officer)
        search = filters.search_text
        if search:
            pattern = _like(search)
            wanted = search.casefold()
            kinds = [kind for kind, title in self.titles.items() if wanted in title.casefold()]
            terms = [
                self.cases.c.name.ilike(pattern, escape="\\"),
                self.cases.c.crn.ilike(pattern, escape="\\"),
                self.cases.c.officer.ilike(pattern, escape="\\"),
            ]
            if kinds:
                terms.append(CHECKS.c.kind.in_(kinds))
            where.append(sa.or_(*terms))
        return where

    def _follow_up_where(
        self, window: TabWindow, filters: ReviewFilters, *, dated: bool | None
    ) -> list[sa.ColumnElement[bool]]:
        due = FOLLOW_UPS.c.due
        where: list[sa.ColumnElement[bool]] = []
        if window.pending:
            where.append(FOLLOW_UP_OPEN)
            where += _due_conditions(due, window, dated)
        else:
            where.append(FOLLOW_UPS.c.closed_on >= window.done_since)
            where.append(FOLLOW_UPS.c.closed_on <= window.done_until)
        where += self._case_conditions(filters)
        if filters.officer:
            where.append(
                sa.or_(
                    self.cases.c.officer == filters.officer, FOLLOW_UPS.c.owner == filters.officer
                )
            )
        search = filters.search_text
        if search:
            pattern = _like(search)
            where.append(
                sa.or_(
                    self.cases.c.name.ilike(pattern, escape="\\"),
                    self.cases.c.crn.ilike(pattern, escape="\\"),
                    self.cases.c.officer.ilike(pattern, escape="\\"),
                    FOLLOW_UPS.c.action.ilike(pattern, escape="\\"),
                    FOLLOW_UPS.c.owner.ilike(pattern, escape="\\"),
                )
            )
        return where

    def _parts(self, tab: Tab) -> list[bool | None]:
        """Which due dates each query of TAB takes: dated ones in the index's order, then
        undated ones (only All pending has them), or both at once for the received tab,
        whose indexes find its seven days but hold them in the order they were received,
        not by due date."""
        if tab is Tab.RECEIVED:
            return [None]
        return [True, False] if tab is Tab.PENDING else [True]

    def branch(
        self, kind: ItemKind, window: TabWindow, filters: ReviewFilters, *, dated: bool | None
    ) -> Branch:
        """KIND's query parts for WINDOW under FILTERS (DATED as in `_parts`)."""
        if kind == "check":
            return Branch(
                CHECKS,
                self.check_case,
                self._check_columns(window),
                self._check_where(window, filters, dated=dated),
                CHECKS.c.expected_by,
                CHECKS.c.kind,
            )
        return Branch(
            FOLLOW_UPS,
            self.follow_up_case,
            self._follow_up_columns(window),
            self._follow_up_where(window, filters, dated=dated),
            FOLLOW_UPS.c.due,
            FOLLOW_UPS.c.id,
        )

    def listing(
        self,
        kind: ItemKind,
        window: TabWindow,
        filters: ReviewFilters,
        *,
        dated: bool | None,
        counted: bool = False,
    ) -> AnySelect:
        """KIND's items in WINDOW under FILTERS in the branch's order, each with how many
        match in all when COUNTED."""
        branch = self.branch(kind, window, filters, dated=dated)
        return self._ordered(
            sa.select(*branch.columns)
            .select_from(branch.table.join(self.cases, branch.on_case))
            .where(*branch.where),
            branch.due,
            branch.last,
            dated=dated,
            counted=counted,
        )

    def tab_listings(
        self, tab: Tab, filters: ReviewFilters, today: date
    ) -> list[tuple[ItemKind, AnySelect]]:
        """Every query that lists TAB under FILTERS on TODAY, with the kind it lists, in
        the order they are read: dated items first."""
        window = tab_window(tab, today)
        return [
            (kind, self.listing(kind, window, filters, dated=dated))
            for dated in self._parts(tab)
            for kind in ITEM_KINDS
        ]

    def item_words(self, kind: ItemKind, row: sa.Row[Any]) -> dict[str, str]:
        """What a row of KIND is about and whose it is: a check is the case officer's."""
        question, what, owner = self.words(kind, row._fields)(row)
        return {"question": question, "what": what, "owner": owner}

    def words(
        self, kind: ItemKind, columns: Sequence[str]
    ) -> Callable[[Sequence[Any]], tuple[str, str, str]]:
        """What a row of KIND (a tuple of COLUMNS) is about and whose it is, as (question,
        what, owner): a check is the case officer's. Made once per query, so that each
        row costs a few look-ups."""
        at = {name: index for index, name in enumerate(columns)}
        if kind == "check":
            item_id, officer = at["item_id"], at["officer"]
            titles = self.titles

            def check_words(row: Sequence[Any]) -> tuple[str, str, str]:
                return row[item_id], titles.get(row[item_id], row[item_id]), row[officer]

            return check_words
        question, action, owner = at["question"], at["action"], at["owner"]
        forms = self.forms

        def follow_up_words(row: Sequence[Any]) -> tuple[str, str, str]:
            what = row[action] or follow_up_what(forms, row[question])
            return row[question], what, row[owner]

        return follow_up_words

    @staticmethod
    def _needs_case(filters: ReviewFilters) -> bool:
        return bool(filters.court or filters.team or filters.officer or filters.search_text)

    def _ordered(
        self,
        query: AnySelect,
        due: sa.ColumnElement[Any],
        last: sa.ColumnElement[Any],
        *,
        dated: bool | None,
        counted: bool,
    ) -> AnySelect:
        # Dated parts come in the partial index's order, so LIMIT stops early; a part
        # with both puts the undated last itself.
        order = [due, sa.func.lower(self.cases.c.name), last]
        if dated is None:
            order.insert(0, due.is_(None))
        query = query.order_by(*order)
        if counted:
            # One scan both lists and counts, where there is no index to count from.
            query = query.add_columns(sa.func.count().over().label("matching"))
        return query
