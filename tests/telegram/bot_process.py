"""The real ``yousaid run`` process against the fake Bot API, killed and started again at will."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from tests.telegram.fake_bot_api import BOT_USERNAME, TOKEN, FakeBotApi, Sent

YOUSAID = str(Path(sys.executable).with_name("yousaid"))
STEP_WAIT = 4.0


class BotProcess:
    """The ``yousaid run`` process, started again after each kill; each run logs to a file."""

    def __init__(self, api: FakeBotApi, tmp_path: Path, database_url: str, **env: str) -> None:
        self.api = api
        self.tmp_path = tmp_path
        self.database_url = database_url
        self.env = env
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0

    async def spawn(self) -> None:
        """Start the process without waiting for it to be ready."""
        clean = {k: v for k, v in os.environ.items() if not k.startswith("YOUSAID_")}
        environment = {
            **clean,
            "YOUSAID_TELEGRAM_TOKEN": TOKEN,
            "YOUSAID_TELEGRAM_API_BASE": self.api.url,
            "YOUSAID_DATABASE_URL": self.database_url,
            "YOUSAID_HTTP_LISTEN": "127.0.0.1:0",
            "YOUSAID_QUIET_HOURS": "off",
            "YOUSAID_TELEGRAM_CHAT_MESSAGES_PER_SECOND": "20",
            **self.env,
        }
        self.starts += 1
        with (self.tmp_path / f"bot{self.starts}.log").open("wb") as log:
            self.process = await asyncio.create_subprocess_exec(
                YOUSAID,
                "run",
                cwd=self.tmp_path,
                env=environment,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )

    async def start(self) -> None:
        """Start the process and wait until it asks for updates."""
        polls = self.polls()
        await self.spawn()
        await self.api.wait_for(lambda: self.polls() > polls, 60)

    def polls(self) -> int:
        """How many times any run of the bot asked for updates."""
        return sum(method == "getUpdates" for method, _ in self.api.calls)

    def log(self) -> str:
        """What the latest run wrote."""
        return (self.tmp_path / f"bot{self.starts}.log").read_text(errors="replace")

    async def kill(self) -> None:
        """SIGKILL: no clean-up of any kind."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()
        self.process = None

    async def stop(self) -> None:
        """SIGTERM, then SIGKILL if it does not stop within 30 s."""
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 30)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
            self.process = None


def start_payload(button: dict) -> str:
    """The start payload of a button that opens a private chat with the bot."""
    prefix = f"https://t.me/{BOT_USERNAME}?start="
    assert button["url"].startswith(prefix)
    return button["url"].removeprefix(prefix)


def state(api: FakeBotApi, chat_id: int) -> tuple[int, int]:
    """Changes whenever the bot sends or edits a message in the chat."""
    messages = api.messages[chat_id]
    return len(messages), sum(message.edits for message in messages)


async def step(
    api: FakeBotApi, chat_id: int, push: Callable[[], object], within: float = STEP_WAIT
) -> Sent | None:
    """Do one thing and wait for the bot to answer it; None if it doesn't (it was killed)."""
    before = state(api, chat_id)
    push()
    try:
        await api.wait_for(lambda: state(api, chat_id) != before, within)
    except TimeoutError:
        return None
    return api.last(chat_id)
