"""Time counting 1,000,000 votes stored in PostgreSQL, the way a ballot is counted at close.

Run from the repository root: ``.venv/bin/python bench/tally_postgres.py``. Uses the server of
``YOUSAID_TEST_POSTGRES_URL`` (default ``postgres@127.0.0.1:5432``) and a throwaway database
``yousaid_bench_<hex>``, dropped at the end even on error.

The database gets the real schema (``storage.database.upgrade``), a forum, and two ballots opened
through ``BallotAdmin.open`` (plurality, and IRV), 5 options each. Each box is then filled in
bulk (``INSERT ... SELECT`` from ``generate_series``, in random order; not timed) with the
ballots of ``bench/tally.py`` (same seed: IRV ballots rank 1 to 5 options, plurality votes are
their first choices), and a receipt and a roll entry (voted) for each vote, for as many
participants. Then, for each ballot, timed with ``time.perf_counter``:

- count: ``SqlBallots.box`` (each distinct choice and how often it was cast; for plurality
  grouped by the first option only) and ``roll_counts`` read in one unit of work, then
  ``core.ballots.result_record`` (which calls ``core.tally.tally_grouped``), as
  ``BallotAdmin.close`` does; the targets are on this figure;
- close (only with ``--close``): the whole ``BallotAdmin.close`` and its commit: the status
  change, ``seal`` (box, receipts, roll and codes stored again in random order inside the
  database; timed on its own as ``seal_seconds``), the count, and storing the result.

Prints one line per measure and a targets line (exit status 1 if a target is missed).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from harness import database, machine
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from tally import OPTIONS, SEED, ranking_weights

from core.ballot_admin import BallotAdmin
from core.ballots import BallotSpec, result_record
from core.domain import Ballot
from core.messages import Platform
from core.ports import UnitOfWorkFactory
from core.tally import Method
from storage.database import make_engine, upgrade
from storage.unit_of_work import sql_unit_of_work_factory

VOTES = 1_000_000
TARGETS: dict[Method, float] = {"plurality": 1.0, "irv": 3.0}
GROUP = "-100"

FILL_BOX = text(
    "INSERT INTO ballot_box (id, ballot_id, choice)"
    " SELECT replace(gen_random_uuid()::text, '-', ''), CAST(:ballot AS int),"
    " CAST(c.choice AS jsonb)"
    " FROM unnest(CAST(:choices AS text[]), CAST(:counts AS int[])) AS c(choice, n),"
    " generate_series(1, c.n) ORDER BY random()"
)
FILL_PARTICIPANTS = text(
    "INSERT INTO participants (id, age_band, created_at)"
    " SELECT g, '16_17', CAST(:now AS timestamptz)"
    " FROM generate_series(CAST(:first AS int), CAST(:last AS int)) AS g"
)
FILL_ROLL = text(
    "INSERT INTO ballot_roll (ballot_id, participant_id, voted)"
    " SELECT CAST(:ballot AS int), g, true"
    " FROM generate_series(CAST(:first AS int), CAST(:last AS int)) AS g ORDER BY random()"
)
FILL_RECEIPTS = text(
    "INSERT INTO ballot_receipts (receipt, ballot_id)"
    " SELECT substr(replace(gen_random_uuid()::text, '-', ''), 1, 16), CAST(:ballot AS int)"
    " FROM generate_series(1, CAST(:n AS int))"
)


def drawn_ballots(votes: int) -> dict[Method, Counter[str]]:
    """How many times each choice (as stored JSON) is cast, per method, with the fixed seed."""
    rankings, weights = ranking_weights()
    drawn = random.Random(SEED).choices(range(len(rankings)), weights, k=votes)
    ranked = Counter(drawn)
    irv: Counter[str] = Counter()
    plurality: Counter[str] = Counter()
    for index, times in ranked.items():
        ranking = rankings[index]
        irv[str(list(ranking))] += times
        plurality[str([ranking[0]])] += times
    return {"plurality": plurality, "irv": irv}


async def open_ballots(factory: UnitOfWorkFactory, now: datetime) -> dict[Method, Ballot]:
    """A forum and one open ballot per method, through the product's own use case."""
    opened: dict[Method, Ballot] = {}
    async with factory() as uow:
        forum = await uow.forums.register(Platform.TELEGRAM, GROUP, "Bench forum", now)
        admin = BallotAdmin(uow, now, UTC)
        for method in TARGETS:
            spec = BallotSpec(
                question=f"Which one ({method})?",
                options=[f"Option {n}" for n in range(1, OPTIONS + 1)],
                method=method,
                duration=timedelta(days=1),
            )
            opened[method], _, _ = await admin.open(forum, GROUP, spec, posted=True)
        await uow.commit()
    return opened


async def fill(
    engine: AsyncEngine, ballots: dict[Method, Ballot], votes: int, now: datetime
) -> None:
    """A box, receipts and a voted roll entry for every vote; setup, not timed."""
    counts = drawn_ballots(votes)
    async with engine.begin() as db:
        for number, (method, ballot) in enumerate(ballots.items()):
            choices = list(counts[method])
            cast = [counts[method][choice] for choice in choices]
            await db.execute(FILL_BOX, {"ballot": ballot.id, "choices": choices, "counts": cast})
            first, last = number * votes + 1, (number + 1) * votes
            await db.execute(FILL_PARTICIPANTS, {"now": now, "first": first, "last": last})
            await db.execute(FILL_ROLL, {"ballot": ballot.id, "first": first, "last": last})
            await db.execute(FILL_RECEIPTS, {"ballot": ballot.id, "n": votes})
    async with engine.connect() as db:
        await db.execution_options(isolation_level="AUTOCOMMIT")
        await db.execute(text("VACUUM ANALYZE"))


async def count(factory: UnitOfWorkFactory, ballot: Ballot) -> tuple[float, dict[str, Any]]:
    """Read the box and the roll counts, then count, as ``BallotAdmin.close`` does."""
    started = time.perf_counter()
    async with factory() as uow:
        box = await uow.ballots.box(ballot.id, first_only=ballot.method == "plurality")
        choices = [(choice, times) for choice, times in box if choice is not None]
        roll, voted = await uow.ballots.roll_counts(ballot.id)
    result = result_record(ballot, choices, roll, voted)
    return time.perf_counter() - started, result


async def close(
    factory: UnitOfWorkFactory, ballot: Ballot, now: datetime
) -> tuple[float, float, dict[str, Any]]:
    """The whole close and its commit; the time spent in ``seal`` is measured on its own."""
    spent: list[float] = []
    started = time.perf_counter()
    async with factory() as uow:
        seal: Callable[[int], Awaitable[None]] = uow.ballots.seal

        async def timed_seal(ballot_id: int) -> None:
            begun = time.perf_counter()
            await seal(ballot_id)
            spent.append(time.perf_counter() - begun)

        uow.ballots.seal = timed_seal  # type: ignore[method-assign]
        closed = await BallotAdmin(uow, now, UTC).close(ballot, early=True)
        await uow.commit()
    assert closed is not None and closed.result is not None
    return time.perf_counter() - started, sum(spent), closed.result


async def run(votes: int, with_close: bool) -> int:
    """Set up the database, time each measure and report."""
    print(machine(), file=sys.stderr)
    now = datetime.now(UTC)
    missed: list[str] = []
    async with database("postgresql") as url:
        engine = make_engine(url)
        try:
            await upgrade(engine)
            factory = sql_unit_of_work_factory(engine)
            ballots = await open_ballots(factory, now)
            started = time.perf_counter()
            await fill(engine, ballots, votes, now)
            print(
                f"filled 2 boxes of {votes} votes in {time.perf_counter() - started:.1f} s",
                file=sys.stderr,
            )
            for method, ballot in ballots.items():
                seconds, result = await count(factory, ballot)
                winners = ",".join(map(str, result["winners"]))
                print(
                    f"tally_pg {method} votes={result['ballots']} options={OPTIONS}"
                    f" seconds={seconds:.2f} rounds={len(result['rounds'])} winners={winners}"
                )
                if seconds >= TARGETS[method]:
                    missed.append(method)
            for method, ballot in ballots.items() if with_close else ():
                seconds, sealing, result = await close(factory, ballot, now)
                winners = ",".join(map(str, result["winners"]))
                print(
                    f"tally_pg {method}_close votes={result['ballots']} seconds={seconds:.2f}"
                    f" seal_seconds={sealing:.2f} winners={winners}"
                )
        finally:
            await engine.dispose()
    targets = " ".join(f"{m}<{t:g}s" for m, t in TARGETS.items())
    verdict = "missed: " + ",".join(missed) if missed else "all met"
    print(f"tally_pg targets {targets} (count, not close): {verdict}")
    return 1 if missed else 0


def main() -> int:
    """Parse the options and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=VOTES, help="votes in each box")
    parser.add_argument("--close", action="store_true", help="also time the whole close")
    args = parser.parse_args()
    return asyncio.run(run(args.votes, args.close))


if __name__ == "__main__":
    sys.exit(main())
