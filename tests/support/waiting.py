"""Waits on conditions, never on time: poll what the test needs until it holds, or fail
within a bound saying what never happened."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # textual is imported only by the waits that drive an app
    from textual.pilot import Pilot

T = TypeVar("T")

TIMEOUT = 30.0  # far longer than any wait should take, even on a loaded machine
INTERVAL = 0.05

Describe = str | Callable[[], str]


def _said(what: Describe) -> str:
    return what if isinstance(what, str) else what()


def wait_until(
    condition: Callable[[], T],
    what: Describe,
    *,
    timeout: float = TIMEOUT,
    interval: float = INTERVAL,
) -> T:
    """Call CONDITION every INTERVAL seconds until it returns something true, and return
    that; after TIMEOUT seconds fail saying WHAT (or what WHAT() says) never happened."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(f"waited {timeout:g} s for {_said(what)}")
        time.sleep(interval)


async def app_until(
    pilot: Pilot[Any], condition: Callable[[], T], what: Describe, *, timeout: float = TIMEOUT
) -> T:
    """Let the app under PILOT run (a pause to idle each turn) until CONDITION returns
    something true, and return that; after TIMEOUT seconds fail saying WHAT."""
    deadline = time.monotonic() + timeout
    while True:
        await pilot.pause()
        result = condition()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(f"waited {timeout:g} s for {_said(what)}")


def palette_listed(app: Any) -> bool:
    """Whether APP's open command palette has searched for what was typed and lists a
    match (enter pressed before then picks nothing, or the match of a shorter search)."""
    from textual.command import Command, CommandList, CommandPalette

    palette = app.screen
    if not isinstance(palette, CommandPalette):
        return False
    if not all(worker.is_finished for worker in app.workers):
        return False  # still searching
    options = palette.query_one(CommandList)
    return any(
        isinstance(options.get_option_at_index(i), Command) for i in range(options.option_count)
    )


async def palette_lists(pilot: Pilot[Any]) -> None:
    """Wait until the open command palette lists a match for what was typed."""
    app = pilot.app

    def shown() -> str:
        return f"the command palette to list a match (the screen is {app.screen!r})"

    await app_until(pilot, lambda: palette_listed(app), shown)
