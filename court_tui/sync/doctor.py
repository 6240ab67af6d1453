"""What stands in the way of a laptop's sync, in words: changes the central store
refused (and what waits behind each), cases from it set aside as unreadable, and whether
it has cut this laptop off. Shown by `court-tui sync --status` and by `court-tui doctor`."""

from __future__ import annotations

from datetime import datetime

from court_tui.domain.dates import describe_moment
from court_tui.store import Store
from court_tui.sync.errors import KEPT_FOR_EXPORT, DeviceRevoked
from court_tui.sync.local import STATE_LAST_ERROR, STATE_LAST_SYNCED, LocalSync
from court_tui.sync.local_revoked import RevokedState
from court_tui.sync.local_schema import current_revision


def sync_problem_lines(local: LocalSync) -> list[str]:
    """Each refused change with its reason and what waits behind it, then each set-aside
    case; nothing when there is nothing in the way."""
    lines = []
    for case_id, rows in local.waiting_behind().items():
        refused = next(row for row in rows if row.outcome == "rejected")
        behind = [row for row in rows if row.seq != refused.seq]
        line = f"Not accepted: case {case_id} (change {refused.seq}): {refused.reason}"
        if behind:
            seqs = ", ".join(str(row.seq) for row in behind)
            line += f" Waiting behind it: {len(behind)} later change(s) ({seqs})."
        lines.append(line)
        lines.append(
            "  Correct the case and save it again (the new save takes its place), or "
            f"withdraw it: court-tui sync --withdraw {case_id}"
        )
    for aside in local.set_aside_cases():
        lines.append(
            f"Set aside: case {aside.case_id} (revision {aside.revision}) from the central "
            f"store: {aside.reason}. The rest of the sync goes on without it."
        )
    return lines


def _synced_before(store: Store) -> bool:
    with store.repository.engine.connect() as conn:
        return current_revision(conn) is not None


def revoked_device(store: Store) -> DeviceRevoked | None:
    """The central store's refusal of this laptop as last told, None when it has not cut
    it off (or has let it back since)."""
    return RevokedState(store).revoked() if _synced_before(store) else None


def device_line(revoked: DeviceRevoked | None, last_synced: str | None) -> str:
    """'Device: revoked on ... by ...: REASON. ...', or 'Device: not revoked (as of ...)'."""
    if revoked is not None:
        return f"{revoked.cut_off_words('Device: revoked')} {KEPT_FOR_EXPORT}"
    try:
        synced = datetime.fromisoformat(last_synced) if last_synced else None
    except ValueError:
        synced = None
    if synced is None:
        return "Device: not revoked as far as this laptop knows (no sync has finished yet)."
    return f"Device: not revoked (as of the last sync, {describe_moment(synced)})."


def sync_doctor_lines(store: Store) -> list[str]:
    """The doctor's sync section: what is unsent, refused, set aside, and whether the
    central store has cut this laptop off."""
    if not _synced_before(store):
        return ["Sync: this laptop has not synced with a central store yet."]
    local = LocalSync(store)
    status = local.pending_count()
    lines = [f"Sync: {status} change(s) not yet sent to the central store."]
    earlier = [device for device in local.pending_devices() if device != local.device_id]
    if earlier:
        lines.append(
            f"Sync: changes made under {len(earlier)} earlier device id(s) of this store "
            "(before a restore) are still to be sent; the next sync sends them first."
        )
    revoked = RevokedState(store).revoked()
    lines.append(device_line(revoked, local.state(STATE_LAST_SYNCED)))
    last_error = local.state(STATE_LAST_ERROR)
    if last_error and revoked is None:
        lines.append(f"Sync: the last sync did not finish: {last_error}")
    problems = sync_problem_lines(local)
    if problems:
        lines += problems
    else:
        lines.append("Sync: no refused changes, no cases set aside.")
    return lines
