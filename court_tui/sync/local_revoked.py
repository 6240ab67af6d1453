"""What the central store last said about this laptop being cut off (revoked), kept in the
sync state so that doctor can say it and the background sync can ask less often."""

from __future__ import annotations

from court_tui.sync.errors import DeviceRevoked
from court_tui.sync.local_base import LocalBase

STATE_REVOKED = "device_revoked"


class RevokedState(LocalBase):
    """The revocation this laptop was last told of (none once a sync gets through)."""

    def revoked(self) -> DeviceRevoked | None:
        """The refusal last heard, None when the central store has not refused this laptop
        (or took it back since)."""
        kept = self.state(STATE_REVOKED)
        return None if kept is None else DeviceRevoked.from_json(kept)

    def remember(self, refusal: DeviceRevoked) -> None:
        """Keep REFUSAL; the outbox and the cases are left as they are."""
        with self._write() as conn:
            self._put_state(conn, STATE_REVOKED, refusal.as_json())

    def forget(self) -> None:
        """A sync got through: this laptop is not cut off (any more)."""
        if self.state(STATE_REVOKED) is None:
            return
        with self._write() as conn:
            self._put_state(conn, STATE_REVOKED, None)
