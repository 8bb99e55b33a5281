"""Database restart: PostgreSQL stops at once (``pg_ctl stop -m immediate``, as in a crash) in
the middle of a run and comes back a few seconds later; the real ``yousaid run`` process carries
on without being restarted.

The server is a private cluster of the test's own (``tests/private_postgres.py``). People are
taking a consultation and news is being sent to many people when it stops. Afterwards: the same
bot process is still running, no answer it acknowledged is lost and no session is half-written,
everything people sent while the database was away was answered, and every delivery in flight
was sent (again, if need be), none lost and none stuck.
"""

from __future__ import annotations

import asyncio
import random

from core import texts
from tests.private_postgres import private_cluster
from tests.telegram.bot_process import BotProcess
from tests.telegram.fake_bot_api import FakeBotApi, serving
from tests.telegram.interrupted import (
    acknowledged,
    bot_texts,
    consultation_problems,
    deliveries,
    queue_news,
    received,
    take_part,
)

SEED = 20261203
TAKERS = tuple(range(6301, 6309))
RECIPIENTS = 150
FIRST_RECIPIENT = 710_000
BROADCAST = "update:restart"
NEWS = "We listened. The waiting rooms now have games."
OUTAGE = 3.0


async def test_the_bot_carries_on_after_postgresql_restarts(tmp_path):
    rng = random.Random(SEED)
    recipients = range(FIRST_RECIPIENT, FIRST_RECIPIENT + RECIPIENTS)
    async with private_cluster() as cluster, serving() as api:
        url = cluster.url()
        bot = BotProcess(
            api,
            tmp_path,
            url,
            YOUSAID_DELIVERY_LEASE_SECONDS="3",
            YOUSAID_TELEGRAM_MESSAGES_PER_SECOND="25",
        )
        await bot.start()
        pushed_at = calls_when_pushed(api)
        people = asyncio.gather(
            *(take_part(api, user, random.Random(rng.random()), pause=1.0) for user in TAKERS)
        )
        try:
            await asyncio.sleep(3)
            await queue_news(url, BROADCAST, NEWS, FIRST_RECIPIENT, RECIPIENTS)
            await api.wait_for(lambda: sum(received(api, NEWS, recipients).values()) > 20, 20)
            before = {user: acknowledged(api, user) for user in TAKERS}
            await cluster.stop("immediate")
            sent_before = sum(received(api, NEWS, recipients).values())
            first_in_outage = max(api.pushed) + 1
            await asyncio.sleep(OUTAGE)
            last_in_outage = max(api.pushed)
            await cluster.start()
            await asyncio.wait_for(people, 60)
            for _ in range(150):
                if set((await deliveries(url, BROADCAST)).values()) == {"sent"}:
                    break
                await asyncio.sleep(0.2)
            assert bot.process is not None and bot.process.returncode is None, bot.log()[-3000:]
            assert bot.starts == 1, "the same process carried on"
        finally:
            people.cancel()
            await bot.stop()

        assert sent_before < RECIPIENTS, "news was being sent when the database went away"
        problems = await consultation_problems(url, api, TAKERS)
        assert not problems, problems
        assert all(acknowledged(api, user) >= before[user] for user in TAKERS)
        in_outage = [n for n in range(first_in_outage, last_in_outage + 1) if n in pushed_at]
        assert in_outage, "people wrote while the database was away"
        for update_id in in_outage:
            chat = _chat(api.pushed[update_id])
            assert bot_texts(api, chat, since=pushed_at[update_id]), f"{update_id} unanswered"
        for user in TAKERS:
            assert texts.SOMETHING_WRONG not in bot_texts(api, user), "nobody had to try again"
        statuses = await deliveries(url, BROADCAST)
        assert set(statuses.values()) == {"sent"}, f"not sent: {statuses}"
        got = received(api, NEWS, recipients)
        assert min(got.values()) >= 1, "every delivery in flight was sent"
        assert sum(count - 1 for count in got.values()) <= 1, "one duplicate at most"


def calls_when_pushed(api: FakeBotApi) -> dict[int, int]:
    """From now on, how many calls the bot had made when each update was queued."""
    pushed_at: dict[int, int] = {}
    push = api.push

    def noting(update: dict) -> int:
        update_id = push(update)
        pushed_at[update_id] = len(api.calls)
        return update_id

    api.push = noting  # type: ignore[method-assign]
    return pushed_at


def _chat(update: dict) -> int:
    if "message" in update:
        return int(update["message"]["chat"]["id"])
    return int(update["callback_query"]["message"]["chat"]["id"])
