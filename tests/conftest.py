"""Shared fixtures: every storage-backed test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import queue
import secrets
import shutil
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
import pytest
from sqlalchemy import URL, make_url
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


class Templates:
    """Databases migrated once per worker, that each test needing the schema is copied from.

    Running the migrations takes seconds on PostgreSQL; copying a migrated database (``CREATE
    DATABASE ... TEMPLATE``, or a file copy on SQLite) takes a fraction of that.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.postgresql: str | None = None
        self.sqlite: Path | None = None

    async def sqlite_copy(self, target: Path) -> None:
        """Write a migrated SQLite database to ``target``."""
        if self.sqlite is None:
            template = self.folder / "template.db"
            await _migrate(f"sqlite+aiosqlite:///{template}")
            self.sqlite = template
        shutil.copyfile(self.sqlite, target)

    async def postgresql_template(self, admin: asyncpg.Connection, server: URL) -> str:
        """The name of a migrated PostgreSQL database to copy from."""
        if self.postgresql is None:
            name = f"yousaid_test_template_{secrets.token_hex(6)}"
            await admin.execute(f"CREATE DATABASE {name}")
            self.postgresql = name
            await _migrate(server.set(database=name).render_as_string(hide_password=False))
        return self.postgresql


async def _migrate(url: str) -> None:
    engine = make_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


def _postgres_server() -> URL:
    return make_url(os.environ.get("YOUSAID_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL))


async def _admin(server: URL) -> asyncpg.Connection:
    return await asyncpg.connect(
        server.set(drivername="postgresql").render_as_string(hide_password=False), timeout=5
    )


class Dropper:
    """Drops finished tests' PostgreSQL databases in a thread of its own.

    ``DROP DATABASE`` takes seconds on a busy server; the next test need not wait for it.
    """

    def __init__(self) -> None:
        self.queue: queue.Queue[str | None] = queue.Queue()
        self.failures: list[BaseException] = []
        self.thread = threading.Thread(target=self._run, name="drop databases", daemon=True)
        self.thread.start()

    def drop(self, name: str) -> None:
        """Drop the database ``name`` soon."""
        self.queue.put(name)

    def close(self) -> None:
        """Wait until every database is dropped; raise the first failure."""
        self.queue.put(None)
        self.thread.join()
        if self.failures:
            raise self.failures[0]

    def _run(self) -> None:
        while (name := self.queue.get()) is not None:
            try:
                asyncio.run(_drop(name))
            except Exception as error:
                self.failures.append(error)


async def _drop(name: str) -> None:
    admin = await _admin(_postgres_server())
    try:
        await admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
    finally:
        await admin.close()


@pytest.fixture(scope="session")
def dropper() -> Iterator[Dropper]:
    """Drops PostgreSQL databases in the background, all of them before the run ends."""
    running = Dropper()
    yield running
    running.close()


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory, dropper: Dropper) -> Iterator[Templates]:
    """This worker's migrated templates, dropped at the end of the run."""
    made = Templates(tmp_path_factory.mktemp("templates"))
    yield made
    if made.postgresql is not None:
        dropper.drop(made.postgresql)


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, templates: Templates, dropper: Dropper
) -> AsyncIterator[str]:
    """URL of a database of the test's own: a SQLite file, or a throwaway PostgreSQL database.

    It is empty, unless the test uses ``migrated_database_url``: then it holds the latest schema.
    """
    migrated = "migrated_database_url" in request.fixturenames
    if request.param == "sqlite":
        path = tmp_path / "yousaid.db"
        if migrated:
            await templates.sqlite_copy(path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    server = _postgres_server()
    try:
        admin = await _admin(server)
    except (OSError, TimeoutError, asyncpg.PostgresError) as error:
        message = f"PostgreSQL not reachable at {server.render_as_string()}: {error}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    name = f"yousaid_test_{secrets.token_hex(6)}"
    try:
        template = await templates.postgresql_template(admin, server) if migrated else "template1"
        await admin.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
        yield server.set(database=name).render_as_string(hide_password=False)
        dropper.drop(name)
    finally:
        await admin.close()


@pytest.fixture
def migrated_database_url(database_url: str) -> str:
    """URL of the test's database (``database_url``) holding the latest schema."""
    return database_url


@pytest.fixture
async def engine(migrated_database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on a database holding the latest schema (copied from a migrated template)."""
    engine = make_engine(migrated_database_url)
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
