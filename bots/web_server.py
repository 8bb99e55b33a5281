"""The bot's small web server: ``/healthz``, ``/metrics`` and the Telegram webhook.

It listens on ``YOUSAID_HTTP_LISTEN`` (127.0.0.1:8080 by default) in every mode; in Telegram
webhook mode it also listens on ``YOUSAID_TELEGRAM_LISTEN``, where the load balancer sends
Telegram's requests. Every address serves every route.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from bots.metrics import CONTENT_TYPE, exposition
from core.service import YouSaid

log = logging.getLogger(__name__)

DATABASE_TIMEOUT = 3.0
"""Seconds ``/healthz`` waits for the database before saying it is unreachable."""

Receive = Callable[[web.Request], Awaitable[web.StreamResponse]]


class WebServer:
    """Health, metrics and webhooks for one running bot."""

    def __init__(self, core: YouSaid) -> None:
        self._core = core
        self._connected: dict[str, bool] = {}
        self._webhooks: dict[str, Receive] = {}
        self._listening: set[tuple[str, int]] = set()
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        app.router.add_post("/{path:.*}", self._webhook)
        self._runner = web.AppRunner(app, access_log=None)

    def expect(self, adapter: str) -> None:
        """An adapter that must be connected for the bot to be healthy (not connected yet)."""
        self._connected.setdefault(adapter, False)

    def report(self, adapter: str, connected: bool) -> None:
        """An adapter says whether it is connected to its platform now."""
        self._connected[adapter] = connected

    def add_webhook(self, path: str, receive: Receive) -> None:
        """Take POST requests to ``path`` with ``receive``."""
        self._webhooks[path] = receive

    async def listen(self, host: str, port: int) -> None:
        """Serve on one more address (nothing happens if it already serves there)."""
        if (host, port) in self._listening:
            return
        if not self._listening:
            await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        self._listening.add((host, port))
        log.info("web server listening on %s:%d", host, port)

    async def close(self) -> None:
        """Stop serving."""
        if self._listening:
            await self._runner.cleanup()
            self._listening.clear()

    async def _healthz(self, request: web.Request) -> web.Response:
        database = "ok"
        try:
            await asyncio.wait_for(self._core.check_database(), DATABASE_TIMEOUT)
        except Exception as error:
            log.warning("health check: database unreachable (%s)", type(error).__name__)
            database = "unreachable"
        adapters = {
            name: "connected" if up else "not connected" for name, up in self._connected.items()
        }
        healthy = database == "ok" and all(self._connected.values())
        body = {"status": "ok" if healthy else "unhealthy", "database": database}
        return web.json_response({**body, "adapters": adapters}, status=200 if healthy else 503)

    async def _metrics(self, request: web.Request) -> web.Response:
        try:
            readings = await asyncio.wait_for(self._core.gauges(), DATABASE_TIMEOUT)
        except Exception as error:
            log.warning("metrics: could not read the database (%s)", type(error).__name__)
            return web.Response(status=503, text="database unreachable\n")
        return web.Response(body=exposition(readings), headers={"Content-Type": CONTENT_TYPE})

    async def _webhook(self, request: web.Request) -> web.StreamResponse:
        receive = self._webhooks.get(request.path)
        if receive is None:
            return web.Response(status=404, text="not found")
        return await receive(request)
