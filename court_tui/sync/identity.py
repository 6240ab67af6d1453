"""A laptop restored from a backup becomes a new device to the central store.

A backup holds the device id and outbox numbers of the moment it was made; the laptop
may have sent changes under those numbers since. Carrying on with them would send new
work under numbers the central store already holds with other content, and it would
refuse every sync. So a restored store takes a new device id: its new work is numbered
afresh (from 1) under it. Its unsent changes keep the identity they were made under, so the
central store recognises any it already has (a replay) and applies the rest; the pull
starts again from the beginning, so the changes this laptop sent after the backup was
made come back to it.
"""

from __future__ import annotations

import uuid

from court_tui.store import Store, writes
from court_tui.sync.local_base import STATE_CURSOR, LocalBase


def take_new_device_identity(store: Store, *, actor: str) -> str:
    """Give STORE a new device id after a restore (audited); returns it."""
    local = LocalBase(store)
    old = local.device_id
    new = str(uuid.uuid4())
    unsent = store.repository.outbox_depth()
    with local._write() as conn:
        writes.set_device_id(conn, new)
        local._put_state(conn, STATE_CURSOR, "0")
        writes.append_audit(
            conn,
            at=local._clock(),
            device_id=new,
            actor=actor,
            action="sync-new-device",
            case_id=None,
            detail=f"restored from a backup: device {old} is now {new}; "
            f"{unsent} unsent change(s) keep their identity",
        )
    store.repository.device_id = new
    return new
