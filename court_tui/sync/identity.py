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

from court_tui.store import Store
from court_tui.sync.local_base import LocalBase


def take_new_device_identity(store: Store, *, actor: str) -> str:
    """Give STORE a new device id after a restore (audited); returns it."""
    new = str(uuid.uuid4())
    LocalBase(store).take_new_device_id(new, actor=actor, unsent=store.repository.outbox_depth())
    store.repository.device_id = new
    return new
