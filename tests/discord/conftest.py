import asyncio
import contextlib

import pytest
from pydantic import SecretStr

from bots.discord.client import run_discord
from bots.wiring import open_core
from core.config import Settings
from tests.discord.fake_discord import TOKEN, FakeDiscord
from tests.discord.people import DiscordMember


@pytest.fixture
async def fake(monkeypatch):
    server = FakeDiscord()
    await server.start()
    monkeypatch.setenv("YOUSAID_DISCORD_API_BASE", server.rest_base)
    monkeypatch.setenv("YOUSAID_DISCORD_GATEWAY_URL", server.gateway_url)
    yield server
    await server.stop()


class RunningDiscordBot:
    def __init__(self, fake: FakeDiscord, database_url: str, clock=None):
        self.fake = fake
        self.database_url = database_url
        self.clock = clock
        self.posters = {}
        """Where the running bot puts its way of posting in channels, as the runner's are."""
        self.core = None
        self._context = None
        self.task = None

    async def start(self, token: str = TOKEN, synced_scope: str = "global"):
        self._context = open_core(self.database_url, clock=self.clock)
        self.core = await self._context.__aenter__()
        settings = Settings(database_url=self.database_url, discord_token=SecretStr(token))
        self.task = asyncio.create_task(run_discord(self.core, settings, posters=self.posters))
        identified = self.fake.identifies
        await self.fake.wait_for(
            lambda: self.fake.identifies > identified and synced_scope in self.fake.synced, 30
        )
        await self.fake.wait_for(lambda: len(self.fake._sent_events) >= 2, 30)
        return self

    async def stop(self):
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
        if self._context is not None:
            await self._context.__aexit__(None, None, None)
            self._context = None

    def member(self, user_id: str) -> DiscordMember:
        return DiscordMember(self.fake, user_id)


@pytest.fixture
async def discord_bot(fake, tmp_path):
    running = await RunningDiscordBot(fake, f"sqlite+aiosqlite:///{tmp_path}/d.db").start()
    yield running
    await running.stop()


@pytest.fixture
async def discord_bot_on_each_database(fake, migrated_database_url):
    running = await RunningDiscordBot(fake, migrated_database_url).start()
    yield running
    await running.stop()
