"""Replies to each chat in order, without one chat's backlog holding up everyone else.

Polling confirms a batch of updates only when the batch is done, and Telegram hands out the
next updates only after that. A chat may get one message a second (after a short burst), so a
person who sends ten messages at once would hold the whole batch, and everyone in the batches
behind it, for seconds. Such a chat's replies go out in the background instead: the update
still counts as handled only once the core has stored its effects, and the replies follow in
order at the chat's own pace.

This keeps what a crash can lose unchanged: an update whose effects are stored is never handled
a second time (its delivery key is kept with them), so its replies, if not yet sent when the
process dies, were lost before this too.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

BURST = 3
"""Messages a private chat may get at once before its limit of one a second applies."""

Item = TypeVar("Item")


class ChatBacklogs(Generic[Item]):
    """Sends each chat's replies in order; busy chats send theirs in the background."""

    def __init__(self, send: Callable[[Item], Awaitable[None]]) -> None:
        self._send = send
        self._busy: set[int] = set()
        self._waiting: dict[int, deque[Item]] = {}
        self._tasks: dict[int, asyncio.Task[None]] = {}

    def batch(self, updates_per_chat: Iterable[tuple[int, int]]) -> None:
        """Mark the chats with more updates in this batch than their limit lets out at once."""
        self._busy = {chat for chat, count in updates_per_chat if count > BURST}

    async def deliver(self, chat_id: int, item: Item) -> None:
        """Send now and wait; or, for a busy chat or one still sending, queue behind it."""
        if chat_id not in self._busy and chat_id not in self._tasks:
            await self._send(item)
            return
        self._waiting.setdefault(chat_id, deque()).append(item)
        if chat_id not in self._tasks:
            self._tasks[chat_id] = asyncio.create_task(self._drain(chat_id))

    def sending(self) -> int:
        """How many chats are sending in the background."""
        return len(self._tasks)

    async def close(self) -> None:
        """Stop background sending (at shutdown)."""
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _drain(self, chat_id: int) -> None:
        waiting = self._waiting[chat_id]
        try:
            while waiting:
                try:
                    await self._send(waiting.popleft())
                except Exception:
                    log.exception("sending queued replies failed")
        finally:
            del self._tasks[chat_id]
            del self._waiting[chat_id]
