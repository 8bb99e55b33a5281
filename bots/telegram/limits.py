"""Telegram's sending limits, built in: nobody waits behind another chat's backlog.

About 30 messages a second in all, 1 a second per private chat (short bursts allowed), and 20 a
minute per group. The overall limit is kept as Telegram counts it, messages in any one second,
whatever the network does: a message holds its place from the moment it is sent until a second
after its answer came back, since Telegram counted it somewhere in between. A slow moment is
caught up afterwards; the cost is the round trip, so 30 gives about 30 / (1 s + round trip).
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field


@dataclass
class _Bucket:
    """A token bucket: ``capacity`` sends at once, refilled at ``rate`` per second."""

    capacity: float
    rate: float
    tokens: float = -1.0
    stamp: float = field(default_factory=time.monotonic)

    def wait_time(self, now: float) -> float:
        if self.tokens < 0:
            self.tokens = self.capacity
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self) -> None:
        self.tokens -= 1


FULL = 0.02
"""Seconds between looks for a free place while every place is held by a message on its way."""


class _Window:
    """At most ``count`` messages in any ``span`` seconds, as the receiving end counts them."""

    def __init__(self, count: int, span: float) -> None:
        self._count = count
        self._span = span
        self._on_the_way = 0
        self._answered: deque[float] = deque()

    def wait_time(self, now: float) -> float:
        while self._answered and now - self._answered[0] >= self._span:
            self._answered.popleft()
        if self._on_the_way + len(self._answered) < self._count:
            return 0.0
        if not self._answered:
            return FULL
        return self._answered[0] + self._span - now

    def send(self) -> None:
        self._on_the_way += 1

    def answered(self, now: float) -> None:
        self._on_the_way -= 1
        self._answered.append(now)


class SendLimits:
    """Waits until one more message may go to a chat without breaking Telegram's limits."""

    def __init__(
        self, per_second: float = 30, private_per_second: float = 1, group_per_minute: float = 20
    ) -> None:
        count = max(1, int(per_second))
        self._overall = _Window(count, count / per_second)
        self._private_rate = private_per_second
        self._group_rate = group_per_minute / 60
        self._group_capacity = group_per_minute
        self._chats: dict[int, _Bucket] = {}
        self._lock = asyncio.Lock()
        self._chat_locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)

    @asynccontextmanager
    async def sending(self, chat_id: int) -> AsyncIterator[None]:
        """Wait until a message to ``chat_id`` may be sent now; send it inside, answer and all."""
        await self._wait(chat_id)
        try:
            yield
        finally:
            self._overall.answered(time.monotonic())

    async def _wait(self, chat_id: int) -> None:
        async with self._chat_locks[chat_id]:
            chat = self._chats.get(chat_id)
            if chat is None:
                chat = self._new_bucket(chat_id)
                self._chats[chat_id] = chat
            await _ready(chat)
            async with self._lock:
                while (delay := self._overall.wait_time(time.monotonic())) > 0:  # noqa: ASYNC110
                    await asyncio.sleep(delay)
                self._overall.send()
            chat.take()
        if len(self._chats) > 10_000:
            self._forget_idle()

    def _new_bucket(self, chat_id: int) -> _Bucket:
        if chat_id > 0:
            return _Bucket(max(1.0, self._private_rate * 3), self._private_rate)
        return _Bucket(self._group_capacity, self._group_rate)

    def _forget_idle(self) -> None:
        now = time.monotonic()
        for chat_id, bucket in list(self._chats.items()):
            if now - bucket.stamp > 60 and not self._chat_locks[chat_id].locked():
                del self._chats[chat_id]
                self._chat_locks.pop(chat_id, None)


async def _ready(bucket: _Bucket) -> None:
    """Sleep until the bucket holds a whole token."""
    delay = bucket.wait_time(time.monotonic())
    if delay > 0:
        await asyncio.sleep(delay)
        bucket.wait_time(time.monotonic())
