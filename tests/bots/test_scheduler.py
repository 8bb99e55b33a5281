"""The scheduler keeps its jobs in the project database, catches up once, and has one leader."""

import asyncio
import contextlib
import os
import signal
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bots.scheduler import JOBS_TABLE, Every, job_store_url, run_scheduler
from storage.database import make_engine


def test_the_job_store_uses_a_synchronous_driver_on_the_same_database():
    assert job_store_url("sqlite+aiosqlite:///./y.db") == "sqlite:///./y.db"
    assert (
        job_store_url("postgresql+asyncpg://u:p@127.0.0.1:5432/db")
        == "postgresql+psycopg://u:p@127.0.0.1:5432/db"
    )


async def _stored_next_run(database_url):
    """The stored jobs' next run times; none before the scheduler has made its table."""
    engine = make_engine(database_url)
    try:
        async with engine.connect() as connection:
            try:
                query = text(f"SELECT id, next_run_time FROM {JOBS_TABLE}")
                rows = await connection.execute(query)
            except DBAPIError:
                return {}
            return dict(rows.all())
    finally:
        await engine.dispose()


def _pretend_down_since(database_url, job_id, when):
    """Set the stored job's next run back in time, as if the bot had been down since then."""
    store = SQLAlchemyJobStore(url=job_store_url(database_url), tablename=JOBS_TABLE)
    store.start(BackgroundScheduler(timezone=UTC), "default")
    try:
        job = store.lookup_job(job_id)
        job.next_run_time = when
        store.update_job(job)
    finally:
        store.shutdown()


async def _wait_until(predicate, within=20.0):
    deadline = time.monotonic() + within
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_jobs_survive_a_restart_and_missed_runs_run_once(database_url):
    runs = []

    async def work():
        runs.append(time.time())

    job = Every("tidy_up", 3600, work)
    task = asyncio.create_task(run_scheduler(database_url, [job], check_every=0.2))
    stored = {}
    for _ in range(300):
        stored = await _stored_next_run(database_url)
        if "tidy_up" in stored:
            break
        await asyncio.sleep(0.1)
    assert stored["tidy_up"] > time.time() + 3000, "stored with its next run an hour away"
    assert runs == [], "not due yet"
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task

    three_runs_missed = datetime.now(UTC) - timedelta(hours=3, minutes=1)
    await asyncio.to_thread(_pretend_down_since, database_url, "tidy_up", three_runs_missed)
    task = asyncio.create_task(run_scheduler(database_url, [job], check_every=0.2))
    try:
        await _wait_until(lambda: len(runs) >= 1)
        await asyncio.sleep(1.0)
        assert len(runs) == 1, "three missed runs are coalesced into one"
        assert (await _stored_next_run(database_url))["tidy_up"] > time.time() + 3000
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


LEADER_SCRIPT = textwrap.dedent(
    """
    import asyncio, sys
    from bots.scheduler import Every, run_scheduler

    url, label, log = sys.argv[1:4]

    async def work():
        with open(log, "a") as out:
            out.write(label + "\\n")

    asyncio.run(run_scheduler(url, [Every("beat", 0.2, work)], check_every=0.2))
    """
)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_one_leader_at_a_time_and_a_standby_takes_over_when_it_dies(database_url, tmp_path):
    log = tmp_path / "beats.log"
    log.touch()

    async def start(label):
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            LEADER_SCRIPT,
            database_url,
            label,
            str(log),
            env={**os.environ},
        )

    def labels():
        return log.read_text().split()

    first = await start("first")
    await _wait_until(lambda: "first" in labels(), 30)
    second = await start("second")
    try:
        await asyncio.sleep(2.0)
        assert "second" not in labels(), "the standby runs nothing while the leader lives"
        first.send_signal(signal.SIGKILL)
        await first.wait()
        killed_at = time.monotonic()
        await _wait_until(lambda: "second" in labels(), 30)
        assert time.monotonic() - killed_at < 30
    finally:
        for process in (first, second):
            if process.returncode is None:
                process.send_signal(signal.SIGKILL)
                await process.wait()


async def test_the_running_bot_chases_red_cards_every_ten_minutes(tmp_path):
    from bots.runner import scheduled_work
    from bots.wiring import open_core

    async with open_core(f"sqlite+aiosqlite:///{tmp_path}/j.db", with_bundled=False) as core:
        jobs = {job.name: job for job in scheduled_work(core)}
        chase = jobs["chase_red_cards"]
        assert chase.seconds == 600
        assert chase.work == core.chase_red_cards
        assert await chase.work() == 0
