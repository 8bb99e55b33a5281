"""Running the chat adapters side by side in one process, on one database."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Coroutine
from typing import Any

from bots.scheduler import Every, run_scheduler
from bots.wiring import open_core
from core.config import Settings
from core.service import RESEND_CHECK_EVERY, RETENTION_CHECK_EVERY, YouSaid

log = logging.getLogger(__name__)


async def run_adapters(settings: Settings) -> None:
    """Run every adapter that has a token, until stopped by SIGINT or SIGTERM.

    Raises AdapterStartError (one line for the operator) when an adapter cannot start.
    """
    async with open_core(settings.database_url) as core:
        jobs: list[Coroutine[Any, Any, None]] = [
            run_scheduler(settings.database_url, scheduled_work(core))
        ]
        if settings.telegram_token is not None:
            from bots.telegram.app import run_telegram

            jobs.append(run_telegram(core, settings))
        if settings.discord_token is not None:
            from bots.discord.client import run_discord

            jobs.append(run_discord(core, settings))
        tasks = [asyncio.create_task(job) for job in jobs]
        _stop_on_signals(tasks)
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
            for task in done:
                error = None if task.cancelled() else task.exception()
                if error is not None:
                    raise error
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)


def scheduled_work(core: YouSaid) -> list[Every]:
    """The recurring jobs of a running bot."""
    return [
        Every("forget_old_delivery_keys", 3600, core.forget_old_deliveries),
        Every(
            "resend_safeguarding_alerts",
            RESEND_CHECK_EVERY.total_seconds(),
            core.resend_unacknowledged_alerts,
        ),
        Every("forget_old_answers", RETENTION_CHECK_EVERY.total_seconds(), core.forget_old_answers),
    ]


def _stop_on_signals(tasks: list[asyncio.Task[None]]) -> None:
    loop = asyncio.get_running_loop()

    def stop() -> None:
        log.info("stopping")
        for task in tasks:
            task.cancel()

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop)
