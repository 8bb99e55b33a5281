"""Running the chat adapters side by side in one process, on one database."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Coroutine, Mapping
from typing import Any

from bots.errors import AdapterStartError
from bots.metrics import CountingObserver
from bots.scheduler import Every, run_scheduler
from bots.web_server import WebServer
from bots.wiring import open_core
from core.config import Settings, host_and_port
from core.messages import Platform
from core.ports import ChatPoster
from core.service import (
    BALLOT_CHECK_EVERY,
    CHASE_CHECK_EVERY,
    DIGEST_CHECK_EVERY,
    PROGRESS_CHECK_EVERY,
    REMINDER_CHECK_EVERY,
    RESEND_CHECK_EVERY,
    RETENTION_CHECK_EVERY,
    YouSaid,
)

log = logging.getLogger(__name__)


async def run_adapters(settings: Settings) -> None:
    """Run every adapter that has a token, until stopped by SIGINT or SIGTERM.

    The web server (``/healthz``, ``/metrics``, webhooks) listens on ``YOUSAID_HTTP_LISTEN``.
    Raises AdapterStartError (one line for the operator) when an adapter cannot start.
    """
    async with open_core(settings.database_url, observer=CountingObserver()) as core:
        server = WebServer(core)
        await _listen(server, settings.http_listen)
        posters: dict[Platform, ChatPoster] = {}  # each adapter adds its own once it runs
        jobs: list[Coroutine[Any, Any, None]] = [
            run_scheduler(settings.database_url, scheduled_work(core, posters))
        ]
        if settings.telegram_token is not None:
            from bots.telegram.app import run_telegram

            jobs.append(run_telegram(core, settings, server=server, posters=posters))
        if settings.discord_token is not None:
            from bots.discord.client import run_discord

            jobs.append(run_discord(core, settings, server, posters))
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
            await server.close()


async def _listen(server: WebServer, listen: str) -> None:
    try:
        await server.listen(*host_and_port(listen))
    except OSError as error:
        message = f"Cannot listen on YOUSAID_HTTP_LISTEN={listen}: {error.strerror}"
        raise AdapterStartError(message) from None


def scheduled_work(
    core: YouSaid, posters: Mapping[Platform, ChatPoster] | None = None
) -> list[Every]:
    """The recurring jobs of a running bot; ballot and poll results go through ``posters``."""
    to_chats = posters if posters is not None else {}
    return [
        Every(
            "announce_ballots",
            BALLOT_CHECK_EVERY.total_seconds(),
            lambda: core.announce_ballots(to_chats),
        ),
        Every(
            "announce_polls",
            BALLOT_CHECK_EVERY.total_seconds(),
            lambda: core.announce_polls(to_chats),
        ),
        Every("forget_old_delivery_keys", 3600, core.forget_old_deliveries),
        Every(
            "send_pause_reminders",
            REMINDER_CHECK_EVERY.total_seconds(),
            core.send_pause_reminders,
        ),
        Every(
            "send_progress_updates",
            PROGRESS_CHECK_EVERY.total_seconds(),
            core.send_progress_updates,
        ),
        Every("send_weekly_digests", DIGEST_CHECK_EVERY.total_seconds(), core.send_weekly_digests),
        Every("chase_red_cards", CHASE_CHECK_EVERY.total_seconds(), core.chase_red_cards),
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
