"""Crash: the real ``yousaid run`` process is SIGKILLed at least 20 times at random points while
people take a consultation, members vote in a secret ballot and news goes out to many people.

Each kill comes at a random count of calls the bot made to the (fake) Telegram server since it
was started, or a random time after it began polling, or a random moment before it reached the
server at all (start-up, migrations). The bot is started again after each kill. The schedule
comes from one seed (``YOUSAID_CRASH_SEED`` to replay another), printed on failure.

After every kill, with the bot dead, the database must hold every answer and vote the bot
acknowledged (its next screen, or the receipt, reached the server), and nothing half-written: a
session's answers match its path, roll entries marked voted match the votes in the box and the
receipts, a delivery recorded as sent reached its person. After the last restart every
delivery is sent (none stuck in "sending") and each person got the news at most once more than
once per kill.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest

from tests.telegram.ballot_voting import (
    Vote,
    ballot_tables,
    open_ballot,
    receipts_sent,
    vote_until_counted,
)
from tests.telegram.bot_process import BotProcess
from tests.telegram.fake_bot_api import FakeBotApi, serving
from tests.telegram.interrupted import (
    consultation_problems,
    deliveries,
    queue_news,
    received,
    take_part,
)

SEED = int(os.environ.get("YOUSAID_CRASH_SEED", "20261202"))
BROADCAST = "update:wards"
NEWS = "We listened. The wards now have better wifi."
LEASE = "4"
"""Seconds a message being sent is held: after a kill it goes again this much later."""


@dataclass(frozen=True)
class Run:
    """Who takes part, and how often the bot is killed.

    People think up to ``pause`` seconds between steps and voters start within ``spread``
    seconds, so that there is work in flight at every kill; the news is queued half-way.
    """

    takers: tuple[int, ...]
    vote: Vote
    recipients: int
    kills: int
    pause: float
    spread: float


SHORT = Run(
    takers=tuple(range(6101, 6105)),
    vote=Vote(group=-100910, admin=6100, voters=tuple(range(6201, 6207))),
    recipients=80,
    kills=20,
    pause=0.8,
    spread=20.0,
)
LONG = Run(
    takers=tuple(range(6101, 6116)),
    vote=Vote(group=-100910, admin=6100, voters=tuple(range(6201, 6221))),
    recipients=400,
    kills=40,
    pause=3.0,
    spread=120.0,
)
FIRST_RECIPIENT = 700_000
T = TypeVar("T")


@dataclass(frozen=True)
class Kill:
    """When one run of the bot is killed: before it reaches the server, or after it made
    ``calls`` calls to it, or ``linger`` seconds after it began polling, whichever is first."""

    early: float | None
    calls: int
    linger: float


def schedule(rng: random.Random, kills: int) -> list[Kill]:
    """The seeded kill points."""
    return [
        Kill(
            early=rng.uniform(0.2, 2.0) if rng.random() < 0.45 else None,
            calls=rng.randint(1, 80),
            linger=rng.uniform(0.1, 0.8),
        )
        for _ in range(kills)
    ]


async def later(seconds: float, work: Awaitable[T]) -> T:
    """``work``, begun ``seconds`` from now."""
    await asyncio.sleep(seconds)
    return await work


async def live_and_die(bot: BotProcess, kill: Kill) -> float | None:
    """Start the bot unless it runs, and kill it at the given point; its start-up time, if it
    was started here and got as far as polling."""
    api = bot.api
    calls, polls = len(api.calls), bot.polls()
    started = time.monotonic()
    spawned = bot.process is None
    if spawned:
        await bot.spawn()
        if kill.early is not None:
            await asyncio.sleep(kill.early)
            await bot.kill()
            return None

    def made() -> bool:
        return len(api.calls) - calls >= kill.calls

    if spawned:
        await api.wait_for(lambda: made() or bot.polls() > polls, 60)
    startup = time.monotonic() - started if spawned and bot.polls() > polls else None
    if not made():
        with contextlib.suppress(TimeoutError):
            await api.wait_for(made, kill.linger)
    await bot.kill()
    return startup


async def check_nothing_lost(api: FakeBotApi, run: Run, database_url: str) -> None:
    """With the bot dead: everything acknowledged is stored, and nothing is half-written."""
    problems = await consultation_problems(database_url, api, run.takers)
    assert not problems, problems
    tables = await ballot_tables(database_url)
    voted = {int(user) for user, marked in tables["roll"] if marked}
    assert tables["box"] == len(voted) == len(tables["receipts"]), tables
    sent = receipts_sent(api)
    assert set(sent) <= voted, "everyone shown a receipt is marked voted"
    assert {code for codes in sent.values() for code in codes} <= set(tables["receipts"])
    recipients = range(FIRST_RECIPIENT, FIRST_RECIPIENT + run.recipients)
    statuses = await deliveries(database_url, BROADCAST)
    if statuses:
        assert set(statuses) == set(recipients), "one delivery per person"
        got = received(api, NEWS, recipients)
        assert all(got[user] for user, status in statuses.items() if status == "sent")


async def crash_run(
    api: FakeBotApi, tmp_path: Path, database_url: str, run: Run, seed: int
) -> dict[str, float]:
    """Drive the consultation, the ballot and the news while killing the bot; the figures."""
    print(f"crash seed {seed} (replay with YOUSAID_CRASH_SEED={seed})")
    rng = random.Random(seed)
    kills = schedule(random.Random(rng.random()), run.kills)
    recipients = range(FIRST_RECIPIENT, FIRST_RECIPIENT + run.recipients)
    began = time.monotonic()
    bot = BotProcess(api, tmp_path, database_url, YOUSAID_DELIVERY_LEASE_SECONDS=LEASE)
    await bot.start()
    startups: list[float | None] = []
    checks = 0.0
    people: asyncio.Future[list[object]] = asyncio.get_running_loop().create_future()
    try:
        start = await open_ballot(api, run.vote)
        ready = time.monotonic()
        people = asyncio.gather(
            *(take_part(api, user, random.Random(rng.random()), run.pause) for user in run.takers),
            *(
                later(
                    rng.uniform(0, run.spread),
                    vote_until_counted(
                        api, run.vote, voter, start, random.Random(rng.random()), tries=400
                    ),
                )
                for voter in run.vote.voters
            ),
        )
        for number, kill in enumerate(kills, 1):
            if number == run.kills // 2:
                await queue_news(database_url, BROADCAST, NEWS, FIRST_RECIPIENT, run.recipients)
            startups.append(await live_and_die(bot, kill))
            print(f"kill {number}: {kill}, after {len(api.calls)} calls in all")
            checking = time.monotonic()
            await check_nothing_lost(api, run, database_url)
            checks += time.monotonic() - checking
        killed = time.monotonic()
        await bot.start()
        restarted = time.monotonic()
        await asyncio.wait_for(people, 120)
        done = time.monotonic()
        for _ in range(300):
            if set((await deliveries(database_url, BROADCAST)).values()) == {"sent"}:
                break
            await asyncio.sleep(0.2)
    finally:
        people.cancel()
        await bot.stop()
    await check_nothing_lost(api, run, database_url)
    statuses = await deliveries(database_url, BROADCAST)
    assert set(statuses.values()) == {"sent"}, f"stuck after the last restart: {statuses}"
    got = received(api, NEWS, recipients)
    assert min(got.values()) >= 1, "everyone got the news"
    duplicates = sum(count - 1 for count in got.values())
    assert duplicates <= run.kills, f"{duplicates} duplicates for {run.kills} kills"
    tables = await ballot_tables(database_url)
    assert all(marked for _, marked in tables["roll"]), "every member voted in the end"
    started = [seconds for seconds in startups if seconds is not None]
    figures = {
        "kills": float(run.kills),
        "mean start-up s": sum(started) / len(started),
        "setting up s": ready - began,
        "killing s": killed - ready,
        "last start s": restarted - killed,
        "people after it s": done - restarted,
        "checking s": checks,
        "duplicates": float(duplicates),
        "total s": time.monotonic() - began,
    }
    print(figures)
    return figures


async def test_kill_9_twenty_times_loses_nothing_acknowledged(tmp_path):
    async with serving() as api:
        await crash_run(api, tmp_path, f"sqlite+aiosqlite:///{tmp_path}/crash.db", SHORT, SEED)


@pytest.mark.soak
async def test_kill_9_forty_times_with_more_people(tmp_path, database_url):
    async with serving() as api:
        await crash_run(api, tmp_path, database_url, LONG, SEED)
