"""Secret ballots on Telegram: announced in the group, voted privately, results after close."""

import asyncio
import contextlib

import pytest

from bots.runner import scheduled_work
from bots.scheduler import Every, run_scheduler
from core import texts
from core.messages import Platform, Reply
from tests.moving_clock import MovingClock
from tests.telegram.conftest import RunningBot
from tests.telegram.fake_bot_api import BOT_USERNAME

GROUP = -100700
ADMIN = 900
VOTERS = (41, 42)
QUESTION = "Which day should we meet?"


@pytest.fixture
async def bot(api, database_url, monkeypatch):
    monkeypatch.setenv("YOUSAID_TELEGRAM_CHAT_MESSAGES_PER_SECOND", "20")  # a test server
    running = await RunningBot(api, database_url, clock=MovingClock()).start()
    yield running
    await running.stop()


async def process(api, update_id):
    await api.wait_until_fetched(update_id)


def payload(button) -> str:
    prefix = f"https://t.me/{BOT_USERNAME}?start="
    assert button["url"].startswith(prefix)
    return button["url"].removeprefix(prefix)


async def open_ballot(bot) -> str:
    """Members join the forum, the organiser opens a ranked ballot; its start payload."""
    api = bot.api
    api.members[(GROUP, ADMIN)] = "administrator"
    await process(api, api.bot_added(GROUP, ADMIN, "Riverside Youth Forum"))
    await process(api, api.message(GROUP, ADMIN, "/members"))
    join = payload(api.last(GROUP).button(texts.BUTTON_JOIN))
    joined = await asyncio.gather(*(bot.member(voter).onboard(join) for voter in VOTERS))
    assert all(texts.JOINED.format(title='"Riverside Youth Forum"') in j.text for j in joined)
    ballot = f"/ballot irv 30m turnout=2 {QUESTION} | Monday | Friday | Sunday"
    await process(api, api.message(GROUP, ADMIN, ballot))
    announcement = api.last(GROUP)
    assert announcement.text.startswith(f"🗳 Secret vote: {QUESTION}")
    return payload(announcement.button(texts.BUTTON_VOTE_PRIVATELY))


async def vote(bot, voter: int, start: str, order: list[str]) -> str:
    """Rank every option by tapping, review, cast; the receipt code."""
    member = bot.member(voter)
    screen = await member.say(f"/start {start}")
    assert QUESTION in screen.text and texts.BALLOT_SECRET in screen.text
    for label in order:
        screen = await member.press(label)
    assert "\n".join(f"{n}. {label}" for n, label in enumerate(order, 1)) in screen.text
    cast = await member.press(texts.BUTTON_CAST)
    assert cast.text.startswith("Your vote is counted.")
    return cast.text.split("Your receipt code is ")[1][:11]


async def announce(bot) -> int:
    """Run the running bot's scheduled job that posts ballot announcements."""
    jobs = {job.name: job for job in scheduled_work(bot.core, bot.posters)}
    return await jobs["announce_ballots"].work()


async def test_members_vote_privately_and_the_results_come_to_the_group(bot):
    api = bot.api
    start = await open_ballot(bot)
    receipts = await asyncio.gather(
        vote(bot, VOTERS[0], start, ["Friday", "Monday", "Sunday"]),
        vote(bot, VOTERS[1], start, ["Friday", "Sunday", "Monday"]),
    )
    again = await bot.member(VOTERS[0]).say(f"/start {start}")
    assert again.text == texts.BALLOT_ALREADY_COUNTED
    assert await announce(bot) == 0, "no results while the vote is open"

    bot.clock.advance(minutes=31)
    assert await announce(bot) == 1
    results = api.last(GROUP)
    assert results.kind == "photo", "the results come with their chart"
    assert results.text.startswith(texts.BALLOT_RESULTS.format(question=QUESTION))
    assert texts.BALLOT_CHOSEN.format(names="Friday") in results.text
    assert all(receipt in results.text for receipt in receipts)
    assert await announce(bot) == 0, "posted once"
    late = await bot.member(VOTERS[1]).say(f"/start {start}")
    assert late.text == texts.BALLOT_HAS_CLOSED


async def test_the_scheduler_posts_results_due_while_the_bot_was_down_after_a_restart(bot):
    api = bot.api
    start = await open_ballot(bot)
    await asyncio.gather(*(vote(bot, v, start, ["Sunday", "Monday", "Friday"]) for v in VOTERS))
    await bot.stop()
    bot.clock.advance(hours=2)
    await bot.start()
    [job] = [j for j in scheduled_work(bot.core, bot.posters) if j.name == "announce_ballots"]
    posted = asyncio.Event()

    async def work_then_tell() -> None:
        if await job.work():
            posted.set()

    quick = Every(job.name, 0.2, work_then_tell)
    scheduler = asyncio.create_task(run_scheduler(bot.database_url, [quick], check_every=0.2))
    try:
        await asyncio.wait_for(posted.wait(), 20)
    finally:
        scheduler.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await scheduler
    results = api.last(GROUP)
    assert results.text.startswith(texts.BALLOT_RESULTS.format(question=QUESTION))
    assert texts.BALLOT_CHOSEN.format(names="Sunday") in results.text
    assert await announce(bot) == 0, "the scheduler marked it announced"


async def test_a_ballot_opened_from_the_command_line_is_announced_by_the_running_bot(bot):
    api = bot.api
    jobs = {job.name: job for job in scheduled_work(bot.core, bot.posters)}
    assert jobs["announce_ballots"].seconds == 60
    await bot.core.open_ballot(Platform.TELEGRAM, str(GROUP), str(GROUP), QUESTION, ["Mon", "Fri"])
    assert await announce(bot) == 1
    announcement = api.last(GROUP)
    assert announcement.text.startswith(f"🗳 Secret vote: {QUESTION}")
    assert payload(announcement.button(texts.BUTTON_VOTE_PRIVATELY)).startswith("b")
    assert await announce(bot) == 0, "announced once"


async def test_results_too_long_for_a_caption_follow_their_chart(bot):
    api = bot.api
    long = "\n".join(f"Receipt {n:04}: ABCDE-FGHJK" for n in range(80))
    poster = bot.posters[Platform.TELEGRAM]
    assert await poster.post(str(GROUP), Reply(long, image=b"\x89PNG\r\n\x1a\n"))
    photo, *text = api.messages[GROUP]
    assert photo.kind == "photo" and photo.text == ""
    assert "\n".join(message.text for message in text) == long


async def test_a_timed_quick_poll_closes_on_time_and_the_results_come_to_the_group(bot):
    api = bot.api
    api.members[(GROUP, ADMIN)] = "administrator"
    await process(api, api.message(GROUP, ADMIN, "/poll 1h Pizza on Friday? | Yes | No"))
    poll = api.last(GROUP)
    assert "It closes on" in poll.text
    yes = next(b for b in poll.buttons() if b["text"] == "Yes")
    await process(api, api.press(poll, 41, data=yes["callback_data"]))
    jobs = {job.name: job for job in scheduled_work(bot.core, bot.posters)}
    assert await jobs["announce_polls"].work() == 0
    bot.clock.advance(minutes=61)
    assert await jobs["announce_polls"].work() == 1
    final = api.last(GROUP).text
    assert "Final results: Pizza on Friday?" in final and "Yes: 1" in final
