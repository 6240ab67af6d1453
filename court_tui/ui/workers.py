"""Posting a thread worker's result (or its failure), unless the worker was cancelled."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import get_current_worker

T = TypeVar("T")


def post_from_worker(node: MessagePump, *messages: Message) -> None:
    """Post MESSAGES to NODE from the thread worker running now, unless it was cancelled:
    a newer worker of its group replaced it, or its screen closed, so what it found is
    stale and must not overwrite what the newer one shows."""
    if get_current_worker().is_cancelled:
        return
    for message in messages:
        node.post_message(message)


def post_outcome(
    node: MessagePump,
    call: Callable[[], T],
    answer: Callable[[T], Message],
    failed: Callable[[str], Message],
    errors: tuple[type[Exception], ...],
) -> None:
    """From a thread worker: make CALL, and post to NODE the ANSWER to what it returns,
    or FAILED with the words of one of ERRORS (errors for the person at the keyboard)."""
    try:
        result = call()
    except errors as error:
        post_from_worker(node, failed(str(error)))
        return
    post_from_worker(node, answer(result))
