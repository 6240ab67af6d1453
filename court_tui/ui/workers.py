"""Posting a thread worker's result, unless the worker was cancelled meanwhile."""

from __future__ import annotations

from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import get_current_worker


def post_from_worker(node: MessagePump, *messages: Message) -> None:
    """Post MESSAGES to NODE from the thread worker running now, unless it was cancelled:
    a newer worker of its group replaced it, or its screen closed, so what it found is
    stale and must not overwrite what the newer one shows."""
    if get_current_worker().is_cancelled:
        return
    for message in messages:
        node.post_message(message)
