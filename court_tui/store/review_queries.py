"""Read-only queries for the supervisor's review on the local store: one tab's items under
the filters, counted, a page at a time.

Each tab is two indexed queries (checks, follow-ups) whose date bounds come from
`court_tui.domain.review.tab_window`; each runs in due-date order with a LIMIT, and the
two pages are merged here. Rows become `ReviewItem`s before they leave.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime

import sqlalchemy as sa

from court_tui.domain.case import CaseRecord
from court_tui.domain.forms import FormSet
from court_tui.domain.review import (
    ITEM_KINDS,
    PAGE_SIZE,
    DeviceContact,
    FilterChoices,
    ItemKind,
    ReviewError,
    ReviewFilters,
    ReviewItem,
    ReviewPage,
    Tab,
    TabWindow,
    reassign_follow_up,
    select,
    sort_key,
    tab_window,
    validate_note,
)
from court_tui.domain.settings import OFFICER
from court_tui.store.engine import store_errors
from court_tui.store.errors import StoreError
from court_tui.store.pending import blocked_and_handover_items
from court_tui.store.review_sql import (
    CASE_LOOKUP_INDEX,
    CHUNK,
    FOLLOW_UP_OPEN,
    OUTSTANDING_CHECK,
    AnySelect,
    ReviewBranches,
)
from court_tui.store.store import Store
from court_tui.store.tables import CASES, CHECKS, FOLLOW_UPS, NOTES


class ReviewQueries(ReviewBranches):
    """The review's reads, on a connection the caller opens (the SQL: `review_sql`)."""

    # -- reading -----------------------------------------------------------------------

    def _run(
        self,
        conn: sa.Connection,
        query: AnySelect,
        kind: ItemKind,
        *,
        limit: int | None,
        counted: bool,
    ) -> tuple[list[ReviewItem], int]:
        """QUERY's rows (one branch, already ordered) as ReviewItems, and how many match
        in all when COUNTED (else how many were read)."""
        rows = conn.execute(query.limit(limit) if limit is not None else query).all()
        items = [
            ReviewItem(
                case_id=row.case_id,
                case_name=row.name,
                crn=row.crn,
                court=row.court,
                team=row.team,
                officer=row.officer,
                kind=kind,
                item_id=row.item_id,
                requested=row.requested,
                due=row.due,
                done_on=row.done_on,
                **self.item_words(kind, row),
            )
            for row in rows
        ]
        return items, int(rows[0].matching) if counted and rows else len(items)

    def _list(
        self,
        conn: sa.Connection,
        kind: ItemKind,
        window: TabWindow,
        filters: ReviewFilters,
        *,
        dated: bool | None,
        limit: int | None,
        counted: bool = False,
    ) -> tuple[list[ReviewItem], int]:
        query = self.listing(kind, window, filters, dated=dated, counted=counted)
        return self._run(conn, query, kind, limit=limit, counted=counted)

    def _count(
        self, conn: sa.Connection, tab: Tab, filters: ReviewFilters, window: TabWindow
    ) -> int:
        return sum(
            self._count_part(conn, filters, window, dated=dated) for dated in self._parts(tab)
        )

    def _count_part(
        self, conn: sa.Connection, filters: ReviewFilters, window: TabWindow, *, dated: bool | None
    ) -> int:
        total = 0
        for kind in ITEM_KINDS:
            if filters.kind in (None, kind):
                branch = self.branch(kind, window, filters, dated=dated)
                query = sa.select(sa.func.count()).select_from(branch.table)
                if self._needs_case(filters):
                    query = query.join(self.cases, branch.on_case)
                total += int(conn.execute(query.where(*branch.where)).scalar_one())
        return total

    def items(
        self,
        conn: sa.Connection,
        tab: Tab,
        filters: ReviewFilters,
        today: date,
        *,
        limit: int | None,
    ) -> list[ReviewItem]:
        """TAB's items under FILTERS on TODAY in review order, the first LIMIT (or all)."""
        extra = self.chase_items(conn, tab, filters, today)
        return self._read(conn, tab, filters, today, limit=limit, counted=False, extra=extra)[0]

    def chase_items(
        self, conn: sa.Connection, tab: Tab, filters: ReviewFilters, today: date
    ) -> list[ReviewItem]:
        """TAB's 'not known' answers nobody is finding out (blocked) and handovers not yet
        accepted, under FILTERS on TODAY: the domain's chase list of the few cases that may
        hold one, as the officer's pending list reads it."""
        if not tab_window(tab, today).pending or filters.kind is not None:
            return []
        found = blocked_and_handover_items(conn, self.forms, today=today, team=filters.team)
        items = [
            ReviewItem(
                case_id=chase.case_id,
                case_name=chase.case_name,
                crn=chase.crn,
                court=chase.court,
                team=chase.team,
                officer=chase.officer,
                kind=chase.kind,
                item_id=chase.item_id,
                question=chase.item_id,
                what=chase.what,
                owner=chase.owner,
                requested=chase.requested,
                due=chase.due,
            )
            for chase in found
        ]
        return select(items, tab, filters, today)

    def _read(
        self,
        conn: sa.Connection,
        tab: Tab,
        filters: ReviewFilters,
        today: date,
        *,
        limit: int | None,
        counted: bool,
        extra: list[ReviewItem],
    ) -> tuple[list[ReviewItem], int]:
        """The first LIMIT items, with EXTRA (the tab's chase items) among them in order,
        and, when COUNTED, how many match in all (else how many were read)."""
        window = tab_window(tab, today)
        found: list[ReviewItem] = []
        matching = len(extra)
        for dated in self._parts(tab):
            wanted = None if limit is None else limit - len(found)
            if wanted is not None and wanted <= 0:
                if counted:  # the page is full, but the rest still counts
                    matching += self._count_part(conn, filters, window, dated=dated)
                continue
            branches: list[list[ReviewItem]] = []
            for kind in ITEM_KINDS:
                if filters.kind in (None, kind):
                    items, count = self._list(
                        conn, kind, window, filters, dated=dated, limit=wanted, counted=counted
                    )
                    branches.append(items)
                    matching += count
            # Each branch came in SQL's order; the merge is in the domain's, which decides.
            merged = sorted(itertools.chain(*branches), key=lambda item: sort_key(item, today))
            found += merged[:wanted] if wanted is not None else merged
        found = sorted(found + extra, key=lambda item: sort_key(item, today))[:limit]
        return self._with_reviews(conn, found), matching if counted else len(found)

    def iter_items(
        self, conn: sa.Connection, tab: Tab, filters: ReviewFilters, today: date
    ) -> Iterator[ReviewItem]:
        """Every item of TAB under FILTERS, in review order (for the CSV export)."""
        yield from self.items(conn, tab, filters, today, limit=None)

    def page(
        self,
        conn: sa.Connection,
        tab: Tab,
        filters: ReviewFilters,
        today: date,
        *,
        limit: int = PAGE_SIZE,
    ) -> ReviewPage:
        """The first LIMIT items of TAB under FILTERS, with the counts for 'Showing'."""
        window = tab_window(tab, today)
        # Counted as they are listed when every row must be visited anyway: the received
        # tab's seven days are sorted by due date, and a filter on the case needs each
        # item's case.
        scanned = not window.pending or self._needs_case(filters)
        # Read once: the tab's total counts them unfiltered.
        unfiltered = self.chase_items(conn, tab, ReviewFilters(), today)
        extra = select(unfiltered, tab, filters, today)
        items, matching = self._read(
            conn, tab, filters, today, limit=limit, counted=scanned, extra=extra
        )
        if not scanned and len(items) >= limit:
            # A short page is the whole list: counting again would only cost time.
            matching = self._count(conn, tab, filters, window) + len(extra)
        total = matching
        if filters.active:
            total = self._count(conn, tab, ReviewFilters(), window) + len(unfiltered)
        return ReviewPage(tab, filters, items, matching, total)

    def _with_reviews(self, conn: sa.Connection, items: list[ReviewItem]) -> list[ReviewItem]:
        """ITEMS with their reviews: the latest oversight note written on each item, else
        a review kept in the follow-up itself (as court-tui recorded one before oversight
        notes were synced)."""
        if not items:
            return items
        reviews: dict[tuple[str, str], tuple[str, str]] = {}
        case_ids = sorted({item.case_id for item in items})
        follow_up_ids = sorted({item.item_id for item in items if item.kind == "follow_up"})
        for start in range(0, len(follow_up_ids), CHUNK):
            query = sa.select(
                FOLLOW_UPS.c.case_id,
                FOLLOW_UPS.c.id,
                FOLLOW_UPS.c.reviewed_by,
                FOLLOW_UPS.c.review_note,
            ).where(
                FOLLOW_UPS.c.id.in_(follow_up_ids[start : start + CHUNK]),
                FOLLOW_UPS.c.reviewed_by.is_not(None),
            )
            for row in conn.execute(query):
                reviews[(row.case_id, row.id)] = (row.reviewed_by, row.review_note or "")
        # Then the notes, in the order written: the latest on each item is the one shown.
        for start in range(0, len(case_ids), CHUNK):
            query = (
                sa.select(NOTES.c.case_id, NOTES.c.item_id, NOTES.c.written_by, NOTES.c.note)
                .where(NOTES.c.case_id.in_(case_ids[start : start + CHUNK]))
                .where(NOTES.c.item_id.is_not(None))
                .order_by(NOTES.c.written_at, NOTES.c.id)
            )
            for row in conn.execute(query):
                reviews[(row.case_id, row.item_id)] = (row.written_by, row.note)
        result = []
        for item in items:
            review = reviews.get((item.case_id, item.item_id))
            result.append(item.with_review(*review) if review else item)
        return result

    def filter_choices(self, conn: sa.Connection, today: date) -> FilterChoices:
        """The courts, teams and officers of every pending item and every one received in
        the last seven days."""
        received = tab_window(Tab.RECEIVED, today)
        case_ids = sa.union(
            sa.select(CHECKS.c.case_id).where(OUTSTANDING_CHECK),
            sa.select(FOLLOW_UPS.c.case_id).where(FOLLOW_UP_OPEN),
            sa.select(CHECKS.c.case_id).where(
                CHECKS.c.received_on >= received.done_since,
                CHECKS.c.received_on <= received.done_until,
            ),
            sa.select(FOLLOW_UPS.c.case_id).where(
                FOLLOW_UPS.c.closed_on >= received.done_since,
                FOLLOW_UPS.c.closed_on <= received.done_until,
            ),
        ).subquery()
        rows = conn.execute(
            sa.select(CASES.c.court, CASES.c.team, CASES.c.officer)
            .where(CASES.c.id.in_(sa.select(case_ids.c.case_id)))
            .distinct()
        ).all()
        owners = conn.execute(
            sa.select(FOLLOW_UPS.c.owner).where(FOLLOW_UP_OPEN).distinct()
        ).scalars()
        return FilterChoices(
            courts=sorted({row.court for row in rows if row.court}, key=str.casefold),
            teams=sorted({row.team for row in rows if row.team}, key=str.casefold),
            officers=sorted(
                {row.officer for row in rows if row.officer} | {o for o in owners if o},
                key=str.casefold,
            ),
        )


class LocalReviewSource:
    """The review on this laptop's store: its cases only, and its own last sync."""

    central = False
    where = "this laptop's store"
    can_reassign = True
    can_edit = True

    def __init__(
        self,
        store: Store,
        *,
        reviewer: str | None = None,
        forms: FormSet | None = None,
        last_synced: Callable[[], datetime | None] | None = None,
    ) -> None:
        self._store = store
        self._repository = store.repository
        # Reads share the store's engine, and never write.
        self._engine: sa.Engine = store.repository.engine
        self._queries = ReviewQueries(
            forms or store.repository.forms, case_lookup=self._has_index(CASE_LOOKUP_INDEX)
        )
        # When this laptop last synced: the sync keeps that (the store layer does not
        # read the sync's tables), so whoever opens the review passes it in.
        self._last_synced = last_synced
        name = reviewer or OFFICER.read(self._repository.get_setting)
        self.reviewer = name.strip() or "Supervisor"
        # The revision each case was last read or saved at, so that autosaves made one
        # after another never carry a stale base.
        self._revisions: dict[str, int] = {}

    def _has_index(self, name: str) -> bool:
        with self._read() as conn:
            found = conn.execute(
                sa.text("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = :name"),
                {"name": name},
            ).first()
        return found is not None

    @contextmanager
    def _read(self) -> Iterator[sa.Connection]:
        try:
            with store_errors(), self._engine.connect() as conn:
                yield conn
        except StoreError as error:
            raise ReviewError(str(error)) from None

    def page(
        self, tab: Tab, filters: ReviewFilters, today: date, limit: int = PAGE_SIZE
    ) -> ReviewPage:
        with self._read() as conn:
            return self._queries.page(conn, tab, filters, today, limit=limit)

    def all_items(self, tab: Tab, filters: ReviewFilters, today: date) -> list[ReviewItem]:
        with self._read() as conn:
            return self._queries.items(conn, tab, filters, today, limit=None)

    def filter_choices(self, today: date) -> FilterChoices:
        with self._read() as conn:
            return self._queries.filter_choices(conn, today)

    def devices(self) -> list[DeviceContact]:
        try:
            last = self._last_synced() if self._last_synced is not None else None
        except StoreError as error:
            raise ReviewError(str(error)) from None
        return [DeviceContact(self._store.device_id, self.reviewer, last, this_device=True)]

    def open_case(self, case_id: str) -> CaseRecord:
        try:
            record = self._repository.get_case(case_id, actor=self.reviewer)
        except StoreError as error:
            raise ReviewError(str(error)) from None
        self._revisions[record.id] = record.revision
        return record

    def save_case(self, record: CaseRecord) -> CaseRecord:
        base = self._revisions.get(record.id, record.revision)
        try:
            saved = self._repository.save_case(
                record.model_copy(update={"revision": base}), actor=self.reviewer
            )
        except StoreError as error:
            raise ReviewError(str(error)) from None
        self._revisions[saved.id] = saved.revision
        return saved

    def mark_reviewed(self, item: ReviewItem, note: str) -> ReviewItem:
        error = validate_note(note)
        if error:
            raise ReviewError(error)
        try:
            # An oversight note beside the case: audited, and sent to the central store by
            # the next sync; never a change to the case, so never in conflict with the
            # officer's own changes.
            entry = self._repository.add_supervisor_note(
                item.case_id, actor=self.reviewer, note=note.strip(), item_id=item.item_id
            )
        except StoreError as error:
            raise ReviewError(str(error)) from None
        return item.with_review(self.reviewer, entry.note)

    def reassign(self, item: ReviewItem, owner: str) -> ReviewItem:
        try:
            record = self._repository.get_case(item.case_id, actor=self.reviewer)
            changed = reassign_follow_up(record, item, owner)
            saved = self._repository.save_case(changed, actor=self.reviewer)
        except StoreError as error:
            raise ReviewError(str(error)) from None
        self._revisions[saved.id] = saved.revision
        return replace(item, owner=owner.strip())

    def record_export(self, items: Sequence[ReviewItem], detail: str) -> None:
        try:
            for case_id in dict.fromkeys(item.case_id for item in items):
                self._repository.record_disclosure(case_id, actor=self.reviewer, detail=detail)
        except StoreError as error:
            raise ReviewError(str(error)) from None

    def close(self) -> None:
        self._store.close()
