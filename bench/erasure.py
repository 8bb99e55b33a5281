"""Time erasing one person and the retention job on a database holding many people's data.

Run from the repository root: ``.venv/bin/python bench/erasure.py`` (SQLite) or
``.venv/bin/python bench/erasure.py --database postgresql``. Prints one line per measure, then
a line saying whether the targets were met (exit status 1 if not).

A fresh database gets the real schema and the shipped consultations, then ``--people``
onboarded participants who all answered ``ward_time`` (8 answers each, 2 of them typed words),
``--polls`` quick polls with a vote from each of ``--voters`` people (the person to erase among
them), and 20 secret ballots with everyone on the roll. Then, timed with ``time.perf_counter``:

- erase: ``YouSaid.forget_person`` for one person (one transaction: their answers counted, a
  voter key worked out for every poll and their votes given random keys, their roll entries
  counted, then the delete and its cascades);
- retention: ``YouSaid.forget_old_answers`` once every answer is past its 12 months (every typed
  answer counted and deleted, in one transaction).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from harness import database, machine
from sqlalchemy import insert, select

from core.domain import SessionStatus
from core.forum_flow import voter_key
from core.messages import Platform
from core.service import YouSaid
from dialogs.loader import bundled_consultations, bundled_script
from storage.database import make_engine, upgrade
from storage.models import (
    AnswerRecord,
    BallotRecord,
    BallotRollRecord,
    ConsentRecord,
    ConsultationRecord,
    DialogSessionRecord,
    ForumRecord,
    ParticipantRecord,
    PlatformIdentityRecord,
    PollRecord,
    PollVoteRecord,
)
from storage.unit_of_work import sql_unit_of_work_factory

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
FIRST_USER = 5_000_000
TARGETS = {"erase": 1.0, "retention": 5.0}
ANSWERS = [
    ("where", "ward"),
    ("ward_days", "few"),
    ("feel", 4),
    ("helps", ["staff"]),
    ("matters", ["told", "space", "people", "fun"]),
    ("change", "More to do in the evening"),
    ("more", "The nurses were kind"),
    ("wait_long", "short"),
]


class Clock:
    """A clock the benchmark moves on, past the retention period."""

    def __init__(self) -> None:
        self.moment = T0

    def now(self) -> datetime:
        """The time the benchmark has set."""
        return self.moment


async def seed(url: str, people: int, polls: int, voters: int) -> None:
    """Store the data described in the module docstring, in bulk."""
    engine = make_engine(url)
    await upgrade(engine)
    factory = sql_unit_of_work_factory(engine)
    core = YouSaid(factory, bundled_script("onboarding"), clock=Clock())
    await core.add_missing_consultations(bundled_consultations())
    ids = range(1, people + 1)
    async with engine.begin() as db:
        [ward] = (
            (
                await db.execute(
                    select(ConsultationRecord.id).where(ConsultationRecord.slug == "ward_time")
                )
            )
            .scalars()
            .all()
        )
        await _bulk(
            db, ParticipantRecord, [{"id": i, "age_band": "16_17", "created_at": T0} for i in ids]
        )
        await _bulk(
            db,
            PlatformIdentityRecord,
            [
                {
                    "participant_id": i,
                    "platform": "telegram",
                    "platform_user_id": str(FIRST_USER + i),
                    "created_at": T0,
                }
                for i in ids
            ],
        )
        await _bulk(
            db,
            ConsentRecord,
            [{"participant_id": i, "version": "v", "recorded_at": T0} for i in ids],
        )
        await _bulk(
            db,
            DialogSessionRecord,
            [
                {
                    "id": i,
                    "participant_id": i,
                    "consultation_id": ward,
                    "status": SessionStatus.COMPLETED,
                    "question_id": None,
                    "path": [q for q, _ in ANSWERS],
                    "draft": {},
                    "version": 1,
                    "started_at": T0,
                    "updated_at": T0,
                }
                for i in ids
            ],
        )
        await _bulk(
            db,
            AnswerRecord,
            [
                {
                    "session_id": i,
                    "consultation_id": ward,
                    "question_id": q,
                    "value": v,
                    "skipped": False,
                    "age_band": "16_17",
                    "answered_at": T0,
                }
                for i in ids
                for q, v in ANSWERS
            ],
        )
        await _bulk(
            db,
            ForumRecord,
            [
                {
                    "id": 1,
                    "platform": "telegram",
                    "platform_chat_id": "-1",
                    "title": "Forum",
                    "created_at": T0,
                }
            ],
        )
        await _bulk(
            db,
            PollRecord,
            [
                {
                    "id": p,
                    "forum_id": 1,
                    "chat_id": "-1",
                    "question": "Q?",
                    "options": ["a", "b"],
                    "status": "open",
                    "created_at": T0,
                }
                for p in range(1, polls + 1)
            ],
        )
        await _bulk(
            db,
            PollVoteRecord,
            [
                {
                    "poll_id": p,
                    "voter": voter_key(p, "telegram", str(FIRST_USER + v)),
                    "option": v % 2,
                    "voted_at": T0,
                }
                for p in range(1, polls + 1)
                for v in range(1, voters + 1)
            ],
        )
        await _bulk(
            db,
            BallotRecord,
            [
                {
                    "id": b,
                    "token": f"token{b}",
                    "forum_id": 1,
                    "chat_id": "-1",
                    "platform": "telegram",
                    "question": "Q?",
                    "options": ["a", "b"],
                    "method": "plurality",
                    "seats": 1,
                    "ron": False,
                    "opens_at": T0,
                    "closes_at": T0 + timedelta(days=1),
                    "min_turnout": 5,
                    "electorate": "members",
                    "status": "open",
                    "posted": True,
                    "announced": False,
                    "created_at": T0,
                }
                for b in range(1, 21)
            ],
        )
        await _bulk(
            db,
            BallotRollRecord,
            [
                {"ballot_id": b, "participant_id": i, "voted": i % 2 == 0}
                for b in range(1, 21)
                for i in ids
            ],
        )
    if engine.dialect.name == "postgresql":
        async with engine.begin() as db:
            for table in ("participants", "dialog_sessions", "polls", "ballots", "forums"):
                await db.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
    await engine.dispose()


async def _bulk(db: Any, model: Any, rows: list[dict[str, Any]], chunk: int = 2000) -> None:
    for start in range(0, len(rows), chunk):
        await db.execute(insert(model), rows[start : start + chunk])


async def measure(url: str, people: int) -> dict[str, float]:
    """Seconds to erase one person, then to run the retention job once."""
    engine = make_engine(url)
    clock = Clock()
    core = YouSaid(
        sql_unit_of_work_factory(engine),
        bundled_script("onboarding"),
        clock=clock,
    )
    try:
        started = time.perf_counter()
        assert await core.forget_person(Platform.TELEGRAM, str(FIRST_USER + 1))
        erase = time.perf_counter() - started
        clock.moment = T0 + timedelta(days=400)
        started = time.perf_counter()
        removed = await core.forget_old_answers()
        retention = time.perf_counter() - started
        assert removed == 2 * (people - 1), removed
        totals = await core.answer_totals("ward_time")
        assert totals["more"] == (people, 0), totals["more"]
    finally:
        await engine.dispose()
    return {"erase": erase, "retention": retention, "removed": removed}


async def main() -> int:
    """Seed, measure, print; 1 if a target was missed."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--polls", type=int, default=2_000)
    parser.add_argument("--voters", type=int, default=50)
    args = parser.parse_args()
    print(machine())
    async with database(args.database) as url:
        await seed(url, args.people, args.polls, args.voters)
        result = await measure(url, args.people)
    print(
        f"erasure database={args.database} people={args.people} polls={args.polls} "
        f"poll_votes={args.polls * args.voters} roll_entries={20 * args.people} "
        f"erase_seconds={result['erase']:.3f}"
    )
    print(
        f"retention database={args.database} typed_answers_removed={result['removed']:.0f} "
        f"answers={8 * args.people} seconds={result['retention']:.2f}"
    )
    missed = [name for name, most in TARGETS.items() if result[name] >= most]
    targets = " ".join(f"{name}<{most:g}s" for name, most in TARGETS.items())
    print(
        f"erasure targets {targets}: {'all met' if not missed else 'missed ' + ', '.join(missed)}"
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
