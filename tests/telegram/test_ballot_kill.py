"""A kill -9 of the real ``yousaid run`` process while members vote loses no cast vote.

Members of a forum vote at once in a secret ballot; the bot is killed with SIGKILL a few times
(at seeded random moments) and started again; whoever has no receipt yet tries again. In the
end the database holds exactly one vote in the box for every roll entry marked voted, everyone
who was sent a receipt is marked voted, and a try after the restart is told kindly that the
vote is already counted.
"""

import asyncio
import random

from core import texts
from tests.telegram.ballot_voting import (
    Vote,
    ballot_tables,
    open_ballot,
    receipts_sent,
    vote_until_counted,
)
from tests.telegram.bot_process import BotProcess, step

VOTE = Vote(group=-100900, admin=990, voters=tuple(range(5101, 5115)))  # 14 members
KILLS = 2


async def kill_now_and_then(bot: BotProcess, voting: asyncio.Future, rng: random.Random) -> int:
    """SIGKILL the bot at seeded random moments while votes are cast; restart each time."""
    kills = 0
    for _ in range(KILLS):
        await asyncio.sleep(rng.uniform(0.8, 2.0))
        if voting.done():
            break
        await bot.kill()
        kills += 1
        await asyncio.sleep(rng.uniform(0.0, 0.5))
        await bot.start()
    return kills


async def test_a_kill_9_while_members_vote_loses_no_vote_and_counts_none_twice(
    api, tmp_path, database_url
):
    rng = random.Random(20261202)
    bot = BotProcess(api, tmp_path, database_url)
    await bot.start()
    try:
        start = await open_ballot(api, VOTE)
        voting = asyncio.gather(
            *(
                vote_until_counted(api, VOTE, voter, start, random.Random(rng.random()))
                for voter in VOTE.voters
            )
        )
        kills = await kill_now_and_then(bot, voting, random.Random(rng.random()))
        outcomes = await asyncio.wait_for(voting, 90)
        assert kills >= 1, "the bot was killed while votes were being cast"
        assert len(outcomes) == len(VOTE.voters)

        # After the last restart, a second try is told kindly the vote is already counted.
        for voter in VOTE.voters:
            again = await step(api, voter, lambda v=voter: api.message(v, v, f"/start {start}"))
            assert again is not None and again.text == texts.BALLOT_ALREADY_COUNTED
    finally:
        await bot.stop()

    tables = await ballot_tables(database_url)
    voted = {int(user) for user, marked in tables["roll"] if marked}
    assert len(tables["roll"]) == len(VOTE.voters), "one roll entry per member"
    assert tables["box"] == len(voted), "every roll entry marked voted has its vote in the box"
    assert len(tables["receipts"]) == len(voted)
    sent = receipts_sent(api)
    assert set(sent) <= voted, "everyone sent a receipt is marked voted"
    assert all(len(codes) == 1 for codes in sent.values()), "no one got two receipts"
    assert {code for codes in sent.values() for code in codes} <= set(tables["receipts"])
    assert voted == set(VOTE.voters), "every member's vote was counted, once"
