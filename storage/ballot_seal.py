"""Sealing a closed ballot inside the database, with no row passing through Python.

For each of the box, the receipts, the roll and the invite codes, the ballot's rows are copied
into a temporary table (box rows under new random ids made by the database), deleted, and
inserted again from the copy in a random order. The box, receipts and codes are inserted in the
order of their keys, which are random (the new ids, random receipt codes, hashes of random
invite codes): a random order that the primary key index takes in sequence, far faster than
random places. The roll's key is the participant's number, so it goes ``ORDER BY random()``.
All of it runs in the caller's transaction, so on PostgreSQL every sealed row carries the
closing transaction's id.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Column, ColumnElement, MetaData, Table, Text, delete, func, insert, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.schema import CreateTable, DropTable

from storage.models import (
    BallotBoxRecord,
    BallotCodeRecord,
    BallotDraftRecord,
    BallotReceiptRecord,
    BallotRollRecord,
)

_SEALED: tuple[tuple[Table, str | None], ...] = tuple(
    (cast(Table, record.__table__), key)
    for record, key in (
        (BallotBoxRecord, "id"),
        (BallotReceiptRecord, "receipt"),
        (BallotRollRecord, None),
        (BallotCodeRecord, "code_hash"),
    )
)
"""The tables sealed, each with its random key to insert in order (None: ORDER BY random())."""


def _random_id(dialect: str) -> ColumnElement[str]:
    """32 lowercase hex digits from the database's strong random source.

    PostgreSQL: a version 4 UUID (122 random bits) without its dashes; SQLite: 16 random bytes.
    """
    if dialect == "postgresql":
        return func.replace(sql_cast(func.gen_random_uuid(), Text), "-", "")
    return func.lower(func.hex(func.randomblob(16)))


async def seal(session: AsyncConnection, ballot_id: int) -> None:
    """Drop the ballot's drafts; store its box (new ids), receipts, roll and codes shuffled."""
    await session.execute(delete(BallotDraftRecord).where(BallotDraftRecord.ballot_id == ballot_id))
    for table, key in _SEALED:
        await _reshuffle(session, table, key, ballot_id)


async def _reshuffle(
    session: AsyncConnection, table: Table, key: str | None, ballot_id: int
) -> None:
    """Copy one ballot's rows aside, delete them and put them back in a random order."""
    copy = Table(
        f"sealing_{table.name}",
        MetaData(),
        *(Column(c.name, c.type) for c in table.columns),
        prefixes=["TEMPORARY"],
    )
    names = [c.name for c in table.columns]
    old: list[ColumnElement[Any]] = list(table.columns)
    if "id" in table.columns:  # the box: new ids
        old[names.index("id")] = _random_id(session.dialect.name)
    await session.execute(CreateTable(copy))
    await session.execute(
        insert(copy).from_select(names, select(*old).where(table.c.ballot_id == ballot_id))
    )
    await session.execute(delete(table).where(table.c.ballot_id == ballot_id))
    order = func.random() if key is None else copy.c[key]
    await session.execute(insert(table).from_select(names, select(copy).order_by(order)))
    await session.execute(DropTable(copy))  # on failure, the rollback drops it
