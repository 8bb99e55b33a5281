"""A cap on direct-message channels opened per second, on top of discord.py's own limits."""

from __future__ import annotations

import asyncio
import time


class DmLimiter:
    """Lets at most ``per_second`` DMs be opened each second, in arrival order."""

    def __init__(self, per_second: float) -> None:
        self._interval = 1.0 / per_second
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        """Return when one more DM may be opened."""
        async with self._lock:
            now = time.monotonic()
            delay = self._next - now
            self._next = max(now, self._next) + self._interval
        if delay > 0:
            await asyncio.sleep(delay)
