import asyncio
import contextlib

import pytest
from pydantic import SecretStr

from bots.telegram.app import run_telegram
from bots.wiring import open_core
from core.config import Settings
from tests.telegram.fake_bot_api import TOKEN, FakeBotApi, serving
from tests.telegram.people import Member


@pytest.fixture
async def api():
    async with serving() as server:
        yield server


class RunningBot:
    """The real Application, polling the fake server, on a real database."""

    def __init__(self, api: FakeBotApi, database_url: str, clock=None):
        self.api = api
        self.database_url = database_url
        self.clock = clock
        self.posters = {}
        """Where the running bot puts its way of posting in groups, as the runner's are."""
        self.task: asyncio.Task | None = None
        self.core = None
        self._core_context = None

    async def start(self):
        self._core_context = open_core(self.database_url, clock=self.clock)
        self.core = await self._core_context.__aenter__()
        settings = Settings(database_url=self.database_url, telegram_token=SecretStr(TOKEN))
        self.task = asyncio.create_task(
            run_telegram(self.core, settings, base_url=self.api.url, posters=self.posters)
        )
        await self.api.wait_for(lambda: "getUpdates" in [c for c, _ in self.api.calls])
        return self

    async def stop(self):
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
            self.task = None
        if self._core_context is not None:
            await self._core_context.__aexit__(None, None, None)
            self._core_context = None

    async def restart(self):
        await self.stop()
        await self.start()

    def member(self, user_id: int) -> Member:
        return Member(self.api, user_id)


@pytest.fixture
async def bot(api, tmp_path):
    running = await RunningBot(api, f"sqlite+aiosqlite:///{tmp_path}/bot.db").start()
    yield running
    await running.stop()


@pytest.fixture
async def bot_on_each_database(api, migrated_database_url):
    running = await RunningBot(api, migrated_database_url).start()
    yield running
    await running.stop()
