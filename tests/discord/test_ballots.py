"""Secret ballots on Discord: announced in the channel, voted in messages only the voter sees."""

import pytest

from bots.runner import scheduled_work
from core import texts
from tests.discord.conftest import RunningDiscordBot
from tests.discord.fake_discord import CHANNEL_ID
from tests.moving_clock import MovingClock

ORGANISER = "1"
VOTERS = ("71", "72")
QUESTION = "Which day should we meet?"


@pytest.fixture
async def bot(fake, database_url):
    running = await RunningDiscordBot(fake, database_url, clock=MovingClock()).start()
    yield running
    await running.stop()


def public(fake):
    return [m for m in fake.messages[CHANNEL_ID] if not m.ephemeral]


def seen_only_by(fake, user_id):
    return [m for m in fake.messages[CHANNEL_ID] if m.ephemeral and m.interaction_user == user_id]


async def answered(fake, pending):
    await fake.wait_for(lambda: bool(pending.callbacks))
    return pending


async def open_ballot(bot):
    """Members join the forum, the organiser opens a ranked ballot; the announcement."""
    fake = bot.fake
    await answered(fake, await fake.slash(ORGANISER, "members", organiser=True))
    join = public(fake)[-1]
    joined = texts.JOINED.format(title=texts.UNNAMED_FORUM)
    for voter in VOTERS:
        member = bot.member(voter)
        await member.onboard()
        await answered(
            fake, await fake.press(voter, join, join.button(texts.BUTTON_JOIN)["custom_id"])
        )
        await fake.wait_for(lambda member=member: member.last.content == joined)
    options = "Monday | Friday | Sunday"
    await answered(
        fake,
        await fake.slash(
            ORGANISER,
            "ballot",
            organiser=True,
            question=QUESTION,
            options=options,
            settings="irv 30m turnout=2",
        ),
    )
    announcement = public(fake)[-1]
    assert announcement.content.startswith(f"🗳 Secret vote: {QUESTION}")
    return announcement


async def press_on(fake, voter, message, label):
    """Press a button on a message only the voter sees; it is edited in place."""
    custom_id = message.button(label)["custom_id"]
    pending = await answered(fake, await fake.press(voter, message, custom_id))
    assert pending.callbacks[0]["type"] == 7, "the pressed message is updated"


async def vote(bot, voter, announcement, order):
    """Press Vote privately, rank every option, cast; the receipt code."""
    fake = bot.fake
    vote_button = announcement.button(texts.BUTTON_VOTE_PRIVATELY)["custom_id"]
    pending = await answered(fake, await fake.press(voter, announcement, vote_button))
    assert pending.callbacks[0]["data"]["flags"] == 64, "only the voter sees the screen"
    [screen] = seen_only_by(fake, voter)[-1:]
    assert QUESTION in screen.content and texts.BALLOT_SECRET in screen.content
    for label in order:
        await press_on(fake, voter, screen, label)
    await press_on(fake, voter, screen, texts.BUTTON_CAST)
    assert screen.content.startswith("Your vote is counted."), screen.content
    return screen.content.split("Your receipt code is ")[1][:11]


async def announce(bot) -> int:
    jobs = {job.name: job for job in scheduled_work(bot.core, bot.posters)}
    return await jobs["announce_ballots"].work()


async def test_members_vote_where_they_pressed_and_the_results_come_to_the_channel(bot):
    fake = bot.fake
    announcement = await open_ballot(bot)
    receipts = [
        await vote(bot, VOTERS[0], announcement, ["Friday", "Monday", "Sunday"]),
        await vote(bot, VOTERS[1], announcement, ["Friday", "Sunday", "Monday"]),
    ]
    again = await answered(
        fake,
        await fake.press(
            VOTERS[0], announcement, announcement.button(texts.BUTTON_VOTE_PRIVATELY)["custom_id"]
        ),
    )
    assert again.callbacks[0]["data"]["content"] == texts.BALLOT_ALREADY_COUNTED
    assert again.callbacks[0]["data"]["flags"] == 64, "only the voter sees it"
    assert await announce(bot) == 0, "no results while the vote is open"

    bot.clock.advance(minutes=31)
    await bot.stop()
    await bot.start()
    assert await announce(bot) == 1
    results = public(fake)[-1]
    assert results.content.startswith(texts.BALLOT_RESULTS.format(question=QUESTION))
    assert results.files == 1, "the results come with their chart"
    assert texts.BALLOT_CHOSEN.format(names="Friday") in results.content
    assert all(receipt in results.content for receipt in receipts)
    assert await announce(bot) == 0, "posted once"
