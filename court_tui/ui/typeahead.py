"""Keys typed ahead reach the field the officer meant, however fast they come.

Textual hands each key to the widget focused when the app reads the key, while the keys
read before it may still be on their way: a tab not yet moved on, a choice not yet showing
the questions it reveals. So the rest of a burst lands in the field being left, or the tab
skips the questions just revealed. Here each key waits until everything the key before it
set going has been handled (its messages, and the loads the officer waits for), then goes
on as Textual would send it.

A character typed into the text box that took the key before it goes straight in: keys
reach a widget's queue in the order they came, and text typed into a box moves no focus
(a question it reveals is shown, not focused), so the box is where it was meant to go,
whatever the key before it set going. Every other key (a tab, enter, an arrow, a character
in a choice, a key while others are held) still waits for everything before it, so a tab
after an answer that shows more questions goes to the first of them.

And Textual orders the tab chain by where each widget was last drawn, so a question shown
a moment ago, not drawn yet, sorts first and a tab straight after the answer that reveals
it skips it. Screens of questions order the chain as the page is written instead.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Collection
from typing import Any, ClassVar

from textual.app import App
from textual.events import Event, Key
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, TextArea

# A key is held at most this long for the one before it: a handler stuck on something
# slow must not swallow the keyboard.
KEY_WAIT_SECONDS = 5.0
# Turns of the event loop with nothing queued anywhere before the app counts as settled.
QUIET_TURNS = 3


def _pumps(app: App[Any]) -> list[MessagePump]:
    """The app, the screens in its stack and every widget on them: a plain walk of the
    children (Textual's own walk costs more than the rest of a key's handling here)."""
    pumps: list[MessagePump] = [app]
    nodes: list[Widget] = list(app.screen_stack)
    while nodes:
        node = nodes.pop()
        pumps.append(node)
        nodes.extend(node.children)
    return pumps


async def _each_caught_up(pumps: list[MessagePump]) -> None:
    """Until each of PUMPS has handled what it held when called (the one in hand too)."""
    left = 0
    done = asyncio.Event()

    def one_more() -> None:
        nonlocal left
        left -= 1
        if not left:
            done.set()

    for pump in pumps:
        if pump.call_later(one_more):
            left += 1
    if left:
        await done.wait()


async def until_handled(app: App[Any], worker_groups: Collection[str], limit: float) -> None:
    """Wait until APP has handled every message posted so far, and the messages those
    posted, and no worker of WORKER_GROUPS runs; at most LIMIT seconds."""

    async def settle() -> None:
        quiet_turns = 0
        pumps: list[MessagePump] = []
        stack: list[Screen[Any]] = []
        while quiet_turns < QUIET_TURNS:
            if not pumps or app.screen_stack != stack:
                # Walked again after any turn in which something was handled, as a handler
                # may have mounted widgets; a quiet turn leaves the widgets as they were.
                stack = app.screen_stack
                pumps = _pumps(app)
            queued = [pump for pump in pumps if pump.message_queue_size]
            running = [w for w in app.workers if w.group in worker_groups and not w.is_finished]
            if queued:
                await _each_caught_up(queued)
            if running:
                await asyncio.gather(*(w.wait() for w in running), return_exceptions=True)
            if queued or running:
                quiet_turns = 0
                pumps = []
            else:
                # A handler part-way through an await has nothing queued: give it turns
                # of the loop to post what it will.
                quiet_turns += 1
                await asyncio.sleep(0)

    started = time.monotonic()
    try:
        await asyncio.wait_for(settle(), limit)
    except TimeoutError:
        app.log.warning(f"keys held {time.monotonic() - started:.1f} s: sent on")
    except Exception as error:  # noqa: BLE001 - a key is never kept back for a fault here
        app.log.error(f"keys sent on without waiting: {error!r}")


class KeysInOrderApp(App[None]):
    """An app whose keys each wait for the one before to have had its effect."""

    # Workers the officer waits for before typing on, such as opening a case.
    KEYS_WAIT_FOR_WORKERS: ClassVar[frozenset[str]] = frozenset()

    def __init__(self) -> None:
        super().__init__()
        self._held_keys: deque[Key] = deque()
        self._released_keys: list[Key] = []
        self._key_feed: asyncio.Task[None] | None = None
        # The text box the last key sent on typed into (None when it was any other key).
        self._typing_into: Widget | None = None
        self.keys_taken = 0

    @property
    def keys_waiting(self) -> bool:
        """Whether keys are held for the ones before them."""
        return bool(self._held_keys) or self._key_feed is not None

    async def on_event(self, event: Event) -> None:
        if isinstance(event, Key) and not event.is_forwarded:
            released = next((k for k in self._released_keys if k is event), None)
            if released is None:
                if self._types_on(event):
                    self.keys_taken += 1
                else:
                    self._typing_into = None
                    self._held_keys.append(event)
                    if self._key_feed is None:
                        self._key_feed = asyncio.create_task(self._release_keys())
                    return
            else:
                self._released_keys.remove(released)
                self._typing_into = self._text_box_for(event)
        await super().on_event(event)

    def _text_box_for(self, key: Key) -> Widget | None:
        """The text box KEY types a character into, sent on now (None for any other key)."""
        focused = self.focused
        if not key.is_printable:
            return None
        if isinstance(focused, Input) or (isinstance(focused, TextArea) and not focused.read_only):
            return focused
        return None

    def _types_on(self, key: Key) -> bool:
        """Whether KEY may go straight on: nothing is held, the key before it typed into
        the text box that has the focus, KEY types into it too, and no load the officer
        waits for is running."""
        if self._held_keys or self._key_feed is not None or self._typing_into is None:
            return False
        if self._text_box_for(key) is not self._typing_into:
            return False
        groups = self.KEYS_WAIT_FOR_WORKERS
        return not any(w.group in groups and not w.is_finished for w in self.workers)

    def take_key_again(self, key: Key) -> None:
        """Take KEY again before every key held now, once what came before has had its
        effect: a widget that moved the focus for a key passes the key on this way."""
        self._held_keys.appendleft(Key(key.key, key.character))
        if self._key_feed is None:
            self._key_feed = asyncio.create_task(self._release_keys())

    async def _release_keys(self) -> None:
        try:
            while self._held_keys:
                await until_handled(self, self.KEYS_WAIT_FOR_WORKERS, KEY_WAIT_SECONDS)
                key = self._held_keys.popleft()
                self._released_keys.append(key)
                self.keys_taken += 1
                if not self.post_message(key):
                    return
        finally:
            self._key_feed = None


class PageOrderFocus(Screen[None]):
    """A screen whose tab order is the order its widgets are written in, drawn or not."""

    @property
    def focus_chain(self) -> list[Widget]:
        order = {widget: index for index, widget in enumerate(self.walk_children())}
        return sorted(super().focus_chain, key=lambda widget: order.get(widget, len(order)))
