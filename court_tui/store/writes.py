"""Every write to the store's tables, inside a transaction the caller holds.

The repository (the officer's saves) and the sync (changes pulled from the central store,
conflicts settled) both write cases, audit rows and outbox rows through these, so a case
is written one way whoever writes it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from operator import itemgetter
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.sql.compiler import SQLCompiler

from court_tui.domain.answers import AnswerValue, NotKnown
from court_tui.domain.case import CaseRecord, CheckRequest, FollowUp
from court_tui.domain.checks import check_state
from court_tui.domain.fields import Case
from court_tui.domain.forms import FormSet
from court_tui.domain.handed_over import handover_state
from court_tui.domain.settings import LAST_CASE
from court_tui.domain.status import case_status
from court_tui.domain.values import parse_iso_date
from court_tui.store.tables import (
    ANSWERS,
    AUDIT,
    CASES,
    CHECK_OUTSTANDING,
    CHECKS,
    COURT_LIST,
    FOLLOW_UPS,
    META,
    META_DEVICE_ID,
    META_NEXT_SEQ,
    NOTES,
    OUTBOX,
    REFERENCE,
    SETTINGS,
    handover_token,
)

AuditAction = Literal[
    "create",
    "save",
    "view",
    "disclose",
    "import",
    "note",
    "sync-pull",
    "sync-conflict",
    "sync-note",
    "list-import",
    "list-link",
    "passphrase-change",
    "retention-purge",
    "sync-set-aside",
    "sync-withdraw",
    "sync-new-device",
]


def _text(record: CaseRecord, question: str) -> str:
    value = record.answers.get(question)
    return value.strip() if isinstance(value, str) else ""


# Made once: json.dumps with any option builds a new encoder for every call.
_ANSWER_JSON = json.JSONEncoder(ensure_ascii=False).encode


def answer_json(value: AnswerValue | None) -> str | None:
    """An answer as JSON text ('not known' as {"not_known": true})."""
    if value is None:
        return None
    if isinstance(value, NotKnown):
        return json.dumps(value.model_dump())
    return _ANSWER_JSON(value)


def handover_column(record: CaseRecord, forms: FormSet, today: date) -> str:
    """RECORD's handover stage as `cases.handover_state` keeps it, by the domain's rule
    (the stage does not depend on the day; only when it is due does)."""
    return handover_token(handover_state(record, forms, today).stage)


@dataclass(frozen=True)
class CaseRows:
    """A case as the store's tables hold it: summary columns and the normalised rows."""

    columns: dict[str, Any]
    answers: list[dict[str, Any]]
    checks: list[dict[str, Any]]
    follow_ups: list[dict[str, Any]]


def case_columns(record: CaseRecord, forms: FormSet, today: date) -> dict[str, Any]:
    """RECORD's columns in `cases` but its id, exactly as the store writes them."""
    # Asked once: the status word and the handover column both depend on it.
    handover = handover_state(record, forms, today)
    return {
        "revision": record.revision,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "officer": record.officer,
        "team": record.team,
        "name": _text(record, Case.NAME),
        "crn": _text(record, Case.CRN).upper(),
        "pnc": _text(record, Case.PNC).upper(),
        "court": _text(record, Case.COURT),
        "courtroom": _text(record, Case.COURTROOM),
        "hearing_date": parse_iso_date(_text(record, Case.HEARING_DATE)),
        "status": case_status(record, forms, today, handover=handover),
        "pending_checks": sum(
            check_state(check) == CHECK_OUTSTANDING for check in record.checks.values()
        ),
        "case_json": record.model_dump_json(),
        "handover_state": handover_token(handover.stage),
    }


def _answer_row(case_id: str, question: str, value: AnswerValue) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "question": question,
        "value": answer_json(value),
        "not_known": isinstance(value, NotKnown),
    }


def _check_row(case_id: str, kind: str, check: CheckRequest) -> dict[str, Any]:
    return {"case_id": case_id, "kind": kind, **check.model_dump(), "status": check_state(check)}


def _follow_up_row(case_id: str, _id: str, follow_up: FollowUp) -> dict[str, Any]:
    return {
        **follow_up.model_dump(exclude={"answer"}),
        "case_id": case_id,
        "answer": answer_json(follow_up.answer),
    }


def _row_items(record: CaseRecord) -> tuple[Mapping[str, Any], ...]:
    """RECORD's answers, checks and follow-ups, each by the key of its row."""
    return (
        record.answers,
        record.checks,
        {follow_up.id: follow_up for follow_up in record.follow_ups},
    )


_ROW_MAKERS: tuple[Callable[[str, str, Any], dict[str, Any]], ...] = (
    _answer_row,
    _check_row,
    _follow_up_row,
)


def case_rows(record: CaseRecord, forms: FormSet, today: date) -> CaseRows:
    """RECORD's rows, exactly as the store writes them on a save or a sync."""
    answers, checks, follow_ups = (
        [make(record.id, key, item) for key, item in items.items()]
        for make, items in zip(_ROW_MAKERS, _row_items(record), strict=True)
    )
    return CaseRows(case_columns(record, forms, today), answers, checks, follow_ups)


# A save's statements are small, and SQLAlchemy's work on each (events, parameters,
# result objects) costs several times SQLite's own: they are compiled once by SQLAlchemy
# for the store's dialect and run on the driver's connection inside the caller's
# transaction, their values converted by the columns' own types, both ways.
_COMPILED: dict[tuple[str, Hashable], tuple[str, tuple[str, ...]]] = {}
_CONVERTERS: dict[tuple[str, str, bool], dict[str, Callable[[Any], Any] | None]] = {}


def _compiled(
    conn: sa.Connection, key: Hashable, build: Callable[[], sa.ClauseElement]
) -> tuple[str, tuple[str, ...]]:
    """The SQL text of the statement BUILD makes (known as KEY) and its parameters' names
    in order."""
    known = (conn.dialect.name, key)
    found = _COMPILED.get(known)
    if found is None:
        compiled = build().compile(dialect=conn.dialect)
        names = compiled.positiontup if isinstance(compiled, SQLCompiler) else None
        found = _COMPILED[known] = (compiled.string, tuple(names or ()))
    return found


def _converters(
    conn: sa.Connection, table: sa.Table, *, stored: bool
) -> dict[str, Callable[[Any], Any] | None]:
    """TABLE's columns' conversions of a value to the store (or from it when STORED)."""
    dialect = conn.dialect
    known = (dialect.name, table.name, stored)
    found = _CONVERTERS.get(known)
    if found is None:
        found = _CONVERTERS[known] = {
            column.name: (
                column.type.dialect_impl(dialect).result_processor(dialect, None)
                if stored
                else column.type.dialect_impl(dialect).bind_processor(dialect)
            )
            for column in table.c
        }
    return found


def _to_store(conn: sa.Connection, table: sa.Table, row: dict[str, Any]) -> dict[str, Any]:
    """ROW's values for TABLE as the driver is given them."""
    converters = _converters(conn, table, stored=False)
    return {
        name: value if (convert := converters[name]) is None else convert(value)
        for name, value in row.items()
    }


def _run(
    conn: sa.Connection,
    key: Hashable,
    build: Callable[[], sa.ClauseElement],
    rows: list[dict[str, Any]],
) -> Any:
    """Run the statement BUILD makes with each of ROWS (values as the driver takes them) on
    CONN's own driver connection; returns the driver's cursor."""
    sql, names = _compiled(conn, key, build)
    if not conn.in_transaction():
        conn.begin()  # as SQLAlchemy's own execute would: the caller commits it
    driver: Any = conn.connection.driver_connection
    if len(rows) == 1:
        return driver.execute(sql, [rows[0][name] for name in names])
    return driver.executemany(sql, [[row[name] for name in names] for row in rows])


def _insert(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> Any:
    """Insert ROWS (each naming the same columns) into TABLE."""
    names = tuple(rows[0])

    def build() -> sa.ClauseElement:
        return table.insert().values({name: sa.bindparam(name) for name in names})

    return _run(
        conn, ("insert", table.name, names), build, [_to_store(conn, table, r) for r in rows]
    )


def _update_case(conn: sa.Connection, case_id: str, values: dict[str, Any]) -> None:
    """Set the columns VALUES of case CASE_ID."""
    names = tuple(values)

    def build() -> sa.ClauseElement:
        return (
            CASES.update()
            .where(CASES.c.id == sa.bindparam("b_id"))
            .values({name: sa.bindparam(name) for name in names})
        )

    _run(conn, ("update", names), build, [{**_to_store(conn, CASES, values), "b_id": case_id}])


# One statement takes the next number: the counter is read and moved on at once.
_TAKE_NEXT_SEQ = (
    META.update()
    .where(META.c.key == sa.bindparam("b_key"))
    .values(value=sa.cast(sa.cast(META.c.value, sa.Integer) + sa.literal_column("1"), sa.String))
    .returning(META.c.value)
)
# A case's stored columns (its JSON last): what a save compares with, to write only what
# changed.
_SUMMARY_COLUMNS = tuple(column for column in CASES.c if column.name not in ("id", "case_json"))
_STORED_SUMMARY = sa.select(*_SUMMARY_COLUMNS, CASES.c.case_json).where(
    CASES.c.id == sa.bindparam("b_id")
)
_CASE_ROWS = (
    (ANSWERS, ("question",)),
    (CHECKS, ("kind",)),
    (FOLLOW_UPS, ("id",)),
)
# The part of a case's JSON each table's rows are made from, one row an item.
_SECTIONS = {ANSWERS: "answers", CHECKS: "checks", FOLLOW_UPS: "follow_ups"}
_STORED_ROWS = {
    table: sa.select(table).where(table.c.case_id == sa.bindparam("b_case"))
    for table, _ in _CASE_ROWS
}
_DELETE_ROWS = {
    table: table.delete().where(
        table.c.case_id == sa.bindparam("b_case"),
        *(table.c[name] == sa.bindparam(f"b_{name}") for name in key),
    )
    for table, key in _CASE_ROWS
}
_STORED_NAMES = tuple(column.name for column in _STORED_SUMMARY.selected_columns)


def stored_summary(conn: sa.Connection, case_id: str) -> dict[str, Any] | None:
    """CASE_ID's stored summary columns (its revision among them) and its JSON, None when
    not stored."""
    found = _run(conn, "stored summary", lambda: _STORED_SUMMARY, [{"b_id": case_id}]).fetchall()
    if not found:
        return None
    (row,) = found
    converters = _converters(conn, CASES, stored=True)
    return {
        name: value if value is None or (convert := converters[name]) is None else convert(value)
        for name, value in zip(_STORED_NAMES, row, strict=True)
    }


def write_case(
    conn: sa.Connection,
    record: CaseRecord,
    forms: FormSet,
    today: date,
    *,
    exists: bool,
    stored: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Write RECORD's case row and its answers, checks and follow-ups, replacing what the
    store held for it when EXISTS (its columns STORED, as `stored_summary` reads them, read
    here when not given); returns the case row's columns written."""
    columns = case_columns(record, forms, today)
    held: dict[str, Any] | None = None
    if exists:
        stored = stored if stored is not None else stored_summary(conn, record.id)
        # Only the columns that changed: an index none of whose columns changed is left
        # alone, so a save does not rewrite (and encrypt) the pages of every index.
        changed = {
            name: value
            for name, value in columns.items()
            if stored is None or name not in stored or stored[name] != value
        }
        _update_case(conn, record.id, changed)
        held = _document(stored.get("case_json")) if stored is not None else None
    else:
        _insert(conn, CASES, [{"id": record.id, **columns}])
    # The rows are made from the JSON's items one by one, in the same transaction, so the
    # items the stored JSON holds unchanged have their rows already: only the others are
    # made and written. When the stored JSON cannot say, every row is made, and the rows
    # the store holds are read and compared.
    wanted_document = _document(columns["case_json"]) if held is not None else None
    for (table, key), make, items in zip(_CASE_ROWS, _ROW_MAKERS, _row_items(record), strict=True):
        held_items = _items(held, _SECTIONS[table])
        wanted_items = _items(wanted_document, _SECTIONS[table])
        if held_items is not None and wanted_items is not None:
            _write_changed_items(
                conn, table, key, record.id, held_items, wanted_items, make, items
            )
        else:
            wanted = [make(record.id, item_key, item) for item_key, item in items.items()]
            _replace_rows(conn, table, key, record.id, wanted, exists=exists)
    return columns


def _exact_number(text: str) -> tuple[str, str]:
    # A number as it is written: 1, 1.0 and true are three different answers.
    return ("number", text)


def _document(case_json: object) -> dict[str, Any] | None:
    """A case's JSON as data whose equality is the text's (None when it is not an object)."""
    if not isinstance(case_json, str):
        return None
    try:
        document = json.loads(case_json, parse_int=_exact_number, parse_float=_exact_number)
    except ValueError:
        return None
    return document if isinstance(document, dict) else None


def _items(document: dict[str, Any] | None, section: str) -> dict[str, Any] | None:
    """The items of SECTION in DOCUMENT by the key of their rows (a follow-up by its id),
    or None when the document does not hold them in that shape."""
    if document is None:
        return None
    items = document.get(section)
    if isinstance(items, dict):
        return items
    if not isinstance(items, list):
        return None
    keyed: dict[str, Any] = {}
    for item in items:
        key = item.get("id") if isinstance(item, dict) else None
        if not isinstance(key, str) or key in keyed:
            return None
        keyed[key] = item
    return keyed


def _write_changed_items(
    conn: sa.Connection,
    table: sa.Table,
    key: tuple[str, ...],
    case_id: str,
    held: dict[str, Any],
    wanted: dict[str, Any],
    make: Callable[[str, str, Any], dict[str, Any]],
    items: Mapping[str, Any],
) -> None:
    """Make CASE_ID's rows in TABLE be those MAKE makes of ITEMS (in the JSON, WANTED),
    when the store holds the rows made from HELD: the rows of the items that changed, came
    or went are written."""
    changed = [k for k, item in wanted.items() if k not in held or held[k] != item]
    gone = [k for k, item in held.items() if k not in wanted or wanted[k] != item]
    if gone:
        (name,) = key
        _run(
            conn,
            ("delete", table.name),
            lambda: _DELETE_ROWS[table],
            [{"b_case": case_id, f"b_{name}": item_key} for item_key in gone],
        )
    if changed:
        _insert(conn, table, [make(case_id, item_key, items[item_key]) for item_key in changed])


def _replace_rows(
    conn: sa.Connection,
    table: sa.Table,
    key: tuple[str, ...],
    case_id: str,
    wanted: list[dict[str, Any]],
    *,
    exists: bool,
) -> None:
    """Make CASE_ID's rows in TABLE (named by the columns KEY) be WANTED: a row the store
    already holds exactly is left as it is, so a save writes what changed, not the case."""
    values_of, key_of, key_at = _ROW_GETTERS[table]
    # Rows as tuples in the table's column order: compared as they are fetched.
    stored: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    if exists:
        for held in conn.execute(_STORED_ROWS[table], {"b_case": case_id}):
            stored[key_at(held)] = tuple(held)
    keep: set[tuple[Any, ...]] = set()
    new: list[dict[str, Any]] = []
    for row in wanted:
        row_key = key_of(row)
        held_row = stored.get(row_key)
        if held_row is not None and _same(held_row, values_of, row):
            keep.add(row_key)
        else:
            new.append(row)
    gone = [
        {
            "b_case": case_id,
            **{f"b_{name}": value for name, value in zip(key, row_key, strict=True)},
        }
        for row_key in stored
        if row_key not in keep
    ]
    if gone:
        conn.execute(_DELETE_ROWS[table], gone)
    if new:
        conn.execute(table.insert(), new)


def _same(
    held: tuple[Any, ...], values_of: Callable[[dict[str, Any]], Any], row: dict[str, Any]
) -> bool:
    try:
        return bool(held == values_of(row))
    except KeyError:  # a column the row does not name: written again
        return False


def _getters(
    table: sa.Table, key: tuple[str, ...]
) -> tuple[
    Callable[[Any], Any], Callable[[Any], tuple[Any, ...]], Callable[[Any], tuple[Any, ...]]
]:
    """Getters of a row's values in TABLE's column order (as a tuple), of a wanted row's
    KEY, and of a fetched row's KEY."""
    names = tuple(table.c.keys())

    def as_tuple(getter: Callable[[Any], Any]) -> Callable[[Any], tuple[Any, ...]]:
        return getter if len(key) > 1 else lambda row: (getter(row),)

    return (
        itemgetter(*names),
        as_tuple(itemgetter(*key)),
        as_tuple(itemgetter(*(names.index(name) for name in key))),
    )


_ROW_GETTERS = {table: _getters(table, key) for table, key in _CASE_ROWS}


def append_audit(
    conn: sa.Connection,
    *,
    at: datetime,
    device_id: str,
    actor: str,
    action: AuditAction,
    case_id: str | None,
    detail: str = "",
) -> None:
    """Add one row to the audit log (an unnamed actor is recorded as 'unknown')."""
    _insert(
        conn,
        AUDIT,
        [
            {
                "at": at,
                "actor": actor.strip() or "unknown",
                "device_id": device_id,
                "action": action,
                "case_id": case_id,
                "detail": detail,
            }
        ],
    )


def set_device_id(conn: sa.Connection, device_id: str) -> None:
    """Give the store the new device identity DEVICE_ID (after a restore, say), whose
    changes are numbered from 1 (the outbox is keyed by device and number)."""
    conn.execute(META.update().where(META.c.key == META_DEVICE_ID).values(value=device_id))
    conn.execute(META.update().where(META.c.key == META_NEXT_SEQ).values(value="1"))


def next_outbox_seq(conn: sa.Connection) -> int:
    """Take the next outbox sequence number of this store."""
    # A counter in meta, not max(seq)+1: it never goes back, even after sync prunes.
    (taken,) = _run(
        conn, "next seq", lambda: _TAKE_NEXT_SEQ, [{"b_key": META_NEXT_SEQ}]
    ).fetchall()
    return int(taken[0]) - 1


def queue_change(
    conn: sa.Connection,
    *,
    device_id: str,
    case_id: str,
    base_revision: int,
    revision: int,
    case_json: str,
    created_at: datetime,
) -> int:
    """Put a change to CASE_ID in the outbox under the next sequence; returns it."""
    seq = next_outbox_seq(conn)
    _insert(
        conn,
        OUTBOX,
        [
            {
                "device_id": device_id,
                "seq": seq,
                "case_id": case_id,
                "base_revision": base_revision,
                "revision": revision,
                "case_json": case_json,
                "created_at": created_at,
            }
        ],
    )
    return seq


def acknowledge_changes(
    conn: sa.Connection, device_id: str, seqs: Iterable[int], at: datetime
) -> None:
    """The central store holds DEVICE_ID's changes SEQS: they leave the pending outbox."""
    params = [{"b_device": device_id, "b_seq": seq} for seq in seqs]
    if not params:
        return
    conn.execute(
        OUTBOX.update()
        .where(
            OUTBOX.c.device_id == sa.bindparam("b_device"),
            OUTBOX.c.seq == sa.bindparam("b_seq"),
            OUTBOX.c.acknowledged_at.is_(None),
        )
        .values(acknowledged_at=at),
        params,
    )


def put_reference_data(conn: sa.Connection, kind: str, payload: str, updated_at: datetime) -> None:
    """Keep PAYLOAD (JSON text) as the reference data of KIND, replacing what was there."""
    values = {"payload": payload, "updated_at": updated_at}
    updated = conn.execute(REFERENCE.update().where(REFERENCE.c.kind == kind).values(**values))
    if updated.rowcount == 0:
        conn.execute(REFERENCE.insert().values(kind=kind, **values))


def add_note(
    conn: sa.Connection,
    *,
    id: str,
    case_id: str,
    item_id: str | None,
    note: str,
    written_by: str,
    written_at: datetime,
) -> None:
    """Add a supervisor's oversight note."""
    conn.execute(
        NOTES.insert().values(
            id=id,
            case_id=case_id,
            item_id=item_id,
            note=note,
            written_by=written_by,
            written_at=written_at,
        )
    )


def set_note_author(
    conn: sa.Connection, note_id: str, written_by: str, written_at: datetime
) -> None:
    """Record who wrote note NOTE_ID and when, as the central store keeps them."""
    conn.execute(
        NOTES.update()
        .where(NOTES.c.id == note_id)
        .values(written_by=written_by, written_at=written_at)
    )


def put_court_list_entries(
    conn: sa.Connection, new: list[dict[str, Any]], changed: list[dict[str, Any]]
) -> None:
    """Add the court list entries NEW and rewrite CHANGED (rows keyed by `key`) with what
    the list says now; the case an entry is linked to and the cases rejected are kept."""
    if new:
        conn.execute(COURT_LIST.insert(), new)
    if changed:
        kept = {"key", "imported_at", "case_id", "rejected_json"}
        params = [
            {"b_key": row["key"], **{k: v for k, v in row.items() if k not in kept}}
            for row in changed
        ]
        conn.execute(COURT_LIST.update().where(COURT_LIST.c.key == sa.bindparam("b_key")), params)


def append_audits(conn: sa.Connection, rows: list[dict[str, Any]]) -> None:
    """Add several rows to the audit log at once (each as `append_audit` takes them)."""
    if rows:
        conn.execute(
            AUDIT.insert(), [{**row, "actor": row["actor"].strip() or "unknown"} for row in rows]
        )


def set_court_list_link(
    conn: sa.Connection,
    key: str,
    *,
    case_id: str | None,
    rejected: list[str],
    updated_at: datetime,
) -> int:
    """Record the case a court list entry is linked to and the cases rejected for it;
    returns how many entries were changed (0 when KEY is not stored)."""
    result = conn.execute(
        COURT_LIST.update()
        .where(COURT_LIST.c.key == key)
        .values(case_id=case_id, rejected_json=json.dumps(rejected), updated_at=updated_at)
    )
    return int(result.rowcount)


def put_setting(conn: sa.Connection, key: str, value: str) -> None:
    """Set the stored setting KEY to VALUE."""
    updated = conn.execute(SETTINGS.update().where(SETTINGS.c.key == key).values(value=value))
    if updated.rowcount == 0:
        conn.execute(SETTINGS.insert().values(key=key, value=value))


# The sync's tables that hold a copy of a case (its pulled and conflicting versions); named
# here rather than imported, since the store sits below the sync.
_SYNC_CASE_COPIES = sa.table("sync_conflicts", sa.column("case_id"))
_SYNC_NOTES = sa.table("sync_notes", sa.column("note_id"))
# What an acknowledged outbox row keeps of a removed case: its sequence number stays, so
# the outbox has no gap, and its copy of the case goes.
REMOVED_CASE_JSON = "{}"


def remove_case(conn: sa.Connection, case_id: str) -> None:
    """Remove CASE_ID's rows and every copy of it in the store, keeping its audit rows and
    its (acknowledged) outbox sequence numbers; the caller has checked it may go."""
    pending = conn.execute(
        sa.select(sa.func.count())
        .select_from(OUTBOX)
        .where(OUTBOX.c.case_id == case_id, OUTBOX.c.acknowledged_at.is_(None))
    ).scalar_one()
    if pending:
        raise ValueError("a case with an unsynced change is never removed")
    tables = set(sa.inspect(conn).get_table_names())
    note_ids = sa.select(NOTES.c.id).where(NOTES.c.case_id == case_id)
    if _SYNC_NOTES.name in tables:
        conn.execute(_SYNC_NOTES.delete().where(_SYNC_NOTES.c.note_id.in_(note_ids)))
    if _SYNC_CASE_COPIES.name in tables:
        conn.execute(_SYNC_CASE_COPIES.delete().where(_SYNC_CASE_COPIES.c.case_id == case_id))
    for table in (NOTES, ANSWERS, CHECKS, FOLLOW_UPS):
        conn.execute(table.delete().where(table.c.case_id == case_id))
    conn.execute(
        OUTBOX.update().where(OUTBOX.c.case_id == case_id).values(case_json=REMOVED_CASE_JSON)
    )
    conn.execute(CASES.delete().where(CASES.c.id == case_id))
    # A court list entry linked to the case is unlinked (the list itself is the court's).
    conn.execute(COURT_LIST.update().where(COURT_LIST.c.case_id == case_id).values(case_id=None))
    conn.execute(
        SETTINGS.delete().where(SETTINGS.c.key == LAST_CASE.key, SETTINGS.c.value == case_id)
    )
