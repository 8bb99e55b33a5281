"""Load: many simulated people active at once against the real ``yousaid run`` process.

The bench's fake Bot API server (``bench/fake_telegram.py``, its own process) plays every
person: each is stored part-way through ``ward_time`` (``harness.seed``), sends ``/resume`` and
answers questions, then keeps chatting, each message as soon as the last one was answered,
until the time is up. Sending limits are lifted, so the bot is busy the whole time. The bot's
resident memory is read from ``/proc`` every second. Checks: no error in the bot's log, every
update answered, nobody stalled, everyone answered questions, and memory flat (the last part
of the run within a margin of an early part, once start-up is over).
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from bots import scheduler

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from harness import (
    RELAXED,
    bot_process,
    database,
    fake_telegram,
    memory_mb,
    seed,
    yousaid_run,
)

STEPS = 6
"""Updates a person sends in the consultation (``/resume`` and five answers) before chatting."""
MARGIN = 1.10
"""The last part's memory may be at most this much of the early part's..."""
SLACK_MB = 8.0
"""...plus this, for the allocator's steps."""


@dataclass
class Load:
    """What one load run saw."""

    figures: dict
    memory: list[tuple[float, float]]
    """(seconds since the start, VmRSS in MB) every second."""
    log: str

    def rss(self, start: float, end: float) -> float:
        """The median resident memory between two moments of the run, in MB."""
        return statistics.median(mb for at, mb in self.memory if start <= at < end)


async def run_load(people: int, seconds: float, folder: Path) -> Load:
    """``people`` at once for ``seconds`` against ``yousaid run`` on SQLite."""
    async with fake_telegram() as api, database("sqlite") as url:
        ids = await seed(url, people, people)
        command, env = yousaid_run(api, url, YOUSAID_HTTP_LISTEN="127.0.0.1:0", **RELAXED)
        log = folder / "bot.log"
        async with bot_process(command, env, log) as bot:
            await api.wait_for_polling()
            loop = asyncio.get_running_loop()
            started = loop.time()
            work = {"mode": "consult", "people": ids, "first": "/resume", "steps": STEPS}
            work["seconds"] = seconds
            await api.run(work)
            done = asyncio.create_task(api.wait(within=seconds + 300))
            memory = []
            while not done.done():
                memory.append((loop.time() - started, memory_mb(bot.pid)["VmRSS"]))
                await asyncio.wait({done}, timeout=1.0)
            figures = done.result()
    return Load(figures, memory, log.read_text(errors="replace"))


def check(load: Load, people: int, seconds: float, early: tuple[float, float]) -> None:
    figures = load.figures
    bad = [line for line in load.log.splitlines() if "ERROR" in line or "Traceback" in line]
    assert bad == [], "\n".join(load.log.splitlines()[-60:])
    assert figures["stalls"] == 0, "every update got a reply that let the person go on"
    assert figures["replied"] == figures["updates"], "every update answered"
    assert len(figures["replies"]) == people and all(figures["replies"].values())
    assert figures["answered"] >= (STEPS - 2) * people, "everyone answered questions"
    assert figures["seconds"] >= seconds
    before, last = load.rss(*early), load.rss(seconds - (early[1] - early[0]), seconds)
    assert last <= before * MARGIN + SLACK_MB, f"memory grew: {before:.0f} MB, then {last:.0f} MB"


async def test_100_people_at_once_for_20_seconds(tmp_path):
    load = await run_load(100, 20, tmp_path)
    check(load, 100, 20, early=(10, 15))


@pytest.mark.soak
async def test_2000_people_at_once_for_5_minutes(tmp_path):
    load = await run_load(2000, 300, tmp_path)
    check(load, 2000, 300, early=(60, 120))
    rate = load.figures["updates"] / load.figures["seconds"]
    print(
        f"\nload people=2000 seconds={load.figures['seconds']:.0f} "
        f"updates={load.figures['updates']} per_s={rate:.0f} "
        f"rss_second_minute_mb={load.rss(60, 120):.0f} rss_last_minute_mb={load.rss(240, 300):.0f} "
        f"rss_peak_mb={max(mb for _, mb in load.memory):.0f}"
    )


async def test_the_scheduler_keeps_running_after_the_database_was_too_busy(tmp_path, monkeypatch):
    """Under load the job store once found SQLite locked, and APScheduler stopped for good."""
    monkeypatch.setattr(scheduler, "BUSY_TIMEOUT", 0.05)
    path = tmp_path / "busy.db"
    runs: list[float] = []

    async def work() -> None:
        runs.append(time.monotonic())

    job = scheduler.Every("tick", 0.2, work)
    running = asyncio.create_task(scheduler.run_scheduler(f"sqlite+aiosqlite:///{path}", [job]))
    try:
        while len(runs) < 2:  # noqa: ASYNC110 - the scheduler runs in this loop
            await asyncio.sleep(0.05)
        with sqlite3.connect(path) as busy:
            busy.execute("BEGIN EXCLUSIVE")
            await asyncio.sleep(1.0)
            busy.rollback()
        released = time.monotonic()
        while not any(at > released for at in runs):
            assert time.monotonic() < released + 5, "the scheduler stopped"
            await asyncio.sleep(0.05)
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
