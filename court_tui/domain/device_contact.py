"""Each laptop's last contact with the central store, in words: how current the review is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from court_tui.domain.dates import describe_date, describe_time, to_local
from court_tui.domain.deadlines import working_days_between
from court_tui.domain.review_words import plural

# A laptop is shown as behind when it has not synced on this or the last working day.
BEHIND_AFTER_WORKING_DAYS = 1
# The longest reason for cutting a laptop off that the central store keeps.
MAX_REVOKE_REASON = 500


@dataclass(frozen=True)
class DeviceContact:
    """One laptop and the last time it reached the central store (None: never)."""

    device_id: str
    owner: str
    last_contact: datetime | None
    this_device: bool = False
    # Cut off the central store (revoked): when, and by whom.
    revoked_at: datetime | None = None
    revoked_by: str = ""

    @property
    def label(self) -> str:
        """'This laptop', or 'Sam Patel's laptop (3f2a9c1e)'."""
        if self.this_device:
            return "This laptop"
        return f"{self.owner or 'Unknown'}'s laptop ({self.device_id[:8]})"


def contact_words(last: datetime | None, now: datetime) -> str:
    """When a laptop last synced, in words: 'last synced 3 working days ago'."""
    if last is None:
        return "has never synced"
    seen, here = to_local(last), to_local(now)
    if seen.date() >= here.date():
        return f"last synced today at {describe_time(seen)}"
    if seen.date() == here.date() - timedelta(days=1):
        return f"last synced yesterday at {describe_time(seen)}"
    late = working_days_between(seen.date(), here.date())
    if late > 1:
        return f"last synced {plural(late, 'working day')} ago ({describe_date(seen.date())})"
    return f"last synced {describe_date(seen.date())}"


def is_behind(device: DeviceContact, now: datetime) -> bool:
    """Not synced on this or the last working day (or never); a laptop cut off the
    central store is not expected to."""
    if device.revoked_at is not None:
        return False
    if device.last_contact is None:
        return True
    seen, here = to_local(device.last_contact).date(), to_local(now).date()
    return working_days_between(seen, here) > BEHIND_AFTER_WORKING_DAYS


def device_line(device: DeviceContact, now: datetime) -> str:
    """'Sam Patel's laptop (3f2a9c1e) last synced 3 working days ago', and when it was
    cut off: '...; revoked 3 Dec by Pat Smith'."""
    line = f"{device.label} {contact_words(device.last_contact, now)}"
    if device.revoked_at is None:
        return line
    by = f" by {device.revoked_by}" if device.revoked_by else ""
    return f"{line}; revoked {describe_date(to_local(device.revoked_at).date())}{by}"


def revoke_reason(reason: str | None) -> str:
    """REASON for cutting a laptop off (or letting it back), as kept: its spacing made
    even; raises ValueError when it is longer than the audit keeps."""
    text = " ".join((reason or "").split())
    if len(text) > MAX_REVOKE_REASON:
        raise ValueError(
            f"The reason is too long ({len(text)} characters; at most {MAX_REVOKE_REASON})."
        )
    return text


def revoke_reason_problem(reason: str) -> str | None:
    """What is wrong with REASON for cutting a laptop off where one must be given, or None."""
    try:
        text = revoke_reason(reason)
    except ValueError as error:
        return str(error)
    if not text:
        return (
            "Say why the laptop is cut off (lost, stolen, left the service): it goes in "
            "the audit log."
        )
    return None


def devices_summary(devices: Sequence[DeviceContact], now: datetime, *, central: bool) -> str:
    """One line on how current the view is: which laptops have not synced lately."""
    if not central:
        mine = devices[0] if devices else None
        if mine is None or mine.last_contact is None:
            return "This laptop has never synced: only what was recorded on it is shown"
        return f"{device_line(mine, now)}: anything changed elsewhere since is not shown"
    if not devices:
        return "No laptop in your teams has synced yet: nothing has reached the central store"
    behind = [device for device in devices if is_behind(device, now)]
    if not behind:
        if len(devices) == 1:
            return device_line(devices[0], now)
        return f"All {len(devices)} laptops synced on this or the last working day"
    oldest = min(behind, key=lambda d: (d.last_contact is not None, d.last_contact or now))
    first = device_line(oldest, now)
    if len(behind) == 1:
        return first
    return f"{len(behind)} of {plural(len(devices), 'laptop')} behind; {first}"
