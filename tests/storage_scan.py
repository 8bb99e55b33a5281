"""Looking through every row of every table of a database for given values.

The tables come from the database itself (schema inspection), not from the models, so a table
added later is searched too.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, MetaData, select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.database import make_engine


def _rows(connection: Connection) -> dict[str, list[dict[str, Any]]]:
    metadata = MetaData()
    metadata.reflect(connection)
    return {
        name: [dict(row._mapping) for row in connection.execute(select(table))]
        for name, table in metadata.tables.items()
    }


async def all_rows(engine: AsyncEngine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, as column -> value."""
    async with engine.connect() as connection:
        return await connection.run_sync(_rows)


async def all_rows_at(database_url: str) -> dict[str, list[dict[str, Any]]]:
    """``all_rows`` for a database URL, on an engine of its own."""
    engine = make_engine(database_url)
    try:
        return await all_rows(engine)
    finally:
        await engine.dispose()


def _text(value: Any) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def holding(
    rows: dict[str, list[dict[str, Any]]], needles: list[str]
) -> list[tuple[str, str, str]]:
    """``(table, column, value)`` of every value that contains one of the needles."""
    found = []
    for table, table_rows in rows.items():
        for row in table_rows:
            for column, value in row.items():
                text = _text(value)
                if value is not None and any(needle in text for needle in needles):
                    found.append((table, column, text))
    return found


def without(rows: dict[str, list[dict[str, Any]]], *tables: str) -> dict[str, list[Any]]:
    """The rows of all tables but these, for comparing before and after."""
    return {name: sorted(map(repr, found)) for name, found in rows.items() if name not in tables}


def messages_stopped(rows: dict[str, list[dict[str, Any]]], platform_user_id: str) -> bool:
    """Whether the participant reached at ``platform_user_id`` asked for no more messages."""
    [identity] = [
        r for r in rows["platform_identities"] if r["platform_user_id"] == platform_user_id
    ]
    [person] = [r for r in rows["participants"] if r["id"] == identity["participant_id"]]
    return bool(person["messages_stopped"])
