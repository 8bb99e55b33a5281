"""Timed work that survives restarts: APScheduler 3 with its job store in the project database.

Recurring jobs (closing ballots, re-sending safeguarding alerts, clearing old delivery keys) are
kept in the ``scheduled_jobs`` table with their next run time. A job that fell due while the bot
was down runs once when it starts again: missed runs are coalesced into one. Only one process
runs the scheduler at a time. On PostgreSQL that is the process holding an advisory lock; when it
stops or loses its connection, the lock is freed and a waiting process takes over. SQLite serves
one process, which always runs the scheduler.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC
from typing import Protocol

import asyncpg  # type: ignore[import-untyped]
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore  # type: ignore[import-untyped]
from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]
from sqlalchemy import make_url
from sqlalchemy.exc import OperationalError

log = logging.getLogger(__name__)

JOBS_TABLE = "scheduled_jobs"
LEADER_LOCK = 0x596F7553
"""The PostgreSQL advisory lock key held by the process that runs the scheduler."""
BUSY_TIMEOUT = 1.0
"""Seconds the job store waits for a busy SQLite database. Its calls block the event loop
while they wait (APScheduler's store is synchronous), so the wait is short: a failed call is
logged and tried again soon (``STORE_RETRY``)."""
STORE_RETRY = 1.0
"""Seconds before asking the job store for due jobs again after it failed (APScheduler: 10)."""
CHECK_EVERY = 5.0
"""Seconds between checks that this process still leads (or may now lead)."""

Work = Callable[[], Awaitable[object]]


@dataclass(frozen=True, slots=True)
class Every:
    """A job: run ``work`` every ``seconds``; its name is its id in the job store."""

    name: str
    seconds: float
    work: Work


_work_by_name: dict[str, Work] = {}
"""The work behind each job name in this process; the job store keeps only the name."""
_running: set[asyncio.Task[object]] = set()
"""Jobs running now: stopped when this process stops leading, so two leaders never overlap."""
STOP_WITHIN = 10.0
"""Seconds a running job gets to wind down once cancelled."""


async def run_job(name: str) -> None:
    """Run one stored job by name; a failure is logged and the job runs again next time."""
    work = _work_by_name.get(name)
    if work is None:
        log.warning("scheduled job %s has no work in this process", name)
        return
    task = asyncio.current_task()
    if task is not None:
        _running.add(task)
    try:
        await work()
    except Exception:
        log.exception("scheduled job %s failed", name)
    finally:
        _running.discard(task)


def job_store_url(database_url: str) -> str:
    """The same database for APScheduler's job store, through a synchronous driver."""
    url = make_url(database_url)
    driver = "sqlite" if url.get_backend_name() == "sqlite" else "postgresql+psycopg"
    return url.set(drivername=driver).render_as_string(hide_password=False)


class Leadership(Protocol):
    """Who may run the scheduler."""

    async def acquire(self) -> None:
        """Return once this process leads."""
        ...

    async def still_held(self) -> bool:
        """True while this process still leads."""
        ...

    async def release(self) -> None:
        """Stop leading."""
        ...


class OnlyProcess:
    """SQLite: the one process always leads."""

    async def acquire(self) -> None:
        """Lead at once."""

    async def still_held(self) -> bool:
        """Always."""
        return True

    async def release(self) -> None:
        """Nothing to free."""


class AdvisoryLock:
    """PostgreSQL: lead while holding a session advisory lock on a connection of our own."""

    def __init__(self, database_url: str, check_every: float = CHECK_EVERY) -> None:
        url = make_url(database_url).set(drivername="postgresql")
        self._dsn = url.render_as_string(hide_password=False)
        self._check_every = check_every
        self._connection: asyncpg.Connection | None = None

    async def acquire(self) -> None:
        """Try for the lock until it is ours."""
        while True:
            try:
                if self._connection is None or self._connection.is_closed():
                    self._connection = await asyncpg.connect(self._dsn, timeout=10)
                if await self._connection.fetchval("SELECT pg_try_advisory_lock($1)", LEADER_LOCK):
                    log.info("this process now runs the scheduler")
                    return
            except (OSError, asyncpg.PostgresError) as error:
                log.warning("could not reach the database for the scheduler lock: %s", error)
                await self.release()
            await asyncio.sleep(self._check_every)

    async def still_held(self) -> bool:
        """The lock lives as long as its connection."""
        if self._connection is None or self._connection.is_closed():
            return False
        try:
            await self._connection.fetchval("SELECT 1", timeout=10)
        except (OSError, TimeoutError, asyncpg.PostgresError):
            return False
        return True

    async def release(self) -> None:
        """Close the connection, which frees the lock."""
        connection, self._connection = self._connection, None
        if connection is not None and not connection.is_closed():
            try:
                await connection.close(timeout=5)
            except (OSError, TimeoutError, asyncpg.PostgresError):
                connection.terminate()


def leadership_for(database_url: str, check_every: float = CHECK_EVERY) -> Leadership:
    """An advisory lock on PostgreSQL; on SQLite the one process leads."""
    if make_url(database_url).get_backend_name() == "sqlite":
        return OnlyProcess()
    return AdvisoryLock(database_url, check_every)


async def run_scheduler(
    database_url: str, jobs: list[Every], check_every: float = CHECK_EVERY
) -> None:
    """Run the jobs until cancelled, whenever this process leads."""
    _work_by_name.update({job.name: job.work for job in jobs})
    leadership = leadership_for(database_url, check_every)
    try:
        while True:
            await leadership.acquire()
            scheduler = _start(database_url, jobs)
            try:
                while await leadership.still_held():  # noqa: ASYNC110 - checks the database
                    await asyncio.sleep(check_every)
                log.warning("lost the scheduler lock; waiting to take it again")
            finally:
                scheduler.shutdown(wait=False)
                await _stop_running_jobs()
    finally:
        await leadership.release()


async def _stop_running_jobs() -> None:
    """Cancel the jobs still running and give them a moment to roll back."""
    running = list(_running)
    for task in running:
        task.cancel()
    if running:
        await asyncio.wait(running, timeout=STOP_WITHIN)


class _JobStore(SQLAlchemyJobStore):  # type: ignore[misc]
    """APScheduler's job store, riding out a busy database.

    APScheduler stops waking up for good when storing a job's next run fails, so a failure
    is logged instead; the job stays due and is stored again after its next run.
    """

    def update_job(self, job: object) -> None:
        """Store a job's next run, or log why it could not be stored this time."""
        try:
            super().update_job(job)
        except OperationalError as error:
            log.warning("could not store the next run of a job (%s)", error.orig)


def _start(database_url: str, jobs: list[Every]) -> AsyncIOScheduler:
    """Start APScheduler on the stored jobs, adding any that are new; missed runs run once."""
    url = job_store_url(database_url)
    sqlite = make_url(url).get_backend_name() == "sqlite"
    options = {"connect_args": {"timeout": BUSY_TIMEOUT}} if sqlite else {}
    store = _JobStore(url=url, tablename=JOBS_TABLE, engine_options=options)
    scheduler = AsyncIOScheduler(
        jobstores={"default": store},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        jobstore_retry_interval=STORE_RETRY,
        timezone=UTC,
    )
    scheduler.start(paused=True)
    for job in jobs:
        stored = scheduler.get_job(job.name)
        if stored is None or stored.trigger.interval.total_seconds() != job.seconds:
            scheduler.add_job(
                f"{__name__}:run_job",
                "interval",
                seconds=job.seconds,
                args=[job.name],
                id=job.name,
                replace_existing=True,
            )
    scheduler.resume()
    return scheduler
