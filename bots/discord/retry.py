"""Trying a Discord call again after a server error, a rate limit or a network fault.

discord.py already waits out rate limits and retries some server errors, a few times within
one call. When it gives up, the reply is tried again here with growing pauses, so a brief
outage delays a reply instead of losing it. Refusals (403, 404) are never tried again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

import discord

log = logging.getLogger(__name__)

T = TypeVar("T")

PAUSES = (0.5, 1.0, 2.0, 4.0)
"""Seconds to wait before each new try; after the last, the error is raised."""


def _worth_retrying(error: BaseException) -> bool:
    if isinstance(error, discord.HTTPException):
        return error.status == 429 or error.status >= 500
    return isinstance(error, OSError | TimeoutError)


async def with_retries(call: Callable[[], Awaitable[T]]) -> T:
    """Run ``call``, trying again after errors that may pass."""
    for pause in PAUSES:
        try:
            return await call()
        except (discord.HTTPException, OSError, TimeoutError) as error:
            if not _worth_retrying(error):
                raise
            status = getattr(error, "status", type(error).__name__)
            log.warning("Discord call failed (%s); trying again in %.1f s", status, pause)
            await asyncio.sleep(pause)
    return await call()
