"""A broadcast to thousands survives kill -9s of the bot: none lost, at most one duplicate a kill.

A commissioner publishes an outcome (``yousaid outcome add``) for a consultation people took
part in (300 in the quick run, on SQLite; 5,000 on both databases with ``-m soak``), which
queues a thank-you for each in the outbox. The running ``yousaid run`` is killed with SIGKILL
twice while it sends them (when the fake Bot API has seen a third and two thirds of them) and
started again each time. In the end every contributor has the thank-you, at most one of them
twice for each kill, and the outbox shows every delivery sent.
"""

import pytest

from tests.telegram.bot_process import BotProcess as Bot
from tests.telegram.contributors import Outbox, publish_outcome, seed_contributors

LIFTED = {
    "YOUSAID_TELEGRAM_MESSAGES_PER_SECOND": "100000",
    "YOUSAID_TELEGRAM_CHAT_MESSAGES_PER_SECOND": "100000",
    "YOUSAID_DELIVERY_LEASE_SECONDS": "2",
}
"""Telegram's limits lifted to keep it quick; a short lease, so taken messages come back soon."""
KILLS = 2


async def broadcast_through_kills(api, tmp_path, database_url, recipients: int) -> None:
    within = 120 + recipients / 10  # a busy shared PostgreSQL may send only 15 a second
    users = await seed_contributors(database_url, recipients)
    bot = Bot(api, tmp_path, database_url, **LIFTED)
    outbox = Outbox(database_url)
    await bot.start()
    try:
        printed = await publish_outcome(database_url, tmp_path)
        assert "the thank-yous are queued" in printed
        for kill in range(1, KILLS + 1):
            point = recipients * kill // (KILLS + 1)
            await api.wait_for(lambda point=point: len(api.messages) >= point, within)
            await bot.kill()
            assert len(api.messages) < recipients, "killed before the broadcast was over"
            await bot.start()
        await outbox.wait_until_sent(recipients, within)
    finally:
        await bot.stop()
        counts = await outbox.counts()
        await outbox.close()

    got = {user: len(api.messages.get(user, [])) for user in users}
    lost = [user for user, count in got.items() if count == 0]
    twice = sum(count - 1 for count in got.values() if count > 1)
    assert lost == [], f"{len(lost)} never got the thank-you"
    assert twice <= KILLS, f"{twice} duplicates after {KILLS} kills"
    assert set(api.messages) == set(users), "nobody else was sent anything"
    assert counts == {"sent": recipients}
    assert bot.starts == KILLS + 1


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_broadcast_killed_twice_loses_no_one_and_sends_at_most_one_twice_a_kill(
    api, tmp_path, database_url
):
    await broadcast_through_kills(api, tmp_path, database_url, 300)


@pytest.mark.soak
async def test_a_broadcast_to_5000_killed_twice_loses_no_one(api, tmp_path, database_url):
    await broadcast_through_kills(api, tmp_path, database_url, 5_000)
