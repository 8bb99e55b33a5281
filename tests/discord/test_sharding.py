"""Discord sharding: the shards a process runs come from YOUSAID_DISCORD_SHARD_*."""

import asyncio

import pytest
from pydantic import SecretStr, ValidationError

from bots.discord.client import run_discord
from bots.discord.settings import DiscordSettings
from bots.web_server import WebServer
from bots.wiring import open_core
from core.config import Settings
from tests.discord.fake_discord import TOKEN


async def test_a_process_runs_only_its_own_shards(fake, tmp_path, monkeypatch):
    monkeypatch.setenv("YOUSAID_DISCORD_SHARD_COUNT", "4")
    monkeypatch.setenv("YOUSAID_DISCORD_SHARD_IDS", "1, 3")
    url = f"sqlite+aiosqlite:///{tmp_path}/d.db"
    async with open_core(url) as core:
        server = WebServer(core)
        settings = Settings(database_url=url, discord_token=SecretStr(TOKEN))
        task = asyncio.create_task(run_discord(core, settings, server))
        try:
            await fake.wait_for(lambda: len(fake.shards) == 2, 60)
            assert fake.shards == [[1, 4], [3, 4]]
            await asyncio.wait_for(_until(lambda: server._connected == {"discord": True}), 30)
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)


async def test_without_shard_settings_discord_recommends_the_count(discord_bot):
    assert discord_bot.fake.shards == [[0, 1]]


async def _until(predicate):
    while not predicate():  # noqa: ASYNC110 - waits on the client's own callbacks
        await asyncio.sleep(0.05)


@pytest.mark.parametrize(
    ("count", "ids", "message"),
    [
        ("", "0,1", "needs YOUSAID_DISCORD_SHARD_COUNT too"),
        ("2", "0,2", "shard numbers go from 0 to 1"),
        ("2", "one", "should be shard numbers like 0,1"),
    ],
)
def test_shard_settings_are_checked(monkeypatch, count, ids, message):
    if count:
        monkeypatch.setenv("YOUSAID_DISCORD_SHARD_COUNT", count)
    monkeypatch.setenv("YOUSAID_DISCORD_SHARD_IDS", ids)
    with pytest.raises(ValidationError, match=message):
        DiscordSettings()
