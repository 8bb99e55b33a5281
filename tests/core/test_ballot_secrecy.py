"""Secret ballots under pressure: double presses at once, crashes mid-cast, the schema after
close, two linked platforms. On SQLite and on PostgreSQL (there truly concurrent)."""

import asyncio
import itertools
import re

import pytest
from sqlalchemy import DateTime, Integer, inspect, text

from core import texts
from core.messages import ButtonPress, Platform
from storage.ballot_repositories import SqlBallots
from tests.core.ballot_helpers import (
    Clock,
    add_members,
    make_bot,
    open_ballot,
    receipt_of,
)
from tests.core.chat import Person


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def bot(uow_factory, clock):
    return make_bot(uow_factory, clock)


async def rows(engine, sql: str, **params) -> list[tuple]:
    async with engine.connect() as connection:
        return [tuple(row) for row in await connection.execute(text(sql), params)]


async def test_200_presses_at_once_by_100_voters_give_exactly_100_votes(bot, uow_factory, engine):
    people = await add_members(bot, uow_factory, [f"v{n}" for n in range(100)])
    _, payload = await open_ballot(bot, "Best day? | Monday | Friday | Sunday")

    async def to_review(person: Person, key: str) -> str:
        await person.command("start", payload)
        await person.press(key)
        return person.button("cast")

    casts = await asyncio.gather(
        *(to_review(person, str(n % 3 + 1)) for n, person in enumerate(people))
    )
    presses = [
        ButtonPress(person.address, cast) for person, cast in zip(people, casts, strict=True)
    ]
    replies = await asyncio.gather(*(bot.handle(press) for press in presses * 2))

    said = [reply.text for [reply] in replies]
    counted = [text_ for text_ in said if text_.startswith("Your vote is counted.")]
    assert len(counted) == 100
    assert said.count(texts.BALLOT_ALREADY_COUNTED) == 100
    receipts = {receipt_of(text_) for text_ in counted}
    assert len(receipts) == 100
    assert await rows(engine, "SELECT count(*) FROM ballot_box") == [(100,)]
    assert await rows(engine, "SELECT count(DISTINCT receipt) FROM ballot_receipts") == [(100,)]
    assert await rows(engine, "SELECT count(*) FROM ballot_roll WHERE voted") == [(100,)]
    assert await rows(engine, "SELECT count(*) FROM ballot_drafts") == [(0,)]


async def test_a_crash_mid_cast_keeps_neither_the_roll_mark_nor_the_vote(
    bot, uow_factory, engine, monkeypatch
):
    [amy] = await add_members(bot, uow_factory, ["amy"])
    _, payload = await open_ballot(bot, "Best day? | Monday | Friday")
    await amy.command("start", payload)
    await amy.press("2")
    cast = amy.button("cast")

    async def crash(self, ballot_id, vote_id, choice):
        raise RuntimeError("the process died here")

    with monkeypatch.context() as patch:
        patch.setattr(SqlBallots, "put_in_box", crash)
        [failed] = await amy.press_id(cast)
    assert failed.text == texts.SOMETHING_WRONG
    assert await rows(engine, "SELECT voted FROM ballot_roll") == [(False,)]
    assert await rows(engine, "SELECT count(*) FROM ballot_box") == [(0,)]
    assert await rows(engine, "SELECT count(*) FROM ballot_receipts") == [(0,)]

    [done] = await amy.press_id(cast)
    assert done.text.startswith("Your vote is counted."), "the same screen can cast again"
    assert await rows(engine, "SELECT voted FROM ballot_roll") == [(True,)]
    assert await rows(engine, "SELECT choice FROM ballot_box") in ([([1],)], [("[1]",)])


def schema(connection):
    inspector = inspect(connection)
    return {
        table: {
            "columns": {c["name"]: c for c in inspector.get_columns(table)},
            "pk": inspector.get_pk_constraint(table)["constrained_columns"],
            "fks": inspector.get_foreign_keys(table),
        }
        for table in inspector.get_table_names()
    }


async def test_after_close_nothing_links_a_participant_to_a_vote(bot, uow_factory, engine, clock):
    async with engine.connect() as connection:
        tables = await connection.run_sync(schema)
    box, roll, receipts = tables["ballot_box"], tables["ballot_roll"], tables["ballot_receipts"]
    assert set(box["columns"]) == {"id", "ballot_id", "choice"}
    assert set(box["columns"]) & set(roll["columns"]) == {"ballot_id"}
    assert set(receipts["columns"]) & set(roll["columns"]) == {"ballot_id"}
    assert set(receipts["columns"]) & set(box["columns"]) == {"ballot_id"}
    for table in (box, roll, receipts):
        assert not [c for c in table["columns"].values() if isinstance(c["type"], DateTime)]
    assert box["pk"] == ["id"] and not isinstance(box["columns"]["id"]["type"], Integer)
    assert receipts["pk"] == ["receipt"]
    for table in (box, receipts):
        assert [fk["referred_table"] for fk in table["fks"]] == ["ballots"]
    for name, table in tables.items():
        referred = {fk["referred_table"] for fk in table["fks"]}
        assert not referred & {"ballot_box", "ballot_receipts"}, name
    if engine.dialect.name == "sqlite":
        for name in ("ballot_box", "ballot_receipts"):
            [(sql,)] = await rows(engine, "SELECT sql FROM sqlite_master WHERE name = :n", n=name)
            assert "WITHOUT ROWID" in sql, "no hidden insertion order"

    # 30 distinct choices (sets of 5 options) cast in a known order.
    subsets = [list(s) for size in (1, 2, 3, 4) for s in itertools.combinations(range(5), size)][
        :30
    ]
    people = await add_members(bot, uow_factory, [f"p{n:02}" for n in range(30)])
    _, payload = await open_ballot(bot, "approval Snacks? | A | B | C | D | E")
    for person, subset in zip(people, subsets, strict=True):
        await person.command("start", payload)
        for option in subset:
            await person.press(str(option + 1))
        await person.press("done")
        await person.press("cast")
        receipt_of(person.text)
    clock.advance(days=2)
    await bot.close_due_ballots()

    stored = [_choice(value) for (_, _, value) in await rows(engine, "SELECT * FROM ballot_box")]
    assert sorted(stored) == sorted(subsets)
    assert stored != subsets, "the box is not in the order votes were cast"
    assert await rows(engine, "SELECT DISTINCT voted FROM ballot_roll") == [(True,)]
    if engine.dialect.name == "postgresql":
        # Every row of the box and the roll was written by the one transaction that closed
        # the ballot: no row keeps the transaction id of the moment someone voted.
        xmins = await rows(
            engine, "SELECT xmin::text FROM ballot_box UNION SELECT xmin::text FROM ballot_roll"
        )
        assert len(xmins) == 1


def _choice(value) -> list[int]:
    import json

    return json.loads(value) if isinstance(value, str) else list(value)


async def link(bot, telegram: Person, discord: Person) -> None:
    await telegram.command("link")
    code = re.search(r"\b(\d{6})\b", telegram.text).group(1)
    await discord.command("link", code)
    assert discord.text == texts.LINK_DONE


async def test_someone_who_linked_telegram_and_discord_gets_one_vote(bot, uow_factory, engine):
    [on_telegram] = await add_members(bot, uow_factory, ["tg"])
    on_discord = Person(bot, "dc", Platform.DISCORD)
    await on_discord.command("start")  # began onboarding on Discord, never finished
    await link(bot, on_telegram, on_discord)
    async with uow_factory() as uow:
        one = await uow.participants.find_by_identity(Platform.TELEGRAM, "tg")
        other = await uow.participants.find_by_identity(Platform.DISCORD, "dc")
    assert one.id == other.id and other.onboarded
    assert await rows(engine, "SELECT count(*) FROM participants") == [(1,)]

    _, payload = await open_ballot(bot, "Best day? | Monday | Friday")
    await on_telegram.command("start", payload)
    await on_telegram.press("1")
    telegram_cast = on_telegram.button("cast")
    await on_discord.command("start", payload)
    assert texts.BALLOT_PLATFORM_SEES.format(platform="Discord") in on_discord.text
    assert "You chose:\n- Monday" in on_discord.text, "one person, one draft, on both apps"
    await on_discord.press("change")
    await on_discord.press("2")
    discord_cast = on_discord.button("cast")
    results = await asyncio.gather(
        on_discord.press_id(discord_cast), on_telegram.press_id(telegram_cast)
    )
    said = [reply.text for [reply] in results]
    assert said[0].startswith("Your vote is counted.")
    assert said[1].startswith(texts.BALLOT_OLD_BUTTON) or said[1] == texts.BALLOT_ALREADY_COUNTED
    await on_telegram.command("start", payload)
    assert on_telegram.text == texts.BALLOT_ALREADY_COUNTED
    assert await rows(engine, "SELECT count(*) FROM ballot_box") == [(1,)]


async def test_link_codes_are_refused_kindly_and_cannot_be_guessed(bot, uow_factory, clock):
    [tg] = await add_members(bot, uow_factory, ["tg"])
    [other] = await add_members(bot, uow_factory, ["taken"], Platform.DISCORD)
    stranger = Person(bot, "new", Platform.DISCORD)
    await stranger.command("link")
    assert stranger.text == texts.LINK_START_FIRST
    await tg.command("link")
    code = re.search(r"\b(\d{6})\b", tg.text).group(1)
    await tg.command("link", code)
    assert tg.text == texts.LINK_ALREADY_HERE
    await other.command("link", code)
    assert other.text == texts.LINK_ALREADY_HERE
    await stranger.command("link", "12 34")
    assert stranger.text == texts.LINK_HOW
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(10):
        await stranger.command("link", wrong)
        assert stranger.text == texts.LINK_BAD
    await stranger.command("link", code)
    assert stranger.text == texts.LINK_BAD, "too many wrong guesses: the code is dead"
    await tg.command("link")
    fresh = re.search(r"\b(\d{6})\b", tg.text).group(1)
    clock.advance(minutes=11)
    await stranger.command("link", fresh)
    assert stranger.text == texts.LINK_BAD, "expired"
    await tg.command("link")
    fresh = re.search(r"\b(\d{6})\b", tg.text).group(1)
    same_app = Person(bot, "tg2", Platform.TELEGRAM)
    await same_app.command("link", fresh)
    assert same_app.text == texts.LINK_SAME_APP
    await stranger.command("link", fresh)
    assert stranger.text == texts.LINK_DONE
