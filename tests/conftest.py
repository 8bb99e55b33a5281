"""Shared fixtures: every storage-backed test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
import pytest
from sqlalchemy import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from core.ports import UnitOfWorkFactory
from storage.database import make_engine, upgrade
from storage.unit_of_work import sql_unit_of_work_factory

DEFAULT_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"

# News waits out the quiet hours and school hours, so a suite run at night or on a school day
# would wait too. Bots started by the tests (and their subprocesses) send at any hour; tests of
# the quiet and school hours set their own.
os.environ["YOUSAID_QUIET_HOURS"] = "off"
os.environ["YOUSAID_SCHOOL_HOURS"] = "off"


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """URL of an empty database: a SQLite file, or a throwaway PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'yousaid.db'}"
        return
    server = make_url(os.environ.get("YOUSAID_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL))
    try:
        admin = await asyncpg.connect(
            server.set(drivername="postgresql").render_as_string(hide_password=False),
            timeout=5,
        )
    except (OSError, TimeoutError, asyncpg.PostgresError) as error:
        message = f"PostgreSQL not reachable at {server.render_as_string()}: {error}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    name = f"yousaid_test_{secrets.token_hex(6)}"
    try:
        await admin.execute(f"CREATE DATABASE {name}")
        yield server.set(database=name).render_as_string(hide_password=False)
        await admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
    finally:
        await admin.close()


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on a database migrated to the latest schema."""
    engine = make_engine(database_url)
    await upgrade(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
def uow_factory(engine: AsyncEngine) -> UnitOfWorkFactory:
    """Units of work over the migrated test database."""
    return sql_unit_of_work_factory(engine)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many tests ran on each database, so a skipped PostgreSQL suite shows."""
    for backend in ("sqlite", "postgresql"):
        tally = {
            outcome: sum(
                f"[{backend}" in report.nodeid or f"-{backend}" in report.nodeid
                for report in terminalreporter.stats.get(outcome, [])
            )
            for outcome in ("passed", "failed", "skipped", "error")
        }
        summary = ", ".join(f"{n} {outcome}" for outcome, n in tally.items() if n)
        terminalreporter.write_line(f"database {backend}: {summary or 'no tests'}")
