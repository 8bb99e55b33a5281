"""Shared parts of the Telegram benchmarks: processes, databases, seeding and /proc readings.

Every process that is measured runs on its own: the fake Bot API server (``fake_telegram.py``),
the bot (``yousaid run`` or ``echo_bot.py``) and PostgreSQL. CPU time is read from
``/proc/<pid>/stat`` for one process at a time, so the server's and the database's work never
counts against the bot.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import platform
import secrets
import signal
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import httpx
from fake_telegram import TOKEN
from sqlalchemy import insert, make_url, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from core.texts import CONSENT_VERSION
from storage.database import make_engine, upgrade
from storage.models import (
    AnswerRecord,
    ConsentRecord,
    ConsultationRecord,
    DialogSessionRecord,
    ParticipantRecord,
    PlatformIdentityRecord,
)

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PYTHON = sys.executable
YOUSAID = str(Path(sys.executable).with_name("yousaid"))
POSTGRES_URL = os.environ.get(
    "YOUSAID_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
TICKS = os.sysconf("SC_CLK_TCK")
FIRST_USER = 10_000_001
"""Chat ids of simulated people start here (private chat id == user id)."""
RELAXED = {
    "YOUSAID_TELEGRAM_MESSAGES_PER_SECOND": "1000000",
    "YOUSAID_TELEGRAM_CHAT_MESSAGES_PER_SECOND": "1000000",
}
"""Sending limits lifted, to measure handling rather than Telegram's 30 messages a second."""


# ---- /proc ---------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds used so far by one process (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def postgres_cpu_seconds() -> float:
    """CPU seconds of every process named postgres (the database server's share)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            if (entry / "comm").read_text().strip() == "postgres":
                total += cpu_seconds(int(entry.name))
    return total


def memory_mb(pid: int) -> dict[str, float]:
    """VmRSS (resident now) and VmHWM (resident at peak) in MB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0]) / 1024
    return found


def machine() -> str:
    """Cores, CPU model, memory, kernel and Python version, in one line."""
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        int(line.split()[1]) // 1024 // 1024
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return (
        f"{os.cpu_count()} cores ({model}), {memory} GB RAM, Linux {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def calibration_ms() -> float:
    """CPU milliseconds for a fixed piece of pure Python (best of three).

    This machine is a virtual one whose speed changes with its neighbours' load (the same loop
    took 500 to 900 ms within a minute), so each benchmark line carries this figure: compare
    runs only when it is about the same.
    """
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        total, table = 0, {}
        for n in range(300_000):
            total += n * n % 7
            table[str(n)] = n
        best = min(best, time.process_time() - started)
    return 1000 * best


def percentile(ordered: list[float], share: float) -> float:
    """The value below which ``share`` of the (sorted) values fall; 0 for none."""
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


# ---- processes -----------------------------------------------------------------------------


@dataclass
class FakeTelegram:
    """The fake Bot API server process and a client for its control endpoints."""

    process: asyncio.subprocess.Process
    url: str

    @property
    def pid(self) -> int:
        """The server's process id."""
        return self.process.pid

    async def _call(self, path: str, body: Any = None, within: float = 30) -> Any:
        async with httpx.AsyncClient(timeout=within) as client:
            if body is None:
                response = await client.get(f"{self.url}{path}")
            else:
                response = await client.post(f"{self.url}{path}", json=body)
            response.raise_for_status()
            return response.json()

    async def sent(self) -> dict[str, Any]:
        """When each chat got each message (``chats``) and how many 429s were answered."""
        return dict(await self._call("/control/sent"))

    async def calls(self) -> dict[str, int]:
        """Bot API calls so far, by method."""
        return dict(await self._call("/control/calls"))

    async def run(self, spec: dict[str, Any]) -> None:
        """Start a workload (see ``fake_telegram.FakeTelegram._start``)."""
        await self._call("/control/run", spec)

    async def wait(self, within: float) -> dict[str, Any]:
        """Wait for the workload to finish; its figures."""
        return dict(await self._call("/control/wait", within=within))

    async def wait_for_polling(self, within: float = 60) -> None:
        """Wait until the bot has asked for updates (it is ready)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while (await self.calls()).get("getUpdates", 0) == 0:
            if loop.time() > deadline:
                raise TimeoutError("the bot never asked for updates")
            await asyncio.sleep(0.2)


@contextlib.asynccontextmanager
async def fake_telegram(limits: bool = False) -> AsyncIterator[FakeTelegram]:
    """Start the fake Bot API server in its own process; with ``limits``, Telegram's enforced."""
    process = await asyncio.create_subprocess_exec(
        PYTHON,
        str(BENCH / "fake_telegram.py"),
        *(["--limits"] if limits else []),
        stdout=asyncio.subprocess.PIPE,
        cwd=ROOT,
    )
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), 30)).decode()
        port = int(line.split()[1])
        yield FakeTelegram(process, f"http://127.0.0.1:{port}")
    finally:
        await stop(process)


@contextlib.asynccontextmanager
async def bot_process(
    command: list[str], env: dict[str, str], log: Path
) -> AsyncIterator[asyncio.subprocess.Process]:
    """Start a bot process with its stderr going to ``log``; SIGTERM it at the end."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("YOUSAID_")}
    with log.open("wb") as stderr:
        process = await asyncio.create_subprocess_exec(
            *command,
            cwd=log.parent,
            env={**clean, **env},
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        yield process
    finally:
        await stop(process)


def yousaid_run(api: FakeTelegram, database_url: str, **env: str) -> tuple[list[str], dict]:
    """The command and environment for ``yousaid run`` against the fake server."""
    return [YOUSAID, "run"], {
        "YOUSAID_TELEGRAM_TOKEN": TOKEN,
        "YOUSAID_TELEGRAM_API_BASE": api.url,
        "YOUSAID_DATABASE_URL": database_url,
        **env,
    }


async def stop(process: asyncio.subprocess.Process) -> None:
    """SIGTERM, then SIGKILL after 20 s; only this one process."""
    if process.returncode is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), 20)
    except TimeoutError:
        process.kill()
        await process.wait()


# ---- databases -----------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def database(kind: str) -> AsyncIterator[str]:
    """A fresh, empty database: a SQLite file, or a throwaway PostgreSQL database."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="yousaid-bench-") as folder:
            yield f"sqlite+aiosqlite:///{folder}/bench.db"
        return
    server = make_url(POSTGRES_URL)
    admin = await asyncpg.connect(
        server.set(drivername="postgresql").render_as_string(hide_password=False), timeout=5
    )
    name = f"yousaid_bench_{secrets.token_hex(4)}"
    try:
        await admin.execute(f"CREATE DATABASE {name}")
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            await admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
    finally:
        await admin.close()


def person_ids(count: int) -> list[int]:
    """Telegram user ids for ``count`` simulated people."""
    return list(range(FIRST_USER, FIRST_USER + count))


async def seed(
    database_url: str,
    participants: int,
    in_progress: int,
    chunk: int = 5000,
    answered: bool = False,
) -> list[int]:
    """Store ``participants`` onboarded people; the last ``in_progress`` of them part-way.

    Everyone has a Telegram identity, a consent record and a finished onboarding session. The
    people part-way have a ``ward_time`` session waiting at its first question, or with
    ``answered`` at its second, the first answered (so an outcome thanks them). The schema is
    the real one (migrated first); the shipped consultations are added as ``yousaid run``
    would. Returns the Telegram user ids of the people part-way.
    """
    from bots.wiring import open_core

    async with open_core(database_url):
        pass
    engine = make_engine(database_url)
    try:
        await upgrade(engine)
        async with engine.connect() as connection:
            ward_time = (
                await connection.execute(
                    select(ConsultationRecord.id).where(ConsultationRecord.slug == "ward_time")
                )
            ).scalar_one()
        at = datetime(2026, 11, 1, 12, tzinfo=UTC)
        ids = person_ids(participants)
        for start in range(0, participants, chunk):
            block = ids[start : start + chunk]
            await _seed_block(
                engine, block, start, participants - in_progress, ward_time, at, answered
            )
        await _fix_sequences(engine)
    finally:
        await engine.dispose()
    return ids[participants - in_progress :]


async def _seed_block(
    engine: AsyncEngine,
    block: list[int],
    first: int,
    idle: int,
    ward_time: int,
    at: datetime,
    answered: bool,
) -> None:
    bands = ("16_17", "18_25")  # Telegram's terms: 16 or over in the UK and the EU
    people = [(first + n + 1, user) for n, user in enumerate(block)]
    async with engine.begin() as connection:
        await connection.execute(
            insert(ParticipantRecord),
            [
                {
                    "id": pid,
                    "age_band": bands[pid % 2],
                    "contact_preference": "big_news",
                    "messages_stopped": False,
                    "unreachable": False,
                    "created_at": at,
                }
                for pid, _ in people
            ],
        )
        await connection.execute(
            insert(PlatformIdentityRecord),
            [
                {
                    "id": pid,
                    "participant_id": pid,
                    "platform": "telegram",
                    "platform_user_id": str(user),
                    "created_at": at,
                }
                for pid, user in people
            ],
        )
        await connection.execute(
            insert(ConsentRecord),
            [
                {"id": pid, "participant_id": pid, "version": CONSENT_VERSION, "recorded_at": at}
                for pid, _ in people
            ],
        )
        sessions: list[dict[str, Any]] = [
            {
                "id": pid * 2,
                "participant_id": pid,
                "consultation_id": None,
                "status": "completed",
                "question_id": None,
                "path": ["consent", "age", "contact"],
                "draft": {},
                "follow_on": None,
                "version": 4,
                "started_at": at,
                "updated_at": at + timedelta(minutes=1),
            }
            for pid, _ in people
        ]
        sessions += [
            {
                "id": pid * 2 + 1,
                "participant_id": pid,
                "consultation_id": ward_time,
                "status": "active",
                "question_id": "ward_days" if answered else "where",
                "path": ["where"] if answered else [],
                "draft": {},
                "follow_on": None,
                "version": 2 if answered else 1,
                "started_at": at + timedelta(minutes=2),
                "updated_at": at + timedelta(minutes=2),
            }
            for pid, _ in people
            if pid > idle
        ]
        await connection.execute(insert(DialogSessionRecord), sessions)
        if answered:
            answers = [
                {
                    "id": pid,
                    "session_id": pid * 2 + 1,
                    "consultation_id": ward_time,
                    "question_id": "where",
                    "value": "ward",
                    "skipped": False,
                    "age_band": bands[pid % 4],
                    "answered_at": at + timedelta(minutes=3),
                }
                for pid, _ in people
                if pid > idle
            ]
            await connection.execute(insert(AnswerRecord), answers)


async def _fix_sequences(engine: AsyncEngine) -> None:
    """On PostgreSQL, move id sequences past the ids given by hand."""
    if engine.dialect.name != "postgresql":
        return
    async with engine.begin() as connection:
        for table in (
            ParticipantRecord,
            PlatformIdentityRecord,
            ConsentRecord,
            DialogSessionRecord,
            AnswerRecord,
        ):
            name = table.__tablename__
            await connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"COALESCE((SELECT max(id) FROM {name}), 0) + 1, false)"
                )
            )
