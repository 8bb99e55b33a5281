"""Faults at the platform: the bot keeps serving and loses nothing it acknowledged.

The fake Bot API answers a share of all calls (``getUpdates`` and every send method) with a 429
asking to wait, a 5xx, a slow reply, a dropped connection or a malformed body (``FaultRates``).
People take a consultation, vote in a secret ballot and get a broadcast through the real
python-telegram-bot Application, and the end checks are those of a fault-free run: every
answer and vote that was acknowledged is stored, no dialog is half-written, everyone the
broadcast was for got it, and nothing failed in the bot's logs.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import pytest

from core import texts
from core.messages import Platform, Reply
from core.results import export_results
from tests.discord.conftest import RunningDiscordBot
from tests.discord.fake_discord import FakeDiscord
from tests.discord.fake_discord import Fault as DiscordFault
from tests.moving_clock import MovingClock
from tests.storage_scan import all_rows_at
from tests.telegram.conftest import RunningBot
from tests.telegram.fake_bot_api import FakeBotApi, FaultRates
from tests.telegram.test_ballots import VOTERS, open_ballot, vote

WARD_TIME = ["where", "ward_days", "feel", "helps", "matters", "change", "more"]


def rates(seed: int, share: float = 0.15) -> FaultRates:
    """Faults on about ``share`` of all calls, spread over the five kinds."""
    part = share / 5
    return FaultRates(
        too_many=part,
        server_error=part,
        slow=part,
        dropped=part,
        malformed=part,
        slow_seconds=0.5,
        seed=seed,
    )


@pytest.fixture
async def bot(tmp_path, monkeypatch):
    monkeypatch.setenv("YOUSAID_TELEGRAM_CHAT_MESSAGES_PER_SECOND", "20")  # a test server
    api = FakeBotApi()
    await api.start()
    running = await RunningBot(
        api, f"sqlite+aiosqlite:///{tmp_path}/faults.db", clock=MovingClock()
    ).start()
    yield running
    await running.stop()
    await api.stop()


@pytest.fixture
def failures(caplog):
    """Errors the bot logged (an update that failed, a delivery batch that failed...)."""
    caplog.set_level(logging.WARNING)
    return lambda: [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def dialogs_are_whole(rows) -> None:
    """Every dialog's path has exactly its answers, and a finished one has no question left."""
    answered: dict[int, list[str]] = {}
    for answer in rows["answers"]:
        answered.setdefault(answer["session_id"], []).append(answer["question_id"])
    for session in rows["dialog_sessions"]:
        if session["consultation_id"] is not None:
            path = session["path"]
            assert sorted(answered.get(session["id"], [])) == sorted(path), "no half-written step"
        assert (session["status"] == "completed") == (session["question_id"] is None)


async def test_a_consultation_and_a_broadcast_survive_faults_on_every_call(bot, failures):
    api, core = bot.api, bot.core
    api.rates = rates(seed=1)
    people = [bot.member(501 + n) for n in range(3)]
    await asyncio.gather(*(person.onboard("ward_time") for person in people))
    await asyncio.gather(*(person.answer_all() for person in people))
    assert all(texts.MORE_TO_DO in person.last.text for person in people)
    rows = await export_results(core._uow_factory, "ward_time")
    by_person: dict[int, list[str]] = {}
    for row in rows:
        by_person.setdefault(row.respondent, []).append(row.question_id)
    assert sorted(by_person.values()) == [WARD_TIME] * 3, "every acknowledged answer is kept"

    async with core._uow_factory() as uow:
        ids = []
        for user in range(1100, 1120):
            participant = await uow.participants.add(
                Platform.TELEGRAM, str(user), datetime.now(UTC)
            )
            ids.append(participant.id)
        await uow.commit()
    news = "We listened. Here's what changed."
    assert await core.queue_broadcast("update:faults", ids, Reply(news)) == 20
    await api.wait_for(lambda: all(news in api.texts(user) for user in range(1100, 1120)), 90)
    for _ in range(200):
        async with core._uow_factory() as uow:
            counts = await uow.deliveries.status_counts("update:faults")
        if counts == {"sent": 20}:
            break
        await asyncio.sleep(0.1)
    assert counts == {"sent": 20}, "every recipient's message is recorded as sent"

    dialogs_are_whole(await all_rows_at(bot.database_url))
    assert set(api.rates.injected) == {"too_many", "server_error", "slow", "dropped", "malformed"}
    assert {method for method, _ in api.calls} >= {"getUpdates", "sendMessage"}
    assert failures() == []


async def test_a_secret_ballot_survives_faults_and_a_second_vote_is_refused(bot, failures):
    api = bot.api
    api.rates = rates(seed=2)
    start = await open_ballot(bot)
    receipts = await asyncio.gather(
        vote(bot, VOTERS[0], start, ["Friday", "Monday", "Sunday"]),
        vote(bot, VOTERS[1], start, ["Sunday", "Friday", "Monday"]),
    )
    again = await bot.member(VOTERS[0]).say(f"/start {start}")
    assert again.text == texts.BALLOT_ALREADY_COUNTED
    rows = await all_rows_at(bot.database_url)
    assert len(rows["ballot_box"]) == 2, "each acknowledged vote is in the box once"
    assert sorted(r["receipt"] for r in rows["ballot_receipts"]) == sorted(receipts)
    assert [r["voted"] for r in rows["ballot_roll"]] == [True, True]
    dialogs_are_whole(rows)
    assert sum(api.rates.injected.values()) > 0
    assert failures() == []


@pytest.fixture
async def discord_bot(tmp_path, monkeypatch):
    fake = FakeDiscord()
    await fake.start()
    monkeypatch.setenv("YOUSAID_DISCORD_API_BASE", fake.rest_base)
    monkeypatch.setenv("YOUSAID_DISCORD_GATEWAY_URL", fake.gateway_url)
    running = await RunningDiscordBot(fake, f"sqlite+aiosqlite:///{tmp_path}/d.db").start()
    yield running
    await running.stop()
    await fake.stop()


async def test_a_consultation_on_discord_survives_rate_limits_and_server_errors(
    discord_bot, failures
):
    fake = discord_bot.fake
    members = [discord_bot.member(str(800 + n)) for n in range(2)]
    fake.faults += [
        DiscordFault("/messages", 429, times=3, retry_after=0.3),
        DiscordFault("/messages", 502, times=2),
    ]
    await asyncio.gather(*(m.onboard() for m in members))
    await asyncio.gather(*(m.press("Your time on the ward") for m in members))
    fake.faults.append(DiscordFault("/callback", 503, times=2))
    await asyncio.gather(*(m.answer_all() for m in members))
    assert all(fault.times == 0 for fault in fake.faults), "every fault was hit"
    rows = await export_results(discord_bot.core._uow_factory, "ward_time")
    assert sorted(row.question_id for row in rows) == sorted(WARD_TIME * 2)
    dialogs_are_whole(await all_rows_at(discord_bot.database_url))
    assert failures() == []
