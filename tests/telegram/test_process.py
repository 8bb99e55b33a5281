"""The real ``yousaid run`` process against the fake Bot API: wrong token, kill -9, webhook."""

import asyncio
import logging
import os
import signal
import socket
import sys
from pathlib import Path

import aiohttp
import pytest
from pydantic import SecretStr

from bots.telegram.app import BAD_TOKEN, run_telegram
from bots.telegram.errors import TelegramStartError
from bots.wiring import open_core
from core.config import Settings
from core.results import export_results
from tests.telegram.fake_bot_api import TOKEN
from tests.telegram.people import Member

YOUSAID = str(Path(sys.executable).with_name("yousaid"))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def start_process(api, tmp_path, database_url, token=TOKEN, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("YOUSAID_")}
    environment = {
        **clean,
        "YOUSAID_TELEGRAM_TOKEN": token,
        "YOUSAID_TELEGRAM_API_BASE": api.url,
        "YOUSAID_DATABASE_URL": database_url,
        "YOUSAID_HTTP_LISTEN": "127.0.0.1:0",
        **env,
    }
    return await asyncio.create_subprocess_exec(
        YOUSAID,
        "run",
        cwd=tmp_path,
        env=environment,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_a_wrong_token_stops_start_up_with_one_clear_line(api, tmp_path):
    process = await start_process(
        api, tmp_path, f"sqlite+aiosqlite:///{tmp_path}/y.db", token="999:wrong-secret"
    )
    _, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 2
    lines = stderr.decode().strip().splitlines()
    assert lines[-1] == BAD_TOKEN
    assert "wrong-secret" not in stderr.decode()


async def test_killed_mid_dialog_the_person_carries_on_where_they_were(api, tmp_path, database_url):
    process = await start_process(api, tmp_path, database_url)
    await api.wait_for(lambda: "getUpdates" in [c for c, _ in api.calls], 60)
    ella = Member(api, 601)
    await ella.onboard("ward_time")
    await ella.answer_current()
    await ella.answer_current()
    asked = ella.last.text
    assert "Question 3 of" in asked
    process.send_signal(signal.SIGKILL)
    await process.wait()

    process = await start_process(api, tmp_path, database_url)
    try:
        resumed = await ella.say("/resume")
        assert "Question 3 of" in resumed.text
        await ella.answer_all()
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert TOKEN not in stderr.decode()
    async with open_core(database_url) as core:
        rows = await export_results(core._uow_factory, "ward_time")
    assert [r.question_id for r in rows] == [
        "where",
        "ward_days",
        "feel",
        "helps",
        "matters",
        "change",
        "more",
    ]


@pytest.fixture
async def webhook_bot(api, tmp_path, monkeypatch):
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    monkeypatch.setenv("YOUSAID_TELEGRAM_WEBHOOK_URL", url)
    monkeypatch.setenv("YOUSAID_TELEGRAM_WEBHOOK_SECRET", "s3cret-value")
    monkeypatch.setenv("YOUSAID_TELEGRAM_LISTEN", f"127.0.0.1:{port}")
    async with open_core(f"sqlite+aiosqlite:///{tmp_path}/w.db") as core:
        settings = Settings(telegram_token=SecretStr(TOKEN))
        task = asyncio.create_task(run_telegram(core, settings, base_url=api.url))
        await api.wait_for(lambda: bool(api.webhook), 30)
        yield url
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


def start_update(update_id, user_id):
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": 1700000000,
            "chat": {"id": user_id, "type": "private", "first_name": "A"},
            "from": {"id": user_id, "is_bot": False, "first_name": "A"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


async def test_webhook_refuses_requests_without_the_secret_and_never_logs_them(
    api, webhook_bot, caplog
):
    assert api.webhook["secret_token"] == "s3cret-value"
    assert api.webhook["url"] == webhook_bot
    caplog.set_level(logging.INFO)
    body = start_update(1, 701)
    async with aiohttp.ClientSession() as http:
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "guess"}):
            async with http.post(webhook_bot, json=body, headers=headers) as response:
                assert response.status == 403
        assert api.messages[701] == []
        assert "/start" not in caplog.text and "701" not in caplog.text
        assert caplog.text.count("refused a webhook request") == 2
        good = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-value"}
        async with http.post(webhook_bot, json=body, headers=good) as response:
            assert response.status == 200
    assert "Question 1 of" in api.messages[701][-1].text


async def test_run_telegram_with_a_wrong_token_raises_one_line(api, tmp_path):
    async with open_core(f"sqlite+aiosqlite:///{tmp_path}/t.db") as core:
        settings = Settings(telegram_token=SecretStr("1:nope"))
        with pytest.raises(TelegramStartError, match="Telegram refused the bot token"):
            await run_telegram(core, settings, base_url=api.url)
