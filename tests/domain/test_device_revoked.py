"""A laptop cut off the central store, in the laptops view's words; the reason asked for."""

from __future__ import annotations

from datetime import UTC, datetime

from court_tui.domain.device_contact import (
    MAX_REVOKE_REASON,
    DeviceContact,
    device_line,
    devices_summary,
    is_behind,
    revoke_reason_problem,
)

NOW = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
LAST_WEEK = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


def test_a_revoked_laptop_says_when_and_by_whom_and_is_not_counted_as_behind() -> None:
    silent = DeviceContact("3f2a9c1e-0000", "Sam Patel", LAST_WEEK)
    revoked = DeviceContact(
        "3f2a9c1e-0000", "Sam Patel", LAST_WEEK, revoked_at=NOW, revoked_by="Pat Senior"
    )

    assert is_behind(silent, NOW) and not is_behind(revoked, NOW)
    assert device_line(revoked, NOW) == (
        "Sam Patel's laptop (3f2a9c1e) last synced 7 working days ago (Tuesday 24 November "
        "2026); revoked Thursday 3 December 2026 by Pat Senior"
    )
    assert devices_summary([revoked], NOW, central=True) == device_line(revoked, NOW)


def test_the_reason_is_needed_and_bounded() -> None:
    assert revoke_reason_problem("  ") is not None
    assert revoke_reason_problem("x" * (MAX_REVOKE_REASON + 1)) is not None
    assert revoke_reason_problem("lost on the train") is None
