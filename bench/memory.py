"""Resident memory and throughput of ``yousaid run`` as the number of stored participants grows.

Run from the repository root: ``.venv/bin/python bench/memory.py`` (SQLite) or
``.venv/bin/python bench/memory.py --database postgresql``. Prints one line per size, then a
line saying whether the memory target was met (exit status 1 if not).

For each size (1,000, 10,000 and 100,000 participants by default), a fresh database gets the
real schema (``storage.database.upgrade``) and the shipped consultations, then that many
onboarded participants (a Telegram identity, a consent record and a finished onboarding each),
1,000 of whom are part-way through ``ward_time``: 1,000 dialogs in progress. Then the real
``yousaid run`` process starts against the fake Bot API server with sending limits lifted, and
those 1,000 people carry on: each sends ``/resume`` and answers the questions it shows, for
``--steps`` updates each. Memory is read from ``/proc/<pid>/status``: VmRSS once the bot is
polling (idle), VmRSS after the traffic, and VmHWM, the peak resident memory of the run.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from harness import (
    RELAXED,
    bot_process,
    calibration_ms,
    cpu_seconds,
    database,
    fake_telegram,
    machine,
    memory_mb,
    percentile,
    seed,
    yousaid_run,
)

SIZES = (1_000, 10_000, 100_000)
IN_PROGRESS = 1_000
STEPS = 6
TARGET_MB = 200.0
TARGET_SIZE = 100_000


async def one_size(kind: str, participants: int, steps: int, logs: Path) -> dict[str, Any]:
    """Seed, start the bot, drive the 1,000 people part-way, read memory."""
    calibration = calibration_ms()
    async with fake_telegram() as api, database(kind) as url:
        started = time.perf_counter()
        people = await seed(url, participants, min(IN_PROGRESS, participants))
        seeded = time.perf_counter() - started
        command, env = yousaid_run(api, url, **RELAXED)
        log = logs / f"memory-{kind}-{participants}.log"
        async with bot_process(command, env, log) as bot:
            await api.wait_for_polling()
            await asyncio.sleep(1.0)
            idle = memory_mb(bot.pid)
            cpu = cpu_seconds(bot.pid)
            await api.run({"mode": "consult", "people": people, "first": "/resume", "steps": steps})
            result = await api.wait(within=600)
            result["bot_cpu"] = cpu_seconds(bot.pid) - cpu
            result["after"] = memory_mb(bot.pid)
    result.update(
        kind=kind, participants=participants, seed_s=seeded, idle=idle, calibration=calibration
    )
    return result


def line(result: dict[str, Any]) -> str:
    """One summary line for one size."""
    updates = result["replied"]
    return (
        f"memory {result['kind']} participants={result['participants']} "
        f"in_progress={len(result['replies'])} seed_s={result['seed_s']:.0f} "
        f"rss_idle_mb={result['idle']['VmRSS']:.0f} "
        f"rss_after_mb={result['after']['VmRSS']:.0f} peak_mb={result['after']['VmHWM']:.0f} "
        f"updates={updates} per_s={updates / result['seconds']:.0f} "
        f"cpu_ms={1000 * result['bot_cpu'] / updates:.2f} "
        f"p99_ms={1000 * percentile(result['handling'], 0.99):.0f} stalls={result['stalls']} "
        f"calib_ms={result['calibration']:.0f}"
    )


async def main(argv: list[str]) -> int:
    """Run each size and report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--sizes", default=",".join(str(size) for size in SIZES))
    parser.add_argument("--steps", type=int, default=STEPS, help="updates per person")
    parser.add_argument("--logs", type=Path, help="keep the bot logs here")
    args = parser.parse_args(argv)
    print(f"machine {machine()}", flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="yousaid-logs-") as folder:
        logs = args.logs or Path(folder)
        logs.mkdir(parents=True, exist_ok=True)
        for size in (int(size) for size in args.sizes.split(",")):
            results.append(await one_size(args.database, size, args.steps, logs))
            print(line(results[-1]), flush=True)
    at_target = [r for r in results if r["participants"] == TARGET_SIZE]
    if not at_target:
        return 0
    peak = at_target[0]["after"]["VmHWM"]
    verdict = "met" if peak <= TARGET_MB else "missed"
    print(
        f"memory target peak<={TARGET_MB:.0f}MB with {TARGET_SIZE} participants and "
        f"{IN_PROGRESS} dialogs in progress: peak={peak:.0f}MB {verdict}"
    )
    return 0 if peak <= TARGET_MB else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
