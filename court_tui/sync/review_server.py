"""The supervisor's review on the central store, connected as the supervisor's own login.

Row-level security decides which cases the supervisor sees: nothing here filters by team.
The queries are the local store's (`ReviewQueries`), run against the central schema with
SQLAlchemy's schema translation, so the two stores can never answer differently.
Every change goes through one of the schema's functions, which checks the supervisor's
teams itself and writes the audit log: `add_supervisor_note` (an oversight note, in the
change feed that laptops pull), `reassign_follow_up` (the case moves on a revision, which
laptops pull), `record_review_access` (a case opened, or cases written out as CSV) and
`revoke_device` (a lost laptop of the supervisor's teams cut off).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from typing import TypeVar

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import URL

from court_tui.domain.case import CaseRecord
from court_tui.domain.device_contact import revoke_reason, revoke_reason_problem
from court_tui.domain.forms import FormSet, load_forms
from court_tui.domain.review import (
    PAGE_SIZE,
    DeviceContact,
    FilterChoices,
    ReviewError,
    ReviewFilters,
    ReviewItem,
    ReviewPage,
    Tab,
    validate_owner,
)
from court_tui.store.review_queries import ReviewQueries
from court_tui.sync.errors import SyncError, translate
from court_tui.sync.server import REVOKE_DEVICE, device_result, display_url, make_engine
from court_tui.sync.server_schema import SCHEMA, SUPERVISOR_ROLE

T = TypeVar("T")

_WHO = sa.text(
    f"SELECT current_user AS login, pg_has_role(current_user, '{SUPERVISOR_ROLE}', 'MEMBER') "
    f"AS supervisor, (SELECT s.display_name FROM {SCHEMA}.staff s "
    "WHERE s.login_name = current_user) AS display_name"
)
_TEAMS = sa.text(
    f"SELECT team FROM {SCHEMA}.staff_teams WHERE login_name = current_user ORDER BY team"
)
_DEVICES = sa.text(
    "SELECT device_id, login_name, display_name, last_contact, revoked_at, revoked_by "
    f"FROM {SCHEMA}.team_devices()"
)
_CASE = sa.text(f"SELECT case_json FROM {SCHEMA}.cases WHERE id = :id")
_NOTE = sa.text(f"SELECT {SCHEMA}.add_supervisor_note(:case_id, :item_id, :note)")
_REASSIGN = sa.text(f"SELECT {SCHEMA}.reassign_follow_up(:case_id, :item_id, :owner)")
_ACCESS = sa.text(f"SELECT {SCHEMA}.record_review_access(:action, :case_ids, :detail)")


def _reason(error: SyncError) -> str:
    return str(getattr(error, "reason", error.message))


class CentralReviewSource:
    """The review across the supervisor's teams, read from the central store."""

    central = True
    can_reassign = True
    # A case's answers are changed on a laptop and synced, never written over here.
    can_edit = False

    def __init__(self, url: URL | str, *, forms: FormSet | None = None) -> None:
        self.url = display_url(url)
        self._engine = make_engine(url)
        self._queries = ReviewQueries(forms or load_forms())
        try:
            who = self._run(lambda conn: conn.execute(_WHO).one())
            teams = self._run(lambda conn: [str(t) for t in conn.execute(_TEAMS).scalars()])
        except ReviewError:
            self._engine.dispose()
            raise
        if not who.supervisor:
            self._engine.dispose()
            raise ReviewError(
                f"{who.login} is not a supervisor on the central store: `court-tui review "
                "--server` needs a supervisor's login."
            )
        self.login = str(who.login)
        self.reviewer = str(who.display_name or who.login)
        self.teams = tuple(teams)
        team_words = " and ".join(self.teams) if self.teams else "no teams yet"
        self.where = f"central store, {team_words}"

    @contextmanager
    def _connect(self) -> Iterator[sa.Connection]:
        with self._engine.begin() as conn:
            # The store's tables, read in the central schema under the caller's policies.
            yield conn.execution_options(schema_translate_map={None: SCHEMA})

    def _run(self, action: Callable[[sa.Connection], T]) -> T:
        try:
            with self._connect() as conn:
                return action(conn)
        except (sa.exc.SQLAlchemyError, psycopg.Error) as exc:
            raise ReviewError(
                f"The central store could not do that ({_reason(translate(exc))})."
            ) from None

    def page(
        self, tab: Tab, filters: ReviewFilters, today: date, limit: int = PAGE_SIZE
    ) -> ReviewPage:
        return self._run(lambda conn: self._queries.page(conn, tab, filters, today, limit=limit))

    def all_items(self, tab: Tab, filters: ReviewFilters, today: date) -> list[ReviewItem]:
        return self._run(lambda conn: self._queries.items(conn, tab, filters, today, limit=None))

    def filter_choices(self, today: date) -> FilterChoices:
        return self._run(lambda conn: self._queries.filter_choices(conn, today))

    def devices(self) -> list[DeviceContact]:
        rows = self._run(lambda conn: conn.execute(_DEVICES).all())
        return [
            DeviceContact(
                device_id=str(row.device_id),
                owner=str(row.display_name or row.login_name),
                last_contact=row.last_contact,
                revoked_at=row.revoked_at,
                revoked_by=str(row.revoked_by or ""),
            )
            for row in rows
        ]

    def revoke_device(self, device: DeviceContact, reason: str) -> DeviceContact:
        """Cut DEVICE off the central store with REASON (audited there); the central store
        checks that it is a laptop of the supervisor's teams."""
        problem = revoke_reason_problem(reason)
        if problem:
            raise ReviewError(problem)
        row = self._run(
            lambda conn: conn.execute(
                REVOKE_DEVICE, {"device": device.device_id, "reason": revoke_reason(reason)}
            ).one()
        )
        done = device_result(row, restoring=False)
        by = done.revoked_by if done.already else self.reviewer
        return replace(device, revoked_at=done.revoked_at, revoked_by=by)

    def open_case(self, case_id: str) -> CaseRecord:
        def read(conn: sa.Connection) -> str | None:
            found = conn.execute(_CASE, {"id": case_id}).scalar_one_or_none()
            if found is not None:  # read and audited in one transaction
                self._access(conn, "view", [case_id], "opened in the review")
            return found

        case_json = self._run(read)
        if case_json is None:
            raise ReviewError("That case is not in your teams on the central store.")
        return CaseRecord.model_validate_json(case_json)

    @staticmethod
    def _access(conn: sa.Connection, action: str, case_ids: list[str], detail: str) -> None:
        conn.execute(_ACCESS, {"action": action, "case_ids": case_ids, "detail": detail})

    def save_case(self, record: CaseRecord) -> CaseRecord:
        raise ReviewError("Cases are changed on the officer's laptop, not on the central store.")

    def mark_reviewed(self, item: ReviewItem, note: str) -> ReviewItem:
        note = note.strip()
        self._run(
            lambda conn: conn.execute(
                _NOTE, {"case_id": item.case_id, "item_id": item.item_id, "note": note}
            ).scalar_one()
        )
        return item.with_review(self.reviewer, note)

    def reassign(self, item: ReviewItem, owner: str) -> ReviewItem:
        if item.kind != "follow_up":
            raise ReviewError("Only a follow-up has an owner to change.")
        error = validate_owner(owner, item.owner)
        if error:
            raise ReviewError(error)
        self._run(
            lambda conn: conn.execute(
                _REASSIGN,
                {"case_id": item.case_id, "item_id": item.item_id, "owner": owner.strip()},
            ).scalar_one()
        )
        return replace(item, owner=owner.strip())

    def record_export(self, items: Sequence[ReviewItem], detail: str) -> None:
        case_ids = list(dict.fromkeys(item.case_id for item in items))
        self._run(lambda conn: self._access(conn, "disclose", case_ids, detail))

    def close(self) -> None:
        self._engine.dispose()
