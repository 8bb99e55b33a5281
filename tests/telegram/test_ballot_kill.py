"""A kill -9 of the real ``yousaid run`` process while members vote loses no cast vote.

Members of a forum vote at once in a secret ballot; the bot is killed with SIGKILL a few times
(at seeded random moments) and started again; whoever has no receipt yet tries again. In the
end the database holds exactly one vote in the box for every roll entry marked voted, everyone
who was sent a receipt is marked voted, and a try after the restart is told kindly that the
vote is already counted.
"""

import asyncio
import os
import random
import signal
import sys
from pathlib import Path

from sqlalchemy import text

from core import texts
from storage.database import make_engine
from tests.telegram.fake_bot_api import BOT_USERNAME, TOKEN, FakeBotApi, Sent
from tests.telegram.people import Member

YOUSAID = str(Path(sys.executable).with_name("yousaid"))
GROUP = -100900
ADMIN = 990
VOTERS = tuple(range(5101, 5115))  # 14 members
QUESTION = "Where should the summer trip go?"
OPTIONS = ("Beach", "Hills", "Castle")
KILLS = 2
STEP_WAIT = 4.0
RECEIPT = "Your receipt code is "


class Bot:
    """The ``yousaid run`` process, started again after each kill."""

    def __init__(self, api: FakeBotApi, tmp_path: Path, database_url: str, **env: str) -> None:
        self.api = api
        self.tmp_path = tmp_path
        self.database_url = database_url
        self.env = env
        """Settings of its own, over those every start has."""
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0

    async def start(self) -> None:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("YOUSAID_")}
        environment = {
            **clean,
            "YOUSAID_TELEGRAM_TOKEN": TOKEN,
            "YOUSAID_TELEGRAM_API_BASE": self.api.url,
            "YOUSAID_DATABASE_URL": self.database_url,
            "YOUSAID_HTTP_LISTEN": "127.0.0.1:0",
            "YOUSAID_QUIET_HOURS": "off",
            "YOUSAID_TELEGRAM_CHAT_MESSAGES_PER_SECOND": "20",
            **self.env,
        }
        self.starts += 1
        log = (self.tmp_path / f"bot{self.starts}.log").open("wb")
        polls = self._polls()
        self.process = await asyncio.create_subprocess_exec(
            YOUSAID,
            "run",
            cwd=self.tmp_path,
            env=environment,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )
        log.close()
        await self.api.wait_for(lambda: self._polls() > polls, 60)

    def _polls(self) -> int:
        return sum(method == "getUpdates" for method, _ in self.api.calls)

    async def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()
        self.process = None

    async def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 30)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
            self.process = None


def start_payload(button: dict) -> str:
    prefix = f"https://t.me/{BOT_USERNAME}?start="
    assert button["url"].startswith(prefix)
    return button["url"].removeprefix(prefix)


def state(api: FakeBotApi, chat_id: int) -> tuple[int, int]:
    """Changes whenever the bot sends or edits a message in the chat."""
    messages = api.messages[chat_id]
    return len(messages), sum(message.edits for message in messages)


async def step(api: FakeBotApi, chat_id: int, push) -> Sent | None:
    """Do one thing and wait for the bot to answer it; None if it doesn't (it was killed)."""
    before = state(api, chat_id)
    push()
    try:
        await api.wait_for(lambda: state(api, chat_id) != before, STEP_WAIT)
    except TimeoutError:
        return None
    return api.last(chat_id)


async def open_ballot(api: FakeBotApi) -> str:
    """Everyone joins the forum, the admin opens the ballot; its start payload."""
    api.members[(GROUP, ADMIN)] = "administrator"
    api.bot_added(GROUP, ADMIN, "Trip Forum")
    api.message(GROUP, ADMIN, "/members")

    def join_button() -> list[Sent]:
        return [m for m in api.messages[GROUP] if texts.BUTTON_JOIN in str(m.reply_markup)]

    await api.wait_for(join_button, 30)
    join = start_payload(join_button()[0].button(texts.BUTTON_JOIN))
    joined = await asyncio.gather(*(Member(api, voter).onboard(join) for voter in VOTERS))
    await api.wait_for(
        lambda: all(
            any(texts.JOINED.format(title='"Trip Forum"') in t for t in api.texts(voter))
            for voter in VOTERS
        ),
        30,
    )
    assert len(joined) == len(VOTERS)
    said = len(api.messages[GROUP])
    api.message(GROUP, ADMIN, f"/ballot irv 30m turnout=2 {QUESTION} | {' | '.join(OPTIONS)}")
    await api.wait_for(
        lambda: any(m.text.startswith("🗳 Secret vote:") for m in api.messages[GROUP][said:]), 30
    )
    [announcement] = [m for m in api.messages[GROUP][said:] if m.text.startswith("🗳")]
    return start_payload(announcement.button(texts.BUTTON_VOTE_PRIVATELY))


def receipts_sent(api: FakeBotApi) -> dict[int, set[str]]:
    """Every receipt code the bot asked Telegram to show, by chat."""
    sent: dict[int, set[str]] = {}
    for method, params in api.calls:
        if method in ("sendMessage", "editMessageText") and RECEIPT in params.get("text", ""):
            code = params["text"].split(RECEIPT)[1][:11]
            sent.setdefault(int(params["chat_id"]), set()).add(code)
    return sent


async def vote_until_counted(api: FakeBotApi, voter: int, start: str, rng: random.Random) -> str:
    """Try to vote until there is a receipt or the bot says the vote is counted."""
    order = rng.sample(OPTIONS, len(OPTIONS))
    await asyncio.sleep(rng.uniform(0, 2.5))
    for _ in range(40):
        if voter in receipts_sent(api):
            return "receipt"
        screen = await step(api, voter, lambda: api.message(voter, voter, f"/start {start}"))
        if screen is None:
            continue
        if screen.text == texts.BALLOT_ALREADY_COUNTED:
            return "already counted"
        if QUESTION not in screen.text:
            continue
        for _ in range(len(OPTIONS) + 2):  # the draft may hold picks from before a kill
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
    raise AssertionError(f"{voter} could not vote: {api.texts(voter)[-3:]}")


async def kill_now_and_then(bot: Bot, voting: asyncio.Future, rng: random.Random) -> int:
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


async def ballot_tables(database_url: str) -> dict[str, int | list]:
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


async def test_a_kill_9_while_members_vote_loses_no_vote_and_counts_none_twice(
    api, tmp_path, database_url
):
    rng = random.Random(20261202)
    bot = Bot(api, tmp_path, database_url)
    await bot.start()
    try:
        start = await open_ballot(api)
        voting = asyncio.gather(
            *(
                vote_until_counted(api, voter, start, random.Random(rng.random()))
                for voter in VOTERS
            )
        )
        kills = await kill_now_and_then(bot, voting, random.Random(rng.random()))
        outcomes = await asyncio.wait_for(voting, 90)
        assert kills >= 1, "the bot was killed while votes were being cast"
        assert len(outcomes) == len(VOTERS)

        # After the last restart, a second try is told kindly the vote is already counted.
        for voter in VOTERS:
            again = await step(api, voter, lambda v=voter: api.message(v, v, f"/start {start}"))
            assert again is not None and again.text == texts.BALLOT_ALREADY_COUNTED
    finally:
        await bot.stop()

    tables = await ballot_tables(database_url)
    voted = {int(user) for user, marked in tables["roll"] if marked}
    assert len(tables["roll"]) == len(VOTERS), "one roll entry per member"
    assert tables["box"] == len(voted), "every roll entry marked voted has its vote in the box"
    assert len(tables["receipts"]) == len(voted)
    sent = receipts_sent(api)
    assert set(sent) <= voted, "everyone sent a receipt is marked voted"
    assert all(len(codes) == 1 for codes in sent.values()), "no one got two receipts"
    assert {code for codes in sent.values() for code in codes} <= set(tables["receipts"])
    assert voted == set(VOTERS), "every member's vote was counted, once"
