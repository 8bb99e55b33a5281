"""Two ``yousaid run`` instances on one PostgreSQL: a kill -9 of the scheduler's leader hands over.

One instance holds the scheduler's advisory lock. When it is killed with SIGKILL its database
connection dies with it, the lock is freed, and the other instance takes over the scheduler
within 30 seconds (measured from the kill to the line it logs on taking over).
"""

import asyncio
import time

import pytest

from tests.telegram.bot_process import BotProcess as Bot

LEADS = "this process now runs the scheduler"
HAND_OVER_WITHIN = 30.0


def leads(bot: Bot) -> bool:
    """Whether the bot's current run has logged that it took over the scheduler."""
    return LEADS in (bot.tmp_path / f"bot{bot.starts}.log").read_text()


async def until(predicate, within: float) -> None:
    async def wait() -> None:
        while not predicate():  # noqa: ASYNC110 - reads the bots' logs
            await asyncio.sleep(0.1)

    await asyncio.wait_for(wait(), within)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_killing_the_scheduler_leader_hands_over_to_the_other_instance_within_30_s(
    api, tmp_path, database_url
):
    folders = [tmp_path / name for name in "ab"]
    for folder in folders:
        folder.mkdir()
    bots = [Bot(api, folder, database_url) for folder in folders]
    await asyncio.gather(*(bot.start() for bot in bots))
    try:
        await until(lambda: any(leads(bot) for bot in bots), 30)
        [leader] = [bot for bot in bots if leads(bot)]
        [other] = [bot for bot in bots if bot is not leader]
        await asyncio.sleep(1)
        assert not leads(other), "one leader at a time"

        await leader.kill()
        killed = time.monotonic()
        await until(lambda: leads(other), HAND_OVER_WITHIN)
        handed_over = time.monotonic() - killed
    finally:
        for bot in bots:
            await bot.stop()
    assert handed_over < HAND_OVER_WITHIN
    assert "Traceback" not in (other.tmp_path / "bot1.log").read_text()
