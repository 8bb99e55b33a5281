"""The ballot box read grouped, and a closed ballot sealed inside the database (both databases)."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from core.domain import Ballot, BallotDraft, BallotStatus, Electorate
from core.messages import Platform
from core.ports import UnitOfWorkFactory

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
VOTERS = 40
SEALED = {
    "ballot_box": "choice",
    "ballot_receipts": "receipt",
    "ballot_roll": "participant_id, voted",
    "ballot_codes": "code_hash, used",
}
"""The tables sealing stores again, and the columns it keeps (the box gets new ids)."""


def new_ballot(forum_id: int, token: str) -> Ballot:
    return Ballot(
        id=0,
        token=token,
        forum_id=forum_id,
        chat_id="-100",
        platform=Platform.TELEGRAM,
        question="Which one?",
        options=["A", "B", "C", "D"],
        method="irv",
        seats=1,
        ron=False,
        opens_at=T0,
        closes_at=T0 + timedelta(days=1),
        min_turnout=5,
        electorate=Electorate.MEMBERS,
        status=BallotStatus.OPEN,
    )


async def rows(engine: AsyncEngine, sql: str, **params: object) -> list[tuple[object, ...]]:
    async with engine.connect() as connection:
        return [tuple(row) for row in await connection.execute(text(sql), params)]


async def stored(engine: AsyncEngine, table: str, ballot_id: int) -> list[tuple[object, ...]]:
    """One ballot's rows of a table in the order they sit in the database."""
    if engine.dialect.name == "postgresql":
        order = "ORDER BY ctid"
    else:  # the box and the receipts have no row numbers: they sit in key order
        order = "" if table in ("ballot_box", "ballot_receipts") else "ORDER BY rowid"
    sql = f"SELECT {SEALED[table]} FROM {table} WHERE ballot_id = :b {order}"
    return await rows(engine, sql, b=ballot_id)


async def test_the_box_gives_each_distinct_choice_once_with_how_often_it_was_cast(
    uow_factory: UnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        forum = await uow.forums.register(Platform.TELEGRAM, "-100", "Forum", T0)
        ranked = await uow.ballots.add(new_ballot(forum.id, "r"), T0)
        other = await uow.ballots.add(new_ballot(forum.id, "o"), T0)
        for n, choice in enumerate([[2, 0], [1], [2, 0], [0, 1, 2], [2, 0], [1]]):
            await uow.ballots.put_in_box(ranked.id, f"r{n:031x}", choice)
        await uow.ballots.put_in_box(other.id, "o" * 32, [3])
        await uow.commit()
    async with uow_factory() as uow:
        box = uow.ballots.box
        assert sorted(await box(ranked.id)) == [([0, 1, 2], 1), ([1], 2), ([2, 0], 3)]
        assert sorted(await box(ranked.id, first_only=True)) == [([0], 1), ([1], 2), ([2], 3)]
        assert await box(other.id) == [([3], 1)]
        await uow.ballots.discard_choices(ranked.id)
        assert await box(ranked.id) == [(None, 6)]
        assert await box(ranked.id, first_only=True) == [(None, 6)]


async def test_sealing_stores_one_ballots_rows_again_shuffled_with_new_box_ids(
    uow_factory: UnitOfWorkFactory, engine: AsyncEngine
) -> None:
    async with uow_factory() as uow:
        forum = await uow.forums.register(Platform.TELEGRAM, "-100", "Forum", T0)
        sealed = await uow.ballots.add(new_ballot(forum.id, "s"), T0)
        kept = await uow.ballots.add(new_ballot(forum.id, "k"), T0)
        people = [
            (await uow.participants.add(Platform.TELEGRAM, str(n), T0)).id for n in range(VOTERS)
        ]
        for ballot in (sealed, kept):
            for n, person in enumerate(people):  # in casting order; box ids in that order too
                await uow.ballots.add_to_roll(ballot.id, person)
                if n % 3:
                    await uow.ballots.mark_voted(ballot.id, person)
                    await uow.ballots.put_in_box(ballot.id, f"{ballot.id}{n:031x}", [n % 4])
                    await uow.ballots.add_receipt(ballot.id, secrets.token_hex(8))
            await uow.ballots.add_codes(ballot.id, [secrets.token_hex(32) for _ in range(VOTERS)])
            await uow.ballots.add_draft(BallotDraft(ballot.id, people[0], f"d{ballot.token}", [1]))
        await uow.commit()
    before = {
        (table, ballot.id): await stored(engine, table, ballot.id)
        for table in SEALED
        for ballot in (sealed, kept)
    }
    old_ids = await rows(engine, "SELECT id FROM ballot_box")

    async with uow_factory() as uow:
        await uow.ballots.seal(sealed.id)
        await uow.commit()

    for table in SEALED:
        after = await stored(engine, table, sealed.id)
        assert sorted(after) == sorted(before[table, sealed.id]), f"{table}: the same rows"
        if (table, engine.dialect.name) != ("ballot_receipts", "sqlite"):  # key order there
            assert after != before[table, sealed.id], f"{table}: stored in a new order"
        assert await stored(engine, table, kept.id) == before[table, kept.id], "left alone"
    boxed = await rows(engine, "SELECT id FROM ballot_box WHERE ballot_id = :b", b=sealed.id)
    new_ids = [vote_id for (vote_id,) in boxed]
    assert len(set(new_ids)) == len(new_ids) and not set(new_ids) & {i for (i,) in old_ids}
    assert all(re.fullmatch(r"[0-9a-f]{32}", str(vote_id)) for vote_id in new_ids)
    assert await rows(engine, "SELECT ballot_id FROM ballot_drafts") == [(kept.id,)]
    if engine.dialect.name == "postgresql":
        union = " UNION ".join(
            f"SELECT xmin::text FROM {table} WHERE ballot_id = :b" for table in SEALED
        )
        assert len(await rows(engine, union, b=sealed.id)) == 1, "written by one transaction"
