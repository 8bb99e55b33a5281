"""Taking part while the bot is interrupted (killed, or its database gone), and checking
afterwards that nothing the bot acknowledged was lost and nothing was left half-written.

An answer is acknowledged once the bot's next screen for the person reached the fake server:
the bot sends replies only after the answer's transaction committed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import re
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text

from bots.wiring import open_core
from core.messages import Platform, Reply
from storage.database import make_engine
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.people import Member

CONSULTATION = "ward_time"
QUESTIONS = 7
"""Questions on the path a person who always picks the first option takes through ward_time."""
ENDING = "Your answers go to the people who plan hospital care."
ONBOARDING = ("Yes, I'm happy", "16 or 17", "big news")
_NUMBERED = re.compile(rf"Question (\d+) of {QUESTIONS}\b")


def bot_texts(api: FakeBotApi, chat_id: int, since: int = 0) -> list[str]:
    """Every text the bot sent or edited into a chat (after its first ``since`` calls)."""
    return [
        params["text"]
        for method, params in api.calls[since:]
        if method in ("sendMessage", "editMessageText") and int(params.get("chat_id", 0)) == chat_id
    ]


def acknowledged(api: FakeBotApi, user: int) -> int:
    """How many answers to the consultation the bot has acknowledged to this person."""
    best = 0
    for said in bot_texts(api, user):
        if ENDING in said:
            return QUESTIONS
        numbered = _NUMBERED.search(said)
        if numbered:
            best = max(best, int(numbered[1]) - 1)
    return best


async def take_part(
    api: FakeBotApi, user: int, rng: random.Random, pause: float = 0.3, tries: int = 300
) -> int:
    """Onboard and answer the whole consultation, carrying on after every interruption.

    Acts on the newest screen each time, as a person would, thinking up to ``pause`` seconds
    between steps; returns how many steps it took.
    """
    person = Member(api, user)
    await asyncio.sleep(rng.uniform(0, 1.5))
    for attempt in range(tries):
        if acknowledged(api, user) == QUESTIONS:
            return attempt
        with contextlib.suppress(TimeoutError):  # the bot is down: look again, newest screen
            await _next_step(person)
        await asyncio.sleep(rng.uniform(0.05, pause))
    raise AssertionError(f"{user} could not finish: {api.texts(user)[-3:]}")


async def _next_step(person: Member) -> None:
    if not person.messages:
        await person.say(f"/start {CONSULTATION}")
        return
    labels = [button["text"] for button in person.last.buttons()]
    press = next((want for want in ONBOARDING for label in labels if want in label), None)
    if press is not None:
        await person.press(press)
    elif "Question " in person.last.text:
        await person.answer_current()
    else:
        await person.say("/resume")


async def _rows(database_url: str, query: str) -> list[Any]:
    engine = make_engine(database_url)
    try:
        async with engine.connect() as connection:
            return list(await connection.execute(text(query)))
    finally:
        await engine.dispose()


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def answers_and_sessions(database_url: str) -> dict[int, list[tuple[list[str], list[str]]]]:
    """By person: each consultation session's path and the questions it has answers for."""
    sessions = await _rows(
        database_url,
        "SELECT s.id, p.platform_user_id, s.path FROM dialog_sessions s "
        "JOIN platform_identities p ON p.participant_id = s.participant_id "
        "JOIN consultations c ON c.id = s.consultation_id "
        f"WHERE c.slug = '{CONSULTATION}'",
    )
    answers = await _rows(database_url, "SELECT session_id, question_id FROM answers")
    answered: dict[int, list[str]] = {}
    for session_id, question_id in answers:
        answered.setdefault(session_id, []).append(question_id)
    found: dict[int, list[tuple[list[str], list[str]]]] = {}
    for session_id, user, path in sessions:
        found.setdefault(int(user), []).append((_json(path), answered.get(session_id, [])))
    return found


async def consultation_problems(
    database_url: str, api: FakeBotApi, users: Iterable[int]
) -> list[str]:
    """Acknowledged answers that are missing, and sessions whose answers and path disagree."""
    stored = await answers_and_sessions(database_url)
    problems = []
    for user in users:
        sessions = stored.get(user, [])
        if len(sessions) > 1:
            problems.append(f"{user} has {len(sessions)} sessions of one consultation")
        for path, answered in sessions:
            if Counter(path) != Counter(answered):
                problems.append(f"{user}: path {path} but answers to {sorted(answered)}")
        kept = max((len(answered) for _, answered in sessions), default=0)
        if kept < acknowledged(api, user):
            problems.append(f"{user} was shown {acknowledged(api, user)} answers kept, has {kept}")
    return problems


async def queue_news(
    database_url: str, broadcast: str, news: str, first_user: int, count: int
) -> None:
    """Make ``count`` people reachable on Telegram and queue one message for each of them."""
    async with open_core(database_url) as core:
        async with core._uow_factory() as uow:
            ids = [
                (await uow.participants.add(Platform.TELEGRAM, str(user), datetime.now(UTC))).id
                for user in range(first_user, first_user + count)
            ]
            await uow.commit()
        assert await core.queue_broadcast(broadcast, ids, Reply(news)) == count


async def deliveries(database_url: str, broadcast: str) -> dict[int, str]:
    """The status of each of a broadcast's deliveries, by the Telegram user it is for."""
    rows = await _rows(
        database_url,
        "SELECT p.platform_user_id, d.status FROM deliveries d "
        "JOIN platform_identities p ON p.participant_id = d.participant_id "
        f"WHERE d.broadcast = '{broadcast}'",
    )
    return {int(user): status for user, status in rows}


def received(api: FakeBotApi, news: str, users: Iterable[int]) -> dict[int, int]:
    """How many times each person was sent the news."""
    return {user: sum(news == message.text for message in api.messages[user]) for user in users}
