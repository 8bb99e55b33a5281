"""Starting the Discord bot: token checks, command sync, intents, and both adapters at once."""

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr

from bots.discord.client import BAD_TOKEN, run_discord
from bots.discord.errors import DiscordStartError
from bots.wiring import open_core
from core.config import Settings
from tests.discord.conftest import RunningDiscordBot
from tests.discord.fake_discord import GUILD_ID, TOKEN, FakeDiscord
from tests.telegram.fake_bot_api import TOKEN as TELEGRAM_TOKEN
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.people import Member

YOUSAID = str(Path(sys.executable).with_name("yousaid"))
GUILDS_INTENT = 1


async def test_run_discord_with_a_wrong_token_raises_one_line(fake, tmp_path):
    async with open_core(f"sqlite+aiosqlite:///{tmp_path}/d.db") as core:
        settings = Settings(discord_token=SecretStr("wrong.token.value"))
        with pytest.raises(DiscordStartError) as raised:
            await run_discord(core, settings)
    assert str(raised.value) == BAD_TOKEN
    assert fake.identifies == 0, "never connected to the gateway"


async def test_commands_sync_to_the_development_server_and_no_privileged_intents(
    fake, tmp_path, monkeypatch
):
    monkeypatch.setenv("YOUSAID_DISCORD_DEV_GUILD_ID", GUILD_ID)
    running = RunningDiscordBot(fake, f"sqlite+aiosqlite:///{tmp_path}/d.db")
    try:
        await running.start(synced_scope=GUILD_ID)
        names = {command["name"] for command in fake.synced[GUILD_ID]}
        assert {"start", "consult", "pause", "resume", "poll", "invite", "mydata"} <= names
        assert "global" not in fake.synced
        assert fake.intents == GUILDS_INTENT, "guilds only: no message content, no members"
    finally:
        await running.stop()


def _environment(**extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("YOUSAID_")}
    return {**clean, "YOUSAID_HTTP_LISTEN": "127.0.0.1:0", **extra}


async def test_yousaid_run_with_a_wrong_discord_token_exits_with_one_line(fake, tmp_path):
    process = await asyncio.create_subprocess_exec(
        YOUSAID,
        "run",
        cwd=tmp_path,
        env=_environment(
            YOUSAID_DISCORD_TOKEN="wrong.secret.token",
            YOUSAID_DISCORD_API_BASE=fake.rest_base,
            YOUSAID_DISCORD_GATEWAY_URL=fake.gateway_url,
            YOUSAID_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/y.db",
        ),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 2
    assert stderr.decode().strip().splitlines()[-1] == BAD_TOKEN
    assert "wrong.secret.token" not in stderr.decode()


async def test_yousaid_run_serves_telegram_and_discord_side_by_side_on_one_database(
    fake: FakeDiscord, tmp_path, database_url
):
    telegram = FakeBotApi()
    await telegram.start()
    process = await asyncio.create_subprocess_exec(
        YOUSAID,
        "run",
        cwd=tmp_path,
        env=_environment(
            YOUSAID_TELEGRAM_TOKEN=TELEGRAM_TOKEN,
            YOUSAID_TELEGRAM_API_BASE=telegram.url,
            YOUSAID_DISCORD_TOKEN=TOKEN,
            YOUSAID_DISCORD_API_BASE=fake.rest_base,
            YOUSAID_DISCORD_GATEWAY_URL=fake.gateway_url,
            YOUSAID_DATABASE_URL=database_url,
        ),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await telegram.wait_for(lambda: "getUpdates" in [c for c, _ in telegram.calls], 60)
        await fake.wait_for(lambda: fake.identifies == 1 and "global" in fake.synced, 60)
        await fake.wait_for(lambda: len(fake._sent_events) >= 2, 30)
        on_telegram = await Member(telegram, 801).onboard()
        on_discord = await RunningDiscordBot(fake, database_url).member("802").onboard()
        assert "Here's what you can have your say on" in on_telegram.text
        assert "Here's what you can have your say on" in on_discord.content
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 60)
        await telegram.stop()
    assert process.returncode == 0, stderr.decode()[-2000:]
    assert TOKEN not in stderr.decode() and TELEGRAM_TOKEN not in stderr.decode()
    async with open_core(database_url) as core, core._uow_factory() as uow:
        people = [
            await uow.participants.find_by_identity(platform, user)
            for platform, user in (("telegram", "801"), ("discord", "802"))
        ]
    assert all(person is not None and person.onboarded for person in people)
