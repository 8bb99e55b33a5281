"""Sealing a closed ballot inside the database, with no row passing through Python.

For each of the box, the receipts, the roll and the invite codes, the ballot's rows are copied
into a temporary table, deleted, and inserted again from the copy ``ORDER BY random()``; box
rows get new random ids made by the database. All of it runs in the caller's transaction, so
on PostgreSQL every sealed row carries the closing transaction's id.
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

_SEALED = tuple(
    cast(Table, record.__table__)
    for record in (BallotBoxRecord, BallotReceiptRecord, BallotRollRecord, BallotCodeRecord)
)


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
    for table in _SEALED:
        await _reshuffle(session, table, ballot_id)


async def _reshuffle(session: AsyncConnection, table: Table, ballot_id: int) -> None:
    """Copy one ballot's rows aside, delete them and put them back in a random order."""
    kept = [c for c in table.columns if c.name != "id"]  # the box's id is made anew
    copy = Table(
        f"sealing_{table.name}",
        MetaData(),
        *(Column(c.name, c.type) for c in kept),
        prefixes=["TEMPORARY"],
    )
    await session.execute(CreateTable(copy))
    await session.execute(
        insert(copy).from_select(
            [c.name for c in kept], select(*kept).where(table.c.ballot_id == ballot_id)
        )
    )
    await session.execute(delete(table).where(table.c.ballot_id == ballot_id))
    names = [c.name for c in kept]
    columns: list[ColumnElement[Any]] = list(copy.columns)
    if "id" in table.columns:
        names.insert(0, "id")
        columns.insert(0, _random_id(session.dialect.name))
    await session.execute(
        insert(table).from_select(names, select(*columns).order_by(func.random()))
    )
    await session.execute(DropTable(copy))  # on failure, the rollback drops it
