"""Members of a forum voting in a secret ballot through the fake Bot API, also while the bot
is being killed, and what the ballot's tables hold afterwards."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from core import texts
from storage.database import make_engine
from tests.telegram.bot_process import start_payload, step
from tests.telegram.fake_bot_api import FakeBotApi, Sent
from tests.telegram.people import Member

RECEIPT = "Your receipt code is "


@dataclass(frozen=True)
class Vote:
    """A forum's group, its admin, its voting members and the ballot they vote in."""

    group: int
    admin: int
    voters: tuple[int, ...]
    question: str = "Where should the summer trip go?"
    options: tuple[str, ...] = ("Beach", "Hills", "Castle")
    title: str = "Trip Forum"


async def open_ballot(api: FakeBotApi, vote: Vote) -> str:
    """Everyone joins the forum, the admin opens the ballot; its start payload."""
    api.members[(vote.group, vote.admin)] = "administrator"
    api.bot_added(vote.group, vote.admin, vote.title)
    api.message(vote.group, vote.admin, "/members")

    def join_button() -> list[Sent]:
        return [m for m in api.messages[vote.group] if texts.BUTTON_JOIN in str(m.reply_markup)]

    await api.wait_for(join_button, 30)
    join = start_payload(join_button()[0].button(texts.BUTTON_JOIN))
    await asyncio.gather(*(Member(api, voter).onboard(join) for voter in vote.voters))
    joined = texts.JOINED.format(title=f'"{vote.title}"')
    await api.wait_for(
        lambda: all(any(joined in t for t in api.texts(voter)) for voter in vote.voters), 30
    )
    said = len(api.messages[vote.group])
    api.message(
        vote.group,
        vote.admin,
        f"/ballot irv 30m turnout=2 {vote.question} | {' | '.join(vote.options)}",
    )
    await api.wait_for(
        lambda: any(m.text.startswith("🗳 Secret vote:") for m in api.messages[vote.group][said:]),
        30,
    )
    [announcement] = [m for m in api.messages[vote.group][said:] if m.text.startswith("🗳")]
    return start_payload(announcement.button(texts.BUTTON_VOTE_PRIVATELY))


def receipts_sent(api: FakeBotApi) -> dict[int, set[str]]:
    """Every receipt code the bot asked Telegram to show, by chat."""
    sent: dict[int, set[str]] = {}
    for method, params in api.calls:
        if method in ("sendMessage", "editMessageText") and RECEIPT in params.get("text", ""):
            code = params["text"].split(RECEIPT)[1][:11]
            sent.setdefault(int(params["chat_id"]), set()).add(code)
    return sent


async def vote_until_counted(
    api: FakeBotApi, vote: Vote, voter: int, start: str, rng: random.Random, tries: int = 40
) -> str:
    """Try to vote until there is a receipt or the bot says the vote is counted."""
    order = rng.sample(vote.options, len(vote.options))
    await asyncio.sleep(rng.uniform(0, 2.5))
    for _ in range(tries):
        if voter in receipts_sent(api):
            return "receipt"
        screen = await step(api, voter, lambda: api.message(voter, voter, f"/start {start}"))
        if screen is None:
            continue
        if screen.text == texts.BALLOT_ALREADY_COUNTED:
            return "already counted"
        if vote.question not in screen.text:
            continue
        for _ in range(len(vote.options) + 2):  # the draft may hold picks from before a kill
            await asyncio.sleep(rng.uniform(0.05, 0.3))
            labels = [button["text"] for button in screen.buttons()]
            wanted = [texts.BUTTON_CAST, *order, texts.BUTTON_DONE]
            label = next((label for label in wanted if label in labels), None)
            if label is None:  # not a voting screen: a receipt, or "already counted"
                break
            data = screen.button(label)["callback_data"]
            screen = await step(
                api, voter, lambda on=screen, data=data: api.press(on, voter, data=data)
            )
            if screen is None:
                break
        # A receipt is settled by the check above, an "already counted" by the next /start.
    if voter in receipts_sent(api):
        return "receipt"
    raise AssertionError(f"{voter} could not vote: {api.texts(voter)[-3:]}")


async def ballot_tables(database_url: str) -> dict[str, Any]:
    """The one ballot's roll (platform user id, voted), box size and receipt codes."""
    engine = make_engine(database_url)
    try:
        async with engine.connect() as connection:
            one = (await connection.execute(text("SELECT id FROM ballots"))).scalar_one()
            roll = (
                await connection.execute(
                    text(
                        "SELECT p.platform_user_id, r.voted FROM ballot_roll r "
                        "JOIN platform_identities p ON p.participant_id = r.participant_id "
                        "WHERE r.ballot_id = :b"
                    ),
                    {"b": one},
                )
            ).all()
            box = (
                await connection.execute(
                    text("SELECT count(*) FROM ballot_box WHERE ballot_id = :b"), {"b": one}
                )
            ).scalar_one()
            receipts = (
                await connection.execute(
                    text("SELECT receipt FROM ballot_receipts WHERE ballot_id = :b"), {"b": one}
                )
            ).scalars()
            return {"roll": list(roll), "box": box, "receipts": sorted(receipts)}
    finally:
        await engine.dispose()
