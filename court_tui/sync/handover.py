"""The responsible officer's side of the handover on the central store.

The court officer sends a handover in the case's own record (it travels with the case
through push_changes). The RO's laptop pulls it, lists it under "Handed to me", and the
RO accepts it here, on the central store, in their own login: the case belongs to another
team, so it cannot come back through the RO's outbox, and `accept_handover` checks again,
in the database, that they are the officer it was sent to, not its author, and that they
read the revision the central store holds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import URL

from court_tui.domain.case import CaseRecord
from court_tui.domain.handed_over import same_person
from court_tui.store import Store
from court_tui.store.tables import CASES
from court_tui.sync.client import configured_server, sync_with_server
from court_tui.sync.errors import SyncError, translate
from court_tui.sync.server import make_engine, server_url
from court_tui.sync.server_schema import SCHEMA

_ACCEPT = sa.text(
    f"SELECT {SCHEMA}.accept_handover(:case_id, :revision, CAST(:acknowledged AS jsonb))"
)


class HandoverRefused(SyncError):
    """The central store would not record the acceptance; the message says why."""


@dataclass(frozen=True)
class HandedToMe:
    """A case handed to this laptop's officer, as the "Handed to me" list shows it."""

    case_id: str
    name: str
    sent_by: str
    sent_at: datetime | None
    accepted: bool


def is_handed_to(record: CaseRecord, login: str, teams: tuple[str, ...] = ()) -> bool:
    """Whether RECORD's handover was sent to LOGIN (or one of TEAMS)."""
    handover = record.handover
    if handover.sent_to and same_person(handover.sent_to, login):
        return True
    return bool(handover.sent_to_team) and handover.sent_to_team in teams


def handed_to_me(store: Store, login: str, teams: tuple[str, ...] = ()) -> list[HandedToMe]:
    """The cases on this laptop handed to LOGIN (or one of TEAMS), newest sent first."""
    found = []
    # Read without opening each case (which the audit log would record): only the one
    # the RO then opens is a view.
    with store.repository.engine.connect() as conn:
        texts = conn.execute(sa.select(CASES.c.case_json)).scalars().all()
    for text in texts:
        try:
            record = CaseRecord.model_validate_json(text)
        except ValueError:
            continue
        if is_handed_to(record, login, teams):
            found.append(
                HandedToMe(
                    record.id,
                    record.display_name,
                    record.handover.sent_by or record.officer,
                    record.handover.sent_at,
                    bool(record.handover.accepted_by),
                )
            )
    return sorted(found, key=lambda h: (h.accepted, -(h.sent_at.timestamp() if h.sent_at else 0)))


def accept_on_central(url: URL | str, record: CaseRecord) -> int:
    """Record on the central store that this login accepted RECORD's handover, with the
    items acknowledged in RECORD; returns the case's new revision there."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            revision = conn.execute(
                _ACCEPT,
                {
                    "case_id": record.id,
                    "revision": record.revision,
                    "acknowledged": json.dumps(record.handover.acknowledged),
                },
            ).scalar_one()
    except sa.exc.DBAPIError as exc:
        orig = exc.orig
        if isinstance(
            orig,
            psycopg.errors.InsufficientPrivilege
            | psycopg.errors.CheckViolation
            | psycopg.errors.SerializationFailure,
        ):
            message = str(orig).strip().splitlines()[0] if str(orig).strip() else "refused"
            raise HandoverRefused(
                f"The central store did not record the acceptance: {message[:200]}. "
                "Sync, read the handover again and accept it."
            ) from None
        raise translate(exc) from None
    finally:
        engine.dispose()
    return int(revision)


def central_login(url: URL | str) -> str:
    """The login this laptop syncs as: the user named in the central store's address
    ('' when the address names none)."""
    return server_url(str(url)).username or ""


def handed_to_this_laptop(store: Store, server: str | None = None) -> list[HandedToMe]:
    """The cases on STORE handed to the login it syncs as (none when it does not sync)."""
    url = configured_server(store, server)
    login = central_login(url) if url else ""
    return handed_to_me(store, login) if login else []


def accept_and_sync(store: Store, record: CaseRecord, server: str | None = None) -> None:
    """Accept RECORD's handover on the central store as this laptop's login, then sync so
    this laptop holds the accepted revision. Raises SyncError saying what stopped it."""
    url = configured_server(store, server)
    if url is None:
        raise HandoverRefused(
            "This laptop is not connected to a central store: the handover is accepted there"
        )
    accept_on_central(server_url(url), record)
    sync_with_server(store, url)
