"""Thousands of people who took part, stored at once, and the outcome that thanks each of them.

Publishing an outcome (``yousaid outcome add``, as a commissioner runs it) queues one thank-you
per contributor in the outbox: the broadcast the delivery tests send.
"""

import asyncio
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from bots.wiring import open_core
from storage.database import make_engine
from storage.models import (
    AnswerRecord,
    ConsentRecord,
    ConsultationRecord,
    DialogSessionRecord,
    ParticipantRecord,
    PlatformIdentityRecord,
)
from storage.unit_of_work import sql_unit_of_work_factory
from tests.telegram.test_process import YOUSAID

FIRST_USER = 20_000_001
COMMISSIONER = "telegram:900"
YOU_SAID = "You want a quiet room on the ward."
AT = datetime(2026, 11, 1, 12, tzinfo=UTC)


async def seed_contributors(database_url: str, count: int) -> list[int]:
    """Store ``count`` people who answered ward_time's first question; their Telegram ids."""
    async with open_core(database_url):
        pass  # the schema and the shipped consultations, as ``yousaid run`` makes them
    users = list(range(FIRST_USER, FIRST_USER + count))
    engine = make_engine(database_url)
    try:
        async with engine.begin() as connection:
            ward_time = (
                await connection.execute(
                    select(ConsultationRecord.id).where(ConsultationRecord.slug == "ward_time")
                )
            ).scalar_one()
            people = await _ids(
                connection,
                ParticipantRecord,
                [
                    {
                        "age_band": "16_17",
                        "contact_preference": "big_news",
                        "messages_stopped": False,
                        "unreachable": False,
                        "created_at": AT,
                    }
                    for _ in users
                ],
            )
            await connection.execute(
                insert(PlatformIdentityRecord),
                [
                    {
                        "participant_id": pid,
                        "platform": "telegram",
                        "platform_user_id": str(user),
                        "created_at": AT,
                    }
                    for pid, user in zip(people, users, strict=True)
                ],
            )
            await connection.execute(
                insert(ConsentRecord),
                [
                    {"participant_id": pid, "version": "2026-11", "recorded_at": AT}
                    for pid in people
                ],
            )
            sessions = await _ids(
                connection,
                DialogSessionRecord,
                [
                    {
                        "participant_id": pid,
                        "consultation_id": ward_time,
                        "status": "active",
                        "question_id": "ward_days",
                        "path": ["where"],
                        "draft": {},
                        "follow_on": None,
                        "version": 2,
                        "started_at": AT,
                        "updated_at": AT + timedelta(minutes=1),
                    }
                    for pid in people
                ],
            )
            await connection.execute(
                insert(AnswerRecord),
                [
                    {
                        "session_id": session,
                        "consultation_id": ward_time,
                        "question_id": "where",
                        "value": "ward",
                        "skipped": False,
                        "age_band": "16_17",
                        "answered_at": AT + timedelta(minutes=1),
                    }
                    for session in sessions
                ],
            )
    finally:
        await engine.dispose()
    return users


async def _ids(connection, table, rows) -> list[int]:
    """Insert the rows; their new ids, in order."""
    statement = insert(table).returning(table.id, sort_by_parameter_order=True)
    return list((await connection.execute(statement, rows)).scalars())


async def publish_outcome(database_url: str, tmp_path: Path) -> str:
    """Run ``yousaid outcome add`` for ward_time as a commissioner; what it printed."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("YOUSAID_")}
    environment = {
        **clean,
        "YOUSAID_DATABASE_URL": database_url,
        "YOUSAID_COMMISSIONERS": COMMISSIONER,
    }
    process = await asyncio.create_subprocess_exec(
        YOUSAID,
        "outcome",
        "add",
        "ward_time",
        "--as",
        COMMISSIONER,
        "--you-said",
        YOU_SAID,
        "--we-did",
        "We made a quiet room next to the lift.",
        "--next-steps",
        "We will ask you how it works in the spring.",
        cwd=tmp_path,
        env=environment,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()[-2000:]
    return out.decode()


class Outbox:
    """Reads the outbox of a database the bot is using."""

    def __init__(self, database_url: str) -> None:
        self._engine = make_engine(database_url)
        self._uow_factory = sql_unit_of_work_factory(self._engine)

    async def counts(self) -> dict[str, int]:
        """Deliveries by status."""
        async with self._uow_factory() as uow:
            return await uow.deliveries.status_counts()

    async def wait_until_sent(self, count: int, within: float) -> None:
        """Wait until ``count`` deliveries are sent and nothing else is left."""

        async def sent() -> None:
            while await self.counts() != {"sent": count}:  # noqa: ASYNC110 - polls the database
                await asyncio.sleep(0.5)

        await asyncio.wait_for(sent(), within)

    async def close(self) -> None:
        """Let go of the database."""
        await self._engine.dispose()
