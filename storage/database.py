"""Engines and schema migrations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, event, make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATION_LOCK = 0x596F7554
"""The PostgreSQL advisory lock held while migrating, so instances starting together queue."""


def make_engine(url: str) -> AsyncEngine:
    """Create an async engine.

    SQLite connections get foreign keys, WAL and a busy timeout, and every transaction starts
    with ``BEGIN IMMEDIATE``: writers queue for the lock instead of failing half-way, and each
    unit of work reads one consistent snapshot. As every transaction takes the write lock, a
    SQLite file gets one pooled connection: units of work queue for it in order, instead of
    polling SQLite's lock in its busy handler (under load that took seconds and ended in
    "database is locked"). ``synchronous=NORMAL`` is WAL's usual setting: a commit survives the
    process being killed; only a power cut or OS crash may lose the last commits.

    Statement parameters (what people typed) are left out of error messages, and so of logs.
    """
    engine = create_async_engine(url, hide_parameters=True, **_pool_options(url))
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _set_sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _begin_immediate)
    return engine


def _pool_options(url: str) -> dict[str, Any]:
    """One connection for a SQLite file; the default pool otherwise."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return {"pool_size": 1, "max_overflow": 0}
    return {}


def _set_sqlite_pragmas(dbapi_connection: Any, _connection_record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA secure_delete=ON")  # deleted rows (ballot drafts, old box) are zeroed
    cursor.close()


def _begin_immediate(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Apply the Alembic migrations up to ``revision`` (all of them by default), in one transaction.

    On PostgreSQL the migration runs under an advisory lock: instances starting at the same
    moment migrate one after the other, and the later ones find nothing left to do. On SQLite,
    foreign keys are off while migrating: changing a table there means copying it and dropping
    the old one, which would otherwise delete every row that refers to it. The references are
    checked before the migration is committed.
    """
    async with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            await connection.run_sync(_foreign_keys, False)
        try:
            async with connection.begin():
                if connection.dialect.name == "postgresql":
                    lock = text("SELECT pg_advisory_xact_lock(:key)")
                    await connection.execute(lock, {"key": MIGRATION_LOCK})
                await connection.run_sync(_upgrade, revision)
        finally:
            if sqlite:
                await connection.run_sync(_foreign_keys, True)


def _foreign_keys(connection: Connection, on: bool) -> None:
    """Switch SQLite's foreign keys (only possible outside a transaction)."""
    connection.connection.dbapi_connection.execute(  # type: ignore[union-attr]
        f"PRAGMA foreign_keys={'ON' if on else 'OFF'}"
    )


def _upgrade(connection: Connection, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    config.attributes["connection"] = connection
    command.upgrade(config, revision)
    if connection.dialect.name == "sqlite":
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"migration to {revision} left broken references: {broken[:3]}")
