"""A broadcast through the running bot, with Telegram's limits enforced by the Bot API server.

The fake server answers 429 with ``retry_after`` to any message beyond 30 a second over all
chats or beyond about 1 a second to one chat. The bot keeps to its built-in default limits;
every thank-you of a published outcome arrives, each exactly once, and no 429 comes back.
"""

from bench.fake_telegram import RateLimits
from tests.telegram.contributors import Outbox, publish_outcome, seed_contributors

RECIPIENTS = 150


async def test_with_telegrams_limits_enforced_a_broadcast_loses_nothing_and_sends_each_once(
    bot, tmp_path
):
    api = bot.api
    api.limits = RateLimits()
    users = await seed_contributors(bot.database_url, RECIPIENTS)
    outbox = Outbox(bot.database_url)
    try:
        await publish_outcome(bot.database_url, tmp_path)
        await outbox.wait_until_sent(RECIPIENTS, 60)
    finally:
        await outbox.close()
    assert {user: len(api.messages[user]) for user in users} == dict.fromkeys(users, 1)
    assert set(api.messages) == set(users)
    assert api.limits.refused == 0, "the bot kept within Telegram's limits"
